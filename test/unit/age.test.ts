/**
 * The app's age (electron/core/maintenance/age.ts) against two other implementations: what it writes, Debian's `age`
 * and the age-encryption package decrypt; what they write, it decrypts. Empty, exact-chunk and multi-chunk payloads
 * (the last-chunk rule is where implementations differ), a wrong passphrase, a changed byte and a cut file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Decrypter, Encrypter } from 'age-encryption';
import { afterAll, describe, expect, it } from 'vitest';
import { AgeError, decrypted, encrypter } from '../../electron/core/maintenance/age';

const dir = mkdtempSync(join(tmpdir(), 'age-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PASS = 'a passphrase for the age tests';
// A low work factor keeps the test quick; the format and code paths are the same as at 2^18.
const LOG_N = 10;

function bytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + (i >> 9)) & 0xff;
  return b;
}

/** `plain` cut into pieces of the given sizes in turn (the last piece takes what is left). */
function pieces(plain: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < plain.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, plain.length - at);
    out.push(plain.subarray(at, at + n));
    at += n;
  }
  return out;
}

async function ours(plain: Buffer, file: string, sizes: readonly number[] = [1000, plain.length]): Promise<void> {
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from(pieces(plain, sizes)),
    await encrypter(PASS, LOG_N),
    new Writable({
      write(c: Buffer, _e, done) {
        chunks.push(c);
        done();
      },
    }),
  );
  writeFileSync(file, Buffer.concat(chunks));
}

async function read(file: string, pass = PASS): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of await decrypted(file, pass)) out.push(c as Buffer);
  return Buffer.concat(out);
}

/** Debian's age reads a passphrase only from a terminal: `script` gives it one. */
function debianDecrypt(file: string): Buffer | null {
  const out = `${file}.out`;
  const r = spawnSync('script', ['-qec', `age -d -o '${out}' '${file}'`, '/dev/null'], { input: `${PASS}\n` });
  // age writes its output lazily: an empty plaintext leaves no file
  return r.status === 0 ? (existsSync(out) ? readFileSync(out) : Buffer.alloc(0)) : null;
}

const SIZES = [0, 1, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024, 200_000];

describe('age (the app’s)', () => {
  for (const size of SIZES)
    it(`writes ${size} bytes that Debian's age and the age-encryption package decrypt`, async () => {
      const plain = bytes(size);
      const file = join(dir, `ours-${size}.age`);
      await ours(plain, file);
      expect(debianDecrypt(file)?.equals(plain)).toBe(true);
      const d = new Decrypter();
      d.addPassphrase(PASS);
      expect(Buffer.from(await d.decrypt(readFileSync(file))).equals(plain)).toBe(true);
      expect((await read(file)).equals(plain)).toBe(true);
    });

  it('writes the same payload whatever pieces it arrives in (SSH packets, tar headers, more than a chunk at once)', async () => {
    const d = new Decrypter();
    d.addPassphrase(PASS);
    // Pieces below, at and above a chunk, so chunks are gathered across pieces and read in place inside large ones; a
    // payload ending inside a chunk and one ending on a chunk's boundary (its last chunk is full, never empty).
    const cases = [[1], [512, 32 * 1024, 7], [64 * 1024], [64 * 1024 + 1, 3], [200_000], [64 * 1024 - 1, 64 * 1024 + 2]].flatMap((sizes) =>
      [5 * 64 * 1024 + 3, 4 * 64 * 1024].map((length) => ({ sizes, plain: bytes(length) })),
    );
    for (const { sizes, plain } of cases) {
      const file = join(dir, `pieces-${plain.length}-${sizes.join('-')}.age`);
      await ours(plain, file, sizes);
      // Debian's age and ours refuse a payload ending in an empty chunk after full ones; the package accepts it.
      expect(debianDecrypt(file)?.equals(plain), `pieces of ${sizes.join(', ')}`).toBe(true);
      expect(Buffer.from(await d.decrypt(readFileSync(file))).equals(plain)).toBe(true);
    }
  });

  for (const size of [0, 64 * 1024, 200_000])
    it(`reads ${size} bytes the age-encryption package wrote`, async () => {
      const plain = bytes(size);
      const e = new Encrypter();
      e.setPassphrase(PASS);
      e.setScryptWorkFactor(LOG_N);
      const file = join(dir, `theirs-${size}.age`);
      writeFileSync(file, await e.encrypt(plain));
      expect((await read(file)).equals(plain)).toBe(true);
    });

  it('refuses a wrong passphrase before reading, and a changed byte or a cut file while reading', async () => {
    const plain = bytes(3 * 64 * 1024 + 5);
    const file = join(dir, 'refusals.age');
    await ours(plain, file);
    const wrong = await decrypted(file, 'not the passphrase').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AgeError);
    expect((wrong as AgeError).kind).toBe('passphrase');

    const changed = readFileSync(file);
    changed[changed.length - 70_000]! ^= 1;
    writeFileSync(join(dir, 'changed.age'), changed);
    expect(((await read(join(dir, 'changed.age')).catch((e: unknown) => e)) as AgeError).kind).toBe('damaged');

    // cut exactly at a chunk boundary: every chunk left is whole, but none carries the last-chunk flag
    writeFileSync(join(dir, 'cut.age'), readFileSync(file));
    const headerAndNonce = readFileSync(file).indexOf('\n', readFileSync(file).indexOf('\n---') + 1) + 1 + 16;
    truncateSync(join(dir, 'cut.age'), headerAndNonce + 2 * (64 * 1024 + 16));
    expect(((await read(join(dir, 'cut.age')).catch((e: unknown) => e)) as AgeError).kind).toBe('damaged');

    writeFileSync(join(dir, 'not-age.age'), 'hello\n');
    expect(((await decrypted(join(dir, 'not-age.age'), PASS).catch((e: unknown) => e)) as AgeError).kind).toBe('header');
  });
});
