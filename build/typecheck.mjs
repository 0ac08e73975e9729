#!/usr/bin/env node
// Type-checks every layer as its own TypeScript project (see tsconfig.json). Exits non-zero on any error.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROJECTS = ['shared', 'electron/core', 'electron/main', 'electron/preload', 'renderer', 'test'];

export function typecheck(projects = PROJECTS) {
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  const failures = [];
  for (const project of projects) {
    const result = spawnSync(tsc, ['-p', join(root, project, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
    if (result.error) failures.push({ project, output: `${tsc}: ${result.error.message} (run npm ci first)` });
    else if (result.status !== 0) failures.push({ project, output: `${result.stdout}${result.stderr}`.trim() });
  }
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failures = typecheck(process.argv.slice(2).length ? process.argv.slice(2) : PROJECTS);
  for (const f of failures) console.error(`--- ${f.project}\n${f.output}`);
  process.exit(failures.length ? 1 : 0);
}
