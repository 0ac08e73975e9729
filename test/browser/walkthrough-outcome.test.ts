/**
 * How a run ends on the Walkthrough page, in Chromium over serve mode against a 2-node lab with the Harbor 1.5
 * fixture, as an operator meets it: a profile with the wrong database port fails preflight on both nodes, shown once
 * with both nodes, naming the setting and linking to it, the log in the chosen language; the port corrected, Run all
 * deploys, and the page says where Harbor answers, the docker login, what to do next, how long it took, and gives the
 * run's log as a file; the older failed run can no longer be resumed; a later run estimates its time from this one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { launchChromium, openTestPage } from '../helpers/browser';
import { saveV1LabProfile } from '../helpers/lab-profile';
import { screenshotEveryLook } from '../helpers/screenshots';
import { projectRoot, serveBuiltApp } from '../helpers/serve';
import * as lab from '../lab';

let l: lab.Lab;
let browser: Browser;
let serve: ServeHandle;
let core: Awaited<ReturnType<typeof serveBuiltApp>>['core'];
let page: Page;
const errors: string[] = [];
const artifacts = join(projectRoot, 'test-results');
const ADMIN = 'Harbor-Lab-12345';

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v1', services: ['mariadb', 'redis', 'oss', 'lb'], bundleSize: 4 << 20 });
  ({ serve, core } = await serveBuiltApp());
  await core.vault.initialize('vault passphrase for the run outcome');
  // Nothing listens on the port after MariaDB's: the nodes' connections are refused.
  await saveV1LabProfile(core.profiles, l, { tweak: (p) => void (p.database.port = l.mariadb.port + 1) });
  browser = await launchChromium();
  page = await openTestPage(
    browser,
    { locale: 'en-US', viewport: { width: 1440, height: 1000 }, timeoutMs: 30_000 },
    { errors, artifacts },
  );
  // Which address answered 404 (the console's message does not say).
  page.on('response', (r) => void (r.status() === 404 && errors.push(`404: ${new URL(r.url()).pathname}`)));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await core?.close();
  await l?.down();
});

const section = () => page.getByTestId('page-walkthrough');
const secrets = () => [l.mariadb.password, l.redis.password, l.oss.accessKeySecret, ADMIN];

async function runState(): Promise<string> {
  return `${await section().getAttribute('data-run-state')}/${await section().getAttribute('data-active')}`;
}

/** Clicks Run all and waits for the new run to start; returns its id. */
async function startRun(): Promise<string> {
  const before = await section().getAttribute('data-run');
  await page.getByTestId('walk-run-all').click();
  await expect.poll(async () => (await section().getAttribute('data-run')) || before, { timeout: 30_000 }).not.toBe(before);
  return (await section().getAttribute('data-run'))!;
}

async function untilStopped(timeout: number): Promise<void> {
  await expect.poll(runState, { timeout, interval: 500 }).toMatch(/^(finished|failed|interrupted)\/false$/);
}

async function chooseLanguage(label: '中文' | 'English', locale: string): Promise<void> {
  await page.getByTestId('language-switch').getByText(label).click();
  await page.locator(`[data-testid=app][data-locale="${locale}"]`).waitFor();
}

