/**
 * Split terminals on the Terminals page, against three lab nodes: three side by side, each named and fitted, focus
 * following a click; broadcast starting with the terminal in use, marking every receiving terminal and reaching those
 * alone; the keyboard shortcuts listed in a help popover and working. Saves the docs' screenshots of split terminals.
 */
import type { Page } from 'playwright-core';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';
import { screenshotEveryLook } from '../helpers/screenshots';
import { terminalPage } from '../helpers/terminal-page';
import * as lab from '../lab';

let t: LabBrowser;
let serve: ServeHandle;
let page: Page;
let errors: string[];

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 3, services: [] }),
    vaultPassphrase: 'vault passphrase for the split terminals test',
    profiles: savePinnedProfile,
    page: { viewport: { width: 1400, height: 900 }, timeoutMs: 20_000 },
  });
  ({ serve, page, errors } = t);
}, 240_000);

afterAll(() => t?.close());

/** The lab's nodes with their host keys pinned: this test is about the panes, not the trust dialog (terminal.test.ts has that). */
async function savePinnedProfile(c: LabBrowser['core'], started: lab.Lab): Promise<void> {
  await c.profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.name = 'Lab cluster';
        p.nodes = started.nodes.map((n) => ({
          id: `n${n.index}`,
          name: n.name,
          host: n.address,
          hostKeyFingerprint: n.hostKeyFingerprint,
          auth: { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
        }));
      }),
    ),
  );
}

const { pane, frame, screen, lines, run, remoteSize, expectFilled } = terminalPage(() => page);
const tab = (node: string) => page.getByTestId(`terminal-tab-node-${node}`);
const isActiveTab = (node: string) => page.locator('.ant-tabs-tab-active').getByTestId(`terminal-tab-node-${node}`).isVisible();
/** The broadcast mark a person sees in a pane's header. */
const marked = (node: string) => frame(node).getByTestId('terminal-receiving').isVisible();
const readSelection = (node: string) => pane(node).evaluate((el) => (el as HTMLElement & { readSelection: () => string }).readSelection());

