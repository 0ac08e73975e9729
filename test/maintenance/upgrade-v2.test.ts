/**
 * An upgrade of a Harbor 2.14.4 cluster to 2.15.2 on the lab, with both versions' own release files: Harbor's real
 * schema migrations run in node 1's core at its first start (test/lab/node/harbor-core-db.mjs applies the release's
 * migrations/postgresql files as golang-migrate does). A hop backwards and a missing installer are refused before the
 * profile changes. With a table the 2.15 migration alters renamed away (a DBA's change), node 1's migration fails
 * half-way, the version left dirty: the rollback restores the backup the upgrade took first and reinstalls 2.14.4
 * everywhere, and the cluster serves 2.14.4 with its data again. Put right, the upgrade goes through: 2.15.2 on every
 * node, the schema at 2.15's version, the data and the image pushed before still there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCore } from '../helpers/core';
import { failures, statuses } from '../helpers/deploy';
import { saveV2LabProfile, V2_LAB_HARBOR_DB } from '../helpers/lab-profile';
import { createV2HarborRole, labSql } from '../helpers/lab-sql';
import * as lab from '../lab';
import { pullImage, pushTinyImage } from '../lab/registry-client';
import { ApiError } from '../../shared/errors';

let l: lab.Lab;
const core = testCore();
let newInstaller: string;
let folder: string;
const ADMIN = 'Harbor-Lab-12345';
const PASSPHRASE = 'upgrade backup passphrase 93ab';

/** A statement as the superuser, on Harbor's database unless another is named. */
const sql = (text: string, database: string = V2_LAB_HARBOR_DB.database) => labSql(l, text, database);

const schema = async () => (await sql('SELECT version::int AS v, dirty FROM schema_migrations'))[0] as { v: number; dirty: boolean };
const coreImage = async (n: number) => (await l.node(n).execOk("docker inspect -f '{{.Config.Image}}' harbor-core")).trim();
const version = () => core.profiles.get('lab').profile.harbor.version;

beforeAll(async () => {
  l = await lab.up({
    nodes: 2,
    harbor: 'v2',
    versions: { v2: 'v2.14.4' },
    services: ['postgres', 'redis', 'oss', 'lb'],
    bundleSize: 1 << 20,
  });
  newInstaller = await l.installer('v2', { version: 'v2.15.2' });
  await core.vault.initialize('vault passphrase for upgrade tests');
  await createV2HarborRole(l);
  await saveV2LabProfile(core.profiles, l, { nodes: 2, tweak: (p) => (p.harbor.version = '2.14.4') });
  const j = await core.deploy.wait((await core.deploy.start('lab')).runId);
  expect(j.state, failures(j)).toBe('finished');
  expect(await coreImage(1)).toBe('goharbor/harbor-core:v2.14.4');
  await pushTinyImage(`http://${l.lb.address}`, 'library/before-upgrade', 'v1', 'admin', ADMIN);
  await sql("INSERT INTO properties (k, v) VALUES ('lab_marker', 'written-on-2.14.4')");
  folder = mkdtempSync(join(tmpdir(), 'harbor-upgrade-backups-'));
}, 400_000);

