/**
 * Host-side bookkeeping shared by every lab on this machine: slot allocation (each running lab owns one slot and
 * with it a block of loopback addresses), the list of host directories the labs had to create as mount points,
 * and the cleanup that kills a lab's processes and removes its files. The reaper process uses the same code when
 * the process that owned a lab dies without calling `down()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** Root of all lab bookkeeping on the host. Not under /tmp: nodes mount their own /tmp over it. */
export const REGISTRY_ROOT = process.env.HARBOR_LAB_REGISTRY ?? '/run/harbor-lab';
/** How many labs may run at once (slot k uses 127.0.k.0/24). */
export const MAX_SLOTS = 32;

/** What a lab records so that it can be cleaned up by anyone. */
export interface SlotState {
  owner: number;
  reaper?: number;
  /** Node namespace holders: every process whose mount namespace is `mntns` is killed. */
  nodes: Array<{ holder: number; mntns: string }>;
  /** Process-group leaders of services (killed as groups). */
  groups: Array<{ pid: number; signal?: NodeJS.Signals }>;
  /** Directories (on the host) to delete. */
  dirs: string[];
}

export function slotDir(slot: number): string {
  return path.join(REGISTRY_ROOT, `slot-${slot}`);
}

export function alive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers kill(0); treat it as dead.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function readState(dir: string): SlotState | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as SlotState;
  } catch {
    return undefined;
  }
}

export function writeState(dir: string, state: SlotState): void {
  const tmp = path.join(dir, `state.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
  fs.renameSync(tmp, path.join(dir, 'state.json'));
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Run `fn` under the registry-wide lock (a directory; stale after 15 s). */
export function withGlobalLock<T>(fn: () => T): T {
  fs.mkdirSync(REGISTRY_ROOT, { recursive: true, mode: 0o711 });
  fs.chmodSync(REGISTRY_ROOT, 0o711);
  const lock = path.join(REGISTRY_ROOT, '.lock');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let stale = false;
      try {
        const holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
        stale = !alive(holder) || Date.now() - fs.statSync(lock).mtimeMs > 15_000;
      } catch {
        stale = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 2_000;
      }
      if (stale) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`lab registry lock ${lock} is held too long`);
      else sleepSync(20);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function mntnsOf(pid: number | string): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

function parentOf(pid: string): number | undefined {
  try {
    // "pid (comm) state ppid …"; comm may hold spaces and parentheses
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * All pids whose mount namespace is `ns`, and their descendants: a node's containers (the registry, prepare) run in
 * mount namespaces of their own below it.
 */
export function pidsInMountNs(ns: string): number[] {
  const parent = new Map<number, number | undefined>();
  const found = new Set<number>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    parent.set(Number(e), parentOf(e));
    if (mntnsOf(e) === ns) found.add(Number(e));
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (ppid !== undefined && found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

function killQuiet(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

/**
 * Kill everything a lab started and delete its directories. Safe to call more than once and from any process.
 * Synchronous on purpose: it also runs from `process.on('exit')`.
 */
export function cleanupSlotDir(dir: string): void {
  const state = readState(dir);
  if (state) {
    const hostNs = mntnsOf('self');
    for (const n of state.nodes) {
      if (!n.mntns || n.mntns === hostNs) continue;
      for (const pid of pidsInMountNs(n.mntns)) killQuiet(pid, 'SIGKILL');
    }
    for (const g of state.groups) {
      killQuiet(-g.pid, g.signal ?? 'SIGTERM');
      killQuiet(g.pid, g.signal ?? 'SIGTERM');
    }
    const deadline = Date.now() + 4_000;
    while (state.groups.some((g) => alive(g.pid)) && Date.now() < deadline) sleepSync(25);
    for (const g of state.groups) {
      killQuiet(-g.pid, 'SIGKILL');
      killQuiet(g.pid, 'SIGKILL');
    }
    for (const d of state.dirs) fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    if (state.reaper && state.reaper !== process.pid) killQuiet(state.reaper, 'SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Slots whose owner is alive. */
export function liveSlots(): number[] {
  const out: number[] = [];
  for (let k = 0; k < MAX_SLOTS; k++) {
    const st = readState(slotDir(k));
    if (st && alive(st.owner)) out.push(k);
  }
  return out;
}

const HOSTDIRS = () => path.join(REGISTRY_ROOT, 'created-dirs.json');

/** Create host directories that nodes need as mount points; remember the ones we created. Call under the lock. */
export function ensureHostDirs(dirs: string[]): void {
  let created: string[] = [];
  try {
    created = JSON.parse(fs.readFileSync(HOSTDIRS(), 'utf8')) as string[];
  } catch {
    /* none */
  }
  for (const d of dirs) {
    if (fs.existsSync(d)) continue;
    // record every missing ancestor too, outermost last in removal order
    const missing: string[] = [];
    let cur = d;
    while (!fs.existsSync(cur)) {
      missing.push(cur);
      cur = path.dirname(cur);
    }
    fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    for (const m of missing) if (!created.includes(m)) created.push(m);
  }
  fs.writeFileSync(HOSTDIRS(), JSON.stringify(created));
}

/** Remove the mount-point directories the labs created, if no lab is running any more. Call under the lock. */
export function releaseHostDirsIfIdle(): void {
  if (liveSlots().length > 0) return;
  let created: string[] = [];
  try {
    created = JSON.parse(fs.readFileSync(HOSTDIRS(), 'utf8')) as string[];
  } catch {
    return;
  }
  // deepest first
  created.sort((a, b) => b.length - a.length);
  const left: string[] = [];
  for (const d of created) {
    try {
      fs.rmdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') left.push(d);
    }
  }
  if (left.length) fs.writeFileSync(HOSTDIRS(), JSON.stringify(left));
  else fs.rmSync(HOSTDIRS(), { force: true });
}

/** Clean every slot whose owner died. Call under the lock. */
export function reapStaleSlots(): void {
  if (!fs.existsSync(REGISTRY_ROOT)) return;
  for (const e of fs.readdirSync(REGISTRY_ROOT)) {
    const m = /^slot-(\d+)$/.exec(e);
    if (!m) continue;
    const dir = path.join(REGISTRY_ROOT, e);
    const st = readState(dir);
    if (st && alive(st.owner)) continue;
    if (!st) {
      // a slot directory without state: claimed a moment ago, or crashed while claiming
      const age = Date.now() - (fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < 10_000) continue;
    }
    cleanupSlotDir(dir);
  }
}

/** Claim the lowest free slot for this process. */
export function claimSlot(): number {
  return withGlobalLock(() => {
    reapStaleSlots();
    for (let k = 0; k < MAX_SLOTS; k++) {
      const dir = slotDir(k);
      try {
        fs.mkdirSync(dir, { mode: 0o711 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      writeState(dir, { owner: process.pid, nodes: [], groups: [], dirs: [] });
      return k;
    }
    throw new Error(`all ${MAX_SLOTS} lab slots are in use (see ${REGISTRY_ROOT})`);
  });
}

/** Tear down a slot and release shared host directories. */
export function releaseSlot(slot: number): void {
  cleanupSlotDir(slotDir(slot));
  withGlobalLock(() => releaseHostDirsIfIdle());
}

/** Which binary is where (undefined when missing). */
export function which(bin: string): string | undefined {
  for (const d of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/lib/postgresql/15/bin']) {
    const p = path.join(d, bin);
    if (fs.existsSync(p)) return p;
  }
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
