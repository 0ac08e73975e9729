/**
 * Atomic replacement of a small file: write a temporary file in the same folder, fsync it, rename it
 * over the target, fsync the folder. A process killed at any moment leaves either the old or the new
 * file under the target name, never a mix; at worst a stray temporary file, removed by
 * `removeStaleTemps` the next time the file is opened.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const WINDOWS = process.platform === 'win32';

/** `<name>.tmp-<pid>-<random>`: the pid lets a later run tell a dead writer's leftovers from a live one's. */
const tempName = (file: string) => `${basename(file)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;

/** Creates the folder with mode 0700, and tightens it to 0700 if it is ours and open to others. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tightenIfOurs(dir, statSync(dir), 0o700);
}

/** Tightens a regular file to 0600 if it is ours and open to others (files of older versions); a missing one is fine. */
export function ensurePrivateFile(file: string): void {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (st.isFile()) tightenIfOurs(file, st, 0o600);
}

function tightenIfOurs(path: string, st: Stats, mode: number): void {
  if (WINDOWS) return;
  if ((st.mode & 0o077) !== 0 && typeof process.getuid === 'function' && st.uid === process.getuid()) {
    chmodSync(path, mode);
  }
}

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = dirname(file);
  ensurePrivateDir(dir);
  const temp = join(dir, tempName(file));
  let renamed = false;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    renamed = true;
    await syncDir(dir);
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

async function syncDir(dir: string): Promise<void> {
  if (WINDOWS) return; // directories cannot be opened for fsync on Windows; NTFS journals the rename
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether a process with this pid exists (EPERM: it does, and belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files left by writers of `file` that were killed mid-write. */
export function removeStaleTemps(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || processAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // already gone, or not ours to remove
    }
  }
}
