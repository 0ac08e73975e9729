/** The Profiles page in Chromium over serve mode: create, save, reopen, validate, clone, delete, export. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { launchChromium, openTestPage } from '../helpers/browser';
import { projectRoot, serveBuiltApp } from '../helpers/serve';

let browser: Browser;
let serve: ServeHandle;
let core: Awaited<ReturnType<typeof serveBuiltApp>>['core'];
let page: Page;
const errors: string[] = [];
const artifacts = join(projectRoot, 'test-results');

const NAME = 'Production Beijing';
const SECRETS = {
  admin: 'AdminPw9Zq',
  node0: 'NodePw-1-Xq7',
  node1: 'NodePw-2-Yr8',
  pgAdmin: 'PgAdminPw-Ux3',
  pgHarbor: 'PgHarborPw-Vw4',
  redis: 'RedisPw-Ty5',
  oss: 'OssSecret-Rs6',
} as const;
const VAULT_PASSPHRASE = 'vault-master-Pw-42';

beforeAll(async () => {
  ({ serve, core } = await serveBuiltApp());
  browser = await launchChromium();
  // Generous timeout: the machine may be busy with other suites; every wait is on DOM state, not on time.
  page = await openTestPage(
    browser,
    { acceptDownloads: true, viewport: { width: 1360, height: 900 }, timeoutMs: 45_000 },
    { errors, artifacts },
  );
});

afterAll(async () => {
  await browser?.close();
  await serve?.close();
});

const byId = (id: string) => page.getByTestId(id);
const fill = (path: string, value: string) => byId(`input-${path}`).fill(value);
const fillSecret = (path: string, value: string) => byId(`secret-${path}-input`).fill(value);

async function choose(path: string, option: string) {
  await byId(`input-${path}`).click();
  await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`).click();
}

/** Waits until the core has checked the current draft. */
async function settled() {
  await page.locator('[data-testid=profile-editor][data-checking=no]').waitFor();
}

/** A call straight to the core, as another window would make it. */
async function coreCall(name: string, input: unknown): Promise<unknown> {
  const envelope = await core.dispatcher.call(name, input, { transport: 'websocket' });
  if (!envelope.ok) throw new Error(envelope.error.message.en);
  return envelope.value;
}

const rows = () => page.locator('[data-testid=profile-row]');
const row = (name: string) => page.locator(`[data-testid=profile-row][data-name="${name}"]`);

