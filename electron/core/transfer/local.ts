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
        : {
            en: `${path} cannot be read (${code ?? 'error'}). Check its permissions.`,
            'zh-CN': `无法读取 ${path}（${code ?? '错误'}）。请检查其权限。`,
          };
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

/**
 * Fails (`invalid_input` on `field`) when the file's size or modification time is no longer what
 * `file` recorded: it was written to while being read, so what was sent may be neither version.
 */
export async function assertUnchanged(file: LocalFile, field = 'localPath'): Promise<void> {
  const s = await stat(file.path).catch(() => null);
  if (s && s.size === file.size && s.mtimeMs === file.mtimeMs) return;
  const why = {
    en: `${file.path} changed while it was being uploaded, so the copy on the node was removed. Upload it again once the file is complete.`,
    'zh-CN': `${file.path} 在上传过程中被修改，节点上的副本已删除。请在文件写完后重新上传。`,
  };
  throw new ApiError({ code: 'invalid_input', message: why, issues: [{ path: field, message: why }] });
}

/** Feeds bytes [start, end) of a file into `hash` (a new sha256 by default) and returns it undigested. */
export async function hashRange(
  path: string,
  start: number,
  end: number,
  hash: Hash = createHash('sha256'),
  signal?: AbortSignal,
): Promise<Hash> {
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
    // The upload aborts with an Error saying why (cancelled, disconnected): that is the rejection.
    worker.once('exit', () =>
      reject(signal?.aborted ? ((signal.reason as Error | undefined) ?? new Error('aborted')) : new Error(`${path}: hash worker stopped`)),
    );
  });
}

/** One block of the file as a writer sends it: `position` is its offset in the file. */
export interface FileBlock {
  readonly data: Buffer;
  readonly position: number;
  /**
   * The block's memory is reused for a later block once every promise given here has settled:
   * a writer holds it until ssh2 no longer reads from it.
   */
  readonly hold: (until: Promise<unknown>) => void;
}

/**
 * The file from `offset` on, in blocks of `blockSize`, read into a ring of three buffers (one
 * read ahead) that are reused rather than allocated per block: every byte sent is also copied
 * once more by ssh2 into its own packets, and fresh memory for both kept the garbage collector
 * busy for a third of the upload's CPU time.
 */
export async function* readBlocks(file: LocalFile, offset: number, blockSize: number): AsyncGenerator<FileBlock> {
  if (offset >= file.size) return;
  const fh = await open(file.path, 'r');
  try {
    const ring = [0, 1, 2].map(() => Buffer.allocUnsafeSlow(Math.min(blockSize, file.size - offset)));
    const held: Promise<unknown>[][] = ring.map(() => []);
    const readInto = async (slot: number, pos: number): Promise<number> => {
      // A failed write surfaces through the writer, not here.
      await Promise.allSettled(held[slot]!);
      held[slot] = [];
      const buf = ring[slot]!;
      const len = Math.min(buf.length, file.size - pos);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
        if (bytesRead === 0) throw new Error(`${file.path} became shorter during the upload`);
        got += bytesRead;
      }
      return len;
    };
    let next: Promise<number> | null = readInto(0, offset);
    for (let k = 0, pos = offset; next; k++) {
      const len = await next;
      const slot = k % ring.length;
      const position = pos;
      pos += len;
      next = pos < file.size ? readInto((k + 1) % ring.length, pos) : null;
      next?.catch(() => undefined);
      yield { data: ring[slot]!.subarray(0, len), position, hold: (until) => void held[slot]!.push(until) };
    }
  } finally {
    // Waits for a read ahead still running.
    await fh.close();
  }
}
