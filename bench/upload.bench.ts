/**
 * (a) Upload of one big file to one lab node, every way side by side in the same run: our upload
 * (a byte stream into the partial file, sha256 verified on the node, rename), node-ssh's putFile
 * (ssh2 fastPut: pipelined SFTP writes) at several concurrencies followed by the same check, and
 * OpenSSH `scp` followed by `sha256sum` on the node, the reference an operator actually uses (its
 * scp part alone is reported too). Goal: verified upload ≥ 1.2× scp + sha256sum. Rounds alternate
 * (each round runs every engine, the order rotated); the best round of each counts, the median is
 * shown beside it, and the best round's CPU time says where the two cores went.
 */
import { sha256FileInWorker } from '../electron/core/transfer/local';
import * as lab from '../test/lab';
import type { CpuSpent } from './cpu';
import type { Benchmark, Figure } from './harness';
import { DEFAULT, ENGINE_FILES, REFERENCE, engines, type EngineRun } from './upload-engines';
import { MB, labKnownHosts, labSession, randomFile } from './transfer-setup';

const SIZE = Number(process.env.BENCH_UPLOAD_MB ?? 512) * MB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * fastPut variants as concurrency:chunkSize pairs: ssh2's defaults are 64:32768; 261120 B is the
 * largest WRITE OpenSSH's sftp-server takes (its limits@openssh.com).
 */
const FASTPUT = (process.env.BENCH_FASTPUT ?? '1:261120,16:32768,64:32768,8:261120,16:261120').split(',').map((v) => {
  const [concurrency, chunkSize] = v.split(':').map(Number);
  return { concurrency: concurrency!, chunkSize: chunkSize! };
});

const rate = (seconds: number) => SIZE / 1e6 / seconds;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Each round's MB/s, and the median (steadier than the best while others use the machine). */
const roundsText = (runs: EngineRun[]) =>
  `rounds ${runs.map((r) => rate(r.total.wall).toFixed(0)).join(', ')}, median ${rate(median(runs.map((r) => r.total.wall))).toFixed(0)}`;
const cpuText = (c: CpuSpent) =>
  `wall ${c.wall.toFixed(2)} s, CPU desktop ${c.desktop.toFixed(2)} s + node ${c.node.toFixed(2)} s, machine ${(c.machine / c.wall).toFixed(2)} of 2 cores busy`;

export default {
  name: 'upload',
  description: `upload ${SIZE / MB} MiB to one lab node: our stream and node-ssh putFile (each with sha256 on the node) vs OpenSSH scp + sha256sum`,
  async run() {
    const l = await lab.up({ nodes: 1, services: [] });
    const file = randomFile(SIZE);
    try {
      const n = l.node(1);
      const kh = labKnownHosts(file.dir, [n]);
      const session = await labSession(n, kh);
      // Hashed once, as a published checksum; every verified engine compares the node's sum with it.
      const sha256 = await sha256FileInWorker(file.path);
      const list = engines({ node: n, session, file: { ...file, size: SIZE }, sha256, knownHostsFile: kh.appFile }, FASTPUT);
      const only = process.env.BENCH_ONLY?.split('|');
      if (only)
        list.splice(
          0,
          list.length,
          ...list.filter((e) => e.name === REFERENCE || e.name === DEFAULT || only.some((o) => e.name.includes(o))),
        );
      const runs = new Map<string, EngineRun[]>(list.map((e) => [e.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < list.length; k++) {
          const e = list[(k + round) % list.length]!;
          await n.execOk(`rm -f ${ENGINE_FILES}`);
          runs.get(e.name)!.push(await e.run());
        }
      }
      await n.execOk(`rm -f ${ENGINE_FILES}`);
      session.connection.close();

      const best = (name: string) => runs.get(name)!.reduce((a, b) => (b.total.wall < a.total.wall ? b : a));
      const ref = best(REFERENCE);
      const scpOnly = runs
        .get(REFERENCE)!
        .map((r) => r.phases.find((p) => p.name === 'scp')!.cpu)
        .reduce((a, b) => (b.wall < a.wall ? b : a));
      const figures: Figure[] = [
        {
          label: `${REFERENCE} (reference, best round)`,
          value: rate(ref.total.wall),
          unit: `MB/s (${roundsText(runs.get(REFERENCE)!)}; ${cpuText(ref.total)}; sha256sum alone ${ref.phases[1]!.cpu.wall.toFixed(2)} s)`,
        },
        {
          label: 'OpenSSH scp alone, no check (its part of the reference, best round)',
          value: rate(scpOnly.wall),
          unit: `MB/s = ${(ref.total.wall / scpOnly.wall).toFixed(2)}× the reference (${cpuText(scpOnly)})`,
        },
      ];
      for (const e of list) {
        if (e.name === REFERENCE) continue;
        const b = best(e.name);
        const phases = b.phases.map((p) => `${p.name} ${p.cpu.wall.toFixed(2)} s`).join(' + ');
        figures.push({
          label: `${e.name} (best round)`,
          value: rate(b.total.wall),
          unit: `MB/s = ${(ref.total.wall / b.total.wall).toFixed(2)}× the reference (${roundsText(runs.get(e.name)!)}; ${phases}; ${cpuText(b.total)})`,
        });
      }
      const ratio = ref.total.wall / best(DEFAULT).total.wall;
      return {
        figures,
        ratio,
        ratioLabel: `default upload (${DEFAULT}) throughput / ${REFERENCE} throughput`,
        goal: '>= 1.2',
        met: ratio >= 1.2,
        notes: [
          `file ${SIZE / MB} MiB random, ${ROUNDS} rounds, engine order rotated each round; connection setup excluded (scp: minus an empty-file scp; the others share one open connection)`,
          "CPU: desktop = this process (all threads) + scp/ssh; node = every process in the lab node's namespace (sshd, cat, sftp-server, hashers); machine = busy time of both cores (includes anything else running)",
        ],
      };
    } finally {
      file.remove();
      await l.down();
    }
  },
} satisfies Benchmark;
