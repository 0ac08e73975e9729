/** The real renderer in Chromium, through serve mode's real transport. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { launchChromium, openTestPage } from '../helpers/browser';
import { projectRoot, serveBuiltApp } from '../helpers/serve';

let browser: Browser;
let serve: ServeHandle;
let page: Page;
const errors: string[] = [];
const artifacts = join(projectRoot, 'test-results');

beforeAll(async () => {
  ({ serve } = await serveBuiltApp());
  browser = await launchChromium();
  page = await openTestPage(browser, { locale: 'en-US' }, { errors, artifacts });
});

afterAll(async () => {
  await browser?.close();
  await serve?.close();
});

describe('the app shell in a browser', () => {
  it('opens from the printed URL, drops the token from the address and streams from the core', async () => {
    await page.goto(serve.url);
    expect(page.url()).toBe(`${serve.origin}/`);
    await page.getByTestId('core-status').and(page.locator('[data-state=live]')).waitFor();
    const first = Number(await page.getByTestId('core-status').getAttribute('data-seq'));
    await expect
      .poll(async () => Number(await page.getByTestId('core-status').getAttribute('data-seq')), { timeout: 5000 })
      .toBeGreaterThan(first);
    expect(await page.getByTestId('app').getAttribute('data-locale')).toBe('en');
    await expect.poll(() => page.getByTestId('nav-profiles').innerText()).toBe('Profiles');
  });

  it('shows each page with an empty state that says what it will hold', async () => {
    for (const [id, words] of [
      ['walkthrough', 'preflight'],
      ['terminals', 'terminal'],
      ['topology', 'load balancer'],
      ['maintenance', 'backups'],
      ['activity', 'command'],
      ['profiles', 'profile'],
    ] as const) {
      await page.getByTestId(`nav-${id}`).click();
      await page.getByTestId(`page-${id}`).waitFor();
      expect((await page.getByTestId(`page-${id}`).getByTestId('empty-description').innerText()).toLowerCase()).toContain(words);
      expect(page.url()).toBe(`${serve.origin}/#/${id}`);
    }
  });

  it('switches to Chinese, antd included, and keeps the choice after a reload', async () => {
    await page.getByTestId('language-switch').getByText('中文').click();
    expect(await page.getByTestId('app').getAttribute('data-locale')).toBe('zh-CN');
    expect(await page.getByTestId('nav-profiles').innerText()).toBe('集群配置');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    // antd's own strings follow: the empty-state image's alt text comes from its locale.
    expect(
      await page
        .locator('.ant-empty-image img, .ant-empty-image svg title')
        .first()
        .evaluate((n) => n.textContent || (n as HTMLImageElement).alt),
    ).toBe('暂无数据');
    await page.reload();
    await page.getByTestId('core-status').and(page.locator('[data-state=live]')).waitFor();
    expect(await page.getByTestId('nav-profiles').innerText()).toBe('集群配置');
  });

  it('fills About with values that came through the real transport', async () => {
    await page.getByTestId('about-button').click();
    const dialog = page.getByTestId('about-dialog');
    await dialog.getByTestId('about-version').waitFor();
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    // The test core reports its own version, so this proves the value crossed the WebSocket.
    expect(await dialog.getByTestId('about-version').innerText()).toBe('0.0.0-test');
    expect(pkg.version).not.toBe('0.0.0-test');
    expect(await dialog.getByTestId('about-transport').getAttribute('data-value')).toBe('websocket');
    expect(await dialog.getByTestId('about-transport').innerText()).toBe('WebSocket（serve 模式）');
    expect(await dialog.getByTestId('about-node').innerText()).toBe(process.versions.node);
    expect(await dialog.getByTestId('about-platform').innerText()).toBe(`${process.platform} ${process.arch}`);
    await page.screenshot({ path: join(artifacts, 'shell-about-zh.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('switches between light and dark themes', async () => {
    const background = () =>
      page
        .locator('.ant-layout')
        .first()
        .evaluate((n) => getComputedStyle(n).backgroundColor);
    await page.getByTestId('theme-switch').locator('.ant-segmented-item').nth(0).click();
    const light = await background();
    await page.getByTestId('theme-switch').locator('.ant-segmented-item').nth(1).click();
    expect(await page.getByTestId('app').getAttribute('data-theme')).toBe('dark');
    const dark = await background();
    expect(dark).not.toBe(light);
    await page.screenshot({ path: join(artifacts, 'shell-dark.png') });
  });

  it('turns antd motion (dialog zoom, transitions) off when the system asks for reduced motion, and keeps it otherwise', async () => {
    // antd's motion tokens set every transition; without motion they are 0s. (Static styles, not a
    // race against an animation.)
    const transition = (p: Page) => p.getByTestId('about-button').evaluate((el) => getComputedStyle(el).transitionDuration);
    // This page's context asks for reduced motion (as every browser test does).
    expect(await page.getByTestId('app').getAttribute('data-motion')).toBe('reduced');
    expect((await transition(page)).split(',').every((d) => parseFloat(d) === 0)).toBe(true);
    const full = await openTestPage(browser, { locale: 'en-US', reducedMotion: 'no-preference' }, { errors, artifacts });
    try {
      await full.goto(serve.url);
      await full.getByTestId('app').and(full.locator('[data-motion=full]')).waitFor();
      expect((await transition(full)).split(',').some((d) => parseFloat(d) > 0)).toBe(true);
    } finally {
      await full.context().close();
    }
  });

  it('ran without page errors or CSP violations', () => {
    expect(errors).toEqual([]);
  });
});
