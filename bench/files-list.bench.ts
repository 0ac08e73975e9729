/**
 * `npm run bench -- files` (#19), listing: the Files panel's listing of a folder of BENCH_FILES_COUNT (default 10 000)
 * files — SFTP readdir, the entries with owner names, sorted — against `ls -la` of the same folder over OpenSSH in the
 * same run, both on a connection already open, median of 7. Goal: ≤ 1.5×.
 */
import type { Benchmark } from './harness';
import { filesBench, medianSeconds } from './files-setup';

const COUNT = Number(process.env.BENCH_FILES_COUNT ?? 10_000);
const GOAL = 1.5;
const RUNS = 7;

const benchmark: Benchmark = {
  name: 'files-list',
  description: `listing a folder of ${COUNT} files: the Files panel (SFTP) vs ls -la over OpenSSH`,
  async run() {
    const b = await filesBench();
    try {
      await b.node.execOk(
        `rm -rf /srv/bench-many && mkdir -p /srv/bench-many && cd /srv/bench-many && seq -f 'file-%05g.log' 1 ${COUNT} | xargs touch`,
      );
      // Warm: the connections are open and the node's directory cache holds the folder.
      const first = await b.files.list('bench', 'n1', '/srv/bench-many');
      if (first.entries.length !== COUNT) throw new Error(`listed ${first.entries.length} of ${COUNT}`);
      b.ssh('ls -la /srv/bench-many > /dev/null');
      const reference = await medianSeconds(RUNS, () => b.ssh('ls -la /srv/bench-many'));
      const app = await medianSeconds(RUNS, () => b.files.list('bench', 'n1', '/srv/bench-many'));
      const ratio = app / reference;
      return {
        figures: [
          { label: 'files in the folder', value: COUNT, unit: '' },
          { label: 'reference: ls -la over OpenSSH (median)', value: reference * 1000, unit: 'ms' },
          { label: 'app: remoteFiles.list (median)', value: app * 1000, unit: 'ms' },
        ],
        ratio,
        ratioLabel: 'app listing / ls -la',
        goal: `<= ${GOAL}`,
        met: ratio <= GOAL,
      };
    } finally {
      await b.close();
    }
  },
};

export default benchmark;
