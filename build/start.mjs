#!/usr/bin/env node
// `npm start`: builds if needed and launches Electron. Where the Electron binary could not be
// downloaded (no access to its host), says so in one line and starts serve mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build.mjs';
import { runServe } from './serve.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const electronDir = join(root, 'node_modules', 'electron');

/**
 * The Electron executable, or null when it is not on disk. Resolved the way the `electron`
 * package does it, without requiring the package (which would start a noisy download).
 */
export function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
  const binary = name ? join(dist, name) : null;
  return binary && existsSync(binary) ? binary : null;
}

/** Electron 45 fetches its binary on first use; try that once, quietly, unless told not to. */
function tryDownload() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(join(electronDir, 'install.js'))) return false;
  console.log('Downloading the Electron binary (first start only)...');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  return result.status === 0;
}

async function main() {
  const args = process.argv.slice(2);
  const binary = electronBinary() ?? (tryDownload() ? electronBinary() : null);
  if (!binary) {
    console.log(
      'Electron binary not found (its download host may be unreachable); starting serve mode instead — open the URL below in a browser.',
    );
    await runServe(args);
    return;
  }
  await buildIfNeeded({ quiet: true });
  const child = spawn(binary, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
