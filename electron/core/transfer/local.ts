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
