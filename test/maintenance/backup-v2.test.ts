/**
 * A backup of a Harbor 2.x cluster on the lab: deployed with Harbor's own files, an image pushed, then backed up with
 * the real pg_dump (the harbor-db image's client stands in as the host's) into an age-encrypted tar on the desktop.
 * Debian's `age` and `tar` open it without the app; pg_restore reads the dump; the key material is node 1's, byte for
 * byte. A connection dropped mid-stream fails the archive step and a resume finishes it from the dump left on node 1;
 * a wrong passphrase and a damaged copy are refused naming why; retention keeps the newest N.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { ApiError } from '../../shared/errors';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { screenshotEveryLook } from '../helpers/screenshots';
import { failures, statuses } from '../helpers/deploy';
import { saveV2LabProfile, V2_LAB_HARBOR_DB } from '../helpers/lab-profile';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';
import { pullImage, pushTinyImage } from '../lab/registry-client';

let l: lab.Lab;
let t: LabBrowser;
let core: LabBrowser['core'];
const ADMIN = 'Harbor-Lab-12345';
const PASSPHRASE = 'backup passphrase for the lab 7f3a';
let folder: string;

async function sql(text: string, database = 'postgres'): Promise<pg.QueryResultRow[]> {
  const c = new pg.Client({ ...l.postgres.connection, database });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/** A statement as Harbor's own account, which owns its database (what Harbor's core writes, the backup must hold). */
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

async function backup(): Promise<Journal> {
  const { runId } = await core.dispatcher
    .call('maintenance.backup', { profileId: 'lab', folder, keep: 2, passphrase: PASSPHRASE }, { transport: 'ipc' })
    .then((e) => {
      if (!e.ok) throw new Error(e.error.message.en);
      return e.value as { runId: string };
    });
  return core.deploy.wait(runId);
}

/** Decrypts with Debian's age (it reads a passphrase only from a terminal: `script` gives it one) and untars. */
function openWithStandardTools(archive: string): string {
  const out = mkdtempSync(join(tmpdir(), 'harbor-backup-open-'));
  const tarFile = join(out, 'backup.tar');
  const r = spawnSync('script', ['-qec', `age -d -o '${tarFile}' '${archive}'`, '/dev/null'], {
    input: `${PASSPHRASE}\n`,
    encoding: 'utf8',
  });
  expect(r.status, 'age -d').toBe(0);
  execFileSync('tar', ['-xf', tarFile, '-C', out]);
  return join(out, 'harbor-backup');
}

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 }),
    vaultPassphrase: 'vault passphrase for backup tests',
  });
  ({ lab: l, core } = t);
  await createV2HarborRole(l);
  await saveV2LabProfile(core.profiles, l, { nodes: 2 });
  const { runId } = await core.deploy.start('lab');
  const j = await core.deploy.wait(runId);
  expect(j.state, failures(j)).toBe('finished');
  await pushTinyImage(`http://${l.lb.address}`, 'library/before-backup', 'v1', 'admin', ADMIN);
  // A record in Harbor's own table, as core writes its settings (the lab's Harbor stand-in keeps images in OSS only).
  await asHarbor("INSERT INTO properties (k, v) VALUES ('lab_marker', 'written-before-backup')");
  folder = mkdtempSync(join(tmpdir(), 'harbor-backups-'));
}, 300_000);

