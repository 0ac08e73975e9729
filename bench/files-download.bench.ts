/**
 * `npm run bench -- files` (#19), download: the Files panel's download of a BENCH_FILES_MB (default 512) MiB file of
 * random bytes into a local folder — streamed, hashed on both sides and verified before the rename — against `scp`
 * of the same file in the same run. Goal: the app's speed ≥ 0.9× scp's. The desktop's resident memory is sampled:
 * streamed, it does not grow with the file.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from './harness';
import { filesBench } from './files-setup';

const SIZE_MB = Number(process.env.BENCH_FILES_MB ?? 512);
const MB = 1 << 20;
const GOAL = 0.9;
const ROUNDS = Number(process.env.BENCH_FILES_ROUNDS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function seconds(work: () => unknown): Promise<number> {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
}

const benchmark: Benchmark = {
  name: 'files-download',
  description: `downloading a ${SIZE_MB} MiB file: the Files panel vs scp`,
  async run() {
    const b = await filesBench();
    try {
      await b.node.execOk(`head -c ${SIZE_MB}M /dev/urandom > /srv/big.bin`, { timeoutMs: 600_000 });
      const local = join(b.dir, 'big.bin');
      // Both read the file from the node's page cache: one read first.
      b.ssh('cat /srv/big.bin > /dev/null');
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      // Alternating, median of ROUNDS each: other work on the machine falls on both alike.
      const scps: number[] = [];
      const apps: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        scps.push(await seconds(() => b.scp('/srv/big.bin', local)));
        rmSync(local);
        apps.push(
          await seconds(async () => {
            const { jobId } = await b.files.download({ profileId: 'bench', nodeId: 'n1', remotePath: '/srv/big.bin', localFolder: b.dir });
            const end = await b.files.wait(jobId)!;
            if (end.status !== 'done') throw new Error(`the download ended ${end.status}: ${JSON.stringify(end.error)}`);
          }),
        );
        rmSync(local);
      }
      clearInterval(sampler);
      const scp = median(scps);
      const app = median(apps);
      const ratio = scp / app;
      return {
        figures: [
          { label: 'file', value: SIZE_MB, unit: 'MiB' },
          { label: `reference: scp (median of ${ROUNDS})`, value: scp, unit: 's' },
          { label: 'reference: scp rate', value: SIZE_MB / scp, unit: 'MiB/s' },
          { label: `app: download, stream + sha256 on both sides + rename (median of ${ROUNDS})`, value: app, unit: 's' },
          { label: 'app: rate', value: SIZE_MB / app, unit: 'MiB/s' },
          { label: 'desktop RSS before', value: rss0 / MB, unit: 'MiB' },
          { label: 'desktop RSS peak during the download', value: peak / MB, unit: 'MiB' },
        ],
        ratio,
        ratioLabel: 'app speed / scp speed',
        goal: `>= ${GOAL}`,
        met: ratio >= GOAL,
        notes: ['the app verifies the sha256 of the whole file on both sides before the rename; scp does not'],
      };
    } finally {
      await b.close();
    }
  },
};

export default benchmark;
