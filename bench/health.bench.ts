/**
 * Topology health: a full sweep of an 8-node Harbor 2.x lab cluster (every node over its own SSH
 * connection: the health command, Harbor's health, reach to PostgreSQL, Redis and OSS; plus Harbor
 * through the load balancer) against a sweep of one node of the same cluster, in the same run.
 * Sweeps alternate between the two profiles so both see the same machine; medians are compared.
 * The goal is judged on the steady state of the Topology page (both clusters watched, so the
 * connections are kept and sshd is only asked to greet); sweeps nobody watches, which sign in to
 * every node each time, are reported beside it.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { harborLab, saveClusterProfile } from '../test/topology/lab-cluster';
import { testCore } from '../test/helpers/core';
import { cpuMeter } from './cpu';
import type { Benchmark } from './harness';

const NODES = 8;
const ROUNDS = 12;
const WARMUP = 2;
const COLD_ROUNDS = 6;
const GOAL = 1.5;

/** CPU time the whole machine spent (all processes: the lab's sshd, stand-ins and services, and us), in ms. */
function machineCpuMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system (idle) (iowait) irq softirq steal
  return ((f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0)) * 10;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export default {
  name: 'health',
  description: `topology health sweep: ${NODES} nodes vs 1 node of the same lab cluster, ${ROUNDS} rounds each`,
  async run() {
    const lab = await harborLab(NODES);
    const core = testCore();
    try {
      await core.vault.initialize('bench vault passphrase');
      await saveClusterProfile(core.profiles, lab, { id: 'all', name: `${NODES} nodes`, nodes: lab.nodes });
      await saveClusterProfile(core.profiles, lab, { id: 'one', name: '1 node', nodes: [lab.node(1)] });
      const cpu: Record<string, number[]> = { one: [], all: [] };
      /** The app's and the lab nodes' CPU (sshd, stand-ins, Harbor-like services): what the machine's other work does not touch. */
      const own: Record<string, number[]> = { one: [], all: [] };
      const meters = lab.nodes.map(cpuMeter);
      const ownCpuMs = () => {
        const shots = meters.map((m) => m.snapshot());
        return (shots[0]!.desktop + shots.reduce((sum, s) => sum + s.node, 0)) * 1000;
      };
      const sweep = async (profileId: string) => {
        const cpu0 = machineCpuMs();
        const own0 = ownCpuMs();
        const r = await core.dispatcher.call('topology.sweep', { profileId }, { transport: 'websocket' });
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        const snap = r.value as { sweep: { durationMs: number }; nodes: { nodeId: string; status: string }[] };
        const bad = snap.nodes.filter((n) => n.status !== 'ok');
        if (bad.length) throw new Error(`${profileId}: not every node is healthy: ${JSON.stringify(bad)}`);
        cpu[profileId]!.push(machineCpuMs() - cpu0);
        own[profileId]!.push(Math.round(ownCpuMs() - own0));
        return snap.sweep.durationMs;
      };
      const rounds = async (n: number) => {
        const one: number[] = [];
        const all: number[] = [];
        for (let i = 0; i < WARMUP + n; i++) {
          // Alternate which goes first, so neither always follows the other.
          const order = i % 2 ? (['all', 'one'] as const) : (['one', 'all'] as const);
          for (const id of order) {
            const ms = await sweep(id);
            if (i >= WARMUP) (id === 'one' ? one : all).push(ms);
          }
        }
        return { one, all };
      };
      const cold = await rounds(COLD_ROUNDS);
      // Watched as the page watches them (the interval far away: the sweeps here are on demand).
      const watch = (profileId: string) => {
        const sub = core.dispatcher.subscribe(
          `bench-${profileId}`,
          'topology.watch',
          { profileId, intervalMs: 3_600_000 },
          () => undefined,
          { transport: 'websocket' },
        );
        if (!sub.envelope.ok) throw new Error(JSON.stringify(sub.envelope.error));
        return sub.stop;
      };
      const stops = [watch('one'), watch('all')];
      cpu.one = [];
      cpu.all = [];
      own.one = [];
      own.all = [];
      const { one, all } = await rounds(ROUNDS);
      for (const stop of stops) stop();
      const m1 = median(one);
      const m8 = median(all);
      const ratio = m8 / m1;
      return {
        figures: [
          { label: `full sweep, ${NODES} nodes, watched (median of ${ROUNDS})`, value: m8, unit: 'ms' },
          { label: 'sweep of 1 node, watched (reference, median)', value: m1, unit: 'ms' },
          {
            label: `full sweep, ${NODES} nodes, unwatched: a login per node (median of ${COLD_ROUNDS})`,
            value: median(cold.all),
            unit: 'ms',
          },
          { label: 'sweep of 1 node, unwatched (median)', value: median(cold.one), unit: 'ms' },
        ],
        ratio,
        ratioLabel: `${NODES}-node sweep / 1-node sweep`,
        goal: `<= ${GOAL}`,
        met: ratio <= GOAL,
        notes: [
          'a sweep, per node: sshd greeting (or a login when unwatched), one command (docker ps, df, date, sha256 of the key files), Harbor /api/v2.0/health asked on the node, PostgreSQL, Redis and OSS opened from the node; and Harbor through HAProxy',
          `lab nodes share this machine's CPUs (sshd, the docker stand-in and the Harbor-like service of every node run here), real nodes do not`,
          `machine CPU per watched sweep (median; every process, other work on the machine included): 1 node ${median(cpu.one)} ms, ${NODES} nodes ${median(cpu.all)} ms; with ${availableParallelism()} CPUs the ${NODES}-node sweep cannot take less than about ${Math.round(median(cpu.all) / availableParallelism())} ms of wall time here`,
          `the app's and the lab nodes' CPU per watched sweep (median; the machine's other work excluded, the lab's PostgreSQL, Redis, HAProxy and OSS not counted): 1 node ${median(own.one)} ms, ${NODES} nodes ${median(own.all)} ms; bound from it: the ${NODES}-node sweep cannot take less than max(1-node sweep, CPU / ${availableParallelism()} CPUs) = ${Math.round(Math.max(m1, median(own.all) / availableParallelism()))} ms here, measured ${m8} ms`,
          `unwatched ratio: ${(median(cold.all) / median(cold.one)).toFixed(2)}`,
          `watched rounds, 8 nodes: ${all.join(', ')} ms; 1 node: ${one.join(', ')} ms`,
        ],
      };
    } finally {
      await core.close();
      await lab.down();
    }
  },
} satisfies Benchmark;
