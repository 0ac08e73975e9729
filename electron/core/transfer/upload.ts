/**
 * Upload of one local file to one node on a connection of its own.
 *
 * - The data goes as a plain byte stream into `cat >> <partial>` on an exec channel
 *   (write-stream.ts; measured against SFTP WRITEs there). SFTP serves the metadata: stat,
 *   creating the partial file with its mode, and following its size while the data flows.
 * - The data goes to a temporary name next to the target (`.<name>.<id>.harbor-part`, the id
 *   derived from the local path, size and mtime) and is renamed over the target only after the
 *   node's sha256 of it equals the local sha256. Both are computed while the data flows: locally
 *   in a worker thread, on the node by a hasher that follows the partial file's size.
 * - Resume: when that partial file exists, the same prefix is hashed on both sides (`head -c N |
 *   sha256sum` on the node); if they agree the upload continues at N, otherwise it starts over.
 * - Idempotent: a target with the local file's size and sha256 is left alone ("unchanged").
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { SshError, classify } from '../ssh/errors';
import { cancelled, checksumMismatch } from './errors';
import { assertUnchanged, hashRange, localFile, readBlocks, sha256FileInWorker, type LocalFile } from './local';
import { RateMeter, type RateSample } from './progress';
import {
  isRegular,
  openSftp,
  remotePrefixSha256,
  remoteSha256,
  runOk,
  sftpStat,
  streamingSha256,
  type RemoteSession,
  type StreamingHash,
} from './remote';
import { writeStream } from './write-stream';

export type UploadPhase = 'checking' | 'uploading' | 'verifying';

export interface UploadProgress extends RateSample {
  readonly phase: UploadPhase;
  /** Bytes sent on this attempt (excludes a resumed prefix). */
  readonly sent: number;
  /** Where this attempt started. */
  readonly resumedFrom: number;
}

export interface UploadOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: UploadProgress) => void;
  /** Bytes read from the file and handed to the channel at a time. Default 4 MiB. */
  readonly blockSize?: number;
  /** How often the partial file's size is read on the node (relay and hasher follow it). Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** Mode of the file on the node. Default 0644. */
  readonly mode?: number;
  /** The local file's sha256 when already known or being computed elsewhere (not hashed again). */
  readonly sha256?: string | Promise<string>;
  /** Told when the first n bytes of the partial file on the node are in place (relay follows it). */
  readonly onContiguous?: (partialPath: string, bytes: number) => void;
  /** Minimum time between progress events. Default 100 ms. */
  readonly progressIntervalMs?: number;
}

export interface UploadResult {
  readonly status: 'uploaded' | 'unchanged';
  readonly size: number;
  readonly sha256: string;
  /** Bytes sent over the wire as file data on this call. */
  readonly sent: number;
  /** Offset the upload continued from (0 = from the start). */
  readonly resumedFrom: number;
  readonly durationMs: number;
}

