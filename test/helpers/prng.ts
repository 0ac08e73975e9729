/** A small deterministic pseudo-random generator (mulberry32), so a seed replays a storm or a corpus. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    bytes(n: number, from = 0, to = 256): Buffer {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = from + Math.floor(next() * (to - from));
      return b;
    },
  };
}