afterAll(async () => {
  await core.close();
  await l?.down();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('a Harbor 2.14.4 → 2.15.2 upgrade', () => {
  it('refuses a hop backwards and a missing installer before the profile changes', async () => {
    const back = await core.maintenance
      .upgrade('lab', { version: '2.14.1', installer: newInstaller, backup: { skip: 'refused before anything' } })
      .catch((e: unknown) => e);
    expect(back).toBeInstanceOf(ApiError);
    expect((back as ApiError).issues?.[0]?.path).toBe('version');
    expect((back as ApiError).message).toContain('2.14.1 is not newer than 2.14.4');
    const missing = await core.maintenance
      .upgrade('lab', {
        version: '2.15.2',
        installer: '/nowhere/harbor-offline-installer-v2.15.2.tgz',
        backup: { skip: 'refused before anything' },
      })
      .catch((e: unknown) => e);
    expect((missing as ApiError).issues?.[0]?.path).toBe('installer');
    expect(version()).toBe('2.14.4');
  });

  it('fails half-way through node 1 migration, and the rollback serves 2.14.4 with its data again', async () => {
    await sql('ALTER TABLE registry RENAME TO registry_renamed_by_a_dba');
    const { runId } = await core.maintenance.upgrade('lab', {
      version: '2.15.2',
      installer: newInstaller,
      backup: { folder, keep: 3, passphrase: PASSPHRASE },
    });
    expect(version()).toBe('2.15.2');
    const j = await core.deploy.wait(runId);
    expect(j.state).toBe('failed');
    const s = statuses(j);
    expect(s['upgrade-check']).toEqual({ n1: 'passed', n2: 'passed' });
    expect(s['backup-archive']).toEqual({ '*': 'succeeded' });
    expect(s['upgrade-stop']).toEqual({ n1: 'succeeded', n2: 'succeeded' });
    expect(s['install']).toEqual({ n1: 'failed', n2: 'blocked' });
    expect(failures(j)).toMatch(/core stops at start: .*(relation "registry" does not exist|Dirty database version 180)/);
    expect(await schema()).toEqual({ v: 180, dirty: true });

    const [upgrade] = core.maintenance.upgrades('lab');
    expect(upgrade).toMatchObject({ runId, from: { version: '2.14.4' }, to: { version: '2.15.2' } });
    const wrongHost = await core.maintenance
      .rollbackUpgrade(runId, { passphrase: PASSPHRASE, confirmation: 'not-the-host' })
      .catch((e: unknown) => e);
    expect((wrongHost as ApiError).reason).toBe('restore');
    // refused before anything ran: the profile still names the version the failed run went to
    expect(version()).toBe('2.15.2');
    const rolled = await core.maintenance.rollbackUpgrade(runId, { passphrase: PASSPHRASE, confirmation: l.postgres.address });
    const r = await core.deploy.wait(rolled.runId);
    expect(r.state, failures(r)).toBe('finished');
    expect(version()).toBe('2.14.4');
    for (const n of [1, 2]) expect(await coreImage(n)).toBe('goharbor/harbor-core:v2.14.4');
    expect(await schema()).toEqual({ v: 171, dirty: false });
    expect((await sql("SELECT v FROM properties WHERE k = 'lab_marker'"))[0]?.v).toBe('written-on-2.14.4');
    await pullImage(`http://${l.lb.address}`, 'library/before-upgrade', 'v1', 'admin', ADMIN);
  }, 600_000);

  it('goes through once the cause is put right: 2.15.2 everywhere, the schema migrated, the data still there', async () => {
    await sql('ALTER TABLE registry_renamed_by_a_dba RENAME TO registry');
    const { runId } = await core.maintenance.upgrade('lab', {
      version: '2.15.2',
      installer: newInstaller,
      backup: { skip: 'the backup of the failed attempt is an hour old' },
    });
    const j = await core.deploy.wait(runId);
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    expect(s['backup-dump']).toEqual({ '*': 'unchanged' });
    expect(j.cells['backup-dump']?.['*']?.reason?.en).toContain('skipped: the backup of the failed attempt is an hour old');
    expect(s['verify']).toEqual({ '*': 'passed' });
    for (const n of [1, 2]) expect(await coreImage(n)).toBe('goharbor/harbor-core:v2.15.2');
    expect(await schema()).toEqual({ v: 180, dirty: false });
    expect(
      (await sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'registry' AND column_name = 'ca_certificate'"))
        .length,
    ).toBe(1);
    expect((await sql("SELECT v FROM properties WHERE k = 'lab_marker'"))[0]?.v).toBe('written-on-2.14.4');
    await pullImage(`http://${l.lb.address}`, 'library/before-upgrade', 'v1', 'admin', ADMIN);
    expect(JSON.stringify(core.deploy.run(runId))).not.toContain(PASSPHRASE);
  }, 600_000);
});
