/**
 * Upload of one local file to one node over SFTP on a connection of its own.
 *
 * - Writes are pipelined: up to `concurrency` WRITE requests of `chunkSize` bytes are in flight,
 *   so the link is never idle waiting for an acknowledgement.
 * - The data goes to a temporary name next to the target (`.<name>.<id>.harbor-part`, the id
 *   derived from the local path, size and mtime) and is renamed over the target only after the
 *   node's sha256 of it equals the local sha256. Both are computed while the data flows: locally
 *   in a worker thread, on the node by a hasher that follows the acknowledged writes.
 * - Resume: when that partial file exists, the same prefix is hashed on both sides (`head -c N |
 *   sha256sum` on the node); if they agree the upload continues at N, otherwise it starts over.
 * - Idempotent: a target with the local file's size and sha256 is left alone ("unchanged").
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { SshError, classify } from '../ssh/errors';
import { cancelled, checksumMismatch } from './errors';
import { hashRange, localFile, sha256FileInWorker, type LocalFile } from './local';
import { RateMeter, type RateSample } from './progress';
import { isRegular, openSftp, remotePrefixSha256, remoteSha256, runOk, sftpStat, streamingSha256, type RemoteSession, type StreamingHash } from './remote';

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
  /** Bytes per WRITE request; capped by what the server accepts. Default 256 KiB. */
  readonly chunkSize?: number;
  /** WRITE requests in flight. Default 32. */
  readonly concurrency?: number;
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
  const id = createHash('sha256').update(`${file.path}\0${file.size}\0${Math.round(file.mtimeMs)}`).digest('hex').slice(0, 12);
  return posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.${id}.harbor-part`);
}

function sftpCall<T>(label: string, fn: (cb: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((error, value) => (error ? reject(classify(error, label)) : resolve(value as T))));
}

/** The largest WRITE the server takes (ssh2 learns it from limits@openssh.com). */
function maxWrite(sftp: SFTPWrapper): number {
  const v = (sftp as unknown as { _maxWriteLen?: unknown })._maxWriteLen;
  return typeof v === 'number' && v > 0 ? v : 32 * 1024;
}

export async function uploadFile(session: RemoteSession, localPath: string, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
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
  // A dropped connection must fail the pending writes even if ssh2 never calls their callbacks back.
  let dropped: ((e: Error) => void) | null = null;
  let lost = false;
  const onClose = () => {
    lost = true;
    dropped?.(new SshError('disconnected', label));
  };
  session.client.once('close', onClose);
  sftp.once('close', onClose);
  try {
    check();
    const dir = posix.dirname(remotePath);
    const [target, partial, parent] = await Promise.all([sftpStat(sftp, remotePath, label), sftpStat(sftp, part, label), sftpStat(sftp, dir, label)]);
    if (!parent) await runOk(session, ['mkdir', '-p', '--', dir], `mkdir -p ${dir}`, { purpose: 'transfer: create directory' });

    // Same size: compare hashes (both sides at once) before sending anything.
    let localSum = options.sha256;
    if (target && isRegular(target) && target.size === file.size) {
      const [mine, theirs] = await Promise.all([localSum ?? sha256FileInWorker(file.path, signal), remoteSha256(session, remotePath, signal)]);
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
      const [mine, theirs] = await Promise.all([hashRange(file.path, 0, n, undefined, signal), remotePrefixSha256(session, part, n, signal)]);
      const prefix = mine.copy().digest('hex');
      if (prefix === theirs) offset = n;
    }
    check();

    // The local sha256 of the whole file, in a worker thread while the upload runs.
    const localHash = localSum ? Promise.resolve(localSum) : sha256FileInWorker(file.path, signal);
    localHash.catch(() => undefined);
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

    const handle = await sftpCall<Buffer>(label, (cb) => sftp.open(part, offset > 0 ? 'r+' : 'w', { mode: options.mode ?? 0o644 }, cb));
    // The node hashes the file as it grows, so verifying costs almost nothing after the last write.
    const hasher: StreamingHash | null = await streamingSha256(session, part).catch(() => null);
    hasher?.feed(offset);
    options.onContiguous?.(part, offset);
    let contiguous = offset;
    let fed = offset;
    const ackedAt = new Map<number, number>();
    const acked = (at: number, len: number) => {
      ackedAt.set(at, len);
      for (let l = ackedAt.get(contiguous); l !== undefined; l = ackedAt.get(contiguous)) {
        ackedAt.delete(contiguous);
        contiguous += l;
      }
      if (contiguous - fed >= 4 << 20 || contiguous === file.size) {
        hasher?.feed(contiguous - fed);
        fed = contiguous;
        options.onContiguous?.(part, contiguous);
      }
    };
    const chunk = Math.max(4096, Math.min(options.chunkSize ?? 256 * 1024, maxWrite(sftp)));
    const concurrency = Math.max(1, options.concurrency ?? 32);
    const fh = await open(file.path, 'r');
    try {
      await new Promise<void>((resolve, reject) => {
        let inflight = 0;
        let failed: Error | null = null;
        let reading = true;
        let wake: (() => void) | null = null;
        const fail = (e: Error) => {
          if (failed) return;
          failed = e;
          reject(e);
          wake?.();
        };
        dropped = fail;
        const onAbort = () => fail(cancelled(label));
        signal?.addEventListener('abort', onAbort, { once: true });
        const finish = () => {
          if (!reading && inflight === 0 && !failed) {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          }
        };
        const slot = () => (inflight < concurrency || failed ? Promise.resolve() : new Promise<void>((r) => (wake = r)));
        // Reads 1 MiB blocks one ahead of the writes; each block is hashed in order and sent as
        // `chunk`-sized WRITEs straight from the block (no copy).
        const blockSize = Math.max(chunk, Math.floor((1 << 20) / chunk) * chunk);
        const readBlock = async (pos: number): Promise<Buffer> => {
          const len = Math.min(blockSize, file.size - pos);
          const buf = Buffer.allocUnsafe(len);
          let got = 0;
          while (got < len) {
            const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
            if (bytesRead === 0) throw new Error(`${file.path} became shorter during the upload`);
            got += bytesRead;
          }
          return buf;
        };
        const ahead = (pos: number) => {
          const p = pos < file.size ? readBlock(pos) : null;
          p?.catch(() => undefined);
          return p;
        };
        (async () => {
          let pending = ahead(offset);
          for (let pos = offset; pending && !failed; ) {
            const block = await pending;
            const at0 = pos;
            pos += block.length;
            pending = ahead(pos);
            for (let o = 0; o < block.length && !failed; o += chunk) {
              await slot();
              wake = null;
              if (failed) break;
              const len = Math.min(chunk, block.length - o);
              const at = at0 + o;
              inflight++;
              sftp.write(handle, block, o, len, at, (error) => {
                inflight--;
                if (error) return fail(classify(error, label));
                done += len;
                acked(at, len);
                progress();
                if (wake && inflight < concurrency) wake();
                finish();
              });
            }
          }
          reading = false;
          finish();
        })().catch((e: unknown) => fail(e as Error));
      });
    } catch (error) {
      hasher?.abort();
      throw error;
    } finally {
      dropped = null;
      await fh.close();
      // On a lost connection ssh2 may never answer: do not wait for it.
      if (!lost) await sftpCall<void>(label, (cb) => sftp.close(handle, cb)).catch(() => undefined);
    }
    progress(true);

    const sum = await localHash;
    emit({ phase: 'verifying', ...meter.sample(done), sent: done - offset, resumedFrom: offset });
    let remote = hasher ? await hasher.result().catch(() => '') : '';
    // Only a match is trusted from the streaming hash; anything else is checked again from the file.
    if (remote !== sum) remote = await remoteSha256(session, part, signal);
    if (remote !== sum) {
      await session.run(['rm', '-f', '--', part], { purpose: 'transfer: remove corrupt upload' });
      throw checksumMismatch(label, remotePath, sum, remote);
    }
    await runOk(session, ['mv', '-f', '--', part, remotePath], `mv ${part} ${remotePath}`, { purpose: 'transfer: move into place' });
    return { status: 'uploaded', size: file.size, sha256: sum, sent: done - offset, resumedFrom: offset, durationMs: performance.now() - started };
  } finally {
    session.client.off('close', onClose);
    sftp.off('close', onClose);
    sftp.end();
  }
}
