/**
 * The whitelists in a real preflight (issue #18): the lab's PostgreSQL and Redis sit behind gates that refuse node
 * addresses their Aliyun instance does not list, as RDS and Redis do. A preflight names each node the instances
 * refuse and the fix, before any login is tried; once the operator consents (cloud.allowNodes), the nodes are let in
 * and the same preflight passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { testCore } from '../helpers/core';
import { failures, statuses } from '../helpers/deploy';
import { saveV2LabProfile } from '../helpers/lab-profile';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();

async function preflight(): Promise<Journal> {
  const { runId } = await core.deploy.start('lab', { only: ['preflight'] });
  return core.deploy.wait(runId);
}

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb', 'cloud'], bundleSize: 1 << 20 });
  await core.vault.initialize('vault passphrase for whitelist preflight');
  await saveV2LabProfile(core.profiles, l, { cloud: true });
  // Harbor's own PostgreSQL account, as the operator creates it in the RDS console.
  await createV2HarborRole(l);
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('whitelists in the preflight', () => {
  it('names each node an instance refuses and the fix; after consent the nodes are let in and it passes', async () => {
    const refused = await preflight();
    for (const n of l.nodes) {
      const error = refused.cells.preflight![`n${n.index}`]!.error?.en ?? '';
      expect(error).toContain(`RDS ${l.cloud.ids.postgres} refuses ${n.address}: no whitelist group holds it`);
      expect(error).toContain(`Redis ${l.cloud.ids.redis} refuses ${n.address}`);
      expect(error).toContain('Allow the nodes');
    }

    for (const service of ['database', 'redis'] as const) {
      const env = await core.dispatcher.call(
        'cloud.allowNodes',
        { profileId: 'lab', service, nodeIds: ['n1', 'n2'], confirm: true },
        {
          transport: 'websocket',
        },
      );
      expect(env.ok).toBe(true);
    }
    expect(l.cloud.whitelist(l.cloud.ids.postgres)).toEqual(expect.arrayContaining([l.node(1).address, l.node(2).address]));

    const passed = await preflight();
    expect(failures(passed)).toBe('');
    expect(statuses(passed).preflight).toEqual({ n1: 'passed', n2: 'passed' });
    // The gate really let the nodes' logins through (the preflight logs into PostgreSQL and Redis from each node).
    expect(l.gates.postgres.decisions.filter((d) => d.allowed).map((d) => d.node)).toEqual(expect.arrayContaining(['node-1', 'node-2']));
  });
});
