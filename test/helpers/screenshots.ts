/**
 * Screenshots for the docs: the same screen in both languages and both themes, switched the way a person does (the
 * header's switches), written to docs/screenshots/ where docs/walkthrough.md links them. Each test run refreshes them,
 * so the pictures in the docs are of the code as it is.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

// The header's segmented switches list their options in this order (renderer/App.tsx).
const LOCALES = [
  { index: 0, locale: 'zh-CN' },
  { index: 1, locale: 'en' },
] as const;
const THEMES = [
  { index: 0, theme: 'light' },
  { index: 1, theme: 'dark' },
] as const;

async function choose(page: Page, switchId: string, index: number, attribute: string, value: string): Promise<void> {
  await page.locator(`[data-testid=${switchId}] .ant-segmented-item`).nth(index).click();
  await page.locator(`[data-testid=app][${attribute}="${value}"]`).waitFor();
  // Away from the switch, and its tooltip gone (it fades out after a delay), so it is not in the picture.
  const size = page.viewportSize();
  if (size) await page.mouse.move(size.width - 1, size.height - 1);
  await page.locator('.ant-tooltip:visible').first().waitFor({ state: 'hidden' });
}

/**
 * Saves `docs/screenshots/<name>.<locale>.<theme>.png` for the four looks, of `target` (default: the whole page), and
 * puts the page back in the language and theme it had.
 */
export async function screenshotEveryLook(page: Page, name: string, target?: Locator): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const app = page.locator('[data-testid=app]');
  const startLocale = await app.getAttribute('data-locale');
  // The operator's choice (light, dark or system: the third option), not only what it resolved to.
  const startChoice = await app.getAttribute('data-theme-choice');
  const written: string[] = [];
  for (const { index: li, locale } of LOCALES) {
    await choose(page, 'language-switch', li, 'data-locale', locale);
    for (const { index: ti, theme } of THEMES) {
      await choose(page, 'theme-switch', ti, 'data-theme', theme);
      const file = join(SCREENSHOT_DIR, `${name}.${locale}.${theme}.png`);
      await (target ?? page).screenshot({ path: file, animations: 'disabled' });
      written.push(file);
    }
  }
  const locale = LOCALES.find((l) => l.locale === startLocale);
  if (locale) await choose(page, 'language-switch', locale.index, 'data-locale', locale.locale);
  const choices = ['light', 'dark', 'system'];
  if (startChoice && choices.includes(startChoice)) {
    await choose(page, 'theme-switch', choices.indexOf(startChoice), 'data-theme-choice', startChoice);
  }
  return written;
}
