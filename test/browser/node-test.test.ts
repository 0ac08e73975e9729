/** "Test connection" in the profile editor: first contact shows the fingerprint, trusting it connects. */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { projectRoot } from '../helpers/serve';
import { saveLabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';

let t: LabBrowser;
let l: lab.Lab;
let serve: ServeHandle;
let core: LabBrowser['core'];
let page: Page;

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, services: [] }),
    vaultPassphrase: 'vault passphrase for the node test',
    profiles: (c, started) => saveLabProfile(c.profiles, started),
    page: { viewport: { width: 1360, height: 900 }, timeoutMs: 30_000 },
  });
  ({ lab: l, serve, core, page } = t);
}, 240_000);

afterAll(() => t?.close());

it('shows the host key fingerprint on first contact, then connects once it is trusted', async () => {
  await page.goto(serve.url);
  await page.locator('[data-testid=profile-row][data-name="Lab cluster"]').getByTestId('row-open').click();
  await page.getByTestId('profile-editor').and(page.locator('[data-status=saved]')).waitFor();
  await page.getByTestId('node-0-test-button').click();
  await page.getByTestId('hostkey-fingerprint').waitFor();
  expect(await page.getByTestId('hostkey-fingerprint').innerText()).toBe(l.node(1).hostKeyFingerprint);
  await page.screenshot({ path: join(projectRoot, 'test-results', 'node-test-hostkey.png') });
  await page.getByTestId('hostkey-trust').click();
  const ok = page.getByTestId('node-0-test-ok');
  await ok.waitFor();
  expect(await ok.innerText()).toContain('Connected to node-1');
  expect(await ok.innerText()).toContain(l.node(1).hostKeyFingerprint);
  expect(await page.content()).not.toContain(l.node(1).password);

  // A second test knows the host: no prompt.
  await page.getByTestId('node-0-test-button').click();
  await expect.poll(() => ok.isVisible()).toBe(true);
  expect(
    await page
      .getByTestId('hostkey-fingerprint')
      .isVisible()
      .catch(() => false),
  ).toBe(false);
});

it('adds a jump host in the editor and connects through it, its password kept in the vault', async () => {
  const [target, bastion] = [l.node(1), l.node(2)];
  const byId = (id: string) => page.getByTestId(id);
  const before = (await bastion.authAttempts()).filter((a) => a.success).length;
  await byId('node-0-jump-add').click();
  await byId('input-nodes.0.jumpHosts.0.host').fill(bastion.address);
  await byId('input-nodes.0.jumpHosts.0.auth.kind').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="Password"]').click();
  await byId('secret-nodes.0.jumpHosts.0.auth.password-input').fill(bastion.password);
  await byId('input-nodes.0.jumpHosts.0.hostKeyFingerprint').fill(bastion.hostKeyFingerprint);
  expect(await byId('node-0-jump-0').innerText()).toContain('Jump host 1');
  await byId('node-0-jump-0').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(projectRoot, 'test-results', 'node-jump-host.png') });
  await byId('editor-save').click();
  await page.locator('[data-testid=profile-editor][data-status=saved]').waitFor();

  const saved = core.profiles.get('lab');
  expect(saved.profile.nodes[0]!.jumpHosts).toEqual([
    {
      host: bastion.address,
      port: 22,
      user: 'root',
      auth: { kind: 'password', password: { set: true } },
      hostKeyFingerprint: bastion.hostKeyFingerprint,
    },
  ]);

  await byId('node-0-test-button').click();
  const ok = byId('node-0-test-ok');
  await expect.poll(() => ok.isVisible()).toBe(true);
  expect(await ok.innerText()).toContain('Connected to node-1');
  // The bastion took a password login for the hop.
  const logins = (await bastion.authAttempts()).filter((a) => a.success);
  expect(logins.length).toBeGreaterThan(before);
  expect(logins.at(-1)).toMatchObject({ method: 'password', user: 'root' });
  expect(await page.content()).not.toContain(bastion.password);
  expect(target.hostKeyFingerprint).toBeTruthy();

  // Removed again: the node is reached directly.
  await byId('node-0-jump-remove').click();
  await byId('editor-save').click();
  await page.locator('[data-testid=profile-editor][data-status=saved]').waitFor();
  expect(core.profiles.get('lab').profile.nodes[0]!.jumpHosts).toEqual([]);
});

it('tests the form as edited, before saving: an address where no sshd listens points at the SSH port field', async () => {
  await page.getByTestId('input-nodes.0.host').fill('127.0.0.99');
  expect(await page.getByTestId('profile-editor').getAttribute('data-status')).toBe('dirty');
  await page.getByTestId('node-0-test-button').click();
  const failed = page.getByTestId('node-0-test-error');
  await failed.waitFor();
  expect(await failed.innerText()).toContain('127.0.0.99');
  await failed.getByTestId('test-goto').click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-input-nodes-0-port');
  // Nothing was saved by testing.
  expect(core.profiles.get('lab').profile.nodes[0]!.host).toBe(l.node(1).address);
});
