/**
 * The Activity page as a person reads it: the operator's commands, the automatic checks hidden until asked for and
 * then collapsed, filters combined, a command's first line expanded to the whole command and its output (secrets
 * masked), and the filtered view saved as CSV and JSON.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { createCore } from '../../electron/core/core';
import { createLog, Redactor } from '../../electron/core/log';
import { secretForms } from '../../electron/core/secret-forms';
import { startServe } from '../../electron/core/serve/server';
import { launchChromium, openTestPage } from '../helpers/browser';
import { screenshotEveryLook } from '../helpers/screenshots';
import { projectRoot } from '../helpers/serve';

const SECRET = 'S3cret+Redis/Pw=';
let browser: Browser;
let serve: ServeHandle;
let page: Page;
const errors: string[] = [];
const redactor = new Redactor();
const dataDir = mkdtempSync(join(tmpdir(), 'activity-'));
const core = createCore({
  host: { name: 'Harbor HA Deployer', version: '0.0.0-test', electron: null, chrome: null, locale: 'en', dataDir },
  log: createLog({ file: join(dataDir, 'logs', 'test.log'), redactor }),
  redactor,
});
const whole = (text: string) => ({ text, whole: true });
/** The topology sweep's script: 30 lines. */
const SWEEP = `sh -c 'dv=$1; logs=$2\n${Array.from({ length: 28 }, (_, i) => `printf step-${i}`).join('\n')}\ndone' sh /data`;

beforeAll(async () => {
  redactor.add(SECRET);
  const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, s)).toISOString();
  const n1 = 'node-1 (10.0.0.1)';
  const n2 = 'node-2 (10.0.0.2)';
  core.audit.record({
    time: at(0),
    profileId: 'p',
    node: n1,
    command: 'docker version',
    exitCode: 0,
    durationMs: 120,
    purpose: 'preflight',
  });
  core.audit.record({
    time: at(1),
    profileId: 'p',
    node: n2,
    command: `redis-cli -a '${SECRET}' ping`,
    exitCode: 1,
    durationMs: 2400,
    purpose: 'preflight',
    output: {
      stdout: whole(''),
      stderr: whole(
        `AUTH failed for ${SECRET}\nurl: redis://:${encodeURIComponent(SECRET)}@10.0.0.9\nbasic: ${Buffer.from(`u:${SECRET}`).toString('base64')}\n`,
      ),
    },
  });
  core.audit.record({
    time: at(2),
    profileId: 'p',
    node: n1,
    command: "sh -c 'set -e\nmkdir -p /opt/harbor\ncp harbor.yml /opt/harbor/' sh",
    exitCode: 0,
    durationMs: 800,
    purpose: 'deploy: config',
    output: { stdout: whole('written /opt/harbor/harbor.yml\n'), stderr: whole('') },
  });
  for (const [s, node] of [
    [3, n1],
    [4, n2],
    [33, n1],
  ] as const)
    core.audit.record({
      time: at(s),
      profileId: 'p',
      node,
      command: SWEEP,
      exitCode: 0,
      durationMs: 300,
      purpose: 'topology: health check',
      origin: 'automatic',
      output: { stdout: whole('@@date 1790000000\n@@docker\nharbor-core Up\n'), stderr: whole('') },
    });
  serve = await startServe({ dispatcher: core.dispatcher, log: core.log, staticDir: join(projectRoot, 'out', 'renderer') });
  browser = await launchChromium();
  page = await openTestPage(browser, {}, { errors, artifacts: join(projectRoot, 'test-results') });
  await page.goto(serve.url);
  await page.getByTestId('nav-activity').click();
});

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await core.close();
});

const operatorRows = () => page.getByTestId('activity-table').locator('tbody tr.ant-table-row');
const automaticRows = () => page.getByTestId('activity-automatic-table').locator('tbody tr.ant-table-row');