describe('split terminals', () => {
  it('shows three nodes side by side, each with its name, connected and fitted to its own pane', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-terminals').click();
    await pane('n1').and(page.locator('[data-state=connected]')).waitFor();
    await page.getByTestId('terminal-layout').getByText('3', { exact: true }).click();
    for (const [node, name] of [
      ['n1', 'node-1'],
      ['n2', 'node-2'],
      ['n3', 'node-3'],
    ] as const) {
      await pane(node).and(page.locator('[data-state=connected]')).waitFor();
      expect(await frame(node).getByTestId('terminal-node-name').innerText()).toBe(name);
      await expect.poll(() => screen(node), { timeout: 15_000 }).toMatch(new RegExp(`root@${name}.*[#$]`));
    }
    const boxes = await Promise.all(['n1', 'n2', 'n3'].map(async (n) => (await pane(n).boundingBox())!));
    // Side by side, in tab order, the same size, not overlapping.
    expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + boxes[0]!.width);
    expect(boxes[2]!.x).toBeGreaterThan(boxes[1]!.x + boxes[1]!.width);
    expect(new Set(boxes.map((b) => Math.round(b.y))).size).toBe(1);
    expect(Math.abs(boxes[0]!.width - boxes[2]!.width)).toBeLessThan(2);
    // Each remote shell has its own pane's size: a third of the width, the whole height.
    const sizes = [];
    for (const node of ['n1', 'n2', 'n3']) {
      const size = await remoteSize(node);
      await expectFilled(node, size);
      sizes.push(size);
    }
    expect(sizes[1]).toEqual(sizes[0]);
    expect(sizes[2]).toEqual(sizes[0]);
    expect(sizes[0]!.rows).toBeGreaterThan(30);
  });

  it('moves the focus to the pane clicked', async () => {
    await pane('n3').click();
    await expect.poll(() => isActiveTab('n3')).toBe(true);
    expect(await frame('n3').getAttribute('data-focused')).toBe('true');
    await page.keyboard.type('echo FOCUS-$((1+2))');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await lines('n3')).includes('FOCUS-3'), { timeout: 15_000 }).toBe(true);
    expect((await lines('n1')).includes('FOCUS-3')).toBe(false);
    await pane('n1').click();
    await expect.poll(() => isActiveTab('n1')).toBe(true);
  });

  it('broadcasts from the terminal in use to the checked ones, each visibly marked, and not to the others', async () => {
    expect(await page.getByTestId('terminal-receiving').count()).toBe(0);
    await page.getByTestId('terminal-broadcast').click();
    const targets = page.getByTestId('terminal-broadcast-targets');
    // It starts with the terminal in use alone.
    expect(await targets.getByRole('checkbox', { name: 'node-1' }).isChecked()).toBe(true);
    expect(await targets.getByRole('checkbox', { name: 'node-2' }).isChecked()).toBe(false);
    expect(await marked('n1')).toBe(true);
    expect(await marked('n2')).toBe(false);
    await targets.getByText('node-2').click();
    await expect.poll(() => marked('n2')).toBe(true);
    expect(await frame('n2').getByTestId('terminal-receiving').innerText()).toBe('Broadcast');
    expect(await marked('n3')).toBe(false);
    // The tab strip marks them too (for terminals not on screen).
    expect(await tab('n1').getByTestId('terminal-tab-receiving').isVisible()).toBe(true);
    expect(await tab('n2').getByTestId('terminal-tab-receiving').isVisible()).toBe(true);
    expect(await tab('n3').getByTestId('terminal-tab-receiving').count()).toBe(0);

    await pane('n1').click();
    await page.keyboard.type('echo BROADCAST-$((40+2))');
    await page.keyboard.press('Enter');
    for (const node of ['n1', 'n2']) {
      await expect.poll(async () => (await lines(node)).includes('BROADCAST-42'), { timeout: 15_000 }).toBe(true);
    }
    // node-3 answers a command of its own afterwards, so whatever was sent to it has been shown by then.
    await run('n3', 'echo AFTER-$((6*7))', 'AFTER-42');
    expect((await screen('n3')).includes('BROADCAST')).toBe(false);
    await pane('n1').click();
    await screenshotEveryLook(page, 'terminals-split', page.getByTestId('page-terminals'));

    await page.getByTestId('terminal-broadcast').click();
    expect(await page.getByTestId('terminal-receiving').count()).toBe(0);
  });

  it('lists the keyboard shortcuts in a help popover, and they work', async () => {
    await page.getByTestId('terminal-shortcuts').click();
    const list = page.getByTestId('terminal-shortcuts-list');
    await list.waitFor();
    const text = await list.innerText();
    for (const entry of ['Copy the selected text', 'Paste into the terminal', 'Search the output', 'Next terminal', 'Previous terminal']) {
      expect(text).toContain(entry);
    }
    expect(text).toMatch(/Ctrl\s*\+\s*Shift\s*\+\s*F\s+Search the output/);
    await page.keyboard.press('Escape');

    // Ctrl+Shift+→ from a terminal: the next one gets the focus, and the keys typed go there.
    await pane('n1').click();
    await page.keyboard.press('Control+Shift+ArrowRight');
    await expect.poll(() => isActiveTab('n2')).toBe(true);
    await page.keyboard.type('echo KEYS-$((3*3))');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await lines('n2')).includes('KEYS-9'), { timeout: 15_000 }).toBe(true);
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await expect.poll(() => isActiveTab('n1')).toBe(true);

    // Ctrl+Shift+F: the search box, ready for typing; Enter finds in the terminal in use; Esc goes back to it.
    await page.keyboard.press('Control+Shift+F');
    await page.keyboard.type('BROADCAST-42');
    expect(await page.getByTestId('terminal-search').inputValue()).toBe('BROADCAST-42');
    await page.keyboard.press('Enter');
    await expect.poll(() => readSelection('n1')).toBe('BROADCAST-42');
    await page.keyboard.press('Escape');
    await page.keyboard.type('echo BACK-$((5+5))');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await lines('n1')).includes('BACK-10'), { timeout: 15_000 }).toBe(true);
  });

  it('lists the shortcuts in Chinese too', async () => {
    await page.locator('[data-testid=language-switch] .ant-segmented-item').nth(0).click();
    await page.getByRole('button', { name: '键盘快捷键' }).click();
    const list = page.getByTestId('terminal-shortcuts-list');
    await expect.poll(() => list.innerText()).toContain('复制选中的文本');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=language-switch] .ant-segmented-item').nth(1).click();
  });

  it('ran without page errors or CSP violations', () => {
    expect(errors.filter((e) => !/WebGL|GPU|gl_/i.test(e))).toEqual([]);
  });
});