/** The temporary name an upload of `file` to `remotePath` writes to. */
export function partialPath(file: LocalFile, remotePath: string): string {
  const id = createHash('sha256')
    .update(`${file.path}\0${file.size}\0${Math.round(file.mtimeMs)}`)
    .digest('hex')
    .slice(0, 12);
  return posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.${id}.harbor-part`);
}

function sftpCall<T>(label: string, fn: (cb: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((error, value) => (error ? reject(classify(error, label)) : resolve(value as T))));
}

export async function uploadFile(
  session: RemoteSession,
  localPath: string,
  remotePath: string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const started = performance.now();
  const { signal } = options;
  const label = session.label;
  const file = await localFile(localPath);
  const part = partialPath(file, remotePath);
  const check = () => {
    if (signal?.aborted) throw cancelled(label);
  };
  const interval = options.progressIntervalMs ?? 100;
  const emit = (p: UploadProgress) => options.onProgress?.(p);
  emit({ phase: 'checking', bytes: 0, total: file.size, rateBps: 0, etaSeconds: null, sent: 0, resumedFrom: 0 });

  const sftp = await openSftp(session);
  // What stops the writer: a cancel, or a dropped connection (even if ssh2 never reports it on the channel).
  const stop = new AbortController();
  const onCancel = () => stop.abort(cancelled(label));
  const onClose = () => stop.abort(new SshError('disconnected', label));
  signal?.addEventListener('abort', onCancel, { once: true });
  session.client.once('close', onClose);
  sftp.once('close', onClose);
  try {
    check();
    const dir = posix.dirname(remotePath);
    const [target, partial, parent] = await Promise.all([
      sftpStat(sftp, remotePath, label),
      sftpStat(sftp, part, label),
      sftpStat(sftp, dir, label),
    ]);
    if (!parent) await runOk(session, ['mkdir', '-p', '--', dir], `mkdir -p ${dir}`, { purpose: 'transfer: create directory' });

    // Same size: compare hashes (both sides at once) before sending anything.
    let localSum = options.sha256;
    if (target && isRegular(target) && target.size === file.size) {
      const [mine, theirs] = await Promise.all([
        localSum ?? sha256FileInWorker(file.path, signal),
        remoteSha256(session, remotePath, signal),
      ]);
      localSum = mine;
      if (mine === theirs) {
        if (partial) await session.run(['rm', '-f', '--', part], { purpose: 'transfer: remove stale partial file' });
        return { status: 'unchanged', size: file.size, sha256: mine, sent: 0, resumedFrom: 0, durationMs: performance.now() - started };
      }
    }
    check();

    // Resume from the partial file when its prefix is ours.
    let offset = 0;
    if (partial && isRegular(partial) && partial.size > 0 && partial.size <= file.size) {
      const n = partial.size;
      const [mine, theirs] = await Promise.all([
        hashRange(file.path, 0, n, undefined, signal),
        remotePrefixSha256(session, part, n, signal),
      ]);
      const prefix = mine.copy().digest('hex');
      if (prefix === theirs) offset = n;
    }
    check();

    // The local sha256 of the whole file, in a worker thread that reads the file on its own: the
    // blocks sent are plain memory reused from block to block, and handing them to a worker would
    // cost a copy each (shared memory instead makes ssh2's copies into packets ~5× slower).
    const sum = localSum ?? sha256FileInWorker(file.path, stop.signal);
    Promise.resolve(sum).catch(() => undefined);
    const meter = new RateMeter(file.size, offset);
    let done = offset;
    let lastEmit = 0;
    const progress = (force = false) => {
      const now = performance.now();
      if (!force && now - lastEmit < interval) return;
      lastEmit = now;
      emit({ phase: 'uploading', ...meter.sample(done), sent: done - offset, resumedFrom: offset });
    };
    progress(true);

    // `w` creates the partial file with its mode (or empties one whose prefix was not ours).
    if (offset === 0) {
      const created = await sftpCall<Buffer>(label, (cb) => sftp.open(part, 'w', { mode: options.mode ?? 0o644 }, cb));
      await sftpCall<void>(label, (cb) => sftp.close(created, cb));
    }
    check();
    // The node hashes the file as it grows, so verifying costs almost nothing after the last write.
    const hasher: StreamingHash | null = await streamingSha256(session, part).catch(() => null);
    hasher?.feed(offset);
    options.onContiguous?.(part, offset);
    let fed = offset;
    const unchangedOrRemove = () =>
      assertUnchanged(file).catch(async (changed: unknown) => {
        hasher?.abort();
        await session.run(['rm', '-f', '--', part], { purpose: 'transfer: remove the copy of a file that changed' }).catch(() => undefined);
        throw changed;
      });
    try {
      await writeStream({
        session,
        sftp,
        file,
        part,
        offset,
        blocks: readBlocks(file, offset, Math.max(4096, options.blockSize ?? 4 << 20)),
        signal: stop.signal,
        pollIntervalMs: options.pollIntervalMs ?? 200,
        onSent: (bytes) => {
          done = bytes;
          progress();
        },
        // What is on the node: the relay and the node's hasher follow it.
        onContiguous: (bytes) => {
          hasher?.feed(bytes - fed);
          fed = bytes;
          options.onContiguous?.(part, bytes);
        },
      });
    } catch (error) {
      hasher?.abort();
      // A file cut short while being read fails the read: say that it changed rather than how.
      await unchangedOrRemove();
      throw error;
    }
    // The local sum is read apart from the bytes sent: both are of one version only if the file
    // stayed as it was.
    await unchangedOrRemove();
    progress(true);

    emit({ phase: 'verifying', ...meter.sample(done), sent: done - offset, resumedFrom: offset });
    const local = await sum;
    let remote = hasher ? await hasher.result().catch(() => '') : '';
    // Only a match is trusted from the streaming hash; anything else is checked again from the file.
    if (remote !== local) remote = await remoteSha256(session, part, signal);
    if (remote !== local) {
      await session.run(['rm', '-f', '--', part], { purpose: 'transfer: remove corrupt upload' });
      throw checksumMismatch(label, remotePath, local, remote);
    }
    await runOk(session, ['mv', '-f', '--', part, remotePath], `mv ${part} ${remotePath}`, { purpose: 'transfer: move into place' });
    return {
      status: 'uploaded',
      size: file.size,
      sha256: local,
      sent: done - offset,
      resumedFrom: offset,
      durationMs: performance.now() - started,
    };
  } finally {
    signal?.removeEventListener('abort', onCancel);
    session.client.off('close', onClose);
    sftp.off('close', onClose);
    sftp.end();
    // Stops the local hash if it still runs (a failure before it finished).
    stop.abort();
  }
}