async function choose(testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`).click();
}

it('lists the operator’s commands newest first, each by its first line; the automatic checks are hidden', async () => {
  await expect.poll(() => operatorRows().count()).toBe(3);
  const texts = await operatorRows().allInnerTexts();
  expect(texts[0]).toContain("sh -c 'set -e …");
  expect(texts[0]).not.toContain('mkdir');
  expect(texts[0]).toContain('Show all 3 lines and output');
  expect(texts[1]).toContain("redis-cli -a '******' ping");
  expect(texts[1]).toContain('node-2 (10.0.0.2)');
  expect(texts[1]).toContain('2.4 s');
  expect(texts[2]).toContain('docker version');
  expect(await page.getByText('health check').count()).toBe(0);
  expect(await page.getByTestId('activity-automatic').count()).toBe(0);
});

it('shows the automatic checks apart, collapsed, when asked', async () => {
  await page.getByTestId('activity-show-automatic').click();
  const group = page.getByTestId('activity-automatic');
  await expect.poll(() => group.innerText()).toContain('Automatic checks: 3 shown, 0 failed');
  expect(await automaticRows().count()).toBe(0);
  await group.getByText('Automatic checks: 3 shown').click();
  await expect.poll(() => automaticRows().count()).toBe(3);
  expect(await automaticRows().first().innerText()).toContain('Show all 30 lines and output');
  // The operator's table is unchanged by them.
  expect(await operatorRows().count()).toBe(3);
});

it('expands a command to the whole of it and its output, secrets masked', async () => {
  await operatorRows().nth(0).getByTestId('activity-expand').click();
  const details = page.getByTestId('activity-details').first();
  await details.waitFor();
  expect(await details.getByTestId('activity-full-command').innerText()).toBe(
    "sh -c 'set -e\nmkdir -p /opt/harbor\ncp harbor.yml /opt/harbor/' sh",
  );
  expect(await details.getByTestId('activity-stdout').innerText()).toContain('written /opt/harbor/harbor.yml');
  await operatorRows().nth(0).getByTestId('activity-expand').click();
  await expect.poll(() => details.isVisible()).toBe(false);

  await operatorRows().nth(1).getByTestId('activity-expand').click();
  const stderr = page.getByTestId('activity-stderr');
  await stderr.waitFor();
  expect((await stderr.innerText()).trimEnd()).toBe('AUTH failed for ******\nurl: redis://:******@10.0.0.9\nbasic: dTp******');
  const html = await page.content();
  for (const form of secretForms(SECRET)) expect(html).not.toContain(form);
});

it('combines filters: text, purpose, node and exit code; clearing shows all again', async () => {
  await page.getByTestId('activity-search').locator('input').fill('harbor.yml');
  await expect.poll(() => operatorRows().count()).toBe(1);
  expect(await automaticRows().count()).toBe(0);
  await page.getByTestId('activity-search').locator('input').fill('');
  await choose('activity-purpose', 'preflight');
  await expect.poll(() => operatorRows().count()).toBe(2);
  await choose('activity-exit', 'Failed (not 0)');
  await expect.poll(() => operatorRows().count()).toBe(1);
  expect(await operatorRows().first().innerText()).toContain('redis-cli');
  await choose('activity-node', 'node-1 (10.0.0.1)');
  await expect.poll(() => operatorRows().count()).toBe(0);
  expect(await page.getByTestId('activity-table').innerText()).toContain('No command matches these filters.');
  await choose('activity-exit', 'Exit code 1');
  await choose('activity-node', 'node-2 (10.0.0.2)');
  await expect.poll(() => operatorRows().count()).toBe(1);
  await page.getByTestId('activity-clear-filters').click();
  await expect.poll(() => operatorRows().count()).toBe(3);
  await expect.poll(() => automaticRows().count()).toBe(3);
});

it('saves the filtered view as CSV and JSON, secrets masked', async () => {
  await choose('activity-node', 'node-2 (10.0.0.2)');
  await expect.poll(() => operatorRows().count()).toBe(1);
  await expect.poll(() => automaticRows().count()).toBe(1);

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('activity-export-csv').click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^activity-\d{8}-\d{6}\.csv$/);
  const csv = readFileSync(await csvDownload.path(), 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
  expect(lines[0]).toBe('time,profileId,node,origin,purpose,exitCode,durationMs,command,stdout,stderr,truncated');
  expect(lines[1]).toBe(
    `2026-11-25T10:00:01.000Z,p,node-2 (10.0.0.2),operator,preflight,1,2400,redis-cli -a '******' ping,,"AUTH failed for ******\nurl: redis://:******@10.0.0.9\nbasic: dTp******\n",false`,
  );
  expect(csv).toContain('automatic,topology: health check,0,300,"sh -c \'dv=$1; logs=$2\nprintf step-0');
  expect(csv).not.toContain('docker version');

  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('activity-export-json').click()]);
  expect(jsonDownload.suggestedFilename()).toMatch(/^activity-\d{8}-\d{6}\.json$/);
  const json = readFileSync(await jsonDownload.path(), 'utf8');
  const saved = JSON.parse(json) as { node: string; origin: string; command: string; output?: { stderr: string } }[];
  expect(saved.map((e) => [e.node, e.origin])).toEqual([
    ['node-2 (10.0.0.2)', 'operator'],
    ['node-2 (10.0.0.2)', 'automatic'],
  ]);
  expect(saved[0]!.output!.stderr).toContain('AUTH failed for ******');
  for (const form of secretForms(SECRET)) {
    expect(csv).not.toContain(form);
    expect(json).not.toContain(form);
  }
  await page.getByTestId('activity-clear-filters').click();
});

it('has no page errors, and a screenshot for the docs', async () => {
  await expect.poll(() => operatorRows().count()).toBe(3);
  // Still expanded from the test above: the screenshot shows a command's output.
  await page.getByTestId('activity-stderr').waitFor();
  await screenshotEveryLook(page, 'activity');
  expect(errors).toEqual([]);
});
