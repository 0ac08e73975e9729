/**
 * What one sample's output says, read from the kernel's own formats (proc(5)). Every number is checked: a line of
 * another shape is left out and the reading it belonged to is absent, so an odd node shows gaps, never a crash.
 */
import type { Section } from './command';

/** Jiffies since boot of all CPUs together: the busy ones and the total. */
export interface CpuTimes {
  readonly busy: number;
  readonly total: number;
  readonly cpus: number;
}

export interface Readings {
  readonly cpu?: CpuTimes;
  readonly memory?: { readonly totalBytes: number; readonly availableBytes: number };
  readonly load?: { readonly one: number; readonly five: number; readonly fifteen: number };
  /** Bytes received and sent since boot over every interface but loopback. */
  readonly network?: { readonly rx: number; readonly tx: number };
  readonly docker: { readonly rc: number; readonly text: string };
  /** Restart counts by container name. */
  readonly restarts: ReadonlyMap<string, number>;
  readonly df: readonly { readonly path: string; readonly rc: number; readonly text: string }[];
}

const count = (s: string | undefined): number | undefined => {
  const n = Number(s);
  return s !== undefined && /^\d+$/.test(s) && Number.isSafeInteger(n) ? n : undefined;
};

/** `cpu  user nice system idle iowait irq softirq steal …`: idle and iowait are the time not busy. */
export function readCpu(lines: readonly string[]): CpuTimes | undefined {
  const sum = lines.find((l) => /^cpu\s/.test(l));
  if (!sum) return undefined;
  const f = sum.trim().split(/\s+/).slice(1, 9).map(count);
  if (f.length < 4 || f.some((x) => x === undefined)) return undefined;
  const n = f as number[];
  // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
  const total = n.reduce((a, b) => a + b, 0);
  const idle = n[3]! + (n[4] ?? 0);
  return { busy: total - idle, total, cpus: Math.max(1, lines.filter((l) => /^cpu\d+\s/.test(l)).length) };
}

/** MemAvailable, or on kernels before 3.14 (which lack it) free + buffers + page cache as free(1) reckoned it. */
export function readMemory(lines: readonly string[]): Readings['memory'] {
  const kib = new Map<string, number>();
  for (const l of lines) {
    const m = /^(\w+):\s+(\d+) kB$/.exec(l.trim());
    const v = count(m?.[2]);
    if (m && v !== undefined) kib.set(m[1]!, v);
  }
  const total = kib.get('MemTotal');
  if (!total) return undefined;
  const fallback = ['MemFree', 'Buffers', 'Cached'].map((k) => kib.get(k));
  const available = kib.get('MemAvailable') ?? (fallback.every((v) => v !== undefined) ? fallback.reduce((a, b) => a + b) : undefined);
  if (available === undefined) return undefined;
  return { totalBytes: total * 1024, availableBytes: Math.min(available, total) * 1024 };
}

/** `0.52 0.58 0.59 1/467 12345` */
export function readLoad(lines: readonly string[]): Readings['load'] {
  const f = (lines[0] ?? '').trim().split(/\s+/).slice(0, 3);
  const [one, five, fifteen] = f.map((x) => (/^\d+(\.\d+)?$/.test(x) ? Number(x) : NaN));
  if (![one, five, fifteen].every((x) => Number.isFinite(x))) return undefined;
  return { one: one!, five: five!, fifteen: fifteen! };
}

/** `  eth0: rxBytes rxPackets … (8 receive fields) txBytes …`, two header lines first. */
export function readNetwork(lines: readonly string[]): Readings['network'] {
  let rx = 0;
  let tx = 0;
  let seen = false;
  for (const l of lines) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(l);
    if (!m || m[1] === 'lo') continue;
    const f = m[2]!.trim().split(/\s+/).map(count);
    if (f.length < 9 || f[0] === undefined || f[8] === undefined) continue;
    rx += f[0];
    tx += f[8];
    seen = true;
  }
  return seen ? { rx, tx } : undefined;
}

/** `docker inspect --format '{{.Name}} {{.RestartCount}}'`: `/harbor-core 0`. */
export function readRestarts(lines: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    const m = /^\/?(\S+) (\d+)$/.exec(l.trim());
    const n = count(m?.[2]);
    if (m && n !== undefined) out.set(m[1]!, n);
  }
  return out;
}

export function readSections(list: readonly Section[]): Readings {
  const lines = (name: string) => list.find((s) => s.name === name)?.lines ?? [];
  const docker = list.find((s) => s.name === 'docker');
  const cpu = readCpu(lines('stat'));
  const memory = readMemory(lines('meminfo'));
  const load = readLoad(lines('loadavg'));
  const network = readNetwork(lines('netdev'));
  return {
    ...(cpu ? { cpu } : {}),
    ...(memory ? { memory } : {}),
    ...(load ? { load } : {}),
    ...(network ? { network } : {}),
    // A docker section without its exit status was cut short: judged as failed.
    docker: { rc: docker?.rc ?? -1, text: docker?.lines.join('\n') ?? '' },
    restarts: readRestarts(lines('restarts')),
    df: list.filter((s) => s.name === 'df').map((s) => ({ path: s.argument, rc: s.rc ?? -1, text: s.lines.join('\n') })),
  };
}
