/**
 * (a) Upload of a 512 MB file to one lab node: our upload (a byte stream into the partial file,
 * sha256 verified on the node, rename) against OpenSSH `scp` of the same file in the same run.
 * Goal: ≥ 1.2× scp's throughput. Rounds alternate; the best round of each counts.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256FileInWorker } from '../electron/core/transfer/local';
import { uploadFile } from '../electron/core/transfer/upload';
import * as lab from '../test/lab';
import type { Benchmark } from './harness';
import { MB, labKnownHosts, labSession, randomFile } from './transfer-setup';

const SIZE = Number(process.env.BENCH_UPLOAD_MB ?? 512) * MB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

export default {
  name: 'upload',
  description: `upload ${SIZE / MB} MB to one lab node: our upload with sha256 check vs OpenSSH scp`,
  async run() {
    const l = await lab.up({ nodes: 1, services: [] });
    const file = randomFile(SIZE);
    try {
      const n = l.node(1);
      const kh = labKnownHosts(file.dir, [n]);
      // The same key the upload uses; the host key checked against the same known_hosts file as ours.
      const scpArgs = ['-q', '-i', n.privateKeyPath, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${kh.appFile}`, '-o', 'LogLevel=ERROR'];
      const empty = join(file.dir, 'empty');
      writeFileSync(empty, '');
      const scp = (src: string, dst: string) => {
        const t = performance.now();
        execFileSync('scp', [...scpArgs, src, `root@${n.address}:${dst}`], { stdio: ['ignore', 'ignore', 'inherit'] });
        return performance.now() - t;
      };
      const s = await labSession(n, kh);
      const scpMs: number[] = [];
      const oursMs: number[] = [];
      const transferMs: number[] = [];
      const knownMs: number[] = [];
      // The deployment hashes the installer once and passes the sum to every upload of it.
      const known = await sha256FileInWorker(file.path);
      for (let i = 0; i < ROUNDS; i++) {
        await n.execOk('rm -f /root/scp.bin /root/ours.bin /root/.ours.bin.*');
        const setup = scp(empty, '/root/empty');
        scpMs.push(scp(file.path, '/root/scp.bin') - setup);
        await n.execOk('rm -f /root/scp.bin');
        const t = performance.now();
        let verifyAt = 0;
        const r = await uploadFile(s, file.path, '/root/ours.bin', { onProgress: (p) => p.phase === 'verifying' && !verifyAt && (verifyAt = performance.now()) });
        oursMs.push(performance.now() - t);
        transferMs.push(verifyAt - t);
        if (r.status !== 'uploaded' || r.sent !== SIZE) throw new Error(`unexpected upload result ${JSON.stringify(r)}`);
        await n.execOk('rm -f /root/ours.bin');
        const k = performance.now();
        const rk = await uploadFile(s, file.path, '/root/ours.bin', { sha256: known });
        knownMs.push(performance.now() - k);
        if (rk.status !== 'uploaded' || rk.sha256 !== known) throw new Error(`unexpected upload result ${JSON.stringify(rk)}`);
      }
      s.connection.close();
      const rate = (ms: number) => SIZE / 1e6 / (ms / 1000);
      const scpBest = rate(Math.min(...scpMs));
      const oursBest = rate(Math.min(...oursMs));
      const ratio = oursBest / scpBest;
      return {
        figures: [
          { label: 'OpenSSH scp (reference, best round)', value: scpBest, unit: 'MB/s' },
          { label: 'ours: whole upload incl. sha256 on the node and rename (best round)', value: oursBest, unit: 'MB/s' },
          { label: 'ours: until the last byte was handed to the channel (best round)', value: rate(Math.min(...transferMs)), unit: 'MB/s' },
          { label: 'ours with the local sha256 known beforehand, as the deployment uploads (context; still checked on the node)', value: rate(Math.min(...knownMs)), unit: 'MB/s' },
          { label: 'rounds scp / ours', value: ROUNDS, unit: `(scp ${scpMs.map((m) => rate(m).toFixed(0)).join(', ')}; ours ${oursMs.map((m) => rate(m).toFixed(0)).join(', ')}; known sum ${knownMs.map((m) => rate(m).toFixed(0)).join(', ')} MB/s)` },
        ],
        ratio,
        ratioLabel: 'our throughput / scp throughput',
        goal: '>= 1.2',
        met: ratio >= 1.2,
        notes: [`file ${SIZE / MB} MiB random; connection setup excluded from both (scp: minus an empty-file scp); scp verifies nothing, ours checks sha256 on the node`],
      };
    } finally {
      file.remove();
      await l.down();
    }
  },
} satisfies Benchmark;
