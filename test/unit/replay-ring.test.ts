/** The terminal's replay ring against the obvious model: the last N code units of everything pushed. */
import { describe, expect, it } from 'vitest';
import { ReplayRing } from '../../electron/core/terminal/replay';

describe('ReplayRing', () => {
  it('holds exactly the last capacity code units across wrap-arounds, long pushes and empty ones', () => {
    const ring = new ReplayRing(1000);
    let all = '';
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 500; i++) {
      const len = [0, 1, 7, 999, 1000, 1001, 2500][rnd(7)]! + rnd(3);
      const text = Array.from({ length: len }, () => String.fromCharCode(0x20 + rnd(0x5e))).join('');
      ring.push(text);
      all += text;
      expect(ring.length).toBe(Math.min(all.length, 1000));
      expect(ring.text()).toBe(all.slice(-1000));
    }
  });

  it('keeps non-ASCII text and drops a surrogate half cut off at the start', () => {
    const ring = new ReplayRing(5);
    ring.push('中文');
    expect(ring.text()).toBe('中文');
    ring.push('a😀b'); // 4 code units: the ring keeps 文 a 😀 b
    expect(ring.text()).toBe('文a😀b');
    ring.push('c'); // the oldest unit now is 'a'
    expect(ring.text()).toBe('a😀bc');
    ring.push('d'); // 😀 is the oldest, whole
    expect(ring.text()).toBe('😀bcd');
    ring.push('e'); // its high half falls out: the low half is not shown alone
    expect(ring.text()).toBe('bcde');
  });
});
