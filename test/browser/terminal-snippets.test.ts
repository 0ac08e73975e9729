/**
 * The Snippets panel of the Terminals page, in Chromium over serve mode against lab nodes and the lab's Redis: find a
 * Harbor snippet, choose its parameter, read the command, run it and answer its password prompt in the terminal; add
 * an own snippet (one with a secret in it refused under its field) that is still there after a reload; broadcast one
 * to two terminals.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { profileSchema } from '../../shared/profile';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { v2Profile } from '../helpers/profiles';
import { screenshotEveryLook } from '../helpers/screenshots';
import { projectRoot } from '../helpers/serve';
import { terminalPage } from '../helpers/terminal-page';
import * as lab from '../lab';

let t: LabBrowser;
let l: lab.Lab;
let serve: ServeHandle;
let page: Page;
let errors: string[];
const term = terminalPage(() => page);

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, services: ['redis'] }),
    vaultPassphrase: 'vault passphrase for the snippets panel',
    profiles: async (c, started) => {
      await c.profiles.save(
        profileSchema.parse(
          v2Profile((p) => {
            p.id = 'lab';
            p.name = 'Lab cluster';
            p.nodes = started.nodes.map((n) => ({
              id: `n${n.index}`,
              name: n.name,
              host: n.address,
              auth:
                n.index === 1
                  ? { kind: 'password', password: { value: n.password } }
                  : { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
            }));
            p.redis = {
              host: started.redis.address,
              port: started.redis.port,
              auth: 'password',
              password: { value: started.redis.password },
            };
          }),
        ),
      );
    },
    page: { viewport: { width: 1500, height: 900 }, timeoutMs: 20_000 },
  });
  ({ lab: l, serve, page, errors } = t);
  for (const n of l.nodes) await n.execOk('mkdir -p /data/registry /var/log/harbor');
}, 240_000);

afterAll(async () => {
  await t?.close();
});

const panel = () => page.getByTestId('snippets-panel');
const builtIn = (id: string) => panel().locator(`[data-testid=snippet][data-id="${id}"]`);
const own = () => panel().getByTestId('own-snippet');

async function choose(testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`).click();
}

describe('the Snippets panel', () => {
  it('finds a Harbor snippet, shows the command with the chosen parameter, runs it; the password is typed into the terminal', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('hostkey-dialog').waitFor();
    await page.getByTestId('hostkey-trust').click();
    await term.pane('n1').and(page.locator('[data-state=connected]')).waitFor();

    await page.getByTestId('terminal-snippets').click();
    await panel().waitFor();
    await builtIn('compose.ps').waitFor();
    await page.getByTestId('snippets-search').fill('redis');
    await expect.poll(() => panel().getByTestId('snippet').count()).toBe(1);
    await builtIn('redis.ping').click();
    await choose('snippet-param-db', '2');
    const command = `redis-cli -h ${l.redis.address} -p ${l.redis.port} --askpass -n 2 ping`;
    await expect.poll(() => page.getByTestId('snippet-command').innerText()).toBe(command);
    // Beside the terminal, not over it.
    const [pane, side] = [await term.pane('n1').boundingBox(), await panel().boundingBox()];
    expect(pane!.x + pane!.width).toBeLessThanOrEqual(side!.x);

    await page.getByTestId('snippet-run').click();
    await expect.poll(async () => (await term.lines('n1')).some((x) => x.includes(command)), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await term.screen('n1')).toLowerCase(), { timeout: 15_000 }).toContain('password');
    await term.pane('n1').click();
    await page.keyboard.type(l.redis.password);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await term.lines('n1')).includes('PONG'), { timeout: 15_000 }).toBe(true);
    // What was typed at the prompt is not echoed: the screen never shows the password.
    expect(await term.screen('n1')).not.toContain(l.redis.password);
    await screenshotEveryLook(page, 'terminal-snippets');
    // The languages and themes the pictures went through kept the snippet chosen and its parameter.
    expect(await page.getByTestId('snippet-command').innerText()).toBe(command);
  });

  it('adds an own snippet (refused with a secret in it, under the command), runs it, and still has it after a reload', async () => {
    await page.getByTestId('snippets-search').fill('');
    await page.getByTestId('snippets-add').click();
    await page.getByTestId('snippet-form-name').fill('Kernel name');
    await page.getByTestId('snippet-form-command').fill(`redis-cli -a ${l.redis.password} ping`);
    await page.getByTestId('snippet-form-save').click();
    const form = page.getByTestId('snippet-form');
    await expect.poll(() => form.innerText()).toContain('vault');
    expect(await own().count()).toBe(0);
    await page.getByTestId('snippet-form-command').fill('uname -s');
    await page.getByTestId('snippet-form-save').click();
    await own().filter({ hasText: 'Kernel name' }).waitFor();
    await expect.poll(() => page.getByTestId('snippet-command').innerText()).toBe('uname -s');
    await page.getByTestId('snippet-run').click();
    await expect.poll(async () => (await term.lines('n1')).includes('Linux'), { timeout: 15_000 }).toBe(true);

    await page.reload();
    await page.getByTestId('nav-terminals').click();
    await term.pane('n1').and(page.locator('[data-state=connected]')).waitFor();
    await page.getByTestId('terminal-snippets').click();
    await own().filter({ hasText: 'Kernel name' }).waitFor();
    await own().filter({ hasText: 'Kernel name' }).click();
    await expect.poll(() => page.getByTestId('snippet-command').innerText()).toBe('uname -s');
  });

  it('broadcasts a snippet to the terminals checked under “Send to” only once broadcast is on', async () => {
    await page.locator('[data-testid=terminal-tab-node-n2]').click();
    await page.getByTestId('hostkey-dialog').waitFor();
    await page.getByTestId('hostkey-trust').click();
    await term.pane('n2').and(page.locator('[data-state=connected]')).waitFor();
    await page.getByTestId('snippets-search').fill('disk');
    await builtIn('disk.usage').click();
    await expect.poll(() => page.getByTestId('snippet-command').innerText()).toBe('df -h /data && du -h -d 1 /data /var/log/harbor');
    expect(await page.getByTestId('snippet-broadcast').isDisabled()).toBe(true);
    await page.getByTestId('terminal-broadcast').click();
    await page.getByTestId('terminal-broadcast-targets').getByText('node-1').click();
    await page.getByTestId('snippet-broadcast').click();
    for (const node of ['n1', 'n2']) {
      await expect.poll(async () => (await term.lines(node)).some((x) => /\s\/data\/registry$/.test(x)), { timeout: 15_000 }).toBe(true);
    }
    await page.screenshot({ path: join(projectRoot, 'test-results', 'terminal-snippets-broadcast.png') });
  });

  it('ran without page errors or CSP violations', () => {
    expect(errors.filter((e) => !/WebGL|GPU|gl_/i.test(e))).toEqual([]);
  });
});
