/**
 * Restores of a Harbor 2.x backup on the lab, with Harbor's own files and the real pg_restore (the harbor-db image's
 * client stands in as the host's). A cluster is deployed, an image pushed and a record written, then backed up. A
 * restore without consent over a serving cluster, and one with a wrong passphrase, change nothing anywhere. A restore
 * into the same cluster puts back the database as it was at the backup (a later record gone, the earlier one back) and
 * node 1's key material on a node that lost its own. A disaster-recovery drill restores the archive into a new profile
 * on wiped nodes with an empty database server-side name: everything is installed again from the installer and the
 * image pushed before the backup is pulled through the load balancer.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { ApiError } from '../../shared/errors';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { failures, statuses } from '../helpers/deploy';
import { screenshotEveryLook } from '../helpers/screenshots';
import { saveV2LabProfile, V2_LAB_HARBOR_DB } from '../helpers/lab-profile';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';
import { pullImage, pushTinyImage } from '../lab/registry-client';

let l: lab.Lab;
let t: LabBrowser;
let core: LabBrowser['core'];
const ADMIN = 'Harbor-Lab-12345';
const PASSPHRASE = 'restore passphrase for the lab 5c1d';
let folder: string;
let archive: string;
const SECRETKEY = '/data/secret/keys/secretkey';
const CORE_ENV = '/opt/harbor/common/config/core/env';

async function sql(text: string, database = 'postgres'): Promise<pg.QueryResultRow[]> {
  const c = new pg.Client({ ...l.postgres.connection, database });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/** Harbor's own settings table, where the test leaves its markers (as Harbor's account, which owns it). */
async function markers(database: string = V2_LAB_HARBOR_DB.database): Promise<string[]> {
  const rows = await sql("SELECT v FROM properties WHERE k LIKE 'lab_marker%' ORDER BY v", database);
  return rows.map((r) => r.v as string);
}

async function asHarbor(text: string): Promise<void> {
  const c = new pg.Client({
    ...l.postgres.connection,
    user: V2_LAB_HARBOR_DB.user,
    password: V2_LAB_HARBOR_DB.password,
    database: V2_LAB_HARBOR_DB.database,
  });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

const coreRunning = async (n: number) => (await l.node(n).execOk("docker ps --format '{{.Names}}'")).split('\n').includes('harbor-core');
const csrfOf = async (n: number) => /^CSRF_KEY=(.*)$/m.exec(await l.node(n).readText(CORE_ENV))?.[1];

async function restore(profileId: string, o: { passphrase?: string; confirmation?: string } = {}): Promise<Journal> {
  const { runId } = await core.maintenance.restore(profileId, {
    file: archive,
    passphrase: o.passphrase ?? PASSPHRASE,
    ...(o.confirmation ? { confirmation: o.confirmation } : {}),
  });
  return core.deploy.wait(runId);
}

let node1Secretkey: Buffer;
let node1Csrf: string | undefined;

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 }),
    vaultPassphrase: 'vault passphrase for restore tests',
  });
  ({ lab: l, core } = t);
  await createV2HarborRole(l);
  await saveV2LabProfile(core.profiles, l, { nodes: 2 });
  const deployed = await core.deploy.wait((await core.deploy.start('lab')).runId);
  expect(deployed.state, failures(deployed)).toBe('finished');
  await pushTinyImage(`http://${l.lb.address}`, 'library/before-backup', 'v1', 'admin', ADMIN);
  await asHarbor("INSERT INTO properties (k, v) VALUES ('lab_marker_1', 'written-before-backup')");
  folder = mkdtempSync(join(tmpdir(), 'harbor-restores-'));
  const backup = await core.deploy.wait((await core.maintenance.backup('lab', { folder, keep: 3, passphrase: PASSPHRASE })).runId);
  expect(backup.state, failures(backup)).toBe('finished');
  archive = join(
    folder,
    readdirSync(folder).find((f) => f.endsWith('.tar.age'))!,
  );
  node1Secretkey = await l.node(1).readFile(SECRETKEY);
  node1Csrf = await csrfOf(1);
  // What happens after the backup, and what the restore must undo.
  await asHarbor("INSERT INTO properties (k, v) VALUES ('lab_marker_2', 'written-after-backup')");
  await asHarbor("DELETE FROM properties WHERE k = 'lab_marker_1'");
}, 400_000);

