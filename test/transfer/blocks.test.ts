/** The blocks an upload reads from the local file: in order, and never overwritten while a writer holds one. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localFile, readBlocks } from '../../electron/core/transfer/local';

const dir = mkdtempSync(join(tmpdir(), 'blocks-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fileOf(data: Buffer) {
  const path = join(dir, `f-${data.length}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, data);
  return localFile(path);
}

describe('readBlocks', () => {
  it('yields the file from the offset on, in order, block by block', async () => {
    const data = randomBytes(10 * 4096 + 123);
    const file = await fileOf(data);
    const seen: Buffer[] = [];
    let expected = 5000;
    for await (const b of readBlocks(file, 5000, 4096)) {
      expect(b.position).toBe(expected);
      expected += b.data.length;
      seen.push(Buffer.from(b.data)); // the memory is reused: keep a copy
    }
    expect(Buffer.concat(seen).equals(data.subarray(5000))).toBe(true);
  });

  it('yields nothing from the end of the file on', async () => {
    const file = await fileOf(randomBytes(4096));
    const got: unknown[] = [];
    for await (const b of readBlocks(file, 4096, 1024)) got.push(b);
    expect(got).toEqual([]);
  });

  it('does not read a later block into memory a writer still holds', async () => {
    const data = randomBytes(8 * 4096);
    const file = await fileOf(data);
    const blocks = readBlocks(file, 0, 4096)[Symbol.asyncIterator]();
    const first = (await blocks.next()).value!;
    let release!: () => void;
    first.hold(new Promise<void>((r) => (release = r)));
    const before = Buffer.from(first.data);
    await blocks.next();
    await blocks.next();
    // Three buffers in the ring: block 3 goes where block 0 is, and must wait for its release.
    const fourth = blocks.next();
    const state = await Promise.race([fourth.then(() => 'read'), new Promise((r) => setTimeout(() => r('waiting'), 200))]);
    expect(state).toBe('waiting');
    expect(first.data.equals(before)).toBe(true);
    release();
    const b3 = (await fourth).value!;
    expect(b3.position).toBe(3 * 4096);
    expect(b3.data.equals(data.subarray(3 * 4096, 4 * 4096))).toBe(true);
    // The same memory, now holding block 3.
    expect(first.data.equals(data.subarray(3 * 4096, 4 * 4096))).toBe(true);
    await blocks.return?.(undefined);
  });
});
