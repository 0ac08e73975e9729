/**
 * Where the CPU time of a measurement goes, on a machine where the desktop side, the lab node's
 * sshd and its hashers share the same cores: this process (every thread) plus the children it
 * waited for (scp and its ssh), the lab node's processes (everything in its mount namespace: sshd,
 * its session processes, cat, sftp-server, sha256sum), and the whole machine (which also counts
 * whatever else runs meanwhile). Figures in seconds; a measurement takes the difference of two
 * snapshots.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type * as lab from '../test/lab';

const TICK = 1 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export interface CpuSnapshot {
  /** This process's user+system time, all threads, plus that of the children it has reaped. */
  readonly desktop: number;
  /** The lab node's processes, live and reaped. */
  readonly node: number;
  /** Busy time of the whole machine, summed over its cores. */
  readonly machine: number;
  readonly wall: number;
}

/** utime, stime, cutime, cstime of /proc/<pid>/stat in seconds (fields 14–17; the name may hold spaces). */
function procTimes(pid: string): [number, number, number, number] | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 (state), so field n is f[n - 3].
  return [Number(f[11]) * TICK, Number(f[12]) * TICK, Number(f[13]) * TICK, Number(f[14]) * TICK];
}

function machineBusy(): number {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const n = v.map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - n[3]! - n[4]!) * TICK;
}

/** The mount namespace every process of the node runs in (its namespace holder's). */
function nodeNamespace(n: lab.LabNode): string {
  return readlinkSync(`${n.fsRoot.replace(/\/root$/, '')}/ns/mnt`);
}

function nodePids(ns: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readlinkSync(`/proc/${pid}/ns/mnt`) === ns;
    } catch {
      return false; // gone meanwhile
    }
  });
}

function nodeCpu(ns: string): number {
  let sum = 0;
  for (const pid of nodePids(ns)) {
    // A reaped child's time moves into its parent's cutime/cstime, so live + reaped counts each once.
    const t = procTimes(pid);
    if (t) sum += t[0] + t[1] + t[2] + t[3];
  }
  return sum;
}

export interface CpuMeter {
  snapshot(): CpuSnapshot;
  /** How many processes the node has now. */
  processes(): number;
  /**
   * Waits (up to 2 s) until the node is back to `count` processes: a finished connection's sshd
   * is reaped a moment after the client returns, and only then is its CPU time in the listener's.
   */
  settle(count: number): Promise<void>;
}

export function cpuMeter(n: lab.LabNode): CpuMeter {
  const ns = nodeNamespace(n);
  return {
    processes: () => nodePids(ns).length,
    async settle(count) {
      for (let i = 0; i < 400 && nodePids(ns).length > count; i++) await new Promise((r) => setTimeout(r, 5));
    },
    snapshot() {
      const own = process.cpuUsage();
      const children = procTimes('self');
      return {
        desktop: (own.user + own.system) / 1e6 + (children ? children[2] + children[3] : 0),
        node: nodeCpu(ns),
        machine: machineBusy(),
        wall: performance.now() / 1000,
      };
    },
  };
}

/** CPU seconds spent between two snapshots, and the wall time. */
export interface CpuSpent {
  readonly desktop: number;
  readonly node: number;
  readonly machine: number;
  readonly wall: number;
}

export function spent(a: CpuSnapshot, b: CpuSnapshot): CpuSpent {
  return { desktop: b.desktop - a.desktop, node: b.node - a.node, machine: b.machine - a.machine, wall: b.wall - a.wall };
}

export function sumSpent(...xs: CpuSpent[]): CpuSpent {
  return xs.reduce(
    (a, b) => ({ desktop: a.desktop + b.desktop, node: a.node + b.node, machine: a.machine + b.machine, wall: a.wall + b.wall }),
    { desktop: 0, node: 0, machine: 0, wall: 0 },
  );
}

export function minusSpent(a: CpuSpent, b: CpuSpent): CpuSpent {
  return { desktop: a.desktop - b.desktop, node: a.node - b.node, machine: a.machine - b.machine, wall: a.wall - b.wall };
}
