/** Following the terminal's folder: the prompt hook in a real bash, OSC 7 parsing, and the editor's line diff. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOsc7, PROMPT_HOOK } from '../../renderer/pages/terminals/cwd';
import { changes, lineDiff } from '../../renderer/pages/terminals/line-diff';

const dir = mkdtempSync(join(tmpdir(), 'cwd test '));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What an interactive bash writes (prompts and PROMPT_COMMAND's output go to stderr) for these typed lines. */
function bash(lines: readonly string[]): string {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-i'], {
    input: lines.map((l) => l.replace(/\r$/, '')).join('\n') + '\nexit\n',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, PS1: '$ ', HOSTNAME: 'node-1' },
  });
  return r.stdout + r.stderr;
}

// eslint-disable-next-line no-control-regex -- OSC 7 is ESC ] 7 ; … ended by ESC \ or BEL
const reports = (out: string) => [...out.matchAll(/\x1b\]7;([^\x1b\x07]*)(?:\x1b\\|\x07)/g)].map((m) => m[1]!);

describe('the prompt hook', () => {
  it('makes bash report its folder at every prompt, after a cd too, names with spaces included', () => {
    const out = bash([PROMPT_HOOK, `cd ${JSON.stringify(dir)}`, 'cd /tmp']);
    const seen = reports(out).map(parseOsc7);
    expect(seen).toContain(dir);
    expect(seen.at(-1)).toBe('/tmp');
  });

  it('installs once: a second install does not report twice per prompt', () => {
    const out = bash([PROMPT_HOOK, PROMPT_HOOK, 'cd /', 'echo "[$PROMPT_COMMAND]"']);
    expect(out).toContain('[__hhd_cwd]');
  });

  it('keeps a PROMPT_COMMAND the shell had', () => {
    const out = bash(['PROMPT_COMMAND="echo MINE"', PROMPT_HOOK, 'echo "[$PROMPT_COMMAND]"']);
    expect(out).toContain('[__hhd_cwd;echo MINE]');
  });
});

describe('parseOsc7', () => {
  it('reads file URLs with or without a host, percent-encoded or raw', () => {
    expect(parseOsc7('file://node-1/opt/harbor')).toBe('/opt/harbor');
    expect(parseOsc7('file:///opt/my%20dir')).toBe('/opt/my dir');
    expect(parseOsc7('file://h/100%')).toBe('/100%');
    expect(parseOsc7('http://h/x')).toBeNull();
    expect(parseOsc7('file://h/a%0Ab')).toBeNull();
  });
});

describe('lineDiff', () => {
  it('marks the changed lines and keeps the rest', () => {
    const d = lineDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n');
    expect(d.filter((l) => l.op !== 'same')).toEqual([
      { op: 'removed', text: 'b' },
      { op: 'added', text: 'B' },
      { op: 'added', text: 'e' },
    ]);
    expect(changes(lineDiff('x\n', 'x\n'))).toBe(false);
  });

  it('gives a diff whose kept and added lines are the new text, and kept and removed lines the old', () => {
    const before = Array.from({ length: 300 }, (_, i) => `line ${i % 17}`).join('\n');
    const after = before.replace(/line 3\n/g, 'line three\n').replace(/line 9\n/, '');
    const d = lineDiff(before, after);
    expect(
      d
        .filter((l) => l.op !== 'added')
        .map((l) => l.text)
        .join('\n'),
    ).toBe(before);
    expect(
      d
        .filter((l) => l.op !== 'removed')
        .map((l) => l.text)
        .join('\n'),
    ).toBe(after);
  });
});
