/** The Activity page shows the audit log as the core recorded it, secrets masked. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { createCore } from '../../electron/core/core';
import { createLog, Redactor } from '../../electron/core/log';
import { startServe } from '../../electron/core/serve/server';
import { launchChromium } from '../helpers/browser';
import { projectRoot } from '../helpers/serve';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let browser: Browser;
let serve: ServeHandle;
const redactor = new Redactor();
const dataDir = mkdtempSync(join(tmpdir(), 'activity-'));
const core = createCore({
  host: { name: 'Harbor HA Deployer', version: '0.0.0-test', electron: null, chrome: null, locale: 'en', dataDir },
  log: createLog({ file: join(dataDir, 'logs', 'test.log'), redactor }),
  redactor,
});

beforeAll(async () => {
  serve = await startServe({ dispatcher: core.dispatcher, log: core.log, staticDir: join(projectRoot, 'out', 'renderer') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await core.close();
});

it('lists commands newest first with exit codes, secrets masked', async () => {
  redactor.add('S3cretRedisPw');
  core.audit.record({
    time: '2026-11-25T10:00:00Z',
    profileId: 'p',
    node: 'node-1 (10.0.0.1)',
    command: 'docker version',
    exitCode: 0,
    durationMs: 120,
    purpose: 'preflight',
  });
  core.audit.record({
    time: '2026-11-25T10:00:01Z',
    profileId: 'p',
    node: 'node-2 (10.0.0.2)',
    command: "redis-cli -a 'S3cretRedisPw' ping",
    exitCode: 1,
    durationMs: 2400,
    purpose: 'preflight',
  });
  const page = await (await browser.newContext({ locale: 'en-US', reducedMotion: 'reduce' })).newPage();
  await page.goto(serve.url);
  await page.getByTestId('nav-activity').click();
  const rows = page.getByTestId('activity-table').locator('tbody tr.ant-table-row');
  await expect.poll(() => rows.count()).toBe(2);
  const first = await rows.nth(0).innerText();
  expect(first).toContain("redis-cli -a '******' ping");
  expect(first).toContain('node-2 (10.0.0.2)');
  expect(first).toContain('2.4 s');
  expect(await rows.nth(1).innerText()).toContain('docker version');
  expect(await page.content()).not.toContain('S3cretRedisPw');
  await page.screenshot({ path: join(projectRoot, 'test-results', 'activity.png') });
});
