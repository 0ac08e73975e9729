/** The import dialog in Chromium over serve mode: a file over the limit is refused before it is read or sent. */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { MAX_FILE_BYTES } from '../../shared/api/limits';
import { launchChromium, openTestPage } from '../helpers/browser';
import { projectRoot, serveBuiltApp } from '../helpers/serve';

let browser: Browser;
let serve: ServeHandle;
let core: Awaited<ReturnType<typeof serveBuiltApp>>['core'];
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  ({ serve, core } = await serveBuiltApp());
  browser = await launchChromium();
  page = await openTestPage(browser, { timeoutMs: 45_000 }, { errors, artifacts: join(projectRoot, 'test-results') });
  await page.goto(serve.url);
  await page.getByTestId('profiles-import').click();
  await page.getByTestId('import-dialog').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await core?.close();
});

const dialogError = () => page.getByTestId('dialog-error').innerText();

describe('the import dialog', () => {
  it('refuses a file over the limit with a message naming the file and the limit', async () => {
    for (const kind of ['profile', 'harbor'] as const) {
      await page
        .getByTestId(`import-${kind}-file`)
        .setInputFiles({ name: `big-${kind}.json`, mimeType: 'application/json', buffer: Buffer.alloc(MAX_FILE_BYTES + 1, 0x20) });
      await page
        .getByTestId('dialog-error')
        .filter({ hasText: `big-${kind}.json` })
        .waitFor();
      expect(await dialogError()).toBe(
        `"big-${kind}.json" is ${MAX_FILE_BYTES + 1} B; files up to 1 MiB (${MAX_FILE_BYTES} B) can be imported.`,
      );
    }
  });

  it('sends a file at the limit, even in its costliest JSON spelling, and the core reads it', async () => {
    // Control characters: six bytes of JSON each on the wire; the core's importer answers, not a size check.
    await page
      .getByTestId('import-profile-file')
      .setInputFiles({ name: 'at-limit.json', mimeType: 'application/json', buffer: Buffer.alloc(MAX_FILE_BYTES, 0x01) });
    await page.getByText('This is not a profile exported by Harbor HA Deployer').waitFor();
    expect(await dialogError()).toMatch(/^This is not a profile exported by Harbor HA Deployer/);
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