describe('the Profiles page', () => {
  it('starts empty and explains what a profile is', async () => {
    await page.goto(serve.url);
    await byId('profiles-empty').waitFor();
    expect((await byId('empty-description').innerText()).toLowerCase()).toContain('profile describes one harbor ha cluster');
    expect(await byId('profiles-new').isVisible()).toBe(true);
    expect(await byId('profiles-import').isVisible()).toBe(true);
  });

  it('creates a Harbor 2.x profile through the form and saves it after setting up the vault', async () => {
    await byId('profiles-new').click();
    await byId('new-dialog').waitFor();
    expect(await byId('new-dialog').innerText()).toContain('PostgreSQL');
    await byId('new-submit').click();
    await byId('profile-editor').waitFor();
    expect(await byId('harbor-generation').innerText()).toContain('2.x');

    await fill('name', NAME);
    await fill('harbor.installer.path', '/tmp/harbor-offline-installer-v2.15.2.tgz');
    await fillSecret('harbor.adminPassword', SECRETS.admin);
    await fill('nodes.0.host', '192.168.10.10');
    await fillSecret('nodes.0.auth.password', SECRETS.node0);
    await byId('node-add').click();
    await byId('node-1').waitFor();
    expect(await byId('node-1').getAttribute('data-node-id')).toMatch(/^n-[0-9a-f]{6}$/);
    await fill('nodes.1.host', '192.168.10.11');
    await fillSecret('nodes.1.auth.password', SECRETS.node1);
    await fill('access.domain', 'registry.example.com');
    await choose('access.tlsTermination', 'Load balancer');
    await fill('database.host', 'pgm-abc.pg.rds.aliyuncs.com');
    await fill('database.admin.user', 'pgadmin');
    await fillSecret('database.admin.password', SECRETS.pgAdmin);
    await fill('database.harbor.user', 'harbor');
    await fillSecret('database.harbor.password', SECRETS.pgHarbor);
    await fill('redis.host', 'r-abc.redis.rds.aliyuncs.com');
    await fillSecret('redis.password', SECRETS.redis);
    await fill('oss.region', 'cn-beijing');
    await fill('oss.bucket', 'my-harbor-registry');
    await fill('oss.accessKeyId', 'LTAI5tExampleKeyId');
    await fillSecret('oss.accessKeySecret', SECRETS.oss);

    await page.locator('[data-testid=profile-editor][data-checking=no][data-issues="0"]').waitFor();
    // Advice from the core appears in its section.
    await byId('section-database').getByTestId('advice-v2-database').waitFor();
    expect(await byId('editor-status').getAttribute('class')).toBeTruthy();

    await byId('editor-save').click();
    // The vault is not set up yet: the app asks for a master passphrase, then retries the save.
    const vault = page.locator('[data-testid=vault-dialog][data-mode=setup]');
    await vault.waitFor();
    await byId('vault-passphrase').fill('short');
    expect(await byId('vault-submit').isDisabled()).toBe(true);
    await byId('vault-passphrase').fill(VAULT_PASSPHRASE);
    await byId('vault-passphrase-repeat').fill(VAULT_PASSPHRASE);
    await byId('vault-submit').click();
    await page.locator('[data-testid=profile-editor][data-status=saved]').waitFor();
    await vault.waitFor({ state: 'detached' });
  }, 240_000);

  it('lists the saved profile after a reload and reopens it with secrets shown only as set', async () => {
    await page.reload();
    await row(NAME).waitFor();
    expect(await rows().count()).toBe(1);
    const text = await row(NAME).innerText();
    expect(text).toContain('registry.example.com');
    expect(text).toContain('2.15.2');
    expect(await row(NAME).getByTestId('row-deploy').getAttribute('data-status')).toBe('never');
    await page.screenshot({ path: join(artifacts, 'profiles-list.png') });

    await row(NAME).getByTestId('row-open').click();
    await byId('profile-editor').waitFor();
    await settled();
    for (const path of [
      'harbor.adminPassword',
      'nodes.0.auth.password',
      'nodes.1.auth.password',
      'database.admin.password',
      'database.harbor.password',
      'redis.password',
      'oss.accessKeySecret',
    ]) {
      expect(await byId(`secret-${path}`).getAttribute('data-state')).toBe('set');
      expect(await byId(`secret-${path}-tag`).innerText()).toBe('set');
    }
    expect(await page.locator('input[type=password]').count()).toBe(0);
    const html = await page.content();
    for (const secret of Object.values(SECRETS)) expect(html).not.toContain(secret);
    expect(await byId('editor-status').innerText()).toBe('Saved');
    await page.screenshot({ path: join(artifacts, 'profiles-editor.png'), fullPage: true });
  });

  it("shows the core's complaint under the field as the operator types", async () => {
    await fill('oss.bucket', 'My_Bucket');
    await byId('error-oss.bucket').waitFor();
    expect(await byId('error-oss.bucket').innerText()).toContain('lowercase');
    expect(await byId('editor-status').innerText()).toBe('Unsaved changes');
    await fill('oss.bucket', 'my-harbor-registry');
    await byId('error-oss.bucket').waitFor({ state: 'detached' });

    // Replace a stored secret with a value Harbor cannot carry; Cancel returns to the stored one.
    await byId('secret-redis.password-replace').click();
    await fillSecret('redis.password', 'p@ss #1');
    await byId('error-redis.password').filter({ hasText: '#' }).waitFor();
    await byId('secret-redis.password-cancel').click();
    await byId('error-redis.password').waitFor({ state: 'detached' });
    expect(await byId('secret-redis.password').getAttribute('data-state')).toBe('set');
    await page.locator('[data-testid=profile-editor][data-status=saved]').waitFor();
  });

  it('warns before leaving unsaved changes, through the navigation and the back button', async () => {
    await fill('description', 'edited, not saved');
    await page.locator('[data-testid=profile-editor][data-status=dirty]').waitFor();
    await byId('nav-walkthrough').click();
    await byId('guard-dialog').waitFor();
    await byId('guard-stay').click();
    await byId('guard-dialog').waitFor({ state: 'detached' });
    expect(await byId('profile-editor').isVisible()).toBe(true);
    expect(await byId('input-description').inputValue()).toBe('edited, not saved');

    await byId('editor-back').click();
    await byId('guard-dialog').waitFor();
    await byId('guard-discard').click();
    await row(NAME).waitFor();
  });

  it('offers to reload when the profile was changed elsewhere since it was opened', async () => {
    await row(NAME).getByTestId('row-open').click();
    await settled();
    const list = (await coreCall('profiles.list', {})) as { id: string; name: string }[];
    const target = list.find((p) => p.name === NAME)!;
    const view = (await coreCall('profiles.get', { id: target.id })) as { revision: number };
    await coreCall('profiles.rename', { id: target.id, name: NAME, expectedRevision: view.revision });
    // The edit after the change elsewhere: the form's own check already knows the revision is stale,
    // and saving still reaches the core's conflict with its reload rather than stopping at the form.
    await fill('description', 'my edit');
    await page.locator('[data-testid=profile-editor][data-status=dirty][data-checking=no]').waitFor();
    await byId('editor-save').click();
    await byId('conflict-reload').click();
    await page.locator('[data-testid=profile-editor][data-status=saved]').waitFor();
    expect(await byId('input-description').inputValue()).toBe('');
    await byId('editor-back').click();
    await row(NAME).waitFor();
  });

  it('clones under a new name (unlocking the vault it locked) and deletes only after the name is typed', async () => {
    await byId('profiles-menu').hover();
    await byId('menu-lock').click();
    await row(NAME).getByTestId('row-clone').click();
    await byId('name-input').fill('Staging Beijing');
    await byId('name-submit').click();
    // Copying secrets needs the vault: the app asks for the passphrase, then retries the clone.
    const unlock = page.locator('[data-testid=vault-dialog][data-mode=unlock]');
    await unlock.waitFor();
    await byId('vault-passphrase').fill('not-the-passphrase');
    await byId('vault-submit').click();
    await byId('vault-error').waitFor();
    await byId('vault-passphrase').fill(VAULT_PASSPHRASE);
    await byId('vault-submit').click();
    await unlock.waitFor({ state: 'detached' });
    await row('Staging Beijing').waitFor();
    expect(await rows().count()).toBe(2);

    await row('Staging Beijing').getByTestId('row-delete').click();
    const dialog = byId('delete-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Nothing on the servers changes');
    expect(await byId('delete-submit').isDisabled()).toBe(true);
    await byId('delete-confirm-input').fill('Staging');
    expect(await byId('delete-submit').isDisabled()).toBe(true);
    await byId('delete-confirm-input').fill('Staging Beijing');
    expect(await byId('delete-submit').isDisabled()).toBe(false);
    await byId('delete-submit').click();
    await row('Staging Beijing').waitFor({ state: 'detached' });
    expect(await rows().count()).toBe(1);
  });

  it('exports without secrets as a downloaded file', async () => {
    await row(NAME).getByTestId('row-export').click();
    await byId('export-dialog').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), byId('export-submit').click()]);
    expect(download.suggestedFilename()).toBe('Production-Beijing.harbor-profile.json');
    const content = readFileSync(await download.path(), 'utf8');
    const file = JSON.parse(content) as { format: string; profile: { access: { domain: string } }; secrets?: unknown };
    expect(file.format).toBe('harbor-ha-deployer/profile');
    expect(file.profile.access.domain).toBe('registry.example.com');
    expect(file.secrets).toBeUndefined();
    for (const secret of Object.values(SECRETS)) expect(content).not.toContain(secret);
    await byId('export-dialog').waitFor({ state: 'detached' });
  });

  it('exports with sealed secrets and imports the file back after asking its passphrase', async () => {
    await row(NAME).getByTestId('row-export').click();
    // A click that lands while the dialog is still opening (a busy machine) can be lost: choose again until the
    // passphrase fields show.
    for (let attempt = 1; ; attempt++) {
      await byId('export-sealed').click();
      const shown = await byId('export-passphrase')
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        );
      if (shown || attempt === 5) break;
    }
    await byId('export-passphrase').fill('export-Pw-123');
    await byId('export-passphrase-repeat').fill('export-Pw-12');
    expect(await byId('export-submit').isDisabled()).toBe(true);
    await byId('export-passphrase-repeat').fill('export-Pw-123');
    const [download] = await Promise.all([page.waitForEvent('download'), byId('export-submit').click()]);
    const file = await download.path();
    const content = readFileSync(file, 'utf8');
    for (const secret of Object.values(SECRETS)) expect(content).not.toContain(secret);

    await byId('profiles-import').click();
    await byId('import-profile-file').setInputFiles(file);
    await byId('import-passphrase').fill('export-Pw-123');
    await byId('import-passphrase-submit').click();
    await page.locator('[data-testid=profile-editor][data-status=new]').waitFor();
    expect(await byId('secret-redis.password').getAttribute('data-state')).toBe('staged');
    expect(await byId('secret-redis.password-tag').innerText()).toBe('ready to save');
    expect(await byId('input-name').inputValue()).toBe(`${NAME} (imported)`);
    expect(await page.content()).not.toContain(SECRETS.redis);
    await byId('editor-save').click();
    await page.locator('[data-testid=profile-editor][data-status=saved]').waitFor();
    await byId('editor-back').click();
    await row(`${NAME} (imported)`).waitFor();
    expect(await rows().count()).toBe(2);
  });

  it("imports a harbor.cfg into an unsaved 1.5 draft with the importer's notes and the registry-database advice", async () => {
    await byId('profiles-import').click();
    await byId('import-harbor-file').setInputFiles(join(projectRoot, 'test', 'fixtures', 'import', 'harbor-1.5.cfg'));
    await page.locator('[data-testid=profile-editor][data-status=new]').waitFor();
    await byId('editor-notes').waitFor();
    expect(await byId('harbor-generation').innerText()).toContain('1.5');
    expect(await byId('database-engine').innerText()).toBe('MySQL');
    expect(await byId('secret-harbor.adminPassword').getAttribute('data-state')).toBe('staged');
    // Advice needs a structurally complete profile: fill what harbor.cfg cannot say.
    await fill('name', 'Legacy 1.5');
    await fill('harbor.installer.path', '/tmp/harbor-offline-installer-v1.5.4.tgz');
    await fill('nodes.0.host', '192.168.20.10');
    await fill('database.admin.user', 'root_admin');
    await byId('section-database').getByTestId('advice-v1-registry-db').waitFor();
    expect(await byId('advice-v1-registry-db').innerText()).toContain('registry.sql');
    await byId('section-clair').waitFor();
    await byId('section-database').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'profiles-import-v1.png') });
    // An import not saved yet is work to lose.
    await byId('editor-back').click();
    await byId('guard-discard').click();
    await row(NAME).waitFor();
    expect(await rows().count()).toBe(2);
  });

  it('changes the master passphrase from the page menu', async () => {
    await byId('profiles-menu').hover();
    await byId('menu-change-passphrase').click();
    await page.locator('[data-testid=vault-dialog][data-mode=change]').waitFor();
    await byId('vault-current').fill(VAULT_PASSPHRASE);
    await byId('vault-passphrase').fill(`${VAULT_PASSPHRASE}-2`);
    await byId('vault-passphrase-repeat').fill(`${VAULT_PASSPHRASE}-2`);
    await byId('vault-submit').click();
    await byId('vault-dialog').waitFor({ state: 'detached' });
  });

  it('speaks Chinese', async () => {
    await byId('language-switch').getByText('中文').click();
    await row(NAME).waitFor();
    expect(await byId('profiles-new').innerText()).toContain('新建集群');
    expect(await row(NAME).getByTestId('row-deploy').innerText()).toBe('从未部署');
    await page.mouse.move(600, 600); // no tooltip in the picture
    await page.screenshot({ path: join(artifacts, 'profiles-list-zh.png') });
    await row(NAME).getByTestId('row-open').click();
    await settled();
    expect(await byId('secret-redis.password-tag').innerText()).toBe('已设置');
    expect(await byId('secret-redis.password-replace').innerText()).toBe('替 换');
    await page.screenshot({ path: join(artifacts, 'profiles-editor-zh.png'), fullPage: true });
    await byId('editor-back').click();
    await row(NAME).waitFor();
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
