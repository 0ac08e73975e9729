#!/usr/bin/env node
// `npm run format` (prettier --write) and `npm run format:check` (prettier --check) over the project, with
// .prettierrc.json and .prettierignore at the root. Prettier comes from build/lint's toolchain (build/lint.mjs).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLintTools } from './lint.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2];
if (mode !== '--write' && mode !== '--check') {
  console.error('usage: node build/format.mjs --write|--check [paths…]');
  process.exit(2);
}
ensureLintTools();
const prettier = join(root, 'build', 'lint', 'node_modules', 'prettier', 'bin', 'prettier.cjs');
const paths = process.argv.slice(3);
const result = spawnSync(process.execPath, [prettier, mode, ...(paths.length ? paths : ['.'])], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
