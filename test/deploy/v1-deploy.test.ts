/**
 * The Harbor 1.5 HA walkthrough end to end against the lab: 3 nodes with the v1 fixture installer,
 * MariaDB as RDS, PostgreSQL for Clair, Redis, OSS and a load balancer. A full deploy passes
 * verification; a second run changes nothing; a fourth node joins without touching the first three.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { testCore } from '../helpers/core';
import { statuses, failures } from '../helpers/deploy';
import { saveV1LabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';
import type { RunEvent } from '../../shared/api/contracts/deploy';

let l: lab.Lab;
const core = testCore();

async function deploy(request: Parameters<typeof core.deploy.start>[1] = {}): Promise<Journal> {
  const { runId } = await core.deploy.start('lab', request);
  return core.deploy.wait(runId);
}

beforeAll(async () => {
  l = await lab.up({ nodes: 4, harbor: 'v1', services: ['mariadb', 'postgres', 'redis', 'oss', 'lb'], bundleSize: 4 << 20 });
  await core.vault.initialize('vault passphrase for deploy tests');
  await saveV1LabProfile(core.profiles, l, { nodes: 3 });
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('Harbor 1.5 HA deployment', () => {
  it('deploys onto an empty lab and passes verification', async () => {
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    for (const step of ['preflight', 'installer', 'unpack', 'config', 'install', 'firewall'])
      expect(Object.values(s[step]!)).toEqual(['succeeded', 'succeeded', 'succeeded'].map((x) => (step === 'preflight' ? 'unchanged' : x)));
    expect(s.database).toEqual({ '*': 'succeeded' });
    expect(s['keys-verify']).toEqual({ '*': 'unchanged' });
    expect(s.verify).toEqual({ '*': 'unchanged' });
    // The image the verification pushed is served through the load balancer.
    const log = core.deploy.log(j.runId).map((e) => e.line.en);
    expect(log.some((x) => /pushed and pulled library\/harbor-ha-verify/.test(x))).toBe(true);
    // registry.sql created `registry` itself; Clair got its database.
    expect(log.some((x) => /imported registry.sql: database registry/.test(x))).toBe(true);
  }, 600_000);

  it('reports every step unchanged on a second run and leaves one NAT rule per port and chain', async () => {
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const all = Object.values(statuses(j)).flatMap((o) => Object.values(o));
    expect(new Set(all)).toEqual(new Set(['unchanged']));
    for (const n of l.nodes.slice(0, 3)) {
      const rules = (await n.execOk('iptables -t nat -S')).split('\n').filter((r) => r.includes('REDIRECT'));
      expect(rules.sort()).toEqual([
        `-A OUTPUT -d ${l.lb.address}/32 -p tcp -m tcp --dport 80 -j REDIRECT`,
        `-A PREROUTING -d ${l.lb.address}/32 -p tcp -m tcp --dport 80 -j REDIRECT`,
      ]);
    }
  }, 600_000);

  it('adds a fourth node: the first three report unchanged and the new one receives the keys and passes verification', async () => {
    const view = core.profiles.get('lab');
    const n4 = l.node(4);
    const p = structuredClone(view.profile);
    p.nodes.push({ ...p.nodes[1]!, id: 'n4', name: n4.name, host: n4.address, hostKeyFingerprint: n4.hostKeyFingerprint, jumpHosts: [] });
    await core.profiles.save(p, view.revision);
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    for (const [step, byNode] of Object.entries(s)) {
      for (const id of ['n1', 'n2', 'n3', '*']) if (byNode[id]) expect(`${step}@${id}: ${byNode[id]}`).toBe(`${step}@${id}: unchanged`);
    }
    for (const step of ['installer', 'unpack', 'config', 'install', 'firewall']) expect(s[step]!.n4).toBe('succeeded');
    const sums = async (n: lab.LabNode) =>
      n.execOk(
        'sha256sum /opt/harbor/common/config/ui/private_key.pem /opt/harbor/common/config/registry/root.crt /data/secretkey | cut -c1-64',
      );
    expect(await sums(n4)).toBe(await sums(l.node(1)));
    // The installer reached node 4 from node 1, not again from this computer.
    const log = core.deploy
      .log(j.runId)
      .filter((e) => e.stepId === 'installer' && e.nodeId === 'n4')
      .map((e) => e.line.en);
    expect(log.join('\n')).toMatch(/copied from node-1/);
  }, 600_000);

  it('fails only the node whose connection drops mid-install, and a resume completes it', async () => {
    // Something to install again everywhere: a new job worker count changes harbor.cfg.
    const view = core.profiles.get('lab');
    const p = structuredClone(view.profile);
    p.options.jobWorkers = 7;
    await core.profiles.save(p, view.revision);
    const victim = l.node(3);
    const { runId } = await core.deploy.start('lab');
    let dropped = false;
    const stop = core.deploy.subscribe(runId, (e: RunEvent) => {
      if (!dropped && e.kind === 'log' && e.entry.stepId === 'install' && e.entry.nodeId === 'n3' && /Step 1/.test(e.entry.line.en)) {
        dropped = true;
        void victim.dropConnections();
      }
    });
    const j = await core.deploy.wait(runId);
    stop();
    expect(dropped).toBe(true);
    expect(j.state).toBe('failed');
    const s = statuses(j);
    expect(s.install).toEqual({ n1: 'succeeded', n2: 'succeeded', n3: 'failed', n4: 'succeeded' });
    expect(s.firewall).toEqual({ n1: 'unchanged', n2: 'unchanged', n3: 'blocked', n4: 'unchanged' });
    expect(s['keys-verify']!['*']).toBe('blocked');
    expect(j.cells.install!.n3!.error!.en).toMatch(/node-3/);

    await victim.startSshd();
    const resumed = await core.deploy.resume(runId);
    const done = await core.deploy.wait(resumed.runId);
    expect(done.state, failures(done)).toBe('finished');
    const after = statuses(done);
    expect(after.install!.n3).toBe('succeeded');
    expect(after.install!.n1).toBe('unchanged');
    expect(after.verify!['*']).toBe('unchanged');
  }, 600_000);

  it('never writes a secret into the journals, logs, records or audit log', () => {
    const secrets = [
      l.mariadb.password,
      l.redis.password,
      l.oss.accessKeySecret,
      'Harbor-Lab-12345',
      l.node(1).password,
      l.postgres.password,
    ];
    const files = execFileSync(
      'find',
      [core.dataDir, '-type', 'f', '(', '-path', '*/deploy/*', '-o', '-name', 'audit.log', '-o', '-name', '*.log', ')'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(files.filter((f) => f.endsWith('.json')).length).toBeGreaterThan(3);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${f} holds a secret`).toBe(false);
    }
  });
});
