/**
 * The Logs view against the lab's Harbor itself: two lab nodes with Harbor 2.x installed by its own install.sh (the
 * stand-in writes /var/log/harbor as Harbor does: nginx's timed_combined in proxy.log, and at log level debug core's
 * "attach request id" line), requests sent through the lab's load balancer, then read through the real core: each
 * proxy line of those requests is traced to the core line of its request id on the node that served it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogChunk, LogTrace } from '../../shared/api/contracts/logs';
import { profileSchema } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';
import { caller } from '../helpers/terminal';
import * as lab from '../lab';
import { installHarbor, prepareHarborNode } from '../lab/harbor-yml';
import { request } from '../lab/registry-client';

let l: lab.Lab;
const core = testCore();
const call = caller(core);

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v2', bundleSize: 1 << 20 });
  const c = new pg.Client(l.postgres.connection);
  await c.connect();
  await c.query('CREATE DATABASE registry');
  await c.end();
  for (const n of l.nodes) {
    await prepareHarborNode(l, n, { edit: (d) => d.setIn(['log', 'level'], 'debug') });
    await installHarbor(n);
  }
  await l.lb.waitForBackends(80);
  await core.vault.initialize('vault passphrase for log tests with Harbor');
  await core.profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.nodes = l.nodes.map((n) => ({
          id: `n${n.index}`,
          name: n.name,
          host: n.address,
          hostKeyFingerprint: n.hostKeyFingerprint,
          auth: { kind: 'key' as const, keyPath: n.privateKeyPath, passphrase: { set: false } },
        }));
      }),
    ),
  );
}, 240_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('Harbor logs of the lab Harbor', () => {
  it('traces requests sent through the load balancer to the core line of their request id on the node that served them', async () => {
    const PATH = '/api/v2.0/systeminfo';
    for (let k = 0; k < 6; k++) expect((await request(`http://${l.lb.address}${PATH}`)).status).toBe(200);
    const chunk = await call<LogChunk>('logs.read', { profileId: 'lab', nodeIds: ['n1', 'n2'], filter: { components: ['proxy'] } });
    expect(chunk.failures).toEqual([]);
    const served = chunk.lines.filter((x) => x.request?.path === PATH);
    expect(served.length).toBeGreaterThanOrEqual(6);
    // The load balancer spread them: both nodes served some.
    expect(new Set(served.map((x) => x.node))).toEqual(new Set(['n1', 'n2']));
    for (const node of ['n1', 'n2']) {
      const proxy = served.find((x) => x.node === node)!;
      expect(proxy).toMatchObject({
        component: 'proxy',
        level: 'info',
        requestId: null,
        request: { method: 'GET', path: PATH, status: 200 },
      });
      const trace = await call<LogTrace>('logs.trace', { profileId: 'lab', nodeId: node, time: proxy.time, method: 'GET', path: PATH });
      const byId = trace.lines.filter((x) => x.match === 'request-id');
      expect(byId.length).toBeGreaterThan(0);
      expect(byId.every((x) => x.node === node && x.component === 'core' && x.requestId)).toBe(true);
      expect(byId.some((x) => x.text.includes(`attach request id ${x.requestId} to the logger for the request GET ${PATH}`))).toBe(true);
    }
  }, 120_000);
});
