/**
 * One running app per data folder. The folder holds state that each process keeps partly in memory
 * (the vault's entries and data key, runs in progress) and rewrites whole: two processes on one
 * folder would overwrite each other's vault updates and mark each other's runs interrupted. So the
 * core takes `<dataDir>/instance.lock` when it is created and gives it back on close; a second
 * process (desktop app, serve mode or harbor-ha) is refused with a message that names the holder.
 *
 * The lock file is created complete in one step (written under a temporary name, then hard-linked
 * to its real name, which fails if it exists), so a reader never sees a half-written lock. It holds
 * the holder's pid, host and, on Linux, the process's boot id and start time: a lock whose process
 * is gone, or whose pid now belongs to another process (after a crash and a reboot), is stale and
 * taken over without asking the operator.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../shared/errors';
import { fill, type Localized } from '../../shared/i18n/localized';
import { ensurePrivateDir, processAlive } from './vault/atomic';

export const LOCK_FILE = 'instance.lock';

/** Whoever holds the lock, as written in the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** Linux: `<boot id>/<start time in clock ticks>`, which tells a reused pid from its first owner. */
  readonly identity: string | null;
  /** What the holder is, for the message: the host's name and whether it is the desktop app. */
  readonly app: string;
  readonly desktop: boolean;
  readonly since: string;
  /** Random per acquisition: release removes the file only while it is still ours. */
  readonly token: string;
}

const holderSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  identity: z.string().nullable(),
  app: z.string(),
  desktop: z.boolean(),
  since: z.string(),
  token: z.string(),
});

/** Linux only (null elsewhere, or when the process is gone): the boot id and the process's start time. */
export function processIdentity(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    // starttime is field 22, the 20th after the command name.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return start && /^\d+$/.test(start) ? `${boot}/${start}` : null;
  } catch {
    return null;
  }
}

/** Whether the holder may still be running. Another computer's process cannot be checked: assume it is. */
export function holderAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  if (!processAlive(h.pid)) return false;
  const now = processIdentity(h.pid);
  return h.identity === null || now === null || now === h.identity;
}

const TEXT: Localized = {
  en:
    'The data folder {dir} is in use by another running {app} ({kind}, process {pid} on {host}, since {since}). ' +
    'Only one instance may use a data folder at a time, so that nothing one of them saves (profiles, secrets, runs) is lost by the other. ' +
    'Nothing was changed. Close the other one and start this one again, or give this one a data folder of its own ' +
    '(serve mode: HARBOR_HA_DATA_DIR; harbor-ha: --data-dir). ' +
    'If you are sure it is not running (for example it ran on another computer that shares this folder), delete {file}.',
  'zh-CN':
    '数据目录 {dir} 正被另一个运行中的 {app} 使用（{kindZh}，主机 {host} 上的进程 {pid}，自 {since} 起）。' +
    '同一数据目录同一时间只能由一个实例使用，以免一个实例保存的内容（集群配置、密钥、部署运行）被另一个实例覆盖丢失。' +
    '未做任何更改。请关闭另一个实例后重新启动本实例，或为本实例指定单独的数据目录（serve 模式：HARBOR_HA_DATA_DIR；harbor-ha：--data-dir）。' +
    '如确认它并未运行（例如它运行在共享此目录的另一台计算机上），请删除 {file}。',
};

function inUse(dir: string, file: string, h: LockHolder): ApiError {
  const message = fill(TEXT, {
    dir,
    file,
    app: h.app,
    pid: h.pid,
    host: h.host,
    since: h.since,
    kind: h.desktop ? 'desktop app' : 'serve mode or harbor-ha',
    kindZh: h.desktop ? '桌面应用' : 'serve 模式或 harbor-ha',
  });
  return new ApiError({ code: 'conflict', reason: 'data_dir_in_use', message });
}

/** Held locks, removed on a normal exit even if nobody called release (e.g. process.exit in a host). */
const held = new Set<DataDirLock>();
let exitHookInstalled = false;

export class DataDirLock {
  #released = false;

  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {}

  /**
   * Takes the lock of `dataDir` (creating the folder 0700), or throws ApiError `conflict` /
   * `data_dir_in_use` naming the live holder. A stale lock (its process gone) is taken over.
   */
  static acquire(dataDir: string, who: { app: string; desktop: boolean }): DataDirLock {
    ensurePrivateDir(dataDir);
    const file = join(dataDir, LOCK_FILE);
    const mine: LockHolder = {
      pid: process.pid,
      host: hostname(),
      identity: processIdentity(process.pid),
      app: who.app,
      desktop: who.desktop,
      since: new Date().toISOString(),
      token: randomBytes(12).toString('hex'),
    };
    const text = `${JSON.stringify(mine, null, 1)}\n`;
    // Each turn either takes the lock, meets a live holder, or removes a stale lock; a few turns
    // cover another process racing for the same stale lock.
    for (let turn = 0; turn < 5; turn++) {
      if (createExclusive(file, text)) {
        const lock = new DataDirLock(file, mine);
        held.add(lock);
        if (!exitHookInstalled) {
          exitHookInstalled = true;
          process.once('exit', () => {
            for (const l of held) l.release();
          });
        }
        return lock;
      }
      const found = readLock(file);
      if (found === 'absent') continue; // released meanwhile
      if (found !== 'damaged' && holderAlive(found.holder)) throw inUse(dataDir, file, found.holder);
      removeStale(file, found === 'damaged' ? null : found.text);
    }
    const last = readLock(file);
    if (last !== 'absent' && last !== 'damaged') throw inUse(dataDir, file, last.holder);
    throw new Error(`could not take the lock ${file}: it kept changing`);
  }

  /** Gives the folder back (idempotent). Removes the file only while it still holds our token. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    held.delete(this);
    const found = readLock(this.file);
    if (found === 'absent' || found === 'damaged' || found.holder.token !== this.holder.token) return;
    try {
      unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}

type Found = 'absent' | 'damaged' | { holder: LockHolder; text: string };

function readLock(file: string): Found {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
  const holder = readLockText(text);
  return holder ? { holder, text } : 'damaged';
}

/** Creates `file` with `text`, complete, unless it exists (then false). */
function createExclusive(file: string, text: string): boolean {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  writeNew(temp, text);
  try {
    linkSync(temp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links (FAT): create in place. A reader may then briefly see an
    // empty file and take it for damaged; the rename check in removeStale keeps that harmless.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw e;
    try {
      writeNew(file, text);
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // not created
    }
  }
}

function writeNew(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes a stale lock: renames it aside first and checks that what was moved is the lock judged
 * stale. If another process took the lock in between, its lock is what moved: put it back.
 */
function removeStale(file: string, expected: string | null): void {
  const aside = `${file}.stale-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    const moved = readFileSync(aside, 'utf8');
    const wasStale = expected === null ? readLockText(moved) === null : moved === expected;
    if (!wasStale) {
      try {
        linkSync(aside, file);
      } catch {
        // a third process took the lock meanwhile: it holds it now
      }
    }
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // gone already
    }
  }
}

/** The holder in a lock file's text, or null when the text is not a lock. */
function readLockText(text: string): LockHolder | null {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
