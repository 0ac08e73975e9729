/**
 * A backup archive read back while it is being written: a worker thread follows the file on disk, opens every sealed
 * chunk with the payload key the passphrase gives for the header on disk, and hashes the plaintext; when the writer
 * ends, that hash must be the one of the tar it encrypted. So the file that stays is proven to open with the passphrase,
 * whole, into exactly the tar whose members the manifest hashed (age authenticates each 64 KiB chunk and its place, and
 * marks the last one) — the guarantee of decrypting it again afterwards, at no cost in time: on a second core, beside
 * the writer, where reading it after the fact took a third of the backup's archive step.
 *
 * A full read of an archive with its manifest (every member's sha256, tar's structure) stays `verifyArchive`'s, for
 * archives the app did not just write.
 */
import { Worker } from 'node:worker_threads';
import { AgeError } from './age';

/** What the read-back found: the plaintext's sha256 and size. */
export interface ReadBack {
  readonly sha256: string;
  readonly bytes: number;
}

/** age's payload chunk as stored: 64 KiB of ciphertext and its 16-byte tag (the last one may be shorter). */
const SEALED_CHUNK = 64 * 1024 + 16;

/**
 * The worker: plain CommonJS evaluated from this string, so it needs no file of its own in any bundle. It reads the
 * payload from `start` up to what the writer says is on disk, a chunk only once bytes after it exist (the last chunk
 * carries its own flag), and the rest when told where the file ends.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createDecipheriv, createHash } = require('node:crypto');
const { file, key, start, sealedChunk } = workerData;
const TAG = 16;
const fd = openSync(file, 'r');
const buf = Buffer.allocUnsafe(16 * sealedChunk);
const hash = createHash('sha256');
let pos = start, available = start, end = null, counter = 0, bytes = 0, failed = false;
function nonce(last) {
  const n = Buffer.alloc(12);
  n.writeUIntBE(counter, 5, 6);
  n[11] = last ? 1 : 0;
  return n;
}
function open(sealed, last) {
  if (sealed.length < TAG) throw new Error('the file was cut before its last chunk');
  const d = createDecipheriv('chacha20-poly1305', key, nonce(last), { authTagLength: TAG });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  let plain;
  try {
    plain = d.update(sealed.subarray(0, sealed.length - TAG));
    d.final();
  } catch {
    throw new Error('chunk ' + counter + ' fails its integrity check' + (last ? ' (or the file was cut)' : ''));
  }
  if (last && plain.length === 0 && counter > 0) throw new Error('the file ends with an empty chunk');
  hash.update(plain);
  bytes += plain.length;
  counter++;
}
function pump() {
  for (;;) {
    // Chunks known not to be the last: a byte after them is on disk (or the file's end is known to lie beyond them).
    const limit = end === null ? available - 1 : end - 1;
    const whole = Math.max(0, Math.floor((limit - pos) / sealedChunk));
    if (whole === 0) break;
    const n = Math.min(whole, 16);
    const got = readSync(fd, buf, 0, n * sealedChunk, pos);
    if (got !== n * sealedChunk) throw new Error('the file is shorter than written (changed while being written?)');
    for (let i = 0; i < n; i++) open(buf.subarray(i * sealedChunk, (i + 1) * sealedChunk), false);
    pos += n * sealedChunk;
  }
  if (end === null) return;
  const rest = end - pos;
  const got = readSync(fd, buf, 0, rest, pos);
  if (got !== rest) throw new Error('the file is shorter than written (changed while being written?)');
  open(buf.subarray(0, rest), true);
  closeSync(fd);
  parentPort.postMessage({ sha256: hash.digest('hex'), bytes });
}
parentPort.on('message', (m) => {
  if (failed) return;
  try {
    if (m.end !== undefined) end = m.end;
    else available = Math.max(available, m.upTo);
    pump();
  } catch (e) {
    failed = true;
    parentPort.postMessage({ error: e.message });
  }
});
`;

/** Follows an age file being written; `onDisk` as bytes land, `end` once, then `result` says what it read. */
export class ArchiveReadBack {
  readonly #worker: Worker;
  readonly result: Promise<ReadBack>;

  /** `payloadKey` and `start` (where the payload's first chunk begins) come from the header on disk. */
  constructor(file: string, payloadKey: Buffer, start: number) {
    this.#worker = new Worker(WORKER, { eval: true, workerData: { file, key: payloadKey, start, sealedChunk: SEALED_CHUNK } });
    this.result = new Promise<ReadBack>((resolve, reject) => {
      this.#worker.once('message', (m: { sha256?: string; bytes?: number; error?: string }) => {
        void this.#worker.terminate();
        if (m.sha256 !== undefined && m.bytes !== undefined) resolve({ sha256: m.sha256, bytes: m.bytes });
        else reject(new AgeError('damaged', m.error ?? 'the read-back stopped'));
      });
      this.#worker.once('error', reject);
      this.#worker.once('exit', () => reject(new AgeError('damaged', 'the read-back stopped before the end of the file')));
    });
    // Whoever waits for the result sees its failure; a writer that failed first never asks.
    this.result.catch(() => undefined);
  }

  /** The file holds at least `bytes` bytes written by now. */
  onDisk(bytes: number): void {
    this.#worker.postMessage({ upTo: bytes });
  }

  /** The file is complete: `bytes` long. */
  end(bytes: number): void {
    this.#worker.postMessage({ end: bytes });
  }

  /** Stops reading (the writer failed or was cancelled). */
  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}
