/**
 * When Harbor 2.x's core cannot start (it logs a fatal error and stops; docker starts it again), the install step says
 * so with core's own error instead of waiting out its ten minutes. Lab: one node, a first deploy, then a database the
 * preflight of that later run does not see again — its last schema migration marked dirty — and a reinstall.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCore } from '../helpers/core';
import { failures } from '../helpers/deploy';
import { saveV2LabProfile, V2_LAB_HARBOR_DB } from '../helpers/lab-profile';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();

async function sql(text: string, database = 'postgres'): Promise<void> {
  const c = new pg.Client({ ...l.postgres.connection, database });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  l = await lab.up({ nodes: 1, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  await core.vault.initialize('vault passphrase for the core-stops test');
  await createV2HarborRole(l);
  await saveV2LabProfile(core.profiles, l, { nodes: 1 });
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('Harbor 2.x core that cannot start', () => {
  it("ends the install step with core's fatal error, not after the health wait's ten minutes", async () => {
    const first = await core.deploy.wait((await core.deploy.start('lab')).runId);
    expect(first.state, failures(first)).toBe('finished');
    // a migration that stopped half-way: core refuses to start on it
    await sql(`UPDATE schema_migrations SET dirty = true`, V2_LAB_HARBOR_DB.database);
    const view = core.profiles.get('lab');
    const p = structuredClone(view.profile);
    p.options.jobWorkers += 1; // a changed harbor.yml: the node is installed again
    await core.profiles.save(p, view.revision);
    const j = await core.deploy.wait(
      (await core.deploy.start('lab', { only: ['config', 'install'], confirmDisruption: ['n1', 'n2'] })).runId,
    );
    expect(j.state).toBe('failed');
    expect(j.cells.install!.n1!.error!.en).toMatch(
      /node-1 .*: Harbor's core stops at start: failed to migrate the database, error: Dirty database version \d+\. Fix and force version\. \(\/var\/log\/harbor\/core\.log on the node\)/,
    );
    expect(j.cells.install!.n1!.error!['zh-CN']).toContain('Harbor core 启动时停止');
  }, 240_000);
});
