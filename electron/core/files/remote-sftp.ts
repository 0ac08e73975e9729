/**
 * The SFTP requests the Files panel makes, as promises, and SFTP's status codes as errors that name the path and say
 * what is wrong in both languages. Nothing here touches a file's content beyond moving bytes: callers audit the action.
 */
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import { ApiError } from '../../../shared/errors';
import { L, type Localized } from '../../../shared/i18n/localized';
import { classify } from '../ssh/errors';

/** SFTP status codes (draft-ietf-secsh-filexfer-02 §7) the messages tell apart. */
const END_OF_FILE = 1;
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

export type EntryKind = 'file' | 'dir' | 'link' | 'other';

export function kindOf(mode: number): EntryKind {
  const t = mode & S_IFMT;
  return t === S_IFREG ? 'file' : t === S_IFDIR ? 'dir' : t === S_IFLNK ? 'link' : 'other';
}

/** A failed SFTP request as the operator reads it: the node, the path, and what to check. */
export function sftpFailure(error: unknown, node: string, what: Localized, path: string): ApiError {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'number') {
    // No SFTP status: the connection itself failed.
    return classify(error, node).toApiError();
  }
  const why =
    code === NO_SUCH_FILE
      ? L(`${path} does not exist (any more).`, `${path} 不存在（或已被删除）。`)
      : code === PERMISSION_DENIED
        ? L(`permission denied on ${path}.`, `没有 ${path} 的权限。`)
        : L(`${path}: ${(error as Error).message}`, `${path}：${(error as Error).message}`);
  return new ApiError({
    code: code === NO_SUCH_FILE ? 'not_found' : 'ssh',
    reason: code === NO_SUCH_FILE ? 'no_such_file' : code === PERMISSION_DENIED ? 'permission_denied' : 'sftp',
    node,
    message: { en: `${node}: ${what.en} failed: ${why.en}`, 'zh-CN': `${node}：${what['zh-CN']}失败：${why['zh-CN']}` },
  });
}

/** A refusal of what the operator asked (not a failure of the node): `conflict` with a reason programs can test. */
export function refusal(reason: string, node: string, message: Localized): ApiError {
  return new ApiError({
    code: 'conflict',
    reason,
    node,
    message: { en: `${node}: ${message.en}`, 'zh-CN': `${node}：${message['zh-CN']}` },
  });
}

/** Runs one SFTP request and rejects with {@link sftpFailure}. */
export function sftpCall<T>(
  node: string,
  what: Localized,
  path: string,
  request: (callback: (error: Error | undefined | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    request((error, value) => (error ? reject(sftpFailure(error, node, what, path)) : resolve(value as T)));
  });
}

/** lstat, or null when nothing is at the path. */
export function lstatOrNull(sftp: SFTPWrapper, node: string, path: string): Promise<Stats | null> {
  return new Promise((resolve, reject) => {
    sftp.lstat(path, (error, stats) => {
      if (!error) return resolve(stats);
      if ((error as { code?: number }).code === NO_SUCH_FILE) return resolve(null);
      reject(sftpFailure(error, node, L('reading the file type', '读取文件类型'), path));
    });
  });
}

/** Reads a whole (small) file through an open handle, in requests of 32 KiB (what every SFTP server accepts). */
export async function readWhole(sftp: SFTPWrapper, node: string, path: string, handle: Buffer, size: number): Promise<Buffer> {
  const what = L('reading', '读取');
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  while (pos < size) {
    const n = await sftpCall<number>(node, what, path, (cb) =>
      sftp.read(handle, out, pos, Math.min(32_768, size - pos), pos, (e, bytesRead) => cb(e, bytesRead)),
    );
    if (n === 0) break;
    pos += n;
  }
  return out.subarray(0, pos);
}

/** Writes a buffer through an open handle, several requests in flight. */
export async function writeWhole(sftp: SFTPWrapper, node: string, path: string, handle: Buffer, data: Buffer): Promise<void> {
  const what = L('writing', '写入');
  const pending: Promise<void>[] = [];
  for (let pos = 0; pos < data.length; pos += 32_768) {
    const at = pos;
    const len = Math.min(32_768, data.length - at);
    pending.push(sftpCall<void>(node, what, path, (cb) => sftp.write(handle, data, at, len, at, (e) => cb(e))));
  }
  await Promise.all(pending);
}

/** READDIR requests in flight on one folder handle. */
const READDIR_IN_FLIGHT = 16;

/**
 * A folder's entries (without `.` and `..`). OpenSSH answers a READDIR with at most 100 entries, so a folder of 10 000
 * files is 100 answers: asked one after the other (as ssh2's readdir does) that is 100 round trips, and the listing
 * took twice `ls -la`'s time. The server answers a handle's requests in order, each with the next entries, so several
 * are kept in flight and the answers are put together in the order they were asked.
 */
export async function readFolder(sftp: SFTPWrapper, node: string, path: string): Promise<FileEntryWithStats[]> {
  const what = L('listing the folder', '列出文件夹');
  const handle = await sftpCall<Buffer>(node, what, path, (cb) => sftp.opendir(path, cb));
  const batches: FileEntryWithStats[][] = [];
  let failure: unknown = null;
  try {
    await new Promise<void>((resolve) => {
      let asked = 0;
      let pending = 0;
      let ended = false;
      const ask = () => {
        while (!ended && !failure && pending < READDIR_IN_FLIGHT) {
          const k = asked++;
          pending++;
          sftp.readdir(handle, (error, list) => {
            pending--;
            if (error) {
              if ((error as { code?: number }).code === END_OF_FILE) ended = true;
              else failure ??= error;
            } else batches[k] = list;
            if (!ended && !failure) ask();
            else if (pending === 0) resolve();
          });
        }
      };
      ask();
    });
  } finally {
    sftp.close(handle, () => undefined);
  }
  if (failure) throw sftpFailure(failure, node, what, path);
  // Requests answered "end" leave holes, which flat() skips.
  return batches.flat();
}
