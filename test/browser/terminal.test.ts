/** The Terminals page in Chromium over serve mode, against a lab node: trust the host key, type, see the answer. */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { projectRoot } from '../helpers/serve';
import { saveLabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';

let t: LabBrowser;
let l: lab.Lab;
let serve: ServeHandle;
let core: LabBrowser['core'];
let page: Page;
let errors: string[];
const artifacts = join(projectRoot, 'test-results');

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, services: [] }),
    vaultPassphrase: 'vault passphrase for the terminal page',
    profiles: (c, started) => saveLabProfile(c.profiles, started),
    page: { viewport: { width: 1360, height: 900 }, timeoutMs: 20_000 },
  });
  ({ lab: l, serve, core, page, errors } = t);
}, 240_000);

afterAll(() => t?.close());

const pane = (node: string) => page.locator(`[data-testid=terminal-pane][data-node=${node}]`);
const screen = (node: string) => pane(node).evaluate((el) => (el as HTMLElement & { readTerminal: () => string }).readTerminal());
const lines = async (node: string) => (await screen(node)).split('\n').map((x) => x.trimEnd());

describe('the Terminals page', () => {
  it('opens a terminal to node-1 after the host key is trusted, and runs hostname', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('page-terminals').waitFor();
    // The only profile is chosen; node-1's tab connects and the core asks about its host key.
    const dialog = page.getByTestId('hostkey-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('hostkey-fingerprint').innerText()).toContain(l.node(1).hostKeyFingerprint);
    await page.getByTestId('hostkey-trust').click();
    await pane('n1').and(page.locator('[data-state=connected]')).waitFor();
    await expect.poll(() => screen('n1'), { timeout: 15_000 }).toMatch(/root@node-1.*[#$]/);

    await pane('n1').click();
    await page.keyboard.type('hostname');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await lines('n1')).includes('node-1'), { timeout: 15_000 }).toBe(true);
    await page.screenshot({ path: join(artifacts, 'terminal.png') });

    const sessions = core.terminals.list('lab');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ nodeId: 'n1', state: 'connected' });
  });

  it('opens node-2 in its own tab and reconnects on request', async () => {
    await page.locator('[data-testid=terminal-tab-node-n2]').click();
    // node-2's key is not known either.
    await page.getByTestId('hostkey-dialog').waitFor();
    await page.getByTestId('hostkey-trust').click();
    await pane('n2').and(page.locator('[data-state=connected]')).waitFor();
    await expect.poll(() => screen('n2'), { timeout: 15_000 }).toMatch(/root@node-2.*[#$]/);
    const before = (await screen('n2')).split('Welcome to node-2').length;
    await page.locator('[data-testid=terminal-frame][data-node=n2]').getByTestId('terminal-reconnect').click();
    // A new shell: the banner again, the badge back to connected.
    await expect.poll(async () => (await screen('n2')).split('Welcome to node-2').length, { timeout: 15_000 }).toBeGreaterThan(before);
    await pane('n2').and(page.locator('[data-state=connected]')).waitFor();
    expect(await page.getByTestId('terminal-tab-node-n2').getAttribute('data-state')).toBe('connected');
  });

  it('broadcasts typed input to the checked terminals', async () => {
    await page.getByTestId('terminal-broadcast').click();
    const targets = page.getByTestId('terminal-broadcast-targets');
    // The terminal in use (node-2) starts checked.
    expect(await targets.getByRole('checkbox', { name: 'node-2' }).isChecked()).toBe(true);
    expect(await targets.getByRole('checkbox', { name: 'node-1' }).isChecked()).toBe(false);
    await targets.getByText('node-1').click();
    await pane('n2').click();
    await page.keyboard.type('echo BC-$((40+2))');
    await page.keyboard.press('Enter');
    for (const node of ['n1', 'n2']) {
      await expect.poll(async () => (await lines(node)).includes('BC-42'), { timeout: 15_000 }).toBe(true);
    }
    await page.getByTestId('terminal-broadcast').click();
    await page.screenshot({ path: join(artifacts, 'terminal-broadcast.png') });
  });

  it('ran without page errors or CSP violations', () => {
    expect(errors.filter((e) => !/WebGL|GPU|gl_/i.test(e))).toEqual([]);
  });
});
