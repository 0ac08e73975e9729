/**
 * The theme that follows the system, and About's diagnostics and logs folder, in Chromium over serve mode with the
 * lab profile saved (so the diagnostics have secrets, hosts and user names they must leave out).
 */
import os from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { saveLabProfile } from '../helpers/lab-profile';
import { v2Profile } from '../helpers/profiles';
import { projectRoot } from '../helpers/serve';
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
    vaultPassphrase: 'vault passphrase for the about test',
    profiles: async (c, started) => {
      await saveLabProfile(c.profiles, started);
      c.profiles.setLastDeploy('lab', { status: 'failed', at: '2026-01-02T03:04:05.000Z' });
    },
    // A person whose system is in dark mode, opening the app for the first time.
    page: { colorScheme: 'dark', permissions: ['clipboard-read', 'clipboard-write'] },
  });
  ({ lab: l, serve, core, page, errors } = t);
  await page.goto(serve.url);
  await page.getByTestId('core-status').and(page.locator('[data-state=live]')).waitFor();
}, 240_000);

afterAll(() => t?.close());

const app = () => page.getByTestId('app');
const themeOption = (index: number) => page.getByTestId('theme-switch').locator('.ant-segmented-item').nth(index);
const background = () =>
  page
    .locator('.ant-layout')
    .first()
    .evaluate((n) => getComputedStyle(n).backgroundColor);
/** The option the switch shows as chosen, by its tooltip title. */
const chosen = () => page.getByTestId('theme-switch').locator('.ant-segmented-item-selected [title]').getAttribute('title');
const looks = (theme: 'light' | 'dark') =>
  app()
    .and(page.locator(`[data-theme=${theme}]`))
    .waitFor();

describe('the theme', () => {
  it('follows the system for a new user, and follows it live', async () => {
    expect(await chosen()).toBe('Follow the system');
    await looks('dark');
    const dark = await background();
    await page.emulateMedia({ colorScheme: 'light' });
    await looks('light');
    expect(await background()).not.toBe(dark);
    await page.emulateMedia({ colorScheme: 'dark' });
    await looks('dark');
    expect(await background()).toBe(dark);
  });

  it('keeps a fixed choice whatever the system says, and remembers it, "System" included, after a reload', async () => {
    await themeOption(0).click();
    await looks('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await looks('light');
    expect(await chosen()).toBe('Light');

    await themeOption(2).click();
    await looks('dark');
    await page.reload();
    expect(await chosen()).toBe('Follow the system');
    await page.emulateMedia({ colorScheme: 'light' });
    await looks('light');
  });
});

describe('About', () => {
  it('shows the logs folder with a way to copy it, since a browser cannot open folders', async () => {
    await page.getByTestId('about-button').click();
    const dialog = page.getByTestId('about-dialog');
    await dialog.getByTestId('about-logsdir').waitFor();
    expect(await dialog.getByTestId('about-logsdir').innerText()).toBe(join(core.dataDir, 'logs'));
    expect(await dialog.getByTestId('about-logs-browser').innerText()).toBe(
      'A browser cannot open folders: copy the path and open it on the machine running the app.',
    );
    expect(await dialog.getByTestId('about-open-logs').count()).toBe(0);
    await dialog.getByTestId('about-logsdir').getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(join(core.dataDir, 'logs'));
  });

  it('copies diagnostics for a bug report: versions, OS, languages, counts and the last run', async () => {
    const dialog = page.getByTestId('about-dialog');
    await dialog.getByTestId('about-diagnostics').click();
    const shown = dialog.getByTestId('about-diagnostics-text');
    await shown.waitFor();
    const text = await shown.inputValue();
    expect(await dialog.getByTestId('about-diagnostics-state').innerText()).toBe('Diagnostics copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('Harbor HA Deployer 0.0.0-test');
    expect(lines).toContain(`Electron: -; Chromium: -; Node: ${process.versions.node}`);
    expect(lines).toContain(`OS: ${process.platform} ${os.release()} ${process.arch}`);
    expect(lines).toContain('Transport: websocket');
    expect(lines).toContain('Locale: UI en; system en');
    expect(lines).toContain('Profiles: 1 (Harbor 1.x: 0, 2.x: 1); nodes: 2');
    expect(lines).toContain('Last run: failed at 2026-01-02T03:04:05.000Z');
    await page.screenshot({ path: join(artifacts, 'about-diagnostics.png') });
  });

  it('leaves out every secret, host, name, user and path of the lab profile and of this machine', async () => {
    const text = await page.getByTestId('about-diagnostics-text').inputValue();
    const profile = core.profiles.get('lab').profile;
    // The secrets the lab profile was saved with (the test knows them; the vault holds them): every `{ value }` of the
    // template it is built from, the nodes' passwords, and the OSS key id.
    const values = (o: unknown): string[] =>
      o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => (k === 'value' && typeof v === 'string' ? [v] : values(v))) : [];
    const template = v2Profile();
    const secrets = [...values(template), ...l.nodes.map((n) => n.password), template.oss.accessKeyId];
    expect(secrets.length).toBeGreaterThan(6);
    const hosts = [
      ...l.nodes.flatMap((n) => [n.address, n.hostname, n.name]),
      profile.access.domain,
      profile.database.host,
      profile.redis.host,
      '123.123.123.123',
      '192.168.10.12',
      os.hostname(),
    ];
    const names = [
      profile.name,
      profile.id === 'lab' ? 'Lab cluster' : profile.name,
      ...profile.nodes.map((n) => n.user),
      os.userInfo().username,
    ];
    const paths = [core.dataDir, os.homedir(), l.nodes[0]!.privateKeyPath];
    // As a whole word: this machine's name may be as short as "vm", which a longer word could contain by chance.
    const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const value of [...secrets, ...hosts, ...names, ...paths]) {
      expect(value.length).toBeGreaterThan(0);
      const word = new RegExp(`(^|[^A-Za-z0-9])${escape(value)}($|[^A-Za-z0-9])`);
      expect(word.test(text), 'the diagnostics hold a value they must not').toBe(false);
    }
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
