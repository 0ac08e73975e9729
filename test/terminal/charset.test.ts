/** Streaming decode and input encoding of terminal charsets, split at every byte boundary. */
import { describe, expect, it } from 'vitest';
import { createDecoder, encodeInput } from '../../electron/core/terminal/charset';

const TEXT = 'ASCII 中文字符 Ünïcödé € — 服务器已连接 ok 😀';
/** What GBK can carry. */
const TEXT_GBK = 'ASCII 中文字符 é € — 服务器已连接 ok';

function splitEverywhere(bytes: Uint8Array, charset: 'utf-8' | 'gbk'): void {
  const text = charset === 'gbk' ? TEXT_GBK : TEXT;
  // Two cuts at every pair of positions (every boundary, and chunks of every size up to the whole).
  for (let i = 0; i <= bytes.length; i++) {
    for (let j = i; j <= bytes.length; j += 3) {
      const d = createDecoder(charset);
      const out = d.write(bytes.subarray(0, i)) + d.write(bytes.subarray(i, j)) + d.write(bytes.subarray(j)) + d.end();
      expect(out, `cut at ${i}/${j}`).toBe(text);
    }
  }
  // One byte at a time.
  const d = createDecoder(charset);
  let out = '';
  for (const b of bytes) out += d.write(Uint8Array.of(b));
  expect(out + d.end()).toBe(text);
}

describe('terminal charsets', () => {
  it('decodes UTF-8 split at every byte boundary', () => {
    splitEverywhere(new TextEncoder().encode(TEXT), 'utf-8');
    // Four-byte characters too.
    const emoji = new TextEncoder().encode('a😀b');
    const d = createDecoder('utf-8');
    expect([...emoji].map((b) => d.write(Uint8Array.of(b))).join('') + d.end()).toBe('a😀b');
  });

  it('replaces invalid and cut UTF-8 as the WHATWG decoder does, wherever the chunks are cut', () => {
    // Lead bytes, continuations, overlongs, surrogates and bytes UTF-8 never uses.
    const pool = [0x41, 0x0a, 0xe4, 0xb8, 0xad, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9, 0xbf, 0xff, 0xc0, 0xed, 0xa0, 0xf4, 0x90, 0xe0];
    let seed = 4242;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 20_000; round++) {
      const bytes = Uint8Array.from({ length: 1 + rnd(12) }, () => pool[rnd(pool.length)]!);
      const i = rnd(bytes.length + 1);
      const j = i + rnd(bytes.length - i + 1);
      const d = createDecoder('utf-8');
      const out = d.write(bytes.subarray(0, i)) + d.write(bytes.subarray(i, j)) + d.write(bytes.subarray(j)) + d.end();
      expect(out, `${[...bytes].map((b) => b.toString(16)).join(' ')} cut at ${i}/${j}`).toBe(new TextDecoder().decode(bytes));
    }
  });

  it('encodes GBK input and decodes GBK split at every byte boundary', () => {
    const gbk = encodeInput('gbk', TEXT_GBK);
    expect([...encodeInput('gbk', '中')]).toEqual([0xd6, 0xd0]);
    expect(new TextDecoder('gbk').decode(gbk)).toBe(TEXT_GBK);
    splitEverywhere(gbk, 'gbk');
  });

  it('marks characters GBK cannot carry, and an incomplete tail at the end', () => {
    expect(new TextDecoder('gbk').decode(encodeInput('gbk', 'a😀b'))).toBe('a?b');
    const d = createDecoder('utf-8');
    expect(d.write(Uint8Array.of(0xe4, 0xb8))).toBe('');
    expect(d.end()).toBe('\ufffd');
  });
});