afterAll(async () => {
  await t?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('a Harbor 2.x backup', () => {
  it('writes an archive that age, tar and pg_restore open without the app, holding node 1 key material', async () => {
    const j = await backup();
    expect(j.state, failures(j)).toBe('finished');
    expect(statuses(j)).toEqual({
      'backup-check': { '*': 'passed' },
      'backup-dump': { '*': 'succeeded' },
      'backup-archive': { '*': 'succeeded' },
    });
    const [archive] = readdirSync(folder);
    expect(archive).toMatch(/^harbor-backup-lab-.*\.tar\.age$/);
    const root = openWithStandardTools(join(folder, archive!));

    const manifest = JSON.parse(readFileSync(join(root, 'MANIFEST.json'), 'utf8')) as {
      harbor: { version: string };
      storage: { versioning: string };
      parts: { name: string; sha256: string }[];
    };
    expect(manifest.harbor.version).toBe('2.15.2');
    expect(manifest.storage.versioning).toBe('off');
    const names = manifest.parts.map((p) => p.name);
    for (const n of [
      'database/registry.pgdump',
      'keys/data/secret/keys/secretkey',
      'keys/data/secret/core/private_key.pem',
      'keys/CSRF_KEY',
      'config/opt/harbor/harbor.yml',
    ])
      expect(names).toContain(`harbor-backup/${n}`);
    expect(names.some((n) => /^harbor-backup\/profile\/.*\.harbor-profile\.json$/.test(n))).toBe(true);

    // The dump is PostgreSQL's custom format with Harbor's tables, and what Harbor wrote before is in it.
    const listing = execFileSync('pg_restore', ['-l', join(root, 'database/registry.pgdump')], { encoding: 'utf8' });
    expect(listing).toMatch(/TABLE public schema_migrations/);
    expect(listing).toMatch(/TABLE public repository /);
    const data = execFileSync('pg_restore', ['--data-only', '--table=properties', '-f', '-', join(root, 'database/registry.pgdump')], {
      encoding: 'utf8',
    });
    expect(data).toContain('written-before-backup');
    // The key material is node 1's, byte for byte, and the CSRF key its core's.
    expect(readFileSync(join(root, 'keys/data/secret/keys/secretkey'))).toEqual(await l.node(1).readFile('/data/secret/keys/secretkey'));
    const csrf = /^CSRF_KEY=.*$/m.exec(await l.node(1).readText('/opt/harbor/common/config/core/env'))![0];
    expect(readFileSync(join(root, 'keys/CSRF_KEY'), 'utf8').trim()).toBe(csrf);
    // Nothing is left on node 1: the dump and its credentials file went with the verified archive.
    expect(await l.node(1).exists('/data/harbor-ha-backup/' + j.runId)).toBe(false);
    // The passphrase is nowhere in the run's journal or log.
    const logged = JSON.stringify(core.deploy.run(j.runId));
    expect(logged).not.toContain(PASSPHRASE);
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('verifies an archive, and refuses a wrong passphrase and a damaged copy naming why', async () => {
    const [archive] = readdirSync(folder).filter((f) => f.endsWith('.tar.age'));
    const file = join(folder, archive!);
    const report = await core.maintenance.verify(file, PASSPHRASE);
    expect(report.parts.length).toBeGreaterThanOrEqual(7);
    expect(report.harborVersion).toBe('2.15.2');

    const wrong = await core.maintenance.verify(file, 'not the passphrase at all').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect((wrong as ApiError).reason).toBe('wrong_passphrase');

    // One bit flipped in the middle (the dump's bytes): the member that holds it is named.
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x10;
    const damaged = join(folder, 'damaged-copy.tar.age');
    writeFileSync(damaged, bytes);
    const broken = await core.maintenance.verify(damaged, PASSPHRASE).catch((e: unknown) => e);
    expect((broken as ApiError).reason).toBe('damaged');
    expect((broken as ApiError).message).toContain('database/registry.pgdump');
    rmSync(damaged);
  });

  it('resumes a backup whose connection dropped mid-stream, from the dump left on node 1', async () => {
    // Enough rows that the stream is still flowing when the connection goes (random bytes do not compress).
    await sql('CREATE EXTENSION IF NOT EXISTS pgcrypto', V2_LAB_HARBOR_DB.database);
    await asHarbor('CREATE TABLE lab_ballast (b bytea)');
    await asHarbor('INSERT INTO lab_ballast SELECT gen_random_bytes(1024) FROM generate_series(1, 24 * 1024)');
    const { runId } = await core.maintenance.backup('lab', { folder, keep: 2, passphrase: PASSPHRASE });
    let dropped = false;
    const stop = core.deploy.subscribe(runId, (e) => {
      if (!dropped && e.kind === 'progress' && e.stepId === 'backup-archive' && e.done > 4 << 20) {
        dropped = true;
        core.ssh.closeAll();
      }
    });
    const first = await core.deploy.wait(runId);
    stop();
    expect(dropped).toBe(true);
    expect(statuses(first)['backup-archive']).toEqual({ '*': 'failed' });
    expect(readdirSync(folder).filter((f) => f.endsWith('.partial'))).toEqual([]);

    await core.maintenance.resumeBackup(runId, { folder, keep: 2, passphrase: PASSPHRASE });
    const resumed = await core.deploy.wait(runId);
    expect(resumed.state, failures(resumed)).toBe('finished');
    // The dump made before the drop was reused: the dump step did not run again.
    expect(statuses(resumed)['backup-dump']).toEqual({ '*': 'unchanged' });
    const file = join(
      folder,
      readdirSync(folder).find((f) => f.includes(runId))!,
    );
    expect((await core.maintenance.verify(file, PASSPHRASE)).parts.length).toBeGreaterThanOrEqual(7);
    await asHarbor('DROP TABLE lab_ballast');
  }, 180_000);

  it('keeps the newest archives only, and Harbor serves the image pushed before throughout', async () => {
    const j = await backup();
    expect(j.state, failures(j)).toBe('finished');
    expect(readdirSync(folder).filter((f) => f.endsWith('.tar.age'))).toHaveLength(2);
    expect(core.maintenance.settings('lab')).toEqual({ folder, keep: 2 });
    await pullImage(`http://${l.lb.address}`, 'library/before-backup', 'v1', 'admin', ADMIN);
  });

  it('is done from the Maintenance page: passphrase twice, the run as it happens, the archive verified', async () => {
    const page = t.page;
    const byId = (id: string) => page.getByTestId(id);
    await page.goto(`${t.serve.url}#/maintenance`);
    // The only cluster is chosen; the folder and retention are the last backup's.
    await page.locator('[data-testid=maint-history] tbody tr').first().waitFor();
    await expect.poll(() => byId('maint-folder').inputValue()).toBe(folder);
    await byId('maint-passphrase').fill(PASSPHRASE);
    await byId('maint-repeat').fill(`${PASSPHRASE}x`);
    await byId('maint-start').click();
    await page.getByText('The two passphrases differ').waitFor();
    const before = await page.locator('[data-testid=maint-run]').getAttribute('data-run');
    await byId('maint-repeat').fill(PASSPHRASE);
    await byId('maint-start').click();
    // The new run replaces the last one on the page, and is followed until it ends.
    await page
      .locator(`[data-testid=maint-run][data-state=finished][data-active=false]:not([data-run="${before}"])`)
      .waitFor({ timeout: 120_000 });
    for (const step of ['backup-check', 'backup-dump', 'backup-archive'])
      expect(await page.locator(`[data-testid=maint-step][data-step=${step}]`).getAttribute('data-status')).toMatch(/^(passed|succeeded)$/);
    expect(await byId('maint-log').innerText()).toContain('verified:');
    // Cleared once the run started, and never in the page's markup (typed, nor while the dialog below is open).
    expect(await byId('maint-passphrase').inputValue()).toBe('');
    const html = await page.content();
    const at = html.indexOf(PASSPHRASE);
    expect(at, html.slice(Math.max(0, at - 300), at + 100)).toBe(-1);

    // keep 2: the newest two of the cluster's archives are listed
    await page.locator('[data-testid=maint-archive]').nth(1).waitFor();
    expect(await page.locator('[data-testid=maint-archive]').count()).toBe(2);
    await page.locator('[data-testid=maint-archive]').first().getByTestId('maint-verify').click();
    await byId('maint-pass-input').fill('not the passphrase');
    await byId('maint-pass-ok').click();
    await byId('maint-pass-error').getByText('The passphrase does not open this archive').waitFor();
    await byId('maint-pass-input').fill(PASSPHRASE);
    await byId('maint-pass-ok').click();
    await byId('maint-report-ok').waitFor();
    expect(await page.content()).not.toContain(PASSPHRASE);
    expect(await byId('maint-report').innerText()).toContain('database/registry.pgdump');
    await byId('maint-pass-cancel').click();
    await screenshotEveryLook(page, 'maintenance');
    expect(t.errors).toEqual([]);
  });
});
