#!/usr/bin/env node
// `npm test`: installs the Debian packages the tests need (as root; otherwise says which) and the lint
// toolchain (build/lint, by its lock file), builds the app (the browser tests drive the built renderer),
// then runs every test with vitest, ESLint included (test/unit/lint.test.ts). The last line of output is
// `N passed, N failed[, N skipped]`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build.mjs';
import { ensureLintTools } from './lint.mjs';
import { ensureSystemPackages } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ??= '1';

try {
  if (!ensureSystemPackages()) throw new Error('system packages missing (see above)');
  ensureLintTools();
  await buildIfNeeded({ quiet: true });
} catch (error) {
  console.error(error);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '-c', join(root, 'test', 'vitest.config.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
