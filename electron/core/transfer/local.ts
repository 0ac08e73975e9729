/** The local side: what an upload may read, and sha256 of a file or of a range of it. */
import { createHash, type Hash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { ApiError } from '../../../shared/errors';

export interface LocalFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The file an upload sends: it must exist and be a regular file (not a directory, device or
 * socket). Otherwise an `invalid_input` error on `field` saying what to choose instead.
 */
export async function localFile(path: string, field = 'localPath'): Promise<LocalFile> {
  let s;
  try {
    s = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? { en: `${path} does not exist. Choose an existing file.`, 'zh-CN': `${path} 不存在。请选择一个存在的文件。` }
        : { en: `${path} cannot be read (${code ?? 'error'}). Check its permissions.`, 'zh-CN': `无法读取 ${path}（${code ?? '错误'}）。请检查其权限。` };
    throw new ApiError({ code: 'invalid_input', message: why, issues: [{ path: field, message: why }] });
  }
  if (!s.isFile()) {
    const why = {
      en: `${path} is not a regular file${s.isDirectory() ? ' (it is a directory)' : ''}. Choose a file; to send a directory, pack it into an archive first.`,
      'zh-CN': `${path} 不是普通文件${s.isDirectory() ? '（它是目录）' : ''}。请选择文件；如需发送目录，请先打包成归档文件。`,
    };
    throw new ApiError({ code: 'invalid_input', message: why, issues: [{ path: field, message: why }] });
  }
  return { path, size: s.size, mtimeMs: s.mtimeMs };
}

/** Feeds bytes [start, end) of a file into `hash` (a new sha256 by default) and returns it undigested. */
export async function hashRange(path: string, start: number, end: number, hash: Hash = createHash('sha256'), signal?: AbortSignal): Promise<Hash> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let pos = start;
    while (pos < end) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) throw new Error(`${path} is shorter than expected (changed during the transfer?)`);
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
    return hash;
  } finally {
    await fh.close();
  }
}

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const s = await stat(path);
  return (await hashRange(path, 0, s.size, undefined, signal)).digest('hex');
}

/** The worker's code: plain CommonJS, evaluated, so it needs no file of its own in any bundle. */
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createReadStream } = require('node:fs');
const { createHash } = require('node:crypto');
const h = createHash('sha256');
createReadStream(workerData.path, { highWaterMark: 1 << 20 })
  .on('data', (d) => h.update(d))
  .on('end', () => parentPort.postMessage({ sha256: h.digest('hex') }))
  .on('error', (e) => parentPort.postMessage({ error: e.message }));
`;

/** sha256 of a whole file computed in a worker thread, so the upload loop keeps the main thread. */
export async function sha256FileInWorker(path: string, signal?: AbortSignal): Promise<string> {
  const { Worker } = await import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASH_WORKER, { eval: true, workerData: { path } });
    const abort = () => void worker.terminate();
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (m: { sha256?: string; error?: string }) => {
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
      if (m.sha256) resolve(m.sha256);
      else reject(new Error(`${path}: ${m.error ?? 'hash failed'}`));
    });
    worker.once('error', (e) => {
      signal?.removeEventListener('abort', abort);
      reject(e);
    });
    worker.once('exit', () => reject(signal?.aborted ? (signal.reason ?? new Error('aborted')) : new Error(`${path}: hash worker stopped`)));
  });
}

/** A buffer over shared memory: a worker reads it without a copy. */
export function sharedBlock(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}

/**
 * sha256 of a file hashed in a worker thread from the blocks the upload reads anyway, so the
 * file is read once and the main thread never hashes. The worker first hashes the first
 * `prefix` bytes from the file itself (a resumed upload does not read them), then each block
 * in the order given. `update` resolves once the worker is done with the block.
 */
export interface BlockHasher {
  update(block: Buffer, length: number): Promise<void>;
  digest(): Promise<string>;
  close(): void;
}

const BLOCK_HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const h = createHash('sha256');
try {
  if (workerData.prefix > 0) {
    const fd = openSync(workerData.path, 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; pos < workerData.prefix; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, workerData.prefix - pos), pos);
      if (n === 0) throw new Error('the file is shorter than expected');
      h.update(buf.subarray(0, n));
      pos += n;
    }
    closeSync(fd);
  }
} catch (e) {
  parentPort.postMessage({ error: e.message });
}
parentPort.on('message', (m) => {
  if (m.block) {
    h.update(Buffer.from(m.block, 0, m.length));
    parentPort.postMessage({ done: m.id });
  } else parentPort.postMessage({ sha256: h.digest('hex') });
});
`;

export async function blockHasher(path: string, prefix: number): Promise<BlockHasher> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(BLOCK_HASH_WORKER, { eval: true, workerData: { path, prefix } });
  const waiting = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  let nextId = 0;
  const DIGEST = -1;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on('message', (m: { done?: number; sha256?: string; error?: string }) => {
    if (m.error !== undefined) return failAll(new Error(`${path}: ${m.error}`));
    const id = m.sha256 !== undefined ? DIGEST : m.done!;
    const w = waiting.get(id);
    waiting.delete(id);
    w?.resolve((m.sha256 ?? undefined) as never);
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error(`${path}: hash worker stopped`)));
  const ask = <T>(id: number, message: object): Promise<T> =>
    failure
      ? Promise.reject(failure)
      : new Promise<T>((resolve, reject) => {
          waiting.set(id, { resolve: resolve as (v: never) => void, reject });
          worker.postMessage(message);
        });
  return {
    update: (block, length) => {
      const sab = block.buffer;
      if (!(sab instanceof SharedArrayBuffer) || block.byteOffset !== 0) throw new Error('blockHasher needs a block from sharedBlock()');
      const id = nextId++;
      return ask<void>(id, { id, block: sab, length });
    },
    digest: () => ask<string>(DIGEST, { digest: true }),
    close: () => void worker.terminate(),
  };
}
