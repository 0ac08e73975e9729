/**
 * Download of one file from a node into a local folder, on a connection of its own.
 *
 * - The bytes come as a plain stream from `cat` (or `dd` from an offset) on an exec channel (the mirror of transfer/write-stream.ts:
 *   one copy per byte in ssh2, no per-request round trips), into a partial file beside the target
 *   (`.<name>.harbor-part`), hashed as they land.
 * - The node hashes its file at the same time (`remoteSha256`, reading from its page cache); the partial file is
 *   renamed onto the target only when both sums agree.
 * - Resume: a partial file of n bytes is kept when its sha256 equals that of the node's first n bytes; the download
 *   continues at n. Otherwise it starts over.
 * - A target that exists already is left alone: reported `unchanged` when it is the same file, refused otherwise.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat, truncate } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { L } from '../../../shared/i18n/localized';
import { classify } from '../ssh/errors';
import { commandLine } from '../ssh/quote';
import { cancelled, checksumMismatch, remoteCommandFailed } from '../transfer/errors';
import { hashRange, sha256File } from '../transfer/local';
import { remotePrefixSha256, remoteSha256, type RemoteSession } from '../transfer/remote';
import { refusal } from './remote-sftp';

export interface DownloadOptions {
  readonly signal?: AbortSignal;
  /** Bytes of the file in the partial file so far (the resumed prefix included); called as they land. */
  readonly onBytes?: (bytes: number) => void;
}

export interface DownloadResult {
  readonly status: 'downloaded' | 'unchanged';
  readonly size: number;
  readonly resumedFrom: number;
  readonly sha256: string;
}

/** Where a download of `target` keeps its bytes until they are verified: hidden, beside it, found again by the next try. */
export function partialOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.harbor-part`);
}

const sizeOf = (path: string) =>
  stat(path).then(
    (s) => (s.isFile() ? s.size : -1),
    () => null,
  );

export async function downloadFile(
  session: RemoteSession,
  remotePath: string,
  size: number,
  target: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const { signal } = options;
  const label = session.label;
  const check = () => {
    if (signal?.aborted) throw cancelled(label);
  };
  const existing = await sizeOf(target);
  if (existing !== null) {
    if (existing === size) {
      const [mine, theirs] = await Promise.all([sha256File(target, signal), remoteSha256(session, remotePath, signal)]);
      if (mine === theirs) return { status: 'unchanged', size, resumedFrom: 0, sha256: mine };
    }
    throw refusal(
      'exists',
      label,
      L(`${target} already exists on this computer and differs; move it away first.`, `本机已存在不同的 ${target}，请先将其移走。`),
    );
  }
  const part = partialOf(target);
  let hash = createHash('sha256');
  let offset = 0;
  const partial = await sizeOf(part);
  if (partial !== null && partial > 0 && partial <= size) {
    const [prefix, theirs] = await Promise.all([
      hashRange(part, 0, partial, undefined, signal),
      remotePrefixSha256(session, remotePath, partial, signal),
    ]);
    if (prefix.copy().digest('hex') === theirs) {
      offset = partial;
      hash = prefix;
    }
  }
  if (offset === 0 && partial !== null && partial > 0) await truncate(part, 0);
  check();
  options.onBytes?.(offset);

  // The node's sum, computed while the bytes travel.
  const theirs = remoteSha256(session, remotePath, signal);
  theirs.catch(() => undefined);
  const done = await receive(session, remotePath, part, offset, hash, options);
  if (done !== size) {
    throw remoteCommandFailed(label, `reading ${remotePath}`, null, `got ${done} of ${size} bytes (the file changed on the node?)`);
  }
  const mine = hash.digest('hex');
  const remote = await theirs;
  if (mine !== remote) {
    await rm(part, { force: true });
    throw checksumMismatch(label, remotePath, remote, mine);
  }
  await rename(part, target);
  return { status: 'downloaded', size, resumedFrom: offset, sha256: mine };
}

/** Streams the node's file from `offset` on into the partial file; resolves with the partial file's size. */
function receive(
  session: RemoteSession,
  remotePath: string,
  part: string,
  offset: number,
  hash: ReturnType<typeof createHash>,
  options: DownloadOptions,
): Promise<number> {
  const label = session.label;
  // cat from the start; dd from an offset (tail -c +N writes in 8 KiB pieces: 2.5× slower through a pipe).
  const argv =
    offset === 0 ? ['cat', '--', remotePath] : ['dd', `if=${remotePath}`, 'bs=1M', `skip=${offset}`, 'iflag=skip_bytes', 'status=none'];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const out = createWriteStream(part, { flags: 'a' });
    let bytes = offset;
    let code: number | null = null;
    let stderr = '';
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      // What arrived stays in the partial file, for the next download to resume after.
      out.once('close', () => reject(e));
      if (out.errored) out.destroy();
      else out.end();
    };
    const onAbort = () => fail(cancelled(label));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    session.client.exec(commandLine(argv), (error, channel) => {
      if (error) return fail(classify(error, label));
      options.signal?.addEventListener('abort', () => channel.close(), { once: true });
      channel.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
      channel.on('exit', (c: number | null) => (code = c));
      channel.on('data', (d: Buffer) => {
        if (failed) return;
        hash.update(d);
        bytes += d.length;
        if (!out.write(d)) {
          channel.pause();
          out.once('drain', () => channel.resume());
        }
        // After the write: a cancel from the listener still keeps these bytes.
        options.onBytes?.(bytes);
      });
      channel.on('close', () => {
        options.signal?.removeEventListener('abort', onAbort);
        session.record?.(argv, code, performance.now() - started, 'files: download');
        if (failed) return;
        if (code !== 0) return fail(remoteCommandFailed(label, `reading ${remotePath}`, code, stderr));
        out.end(() => resolve(bytes));
      });
    });
    out.on('error', (e) => {
      failed = true;
      reject(e);
    });
  });
}
