/**
 * Session logging as a person meets it, in Chromium over serve mode against a lab node: the "Log this terminal" switch
 * of an extra shell turned off and on again around commands, the shell closed, and its summary on the Activity page
 * (when, bytes each way, logged in part and where) in both languages. The transcript holds only what was shown while
 * logging was on.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { saveLabProfile } from '../helpers/lab-profile';
import { screenshotEveryLook } from '../helpers/screenshots';
import { terminalPage } from '../helpers/terminal-page';
import * as lab from '../lab';

let t: LabBrowser;
let serve: ServeHandle;
let page: Page;
let errors: string[];
const term = terminalPage(() => page);

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 1, services: [] }),
    vaultPassphrase: 'vault passphrase for session logging',
    profiles: (c, started) => saveLabProfile(c.profiles, started),
    page: { viewport: { width: 1500, height: 900 }, timeoutMs: 20_000 },
  });
  ({ serve, page, errors } = t);
}, 240_000);

afterAll(async () => {
  await t?.close();
});

const extraPane = () => page.locator('[data-testid=terminal-pane][data-node=n1]').last();
const screen = () => extraPane().evaluate((el) => (el as HTMLElement & { readTerminal: () => string }).readTerminal());

async function type(line: string, answer: string): Promise<void> {
  await extraPane().click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await screen()).split('\n').some((x) => x.trimEnd() === answer), { timeout: 15_000 }).toBe(true);
}

describe('session logging', () => {
  it('turns logging of one terminal off and on; the closed session is summed up on the Activity page', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('hostkey-dialog').waitFor();
    await page.getByTestId('hostkey-trust').click();
    await term.pane('n1').and(page.locator('[data-state=connected]')).waitFor();

    // An extra shell on node-1: a person closes it with its tab's ×, which ends the session.
    await page.getByTestId('terminal-new').hover();
    await page.getByText('New shell on node-1').click();
    await expect.poll(() => page.locator('[data-testid=terminal-pane][data-node=n1]').count()).toBe(2);
    await extraPane().and(page.locator('[data-state=connected]')).waitFor();
    const logging = page.getByTestId('terminal-logging');
    expect(await logging.getAttribute('aria-checked')).toBe('true');

    await logging.click();
    await expect.poll(() => logging.getAttribute('aria-checked')).toBe('false');
    await type('echo HIDDEN-$((40+2))', 'HIDDEN-42');
    await logging.click();
    await expect.poll(() => logging.getAttribute('aria-checked')).toBe('true');
    await type('echo SHOWN-$((40+2))', 'SHOWN-42');

    await page.locator('.terminal-tabs .ant-tabs-tab').last().locator('.ant-tabs-tab-remove').click();
    await expect.poll(() => page.locator('[data-testid=terminal-pane][data-node=n1]').count()).toBe(1);

    await page.getByTestId('nav-activity').click();
    const summary = page.getByTestId('activity-terminal').first();
    await summary.waitFor();
    const text = await summary.innerText();
    expect(text).toMatch(/^Terminal session .+ – .+: [\d.]+ (B|KiB) received, \d+ B typed\n/);
    const logged = summary.getByTestId('activity-terminal-logged');
    expect(await logged.getAttribute('data-logged')).toBe('partly');
    const file = /to (\/\S+\.log)$/.exec(await logged.innerText())?.[1];
    expect(await logged.innerText()).toMatch(/^Logged in part \(logging was off for a while; the file marks where\) to \//);
    const row = page.locator('tr', { has: summary });
    expect(await row.innerText()).toContain('session ended');

    const transcript = readFileSync(file!, 'utf8');
    expect(transcript).toContain('SHOWN-42');
    expect(transcript).not.toContain('HIDDEN-42');

    await page.locator('[data-testid=language-switch] .ant-segmented-item').nth(0).click();
    await expect.poll(() => summary.innerText()).toMatch(/^终端会话 .+：接收 .+，输入 \d+ B\n部分记录/);
    expect(await row.innerText()).toContain('会话已结束');
    await page.locator('[data-testid=language-switch] .ant-segmented-item').nth(1).click();
    await screenshotEveryLook(page, 'activity-terminal-session', row);
  });

  it('ran without page errors or CSP violations', () => {
    expect(errors.filter((e) => !/WebGL|GPU|gl_/i.test(e))).toEqual([]);
  });
});
