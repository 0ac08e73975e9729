import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../shared/diff';

/** Applies our unified diff with GNU patch: the real check that it is correct. */
function patchApplies(before: string, after: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'diff-'));
  writeFileSync(join(dir, 'f'), before);
  writeFileSync(join(dir, 'p'), unifiedDiff(before, after, '/f'));
  const r = spawnSync('patch', ['-s', '-p1', '-d', dir, '-i', join(dir, 'p')], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  return readFileSync(join(dir, 'f'), 'utf8') === after;
}

describe('diff', () => {
  it('finds the shortest script', () => {
    const d = diffLines(['a', 'b', 'c'], ['a', 'x', 'c']);
    expect(d.map((l) => l.kind + l.text)).toEqual([' a', '-b', '+x', ' c']);
    expect(diffLines([], ['a']).map((l) => l.kind)).toEqual(['+']);
    expect(diffLines(['a'], []).map((l) => l.kind)).toEqual(['-']);
  });

  it('is empty for equal texts and marks new files', () => {
    expect(unifiedDiff('a\n', 'a\n', '/x')).toBe('');
    expect(unifiedDiff(null, 'a\nb\n', '/etc/x')).toBe('--- /dev/null\n+++ b/etc/x\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });

  it('produces diffs GNU patch applies, on random edits', () => {
    const hasPatch = spawnSync('patch', ['--version']).status === 0;
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 60; round++) {
      const a = Array.from({ length: Math.floor(rnd() * 40) }, () => `line ${Math.floor(rnd() * 10)}`);
      const b = a.filter(() => rnd() > 0.2).flatMap((l) => (rnd() > 0.85 ? [l, `new ${Math.floor(rnd() * 100)}`] : [l]));
      const before = a.length ? `${a.join('\n')}\n` : '';
      const after = b.length ? `${b.join('\n')}\n` : '';
      const script = diffLines(a, b);
      expect(script.filter((l) => l.kind !== '+').map((l) => l.text)).toEqual(a);
      expect(script.filter((l) => l.kind !== '-').map((l) => l.text)).toEqual(b);
      if (hasPatch && before !== after && before !== '') expect(patchApplies(before, after)).toBe(true);
    }
  });
});
