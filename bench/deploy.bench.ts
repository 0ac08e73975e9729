/**
 * (#6) A full Harbor 1.5 deployment to 1, 3 and 8 nodes in one run, with a 64 MiB installer and the
 * desktop's uplink limited as in the transfer benchmarks (every SSH connection of the app goes
 * through a token-bucket relay; the nodes reach each other directly at their private addresses).
 * Each size gets its own nodes and a fresh `registry` database. All lab nodes share this machine's
 * cores, so machine CPU time is reported beside wall time. Goals: time(8)/time(1) ≤ 1.6, and the
 * desktop sends the installer once (≈ 1× its size) whatever the node count.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createCore } from '../electron/core/core';
import { createLog, Redactor } from '../electron/core/log';
import { profileSchema } from '../shared/profile';
import { v1Profile } from '../test/helpers/profiles';
import * as lab from '../test/lab';
import type { Benchmark } from './harness';
import { MB, uplink } from './transfer-setup';

const SIZE_MB = Number(process.env.BENCH_DEPLOY_MB ?? 64);
const RATE = Number(process.env.BENCH_UPLINK_MBPS ?? 20) * 1e6;
const SIZES = [1, 3, 8] as const;

/** Jiffies of the whole machine (all processes: the app, sshd, the nodes' stand-ins). */
function machineCpuMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = cpu[0]! + cpu[1]! + cpu[2]! + (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0);
  return busy * 10;
}

export default {
  name: 'deploy',
  description: `full Harbor 1.5 deploy to ${SIZES.join(', ')} nodes, ${SIZE_MB} MiB installer, desktop uplink ${RATE / 1e6} MB/s`,
  async run() {
    const total = SIZES.reduce((a, b) => a + b, 0);
    const l = await lab.up({ nodes: total, harbor: 'v1', services: ['mariadb', 'redis', 'oss', 'lb'], bundleSize: SIZE_MB * MB });
    const link = uplink(RATE);
    const figures: { label: string; value: number; unit: string }[] = [];
    const results: { n: number; ms: number; cpuMs: number; up: number; state: string }[] = [];
    const stepNotes: string[] = [];
    try {
      const installerBytes = statSync(l.installers.v1!).size;
      figures.push({ label: 'installer', value: installerBytes / MB, unit: 'MiB' });
      let first = 0;
      for (const n of SIZES) {
        const nodes = l.nodes.slice(first, first + n);
        first += n;
        const db = await createConnection(l.mariadb.connection);
        await db.query('DROP DATABASE IF EXISTS registry');
        await db.end();
        const dataDir = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
        const redactor = new Redactor();
        const core = createCore({ host: { name: 'bench', version: '0', electron: null, chrome: null, locale: 'en', dataDir }, log: createLog({ file: join(dataDir, 'log'), redactor, echo: false }), redactor });
        await core.vault.initialize('bench vault passphrase');
        const via = await Promise.all(nodes.map((node) => link.forward(node.address, node.port)));
        await core.profiles.save(
          profileSchema.parse(
            v1Profile((p) => {
              p.id = `bench-${n}`;
              p.name = `Bench ${n}`;
              p.harbor = { generation: 'v1', version: '1.5.4', installer: { kind: 'local', path: l.installers.v1! }, adminPassword: { value: 'Bench-Admin-1' } };
              p.access = { domain: l.registryName, protocol: 'http', privateKey: { set: false } };
              p.nodes = nodes.map((node, i) => ({
                id: `n${i + 1}`,
                name: node.name,
                // The desktop reaches the node through the limited uplink; the nodes reach it directly.
                host: via[i]!.host,
                port: via[i]!.port,
                privateAddress: node.address,
                hostKeyFingerprint: node.hostKeyFingerprint,
                auth: { kind: 'key', keyPath: node.privateKeyPath, passphrase: { set: false } },
              }));
              p.loadBalancer = { kind: 'self-hosted', address: l.lb.address, software: 'haproxy' };
              p.database = { engine: 'mysql', host: l.mariadb.address, port: l.mariadb.port, admin: { user: 'root', password: { value: l.mariadb.password } }, harbor: { user: 'root', password: { value: l.mariadb.password } } };
              delete p.clair;
              p.redis = { host: l.redis.address, port: l.redis.port, auth: 'password', password: { value: l.redis.password } };
              p.oss = { region: l.oss.region, bucket: l.oss.bucket, internal: true, secure: false, accessKeyId: l.oss.accessKeyId, accessKeySecret: { value: l.oss.accessKeySecret }, rootDirectory: '/harbor' };
              p.options = { scanner: 'none', jobWorkers: 4 };
            }),
          ),
        );
        link.reset();
        const cpu0 = machineCpuMs();
        const t0 = performance.now();
        const { runId } = await core.deploy.start(`bench-${n}`);
        const j = await core.deploy.wait(runId);
        const ms = performance.now() - t0;
        const cpuMs = machineCpuMs() - cpu0;
        results.push({ n, ms, cpuMs, up: link.up, state: j.state });
        // Where the time went: each step from its first start to its last finish.
        const spans = j.steps.map((id) => {
          const cells = Object.values(j.cells[id] ?? {});
          const start = Math.min(...cells.map((c) => Date.parse(c.startedAt ?? '') || Infinity));
          const end = Math.max(...cells.map((c) => Date.parse(c.finishedAt ?? '') || 0));
          return `${id} ${((end - start) / 1000).toFixed(1)}s`;
        });
        stepNotes.push(`${n} node(s): ${spans.join(', ')}`);
        if (j.state !== 'finished') {
          const bad = Object.entries(j.cells).flatMap(([s, b]) => Object.entries(b).filter(([, c]) => c.status === 'failed').map(([id, c]) => `${s}@${id}: ${c.error?.en}`));
          throw new Error(`deploy to ${n} nodes ended ${j.state}: ${bad.join('; ')}`);
        }
        await core.close();
        // The load balancer forwards to every lab node that answers: take this cluster out before the next.
        await Promise.all(nodes.map((x) => x.execOk('cd /opt/harbor && docker-compose down')));
        await new Promise((r) => setTimeout(r, 1500));
        figures.push({ label: `${n} node(s): wall`, value: ms / 1000, unit: 's' });
        figures.push({ label: `${n} node(s): machine CPU`, value: cpuMs / 1000, unit: 's' });
        figures.push({ label: `${n} node(s): desktop bytes sent / installer`, value: link.up / installerBytes, unit: '×' });
      }
      const one = results.find((r) => r.n === 1)!;
      const eight = results.find((r) => r.n === 8)!;
      const ratio = eight.ms / one.ms;
      const bytesOk = results.every((r) => r.up / installerBytes < 1.1);
      return {
        figures,
        ratio,
        ratioLabel: 'time(8 nodes) / time(1 node)',
        goal: '<= 1.6, and desktop bytes ≈ 1× installer for every N',
        met: ratio <= 1.6 && bytesOk,
        notes: [`CPU(8)/CPU(1) = ${(eight.cpuMs / one.cpuMs).toFixed(2)}: the 8 nodes' install work shares this machine's cores`, ...stepNotes],
      };
    } finally {
      await link.close();
      await l.down();
    }
  },
} satisfies Benchmark;
