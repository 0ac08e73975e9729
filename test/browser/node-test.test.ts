/** "Test connection" in the profile editor: first contact shows the fingerprint, trusting it connects. */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { launchChromium } from '../helpers/browser';
import { projectRoot, serveBuiltApp } from '../helpers/serve';
import { saveLabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';

let l: lab.Lab;
let browser: Browser;
let serve: ServeHandle;
let page: Page;

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: [] });
  const served = await serveBuiltApp();
  serve = served.serve;
  await served.core.vault.initialize('vault passphrase for the node test');
  await saveLabProfile(served.core.profiles, l);
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } })).newPage();
  page.setDefaultTimeout(30_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await l?.down();
});

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
  expect(await page.getByTestId('hostkey-fingerprint').isVisible().catch(() => false)).toBe(false);
});

it('disables the test while the form has unsaved edits', async () => {
  await page.getByTestId('node-0').locator('input').first().fill('127.0.0.99');
  await expect.poll(async () => page.getByTestId('node-0-test-button').isDisabled()).toBe(true);
});
