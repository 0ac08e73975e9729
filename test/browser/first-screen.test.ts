/**
 * The first screen loads only what it shows: the shell and the Profiles page, not the terminals'
 * xterm.js nor the topology's React Flow; those arrive when the operator heads for their page.
 */
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { launchChromium, openTestPage } from '../helpers/browser';
import { projectRoot, serveBuiltApp } from '../helpers/serve';

let browser: Browser;
let serve: ServeHandle;
let page: Page;
const errors: string[] = [];
const artifacts = join(projectRoot, 'test-results');
/** Every script the page fetched, with its text. */
const scripts = new Map<string, Promise<string>>();

/** Code that is in xterm.js and React Flow and nowhere else (class names they give their elements). */
const LIBRARY_MARKS = { xterm: 'xterm-helper-textarea', reactFlow: 'react-flow__' } as const;

beforeAll(async () => {
  ({ serve } = await serveBuiltApp());
  browser = await launchChromium();
  page = await openTestPage(browser, { locale: 'en-US' }, { errors, artifacts });
  page.on('response', (response: Response) => {
    if (response.request().resourceType() === 'script') scripts.set(response.url(), response.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await serve?.close();
});

/** Which of the libraries the scripts fetched so far contain. */
async function librariesLoaded(): Promise<string[]> {
  const texts = await Promise.all(scripts.values());
  return Object.entries(LIBRARY_MARKS)
    .filter(([, mark]) => texts.some((t) => t.includes(mark)))
    .map(([name]) => name);
}

describe('the first screen', () => {
  it('shows the Profiles page without loading the terminals or the topology', async () => {
    await page.goto(serve.url);
    await page.getByTestId('profiles-empty').waitFor();
    await page.getByTestId('nav').waitFor();
    // Everything the page asked for has arrived: nothing more is on its way that could still bring them.
    await page.waitForLoadState('networkidle');
    expect(scripts.size).toBeGreaterThan(1);
    expect(await librariesLoaded()).toEqual([]);
  });

  it('fetches a page when the pointer reaches its navigation item, and shows it on click', async () => {
    await page.getByTestId('nav-terminals').hover();
    await expect.poll(librariesLoaded).toEqual(['xterm']);
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('page-terminals').waitFor();
    await page.getByTestId('nav-topology').click();
    await page.getByTestId('page-topology').waitFor();
    expect(await librariesLoaded()).toEqual(['xterm', 'reactFlow']);
  });

  it('opens on the page the address names', async () => {
    const fresh = await openTestPage(browser, { locale: 'en-US' }, { errors, artifacts });
    await fresh.goto(`${serve.url}#/activity`);
    await fresh.getByTestId('page-activity').waitFor();
    expect(fresh.url()).toBe(`${serve.origin}/#/activity`);
    await fresh.context().close();
  });

  it('logs no errors', () => {
    expect(errors).toEqual([]);
  });
});
