#!/usr/bin/env node
// `npm run lint`: ESLint over electron/, renderer/, shared/, build/, test/ and bench/ with the rules of
// build/lint/eslint.config.mjs; prints one line per finding and exits non-zero on any (warnings included).
// The toolchain has its own folder and lock file (build/lint/package.json says why); it is installed here
// with `npm ci` whenever that lock file changed since the last install. `npm test` runs the same check as
// test/unit/lint.test.ts, so a finding fails the suite.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, 'build', 'lint');
export const LINTED = ['electron', 'renderer', 'shared', 'build', 'test', 'bench'];
// Written after a successful install: the hash of the lock file that install came from.
const STAMP = join(tools, 'node_modules', '.installed-lock-sha256');

const lockHash = () =>
  createHash('sha256')
    .update(readFileSync(join(tools, 'package-lock.json')))
    .digest('hex');

/** Installs build/lint's toolchain exactly as locked, unless that lock file is what is installed already. */
export function ensureLintTools({ quiet = false } = {}) {
  const wanted = lockHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return;
  if (!quiet) console.log('installing the lint toolchain (npm ci in build/lint)…');
  // No install scripts: none of the lint packages needs one, so none runs. The arguments are constants:
  // on Windows npm is a .cmd, which Node starts only through a shell.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: tools,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (result.error || result.status !== 0) {
    throw new Error(`npm ci in build/lint failed: ${result.error?.message ?? `${result.stdout}${result.stderr}`.trim()}`);
  }
  writeFileSync(STAMP, wanted);
}

/**
 * ESLint's findings as `{ file, line, column, rule, message }`, file relative to `root`; [] when clean.
 * `root` is the project by default; a test passes a copy holding build/lint's config and planted files.
 */
export function lint({ root: dir = root, targets = LINTED } = {}) {
  ensureLintTools({ quiet: true });
  const eslint = join(tools, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const config = join(dir, 'build', 'lint', 'eslint.config.mjs');
  const result = spawnSync(process.execPath, [eslint, '--config', config, '--max-warnings', '0', '--format', 'json', ...targets], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  // 0: clean, 1: findings; anything else is ESLint itself failing (a broken config, a crash).
  if (result.error || (result.status !== 0 && result.status !== 1)) {
    throw new Error(`eslint failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`);
  }
  const findings = [];
  for (const file of JSON.parse(result.stdout)) {
    for (const m of file.messages) {
      findings.push({
        file: relative(dir, file.filePath),
        line: m.line ?? 0,
        column: m.column ?? 0,
        // A message without a rule is a file ESLint could not parse, or a disable comment that is not needed.
        rule: m.ruleId ?? (m.fatal ? 'parse-error' : 'eslint'),
        message: m.message,
      });
    }
  }
  return findings;
}

/** One line per finding: `file:line:column rule message`. */
export const formatFinding = (f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message.split('\n')[0]}`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureLintTools();
  const targets = process.argv.slice(2);
  const findings = lint(targets.length ? { targets } : {});
  for (const f of findings) console.log(formatFinding(f));
  console.log(findings.length ? `\n${findings.length} lint finding(s)` : 'lint: no findings');
  process.exit(findings.length ? 1 : 0);
}
