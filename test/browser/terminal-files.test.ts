/**
 * The Files panel beside a terminal, in Chromium over serve mode against a lab node: open it, go to a folder, edit a
 * file and read the diff before saving, meet a copy changed behind the editor's back, and follow the shell's `cd`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { saveLabProfile } from '../helpers/lab-profile';
import { screenshotEveryLook } from '../helpers/screenshots';
import { projectRoot } from '../helpers/serve';
import { terminalPage } from '../helpers/terminal-page';
import * as lab from '../lab';

let t: LabBrowser;
let l: lab.Lab;
let serve: ServeHandle;
let page: Page;
let errors: string[];
let downloads: string;
const term = terminalPage(() => page);

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 1, services: [] }),
    vaultPassphrase: 'vault passphrase for the files panel',
    profiles: (c, started) => saveLabProfile(c.profiles, started),
    page: { viewport: { width: 1500, height: 900 }, timeoutMs: 20_000 },
  });
  ({ lab: l, serve, page, errors } = t);
  downloads = mkdtempSync(join(tmpdir(), 'files-panel-downloads-'));
}, 240_000);

afterAll(async () => {
  await t?.close();
  rmSync(downloads, { recursive: true, force: true });
});

const panel = () => page.getByTestId('files-panel');
const row = (name: string) => panel().locator(`[data-testid=file-row][data-name="${name}"]`);

describe('the Files panel', () => {
  it('opens beside the terminal on the login’s home folder and goes to a typed folder', async () => {
    const n = l.node(1);
    await n.execOk('mkdir -p /opt/harbor/common && touch /root/here.txt');
    await n.writeFile('/opt/harbor/harbor.yml', 'hostname: reg.example.com\nhttp:\n  port: 80\n');
    await n.execOk('chmod 640 /opt/harbor/harbor.yml && chown 1000:1000 /opt/harbor/harbor.yml');
    await page.goto(serve.url);
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('hostkey-dialog').waitFor();
    await page.getByTestId('hostkey-trust').click();
    await term.pane('n1').and(page.locator('[data-state=connected]')).waitFor();

    await page.getByTestId('terminal-files').click();
    await panel().waitFor();
    await expect.poll(() => page.getByTestId('files-path').inputValue()).toBe('/root');
    await row('here.txt').waitFor();
    // Beside the terminal, not over it: both are on screen side by side.
    const [pane, files] = [await term.pane('n1').boundingBox(), await panel().boundingBox()];
    expect(pane!.x + pane!.width).toBeLessThanOrEqual(files!.x);

    const path = page.getByTestId('files-path');
    await path.click({ clickCount: 3 });
    await page.keyboard.type('/opt/harbor');
    await page.keyboard.press('Enter');
    await row('harbor.yml').waitFor();
    expect(await row('harbor.yml').getByTestId('file-row-mode').innerText()).toBe('rw-r----- 640');
    expect(await row('common').getByTestId('file-row-name').getAttribute('data-kind')).toBe('dir');
    await row('common').dblclick();
    await expect.poll(() => path.inputValue()).toBe('/opt/harbor/common');
    await page.getByTestId('files-up').click();
    await row('harbor.yml').waitFor();
  });

  it('edits harbor.yml: the diff against the node’s copy first, then an atomic save that keeps mode and owner', async () => {
    await row('harbor.yml').dblclick();
    const text = page.getByTestId('file-editor-text');
    await text.waitFor();
    expect(await text.inputValue()).toBe('hostname: reg.example.com\nhttp:\n  port: 80\n');
    await text.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('hostname: registry.example.com');
    await page.getByTestId('file-editor-review').click();
    const diff = page.getByTestId('file-diff');
    await diff.waitFor();
    expect(await diff.locator('[data-op=removed]').allInnerTexts()).toEqual(['- hostname: reg.example.com']);
    expect(await diff.locator('[data-op=added]').allInnerTexts()).toEqual(['+ hostname: registry.example.com']);
    // The header's language and theme switches sit behind the editor's dialog: a picture of this look only.
    await page.screenshot({ path: join(projectRoot, 'test-results', 'terminal-files-diff.png') });
    await page.getByTestId('file-editor-save').click();
    await page.getByTestId('file-editor-title').waitFor({ state: 'detached' });
    const n = l.node(1);
    expect(await n.readText('/opt/harbor/harbor.yml')).toBe('hostname: registry.example.com\nhttp:\n  port: 80\n');
    expect((await n.execOk('stat -c %a:%u:%g /opt/harbor/harbor.yml')).trim()).toBe('640:1000:1000');
  });

  it('does not save over a copy changed on the node meanwhile: it shows that copy against the operator’s text', async () => {
    await row('harbor.yml').dblclick();
    await page.getByTestId('file-editor-text').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('# mine\n');
    await l.node(1).writeFile('/opt/harbor/harbor.yml', 'hostname: someone-else.example.com\nhttp:\n  port: 80\n');
    await page.getByTestId('file-editor-review').click();
    await page.getByTestId('file-editor-save').click();
    await page.getByTestId('file-editor-changed').waitFor();
    const diff = page.getByTestId('file-diff');
    expect(await diff.locator('[data-op=removed]').allInnerTexts()).toEqual(['- hostname: someone-else.example.com']);
    expect(await diff.locator('[data-op=added]').allInnerTexts()).toEqual(['+ hostname: registry.example.com', '+ # mine']);
    expect(await l.node(1).readText('/opt/harbor/harbor.yml')).toBe('hostname: someone-else.example.com\nhttp:\n  port: 80\n');
    await page.getByTestId('file-editor-reload').click();
    expect(await page.getByTestId('file-editor-text').inputValue()).toBe('hostname: someone-else.example.com\nhttp:\n  port: 80\n');
    await page.keyboard.press('Escape');
    await page.getByTestId('file-editor-title').waitFor({ state: 'detached' });
  });

  it('downloads a file into a local folder and shows it done', async () => {
    await row('harbor.yml').getByTestId('file-row-menu').click();
    await page.getByRole('menuitem', { name: 'Download' }).click();
    const input = page.getByTestId('files-dialog-input');
    await input.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(downloads);
    // The path's suggestions open under the input, over the dialog's buttons: a person takes the folder's own
    // suggestion (an empty folder then has none left to show), and the buttons are free again.
    const suggestion = page.locator(`[data-testid=path-option][data-path^="${downloads}"]`).first();
    await suggestion.click();
    await page.locator('[data-testid=path-option]').first().waitFor({ state: 'hidden' });
    await page.getByTestId('files-dialog-ok').click();
    await panel().locator('[data-testid=files-job][data-status=done]').waitFor();
    expect(readFileSync(join(downloads, 'harbor.yml'), 'utf8')).toBe('hostname: someone-else.example.com\nhttp:\n  port: 80\n');
  });

  it('creates a folder, and deletes a folder with entries only after its path is typed', async () => {
    const n = l.node(1);
    await page.getByTestId('files-mkdir').click();
    await page.getByTestId('files-dialog-input').click();
    await page.keyboard.type('logs');
    await page.getByTestId('files-dialog-ok').click();
    await row('logs').waitFor();
    expect((await n.execOk('stat -c %F /opt/harbor/logs')).trim()).toBe('directory');
    await n.execOk('touch /opt/harbor/logs/keep.log');

    await row('logs').getByTestId('file-row-menu').click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByTestId('files-dialog-ok').click();
    // Not empty: the dialog now asks for the folder's path, and Delete stays disabled until it is typed exactly.
    const ok = page.getByTestId('files-dialog-ok');
    await page.getByText('/opt/harbor/logs is a folder with entries').waitFor();
    expect(await ok.isDisabled()).toBe(true);
    await page.getByTestId('files-dialog-input').click();
    await page.keyboard.type('/opt/harbor/log');
    expect(await ok.isDisabled()).toBe(true);
    expect(await n.exists('/opt/harbor/logs/keep.log')).toBe(true);
    await page.keyboard.type('s');
    await ok.click();
    await row('logs').waitFor({ state: 'detached' });
    expect(await n.exists('/opt/harbor/logs')).toBe(false);
  });

  it('follows the shell’s folder once "Follow the terminal" is on', async () => {
    await l.node(1).execOk('mkdir -p "/srv/web site" && touch "/srv/web site/index.html"');
    await page.getByTestId('files-follow').click();
    await term.run('n1', 'cd "/srv/web site" && echo MOVED', 'MOVED');
    await expect.poll(() => page.getByTestId('files-path').inputValue(), { timeout: 15_000 }).toBe('/srv/web site');
    await row('index.html').waitFor();
    await screenshotEveryLook(page, 'terminal-files');
    // The hook lives in the session only: nothing was written to the node's shell start-up files.
    expect(await l.node(1).execOk('grep -l __hhd_cwd /root/.bashrc /root/.profile /etc/bash.bashrc /etc/profile 2>/dev/null || true')).toBe(
      '',
    );
    expect(errors).toEqual([]);
  });
});
