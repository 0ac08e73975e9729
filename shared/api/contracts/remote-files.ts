/**
 * Files on a node, beside its terminal (docs/terminals.md, "Files"): an SFTP browser (list, create a folder, rename,
 * delete, permissions), downloads to and uploads from a folder on the machine running the core, with progress and
 * resume, and an editor for small text files that writes atomically and only over the copy it read.
 */
import { z } from 'zod';
import type { ApiErrorData } from '../../errors';
import { MAX_FILE_BYTES } from '../limits';
import { call, stream } from '../define';
import { profileId } from './profiles';
import { nodeId } from './ssh';

/** An absolute POSIX path on the node, without NUL or newline (the one byte and the one line SFTP names cannot carry). */
export const remotePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\/[^\0\n]*$/, 'an absolute path on the node, e.g. /opt/harbor');
/** A path on the machine running the core (the desktop, or serve mode's host). */
const localPath = z.string().trim().min(1).max(4096);
export const filesJobId = z.string().regex(/^f[a-f0-9]{16}$/);
const node = { profileId, nodeId };
const sha256 = z.string().regex(/^[a-f0-9]{64}$/);

export type RemoteEntryKind = 'file' | 'dir' | 'link' | 'other';

export interface RemoteEntry {
  readonly name: string;
  readonly kind: RemoteEntryKind;
  readonly size: number;
  /** Permission bits (0o7777 at most). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** User and group names as the node's SFTP server spells them (the uid / gid when it gives none). */
  readonly owner: string;
  readonly group: string;
  /** Modification time, seconds since the epoch. */
  readonly mtime: number;
  /** A symbolic link: where it points, and what is there (`missing` for a dangling link). */
  readonly target?: string;
  readonly targetKind?: RemoteEntryKind | 'missing';
}

export interface RemoteListing {
  /** The folder's canonical path (links and `..` resolved). */
  readonly path: string;
  readonly entries: readonly RemoteEntry[];
  /** More entries than {@link MAX_LIST_ENTRIES}: the first ones by name are listed. */
  readonly truncated: boolean;
}

/** Entries a listing carries at most: a folder of 10 000 files is listed whole. */
export const MAX_LIST_ENTRIES = 50_000;

export interface RemoteText {
  readonly path: string;
  readonly content: string;
  /** sha256 of the bytes read: the write compares it with the node's copy. */
  readonly sha256: string;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export type WriteTextResult =
  | { readonly status: 'written'; readonly sha256: string }
  /** The node's copy changed since it was read: nothing was written; here is the copy now, to diff and decide. */
  | { readonly status: 'changed'; readonly current: RemoteText };

export type FilesJobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface FilesJobState {
  readonly jobId: string;
  readonly direction: 'download' | 'upload';
  readonly status: FilesJobStatus;
  /** The file being moved now, relative to the folder or file chosen. */
  readonly current: string;
  /** Files done and files in all. */
  readonly files: number;
  readonly fileCount: number;
  /** Bytes in place (resumed prefixes included) and in all. */
  readonly bytes: number;
  readonly total: number;
  /** Bytes that were already there from an earlier, cut transfer and were checked, not sent again. */
  readonly resumed: number;
  readonly rateBps: number;
  readonly etaSeconds: number | null;
  readonly error?: ApiErrorData;
}

export const remoteFilesContract = {
  'remoteFiles.list': call(
    z.object({ ...node, path: z.union([remotePath, z.literal('~')]) }).strict(),
    "A folder's entries (`~`: the login's home folder) on the node (name, kind, size, permissions, owner, modification time, where links point), by name.",
  ).returns<RemoteListing>(),
  'remoteFiles.mkdir': call(z.object({ ...node, path: remotePath }).strict(), 'Creates a folder (its parent must exist).').returns<null>(),
  'remoteFiles.rename': call(
    z.object({ ...node, from: remotePath, to: remotePath }).strict(),
    'Renames or moves an entry; refused when something is already at the new path.',
  ).returns<null>(),
  'remoteFiles.remove': call(
    z
      .object({
        ...node,
        path: remotePath,
        /** A folder with entries is removed only when this repeats its path: the operator confirmed that folder. */
        recursiveConfirm: remotePath.optional(),
      })
      .strict(),
    'Deletes a file, link or empty folder; a folder with entries only with recursiveConfirm equal to its path.',
  ).returns<null>(),
  'remoteFiles.chmod': call(
    z.object({ ...node, path: remotePath, mode: z.number().int().min(0).max(0o7777) }).strict(),
    'Sets the permission bits of an entry.',
  ).returns<null>(),
  'remoteFiles.readText': call(
    z.object({ ...node, path: remotePath }).strict(),
    `A text file for the editor (UTF-8, at most ${MAX_FILE_BYTES / 1024} KiB, no NUL byte); refused otherwise.`,
  ).returns<RemoteText>(),
  'remoteFiles.writeText': call(
    z
      .object({
        ...node,
        path: remotePath,
        content: z.string().max(MAX_FILE_BYTES),
        /** The sha256 the text was read with: written only while the node's copy still has it. */
        baseSha256: sha256,
      })
      .strict(),
    "Writes a text file atomically (a temporary file in the same folder, renamed over it, mode and owner kept) when the node's copy is still the one read; otherwise answers the copy now.",
  ).returns<WriteTextResult>(),
  'remoteFiles.download': call(
    z.object({ ...node, remotePath, localFolder: localPath }).strict(),
    'Starts downloading a file or folder into a local folder (resuming a cut download of the same file); answers the job id.',
  ).returns<{ readonly jobId: string }>(),
  'remoteFiles.upload': call(
    z.object({ ...node, localPath, remoteFolder: remotePath }).strict(),
    'Starts uploading a local file or folder into a folder on the node (resuming a cut upload); answers the job id.',
  ).returns<{ readonly jobId: string }>(),
  'remoteFiles.progress': stream(
    z.object({ jobId: filesJobId }).strict(),
    "A download's or upload's state now, then each change until it ends.",
  ).emits<FilesJobState>(),
  'remoteFiles.cancel': call(
    z.object({ jobId: filesJobId }).strict(),
    'Stops a download or upload; the partial file stays so the next one resumes.',
  ).returns<{ readonly cancelled: boolean }>(),
} as const;
