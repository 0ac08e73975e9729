/**
 * (b) Relay to 4 nodes with the desktop's uplink simulated by a bandwidth-limited TCP relay on
 * loopback (token bucket, 20 MB/s by default; every desktop connection goes through it, the nodes
 * talk to each other directly). Reference, same run: the single-node upload through the same
 * limit. Goal: relay wall time ≤ 1.3× the single upload, desktop bytes ≈ 1× the file (the naive
 * way sends it 4×), sha256 equal on every node.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sha256FileInWorker } from '../electron/core/transfer/local';
import { relayFile, SourceFeed } from '../electron/core/transfer/relay';
import { uploadFile } from '../electron/core/transfer/upload';
import * as lab from '../test/lab';
import type { Benchmark } from './harness';
import { MB, labKnownHosts, labSession, randomFile, uplink } from './transfer-setup';

const SIZE = Number(process.env.BENCH_RELAY_MB ?? 256) * MB;
const RATE = Number(process.env.BENCH_UPLINK_MBPS ?? 20) * 1e6;
const NODES = 4;

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

export default {
  name: 'relay',
  description: `relay ${SIZE / MB} MiB to ${NODES} nodes through a ${RATE / 1e6} MB/s uplink vs one direct upload through the same uplink`,
  async run() {
    const l = await lab.up({ nodes: NODES, services: [] });
    const file = randomFile(SIZE);
    const link = uplink(RATE);
    try {
      const expected = await sha256(file.path);
      const kh = labKnownHosts(file.dir, l.nodes);
      const via = await Promise.all(l.nodes.map((n) => link.forward(n.address, n.port)));

      // Reference: one node, straight through the uplink.
      const single = await labSession(l.node(1), kh, via[0]);
      link.reset();
      let t = performance.now();
      const r1 = await uploadFile(single, file.path, '/root/single.bin');
      const singleMs = performance.now() - t;
      const singleUp = link.up;
      single.connection.close();
      if (r1.sha256 !== expected) throw new Error('single upload: sha256 differs');

      // Relay: the desktop sends to node 1 only; node 1 copies to nodes 2–4.
      const sessions = await Promise.all(l.nodes.map((n, i) => labSession(n, kh, via[i])));
      link.reset();
      t = performance.now();
      // As the core's relay mode does it: the copies inside start with the upload and follow it.
      const feed = new SourceFeed();
      const localSha = sha256FileInWorker(file.path);
      const relaying = relayFile({
        source: sessions[0]!,
        sourceAddresses: [l.node(1).address],
        sourcePath: '/root/relay.bin',
        remotePath: '/root/relay.bin',
        size: SIZE,
        sha256: localSha,
        feed,
        targets: l.nodes.slice(1).map((n, i) => ({ id: n.name, session: sessions[i + 1]!, host: n.address, port: n.port, user: 'root' })),
        knownHosts: kh,
      });
      const up = await uploadFile(sessions[0]!, file.path, '/root/relay.bin', {
        sha256: localSha,
        onContiguous: (part, n) => feed.push(part, n),
      });
      feed.end(up.status === 'unchanged' ? 'whole' : 'complete');
      const uploadMs = performance.now() - t;
      const results = await relaying;
      const relayMs = performance.now() - t;
      const relayUp = link.up;
      for (const s of sessions) s.connection.close();

      const failed = results.filter((r) => r.status !== 'done');
      const sums = await Promise.all(l.nodes.map(async (n) => (await n.execOk('sha256sum /root/relay.bin')).split(/\s+/)[0]));
      const allMatch = sums.every((s) => s === expected) && failed.length === 0;
      const keysLeft = (
        await Promise.all(l.nodes.map((n) => n.execOk('grep -c harbor-ha-deployer-relay /root/.ssh/authorized_keys || true')))
      ).map((x) => Number(x.trim()));
      const ratio = relayMs / singleMs;
      return {
        figures: [
          {
            label: 'single-node upload through the uplink (reference)',
            value: singleMs / 1000,
            unit: `s (${(SIZE / 1e6 / (singleMs / 1000)).toFixed(1)} MB/s, desktop sent ${(singleUp / MB).toFixed(1)} MiB)`,
          },
          {
            label: `relay to ${NODES} nodes, wall time`,
            value: relayMs / 1000,
            unit: `s (upload to node 1 done after ${(uploadMs / 1000).toFixed(1)} s, last node done ${((relayMs - uploadMs) / 1000).toFixed(1)} s later)`,
          },
          {
            label: 'desktop bytes sent during the relay',
            value: relayUp / MB,
            unit: `MiB = ${(relayUp / SIZE).toFixed(3)}× the file (naive: ${NODES}× = ${((NODES * SIZE) / MB).toFixed(0)} MiB)`,
          },
          { label: 'nodes whose sha256 matches the local file', value: sums.filter((s) => s === expected).length, unit: `of ${NODES}` },
          { label: 'temporary relay keys left in authorized_keys', value: keysLeft.reduce((a, b) => a + b, 0), unit: 'lines' },
        ],
        ratio,
        ratioLabel: 'relay wall time / single-node upload wall time',
        goal: '<= 1.3 (and desktop bytes ≈ 1× the file, sha256 equal on every node)',
        met: ratio <= 1.3 && allMatch && relayUp < 1.05 * SIZE,
        notes: [
          `file ${SIZE / MB} MiB random; uplink ${RATE / 1e6} MB/s token bucket shared by all desktop connections; node-to-node traffic unlimited`,
          ...failed.map((f) => `${f.id}: ${f.status} ${f.error?.message ?? ''}`),
        ],
      };
    } finally {
      await link.close();
      file.remove();
      await l.down();
    }
  },
} satisfies Benchmark;
