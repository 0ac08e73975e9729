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
