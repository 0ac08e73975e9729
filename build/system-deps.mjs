#!/usr/bin/env node
// Makes sure the Debian packages the tests need are installed. As root on Debian/Ubuntu it
// installs what is missing (apt-get update once, then install); anywhere else it says exactly
// what to install and fails. Package lists: build/debian-packages.txt and test/lab/debian-packages.txt.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LISTS = [join(root, 'build', 'debian-packages.txt'), join(root, 'test', 'lab', 'debian-packages.txt')];

export function requiredPackages() {
  const names = new Set();
  for (const file of LISTS) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const name = line.replace(/#.*/, '').trim();
      if (name) names.add(name);
    }
  }
  return [...names];
}

/** Packages whose daemon binds a port on every address, which the lab's own instances need per address. */
const DAEMONS_TO_STOP = ['docker-registry'];

function installed(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

export function ensureSystemPackages({ log = console.log } = {}) {
  const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
  const wanted = requiredPackages();
  if (!hasDpkg) {
    log(`system-deps: not a Debian system; make sure these (or their equivalents) are installed: ${wanted.join(' ')}`);
    return true;
  }
  const missing = wanted.filter((p) => !installed(p));
  if (missing.length === 0) return true;
  if (process.getuid?.() !== 0) {
    console.error(`system-deps: missing Debian packages. Run:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
    return false;
  }
  log(`system-deps: installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { stdio: ['ignore', 'ignore', 'inherit'], env };
  if (spawnSync('apt-get', ['update', '-qq'], opts).status !== 0) return false;
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], opts);
  if (r.status !== 0) return false;
  // Debian may start the daemons it installs (where no policy-rc.d forbids it). The tests run their own instances on
  // their own addresses; Debian's registry would hold port 5000 on every address, so it is stopped.
  for (const service of DAEMONS_TO_STOP.filter((d) => missing.includes(d)))
    spawnSync('invoke-rc.d', [service, 'stop'], { stdio: 'ignore' });
  const still = missing.filter((p) => !installed(p));
  if (still.length) console.error(`system-deps: still missing after install: ${still.join(' ')}`);
  return still.length === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(ensureSystemPackages() ? 0 : 1);
}
