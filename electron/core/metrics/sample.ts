/**
 * One sample made from the node's readings and the previous ones (CPU and network are rates between two samples),
 * judged as the topology judges a node: its disks and containers by the very same checks, with levels of the same
 * kind for memory and load, which a sweep does not read.
 */
import type { MetricsContainer, MetricsProblem, MetricsSample } from '../../../shared/api/contracts/metrics';
import type { Health } from '../../../shared/api/contracts/topology';
import type { Profile } from '../../../shared/profile';
import { L, worst } from '../health/checks/common';
import { containersCheck, disksCheck } from '../health/checks/node-checks';
import type { NodeKind } from '../health/kind';
import type { Readings } from './readings';

/** Memory in use (not available to new programs), percent. */
export const MEMORY = { warnPercent: 90, failPercent: 97 } as const;
/**
 * The one-minute load per CPU: above 1 work waits for a CPU; at twice the CPUs the node is slow to answer. The busy
 * CPU share is not judged: a fully used CPU is a node at work, the load says when it cannot keep up.
 */
export const LOAD = { warnPerCpu: 2, failPerCpu: 4 } as const;

const level = (value: number, warn: number, fail: number): Health => (value >= fail ? 'fail' : value >= warn ? 'warn' : 'ok');
const round1 = (n: number) => Math.round(n * 10) / 10;

export function makeSample(
  kind: NodeKind,
  profile: Profile,
  now: Readings,
  before: Readings | undefined,
  at: number,
  elapsedMs: number,
): MetricsSample {
  const iso = new Date(at).toISOString();
  const report = { docker: now.docker, df: now.df, keys: [] };
  const containers = containersCheck(kind, profile, report, iso);
  const disks = disksCheck(report, iso);
  const problems: MetricsProblem[] = [];
  const states: Health[] = [containers.status, disks.status];
  for (const check of [containers, disks]) {
    if (check.error && check.status !== 'ok') problems.push({ status: check.status, message: check.error });
  }

  const memory = now.memory && {
    ...now.memory,
    usedPercent: round1(100 - (now.memory.availableBytes / now.memory.totalBytes) * 100),
  };
  if (memory) {
    const s = level(memory.usedPercent, MEMORY.warnPercent, MEMORY.failPercent);
    states.push(s);
    if (s !== 'ok') problems.push({ status: s, message: L(`Memory ${memory.usedPercent}% used`, `内存已使用 ${memory.usedPercent}%`) });
  }
  const cpus = now.cpu?.cpus ?? 1;
  const load = now.load && { ...now.load, cpus };
  if (load) {
    const s = level(load.one / cpus, LOAD.warnPerCpu, LOAD.failPerCpu);
    states.push(s);
    if (s !== 'ok') problems.push({ status: s, message: L(`Load ${load.one} on ${cpus} CPUs`, `负载 ${load.one}（${cpus} 个 CPU）`) });
  }

  // Counters that went back (a reboot, a counter wrapped) give no rate for this sample.
  const dCpu = now.cpu && before?.cpu && { busy: now.cpu.busy - before.cpu.busy, total: now.cpu.total - before.cpu.total };
  const cpuPercent = dCpu && dCpu.total > 0 && dCpu.busy >= 0 ? round1(Math.min(100, (dCpu.busy / dCpu.total) * 100)) : undefined;
  const seconds = elapsedMs / 1000;
  const dRx = now.network && before?.network ? now.network.rx - before.network.rx : -1;
  const dTx = now.network && before?.network ? now.network.tx - before.network.tx : -1;
  const network =
    seconds > 0 && dRx >= 0 && dTx >= 0
      ? { rxBytesPerSecond: Math.round(dRx / seconds), txBytesPerSecond: Math.round(dTx / seconds) }
      : undefined;

  const list: MetricsContainer[] = (containers.list ?? []).map((c) => {
    const restarts = now.restarts.get(c.name);
    return restarts === undefined ? c : { ...c, restarts };
  });
  return {
    at,
    status: worst(...states),
    ...(cpuPercent !== undefined ? { cpuPercent } : {}),
    ...(memory ? { memory } : {}),
    ...(load ? { load } : {}),
    disks: disks.list ?? [],
    ...(network ? { network } : {}),
    containers: list,
    problems,
  };
}
