import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page in a fresh context (en-US and reduced motion unless told otherwise) whose page and console errors go into
 * `errors` (for an assertion that there were none); the artifacts folder exists afterwards.
 */
export async function openTestPage(
  browser: Browser,
  options: BrowserContextOptions & { timeoutMs?: number },
  sinks: { errors: string[]; artifacts: string },
): Promise<Page> {
  const { timeoutMs, ...contextOptions } = options;
  // Reduced motion (which the app honours: no zoom-in of dialogs), so a click never lands on a
  // button still moving into place on a busy machine.
  const context = await browser.newContext({ locale: 'en-US', reducedMotion: 'reduce', ...contextOptions });
  const page = await context.newPage();
  if (timeoutMs) page.setDefaultTimeout(timeoutMs);
  page.on('pageerror', (e) => sinks.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') sinks.errors.push(`console: ${m.text()}`);
  });
  mkdirSync(sinks.artifacts, { recursive: true });
  return page;
}
