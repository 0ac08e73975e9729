/**
 * ESLint over the real tree (so `npm test` fails on a finding), and over planted code to show the rules are live; and
 * Prettier's check over the tree (a file not formatted as .prettierrc.json says fails the suite, naming the file).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without types
import { ensureLintTools, formatFinding, lint } from '../../build/lint.mjs';

interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}
const runLint = lint as (options?: { root?: string; targets?: string[] }) => Finding[];
const format = formatFinding as (f: Finding) => string;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const planted: string[] = [];

/** A tree with build/lint's real config and the given files, sharing the real node_modules (types, tools). */
function plantTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lint-'));
  planted.push(dir);
  mkdirSync(join(dir, 'build', 'lint'), { recursive: true });
  for (const f of ['tsconfig.base.json', 'build/lint/eslint.config.mjs', 'build/lint/tsconfig.json'])
    copyFileSync(join(root, f), join(dir, f));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(root, 'build', 'lint', 'node_modules'), join(dir, 'build', 'lint', 'node_modules'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

afterAll(() => {
  for (const dir of planted) rmSync(dir, { recursive: true, force: true });
});

describe('eslint', () => {
  it('finds nothing in the project', () => {
    (ensureLintTools as () => void)();
    expect(runLint().map(format)).toEqual([]);
  }, 600_000);

  it('reports the bugs it is there for, type-aware ones included, and a disable comment that is not needed', () => {
    const dir = plantTree({
      'renderer/planted.tsx': [
        "import { useEffect, useState } from 'react';",
        '',
        'export function Planted({ on }: { on: boolean }) {',
        '  if (on) useState(0);',
        '  const [n] = useState(0);',
        '  useEffect(() => console.log(n), []);',
        '  return null;',
        '}',
        '',
        'export function later(load: () => Promise<number>, input: string) {',
        '  var count = 1;',
        '  let limit = 2;',
        "  if (input == '1') load();",
        '  // eslint-disable-next-line no-debugger',
        '  return count + limit;',
        '}',
        '',
      ].join('\n'),
    });
    const found = runLint({ root: dir, targets: ['renderer'] });
    expect(found.map((f) => `${f.file}:${f.line} ${f.rule}`).sort()).toEqual(
      [
        'renderer/planted.tsx:4 react-hooks/rules-of-hooks',
        'renderer/planted.tsx:6 react-hooks/exhaustive-deps',
        'renderer/planted.tsx:11 no-var',
        'renderer/planted.tsx:12 prefer-const',
        'renderer/planted.tsx:13 eqeqeq',
        'renderer/planted.tsx:13 @typescript-eslint/no-floating-promises',
        'renderer/planted.tsx:14 eslint',
      ].sort(),
    );
  }, 300_000);
});

describe('prettier', () => {
  it('finds every file formatted as .prettierrc.json says (npm run format fixes the ones it names)', () => {
    (ensureLintTools as () => void)();
    const prettier = join(root, 'build', 'lint', 'node_modules', 'prettier', 'bin', 'prettier.cjs');
    const r = spawnSync(process.execPath, [prettier, '--list-different', '.'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([]);
    expect(r.status).toBe(0);
  }, 300_000);

  it('would name a file that is not formatted', () => {
    const dir = plantTree({ 'shared/planted.ts': 'export const planted   =  { a:1 }\n' });
    copyFileSync(join(root, '.prettierrc.json'), join(dir, '.prettierrc.json'));
    const prettier = join(root, 'build', 'lint', 'node_modules', 'prettier', 'bin', 'prettier.cjs');
    const r = spawnSync(process.execPath, [prettier, '--list-different', 'shared'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('shared/planted.ts');
    expect(r.status).toBe(1);
  });
});
