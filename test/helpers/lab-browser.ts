/**
 * What a browser test against the lab starts with: lab nodes (and services), serve mode over the built app with an
 * open vault, Chromium with one page whose errors are collected, and one `close()` that stops them in reverse order.
 */
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { ServeHandle } from '../../electron/core/serve/server';
import type { Lab } from '../lab';
import { launchChromium, openTestPage } from './browser';
import { projectRoot, serveBuiltApp } from './serve';

type Core = Awaited<ReturnType<typeof serveBuiltApp>>['core'];

export interface LabBrowser {
  readonly lab: Lab;
  readonly serve: ServeHandle;
  readonly core: Core;
  readonly browser: Browser;
  readonly page: Page;
  /** Page errors and console errors, for an assertion that there were none. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openLabBrowser(o: {
  /** Starts the lab (the caller chooses `lab.up`'s options or its own lab helper). */
  readonly lab: () => Promise<Lab>;
  readonly vaultPassphrase: string;
  /** Saves the profiles the test starts from. */
  readonly profiles?: (core: Core, lab: Lab) => Promise<unknown> | void;
  readonly page?: BrowserContextOptions & { timeoutMs?: number };
}): Promise<LabBrowser> {
  const lab = await o.lab();
  const { serve, core } = await serveBuiltApp();
  await core.vault.initialize(o.vaultPassphrase);
  await o.profiles?.(core, lab);
  const browser = await launchChromium();
  const errors: string[] = [];
  const page = await openTestPage(browser, { locale: 'en-US', ...o.page }, { errors, artifacts: join(projectRoot, 'test-results') });
  return {
    lab,
    serve,
    core,
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      await serve.close();
      await core.close();
      await lab.down();
    },
  };
}
