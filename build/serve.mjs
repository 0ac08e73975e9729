#!/usr/bin/env node
// `npm run serve [-- --port N --host ADDR]`: builds if anything changed, then runs serve mode.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function runServe(args) {
  await buildIfNeeded({ quiet: true });
  const child = spawn(process.execPath, [join(root, 'out', 'serve', 'index.cjs'), ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runServe(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
