/**
 * The Terminals page fills its pane: rows and columns follow the pane on open, on a window resize and on switching tabs,
 * and the remote shell's PTY gets the same size (read from `stty size` on screen, as a person would check it).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { projectRoot } from '../helpers/serve';
import { saveLabProfile } from '../helpers/lab-profile';
import { sameSize, terminalPage, type Size } from '../helpers/terminal-page';
import * as lab from '../lab';

let t: LabBrowser;
let serve: ServeHandle;
let page: Page;
let errors: string[];
const artifacts = join(projectRoot, 'test-results');

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, services: [] }),
    vaultPassphrase: 'vault passphrase for the terminal fit test',
    profiles: (c, started) => saveLabProfile(c.profiles, started),
    page: { viewport: { width: 1200, height: 900 }, timeoutMs: 20_000 },
  });
  ({ serve, page, errors } = t);
}, 240_000);

afterAll(() => t?.close());

const { pane, screen, remoteSize, remoteSizeWhen, expectFilled: expectGridFilled } = terminalPage(() => page);
const same = sameSize;

async function trustAndConnect(node: string, name: string): Promise<void> {
  await page.getByTestId('hostkey-dialog').waitFor();
  await page.getByTestId('hostkey-trust').click();
  await pane(node).and(page.locator('[data-state=connected]')).waitFor();
  await expect.poll(() => screen(node), { timeout: 15_000 }).toMatch(new RegExp(`root@${name}.*[#$]`));
}

/** The character grid fills the pane, and the pane reaches down to the page's footer. */
async function expectFilled(node: string, size: Size): Promise<void> {
  await expectGridFilled(node, size);
  const box = (await pane(node).boundingBox())!;
  const window = page.viewportSize()!;
  // Below the pane: its frame, the content's padding and the footer, about 80 px; never the empty half of a window.
  expect(window.height - (box.y + box.height)).toBeLessThan(120);
}

describe('a terminal fills its pane', () => {
  let first: Size;
  let larger: Size;

  it('opens with the rows and columns of its pane, and the remote shell has the same', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-terminals').click();
    await trustAndConnect('n1', 'node-1');
    first = await remoteSize('n1');
    await page.screenshot({ path: join(artifacts, 'terminal-fit.png') });
    // A 1200×900 window has room for far more than xterm's default 24 rows.
    expect(first.rows).toBeGreaterThan(30);
    expect(first.cols).toBeGreaterThan(100);
    await expectFilled('n1', first);
  });

  it('opens another tab at the same size', async () => {
    await page.getByTestId('terminal-tab-node-n2').click();
    await trustAndConnect('n2', 'node-2');
    expect(await remoteSize('n2')).toEqual(first);
  });

  it('follows the window when it grows and shrinks', async () => {
    await page.getByTestId('terminal-tab-node-n1').click();
    await page.setViewportSize({ width: 1500, height: 1050 });
    larger = await remoteSizeWhen('n1', (s) => s.rows > first.rows && s.cols > first.cols);
    await expectFilled('n1', larger);
    await page.setViewportSize({ width: 1200, height: 900 });
    await remoteSizeWhen('n1', same(first));
    await page.setViewportSize({ width: 1500, height: 1050 });
    await remoteSizeWhen('n1', same(larger));
  });

  it('fits a tab that was hidden while the window changed when it is shown', async () => {
    await page.getByTestId('terminal-tab-node-n2').click();
    await remoteSizeWhen('n2', same(larger));
    await expectFilled('n2', larger);
  });

  it('fits each terminal to its half when two are side by side, and back to the whole when one is', async () => {
    await page.getByTestId('terminal-layout').getByText('2', { exact: true }).click();
    await expect.poll(() => pane('n1').isVisible()).toBe(true);
    expect(await pane('n2').isVisible()).toBe(true);
    const left = (await pane('n1').boundingBox())!;
    const right = (await pane('n2').boundingBox())!;
    expect(right.x).toBeGreaterThan(left.x + left.width);
    const half = await remoteSizeWhen('n1', (s) => s.cols < larger.cols / 2 + 2 && s.rows === larger.rows);
    await expectFilled('n1', half);
    await remoteSizeWhen('n2', same(half));
    await expectFilled('n2', half);
    await page.screenshot({ path: join(artifacts, 'terminal-fit-split.png') });

    await page.getByTestId('terminal-layout').getByText('1', { exact: true }).click();
    await remoteSizeWhen('n2', same(larger));
    expect(await pane('n1').isVisible()).toBe(false);
  });

  it('ran without page errors or CSP violations', () => {
    expect(errors.filter((e) => !/WebGL|GPU|gl_/i.test(e))).toEqual([]);
  });
});