afterAll(async () => {
  await t?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('a Harbor 2.x restore', () => {
  it('changes nothing without consent over a serving cluster, or with a wrong passphrase', async () => {
    const refused = await core.maintenance.restore('lab', { file: archive, passphrase: PASSPHRASE }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).reason).toBe('restore');
    expect((refused as ApiError).message).toContain(`type the database host ${l.postgres.address}`);

    const wrong = await restore('lab', { passphrase: 'not the passphrase of it', confirmation: l.postgres.address });
    expect(wrong.state).toBe('failed');
    expect(statuses(wrong)['restore-check']).toEqual({ '*': 'failed' });
    expect(failures(wrong)).toContain('The passphrase does not open this archive');
    expect(statuses(wrong)['restore-stop']).toEqual({ n1: 'blocked', n2: 'blocked' });
    // nothing changed anywhere: Harbor serves on both nodes, the database holds what was written after the backup
    expect(await coreRunning(1)).toBe(true);
    expect(await coreRunning(2)).toBe(true);
    expect(await markers()).toEqual(['written-after-backup']);
    expect(JSON.stringify(core.deploy.run(wrong.runId))).not.toContain(PASSPHRASE);
  }, 120_000);

  it('puts the cluster back as it was at the backup: its database, and node 1 key material on every node', async () => {
    // node 2 lost its secret key (a disk replaced): the restore puts node 1's back from the archive
    await l.node(2).writeFile(SECRETKEY, 'lost-and-replaced', 0o600);
    const j = await restore('lab', { confirmation: l.postgres.address });
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    expect(s['restore-check']).toEqual({ '*': 'passed' });
    expect(s['restore-stop']).toEqual({ n1: 'succeeded', n2: 'succeeded' });
    expect(s['restore-database']).toEqual({ '*': 'succeeded' });
    expect(s['install']).toEqual({ n1: 'succeeded', n2: 'succeeded' });
    expect(s['verify']).toEqual({ '*': 'passed' });
    expect(await markers()).toEqual(['written-before-backup']);
    for (const n of [1, 2]) {
      expect(await l.node(n).readFile(SECRETKEY)).toEqual(node1Secretkey);
      expect(await csrfOf(n)).toBe(node1Csrf);
    }
    // the dump and its password file are gone from node 1
    expect(readdirSync(folder).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(await l.node(1).exists(`/data/harbor-ha-backup/${j.runId}`)).toBe(false);
    await pullImage(`http://${l.lb.address}`, 'library/before-backup', 'v1', 'admin', ADMIN);
    expect(JSON.stringify(core.deploy.run(j.runId))).not.toContain(PASSPHRASE);
  }, 400_000);

  it('is done from the Maintenance page: the archive chosen, its passphrase, the database host typed when asked', async () => {
    const page = t.page;
    const byId = (id: string) => page.getByTestId(id);
    await asHarbor("INSERT INTO properties (k, v) VALUES ('lab_marker_3', 'written-before-the-page-restore')");
    await page.goto(`${t.serve.url}#/maintenance`);
    await byId('maint-folder').fill(folder);
    await byId('maint-archives-refresh').click();
    await page.locator('[data-testid=maint-archive]').first().getByTestId('maint-restore').click();
    await expect.poll(() => page.locator('#maint-restore-file').inputValue()).toBe(archive);
    expect(await byId('maint-restore-what').innerText()).toContain(`the Harbor database on ${l.postgres.address} is replaced`);
    await byId('maint-restore-pass').fill(PASSPHRASE);
    await byId('maint-restore-ok').click();
    // the cluster serves: the core asks for the host, and the dialog stays open with what was typed
    await byId('maint-restore-error').getByText(`type the database host ${l.postgres.address}`).waitFor();
    const before = await page.locator('[data-testid=maint-run]').getAttribute('data-run');
    await byId('maint-restore-confirm').fill(l.postgres.address);
    await byId('maint-restore-ok').click();
    // the new run replaces the one shown, and is followed until it ends
    await page
      .locator(`[data-testid=maint-run][data-state=finished][data-active=false]:not([data-run="${before}"])`)
      .waitFor({ timeout: 300_000 });
    expect(await page.locator('[data-testid=maint-run]').innerText()).toContain('Restore run of');
    expect(await page.locator('[data-testid=maint-step][data-step=restore-database]').getAttribute('data-status')).toBe('succeeded');
    const cells = page.locator('[data-testid=maint-step][data-step=install] [data-testid=maint-node-cell]');
    expect(await cells.count()).toBe(2);
    for (const c of await cells.all()) expect(await c.getAttribute('data-status')).toBe('succeeded');
    expect(await markers()).toEqual(['written-before-backup']);
    expect(await page.content()).not.toContain(PASSPHRASE);
    await screenshotEveryLook(page, 'maintenance-restore', page.locator('[data-testid=maint-run]'));
    expect(t.errors).toEqual([]);
  }, 400_000);

  it('has an Upgrade panel that asks what an upgrade needs and shows the core refusing a hop backwards', async () => {
    const page = t.page;
    const byId = (id: string) => page.getByTestId(id);
    await page.goto(`${t.serve.url}#/maintenance`);
    await byId('maint-upgrade').getByText('The cluster runs Harbor 2.15.2').waitFor();
    // What the panel checks itself: a release version, the installer, the reason of a skipped backup.
    await byId('maint-upgrade-version').fill('2.16');
    await byId('maint-upgrade-mode').getByText('Skip the backup').click();
    await byId('maint-upgrade-reason').fill('too short');
    await byId('maint-upgrade-start').click();
    await byId('maint-upgrade').getByText('A release version such as 2.15.2.').waitFor();
    await byId('maint-upgrade').getByText('Enter the path of the installer.').waitFor();
    await byId('maint-upgrade').getByText('Say why in at least 10 characters.').waitFor();
    // What the core refuses, under the field it names; the profile keeps its version.
    await byId('maint-upgrade-version').fill('2.14.4');
    await byId('maint-upgrade-installer').fill(l.installers.v2!);
    await byId('maint-upgrade-reason').fill('a backup was taken this morning');
    await byId('maint-upgrade-start').click();
    await byId('maint-upgrade').getByText('2.14.4 is not newer than 2.15.2').waitFor();
    expect(core.profiles.get('lab').profile.harbor.version).toBe('2.15.2');
    expect(t.errors).toEqual([]);
  });

  it('is a disaster-recovery drill: a new profile on wiped nodes and a new database, installed from nothing', async () => {
    for (const n of [1, 2]) {
      await l.node(n).execOk('cd /opt/harbor && docker compose down');
      await l.node(n).execOk('rm -rf /opt/harbor /opt/harbor-ha /data/* /var/log/harbor');
    }
    await saveV2LabProfile(core.profiles, l, {
      nodes: 2,
      tweak: (p) => {
        p.id = 'dr';
        p.name = 'Recovery drill';
        if (p.database.engine === 'postgresql') p.database.harbor.database = 'registry_dr';
      },
    });
    const j = await restore('dr');
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    expect(s['restore-stop']).toEqual({ n1: 'unchanged', n2: 'unchanged' });
    expect(s['installer']).toEqual({ n1: 'succeeded', n2: 'succeeded' });
    expect(await markers('registry_dr')).toEqual(['written-before-backup']);
    for (const n of [1, 2]) expect(await l.node(n).readFile(SECRETKEY)).toEqual(node1Secretkey);
    await pullImage(`http://${l.lb.address}`, 'library/before-backup', 'v1', 'admin', ADMIN);
  }, 600_000);
});
