/**
 * The one command a metrics sample runs on a node (docs/terminals.md, "Metrics"): the kernel's counters, the
 * containers with their restart counts and the free space of the data volume and the log folder, in sections a
 * line `@@name [argument]` opens. The script is ours and fixed but for the kind's container listing, a constant
 * quoted in; the two paths are its arguments, never pasted into it.
 */
import { commandLine } from '../ssh/quote';

export function metricsScript(listContainers: readonly string[]): string {
  return [
    'dv=$1; logs=$2',
    // Gathered first and printed at once: one SSH data packet instead of one per program that writes, which is most
    // of what a sample costs the desktop side to decrypt and parse (`npm run bench -- metrics`).
    'out=$(',
    // The first line is the sum of all CPUs; the cpuN lines only count them (the rest, e.g. "intr", can be kilobytes).
    "printf '@@stat\\n'; grep '^cpu' /proc/stat",
    "printf '@@meminfo\\n'; grep -E '^(MemTotal|MemAvailable|MemFree|Buffers|Cached):' /proc/meminfo",
    "printf '@@loadavg\\n'; cat /proc/loadavg",
    "printf '@@netdev\\n'; cat /proc/net/dev",
    "printf '@@docker\\n'",
    `${commandLine(listContainers)} 2>&1`,
    'printf \'@@rc %s\\n\' "$?"',
    "printf '@@restarts\\n'",
    // Container ids are hex words: left unquoted on purpose, one argument each.
    'ids=$(docker ps -aq 2>/dev/null)',
    'if [ -n "$ids" ]; then docker inspect --format \'{{.Name}} {{.RestartCount}}\' $ids 2>/dev/null; fi',
    'for p in "$dv" "$logs"; do',
    '  printf \'@@df %s\\n\' "$p"',
    '  df -P -k "$p" 2>&1',
    '  printf \'@@rc %s\\n\' "$?"',
    'done',
    ')',
    'printf \'%s\\n\' "$out"',
  ].join('\n');
}

export function metricsArgv(listContainers: readonly string[], dataVolume: string, logFolder: string): string[] {
  return ['sh', '-c', metricsScript(listContainers), 'sh', dataVolume, logFolder];
}

export interface Section {
  readonly name: string;
  readonly argument: string;
  readonly lines: string[];
  /** The exit status a `@@rc` line closed it with, when one did. */
  rc?: number;
}

/** The output cut at its `@@` lines. Lines before the first section, and unknown shapes, are left out. */
export function sections(stdout: string): Section[] {
  const out: Section[] = [];
  let current: Section | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^@@([a-z]+)(?: (.*))?$/.exec(line);
    if (!m) {
      current?.lines.push(line);
    } else if (m[1] === 'rc') {
      const rc = Number(m[2]);
      if (current && Number.isInteger(rc)) current.rc = rc;
      current = undefined;
    } else {
      current = { name: m[1]!, argument: m[2] ?? '', lines: [] };
      out.push(current);
    }
  }
  return out;
}