describe('the outcome of a run', () => {
  let failedRun = '';

  it('shows a failure both nodes share once, names the setting and offers to edit it', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-walkthrough').click();
    await page.locator('[data-testid=page-walkthrough][data-profile=lab]').waitFor();
    // The step says what it does; the column beside it says where, once.
    const installer = await page.locator('[data-testid=walk-step][data-step=installer]').innerText();
    expect(installer).not.toMatch(/every node[\s\S]*every node/);

    failedRun = await startRun();
    await untilStopped(180_000);
    expect(await section().getAttribute('data-run-state')).toBe('failed');

    const failures = page.getByTestId('walk-failure');
    expect(await failures.count()).toBe(1);
    const failure = failures.first();
    expect(await failure.getAttribute('data-step')).toBe('preflight');
    expect(await failure.getAttribute('data-nodes')).toBe('n1,n2');
    expect(await failure.getAttribute('data-field')).toBe('database.port');
    const text = await failure.innerText();
    expect(text).toContain('2 nodes: node-1');
    expect(text).toContain('Setting: Database port');
    const error = await failure.getByTestId('walk-failure-error').innerText();
    expect(error).toMatch(new RegExp(`each node cannot connect to .*${l.mariadb.address}:${l.mariadb.port + 1}.*refused`));
    // Said once for both: no node names itself in the shared text.
    for (const n of l.nodes) expect(error).not.toContain(n.address);

    const edit = failure.getByTestId('walk-edit-field');
    expect(await edit.getAttribute('href')).toBe('#/profiles?edit=lab&field=database.port');
    // The failed cell opened beside the grid offers the same.
    expect(await page.getByTestId('walk-detail-edit-field').getAttribute('href')).toBe('#/profiles?edit=lab&field=database.port');

    // The same page in Chinese: the failure and the run's log lines are in Chinese too.
    await chooseLanguage('中文', 'zh-CN');
    expect(await failure.innerText()).toContain('各节点');
    await page
      .getByTestId('walk-log-search')
      .locator('input')
      .fill(`:${l.mariadb.port + 1}`);
    await expect
      .poll(async () => page.locator('[data-testid=walk-log-line][data-step=preflight]').allInnerTexts(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/无法连接.*连接被拒绝/)]));
    expect((await page.locator('[data-testid=walk-log-line][data-step=preflight]').allInnerTexts()).join('\n')).not.toMatch(
      /cannot connect/,
    );
    await page.getByTestId('walk-log-search').locator('input').fill('');
    await chooseLanguage('English', 'en');

    // The link opens the profile's editor with the cursor in the field that holds the wrong port.
    await edit.click();
    await page.getByTestId('profile-editor').waitFor();
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value))
      .toBe(String(l.mariadb.port + 1));
  }, 300_000);

  it('after a deployment: where Harbor answers, the docker login, what next, the time it took, and the log as a file', async () => {
    // The port corrected, as the profile editor would save it.
    const view = core.profiles.get('lab');
    const fixed = structuredClone(view.profile);
    fixed.database.port = l.mariadb.port;
    await core.profiles.save(fixed, view.revision);
    await page.getByTestId('nav-walkthrough').click();
    await page.locator(`[data-testid=page-walkthrough][data-profile=lab][data-run="${failedRun}"]`).waitFor();
    const deployed = await startRun();
    // No step of this cluster has completed before: no estimate, and the page says why.
    const estimate = page.getByTestId('walk-run-estimate');
    expect(await estimate.getAttribute('data-kind')).toBe('none');
    expect(await estimate.innerText()).toMatch(/no estimate yet/);
    await untilStopped(600_000);
    expect(await section().getAttribute('data-run-state')).toBe('finished');

    const summary = page.getByTestId('walk-summary');
    await summary.waitFor();
    expect(await page.getByTestId('walk-open-harbor').getAttribute('href')).toBe(`http://${l.registryName}`);
    expect(await page.getByTestId('walk-docker-login').innerText()).toBe(`docker login ${l.registryName}`);
    const next = await page.getByTestId('walk-next').locator('li').allInnerTexts();
    expect(next).toHaveLength(3);
    expect(next.join('\n')).toMatch(/Create a project[\s\S]*no robot accounts[\s\S]*replication rule/);
    const progress = page.getByTestId('walk-run-progress');
    expect(await progress.getAttribute('data-done')).toBe(await progress.getAttribute('data-total'));
    expect(await page.getByTestId('walk-run-elapsed').innerText()).toMatch(/^took (\d+ min )?\d+ s$/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('walk-log-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^harbor-run-.*\.log$/);
    const log = readFileSync(await download.path(), 'utf8');
    // One line per entry, `time [where · step] text`: the verification's push through the load balancer is there.
    expect(log).toMatch(/^\S+ \[cluster · verify\] ✔ .*pushed and pulled/m);
    for (const secret of secrets()) expect(log).not.toContain(secret);

    // The failed run before it is history now: it says why it cannot be resumed, and offers no Resume.
    const older = page.locator(`[data-testid=walk-history-row][data-run="${failedRun}"]`);
    await older.getByTestId('walk-history-superseded').waitFor();
    expect(await older.getByTestId('walk-history-resume').count()).toBe(0);
    // Its row counts the checks that passed (preflight, the key check, verify) beside the steps that changed things.
    expect(await page.locator(`[data-testid=walk-history-row][data-run="${deployed}"]`).innerText()).toMatch(/passed \d+/);

    await screenshotEveryLook(page, 'run-success', page.getByTestId('walk-outcome'));
    for (const secret of secrets()) expect(await page.content()).not.toContain(secret);
  }, 700_000);

  it("estimates a run's time from this cluster's earlier runs", async () => {
    // node-2's iptables (the NAT step's check) waits until released, so the run is surely in progress while it is read.
    const release = await l.node(2).hold('iptables');
    try {
      await startRun();
      const estimate = page.getByTestId('walk-run-estimate');
      await expect.poll(async () => estimate.getAttribute('data-kind')).toBe('history');
      expect(await estimate.innerText()).toMatch(/^about (\d+ min )?\d+ s left \(estimated from earlier runs of this cluster\)$/);
    } finally {
      await release();
    }
    await untilStopped(400_000);
    expect(await section().getAttribute('data-run-state')).toBe('finished');
  }, 420_000);

  it('ran without page errors or CSP violations', () => {
    expect(errors).toEqual([]);
  });
});
