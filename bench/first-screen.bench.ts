/**
 * The first useful screen in serve mode: Chromium loads the app cold (a new context each time, so
 * nothing is cached) and we time, from navigation, the load event, the shell's navigation and the
 * profiles page showing its list (a profile is saved, the vault is open). The floor is a blank
 * page loaded the same way from the same kind of server in the same run.
 *
 * BENCH_RENDERER_DIR points at another build of the renderer (e.g. one kept from before a change).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { startServe, type ServeHandle } from '../electron/core/serve/server';
import { TOKEN_COOKIE } from '../electron/core/serve/security';
import { profileSchema } from '../shared/profile';
import { testCore } from '../test/helpers/core';
import { v2Profile } from '../test/helpers/profiles';
import { projectRoot } from '../test/helpers/serve';
import type { Benchmark } from './harness';

const LOADS = Number(process.env.BENCH_ROUNDS ?? 10);
const GOAL_MS = 1000;

interface Load {
  /** The load event's end, from navigation start. */
  readonly load: number;
  /** The shell's navigation in the DOM. */
  readonly shell: number | null;
  /** The profiles page showing its list. */
  readonly content: number | null;
}

/**
 * Runs in the page before its own scripts: notes when the shell and the content first appear.
 * A MutationObserver sees them in the same task that inserts them, unlike polling from outside.
 */
const MARKS_SCRIPT = `(() => {
  const marks = (window.__firstScreen = {});
  const seen = () => {
    if (marks.shell === undefined && document.querySelector('[data-testid=nav]')) marks.shell = performance.now();
    if (marks.content === undefined && document.querySelector('[data-testid=profile-row]')) marks.content = performance.now();
    if (marks.shell !== undefined && marks.content !== undefined) observer.disconnect();
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function coldLoad(browser: Browser, serve: ServeHandle, waitFor: string | null): Promise<Load> {
  const context = await browser.newContext({ locale: 'en-US' });
  try {
    // The cookie the token URL would set, so the load is the app's, not the token exchange's redirect.
    await context.addCookies([{ name: TOKEN_COOKIE, value: serve.token, url: `${serve.origin}/` }]);
    await context.addInitScript(MARKS_SCRIPT);
    const page = await context.newPage();
    await page.goto(`${serve.origin}/`, { waitUntil: 'load' });
    if (waitFor) await page.locator(waitFor).first().waitFor({ timeout: 30_000 });
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const marks = (window as unknown as { __firstScreen: { shell?: number; content?: number } }).__firstScreen;
      return { load: nav.loadEventEnd, shell: marks.shell ?? null, content: marks.content ?? null };
    });
  } finally {
    await context.close();
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export default {
  name: 'first-screen',
  description: `serve mode in Chromium, ${LOADS} cold loads: load event and the profiles list from navigation, against a blank page`,
  async run() {
    const core = testCore();
    await core.vault.initialize('bench vault passphrase');
    await core.profiles.save(profileSchema.parse(v2Profile()));
    const rendererDir = process.env.BENCH_RENDERER_DIR ?? join(projectRoot, 'out', 'renderer');
    const app = await startServe({ dispatcher: core.dispatcher, log: core.log, staticDir: rendererDir });
    const blankDir = mkdtempSync(join(tmpdir(), 'harbor-bench-blank-'));
    writeFileSync(join(blankDir, 'index.html'), '<!doctype html><title>blank</title>');
    const blank = await startServe({ dispatcher: core.dispatcher, log: core.log, staticDir: blankDir });
    const browser = await chromium.launch({
      executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      // One load of each first, so the figures are the pages' and not Chromium's own start.
      await coldLoad(browser, blank, null);
      await coldLoad(browser, app, '[data-testid=profile-row]');
      const blanks: number[] = [];
      const apps: Load[] = [];
      // Interleaved, so a busy moment of the machine falls on both.
      for (let i = 0; i < LOADS; i++) {
        blanks.push((await coldLoad(browser, blank, null)).load);
        apps.push(await coldLoad(browser, app, '[data-testid=profile-row]'));
      }
      const content = median(apps.map((a) => a.content ?? Number.POSITIVE_INFINITY));
      const floor = median(blanks);
      return {
        figures: [
          { label: 'first content: the profiles list, from navigation (median)', value: content, unit: 'ms' },
          {
            label: 'the shell (navigation) in the DOM, from navigation (median)',
            value: median(apps.map((a) => a.shell ?? Infinity)),
            unit: 'ms',
          },
          { label: 'load event end, from navigation (median)', value: median(apps.map((a) => a.load)), unit: 'ms' },
          { label: 'a blank page from the same server: load event end (floor, median)', value: floor, unit: 'ms' },
        ],
        ratio: content / GOAL_MS,
        ratioLabel: `first content / ${GOAL_MS} ms`,
        goal: '<= 1.0',
        met: content <= GOAL_MS,
        notes: [
          `renderer: ${rendererDir}`,
          `first content minus the blank page's load: ${(content - floor).toFixed(0)} ms; load, first content per run (ms): ${apps
            .map((a) => `${a.load.toFixed(0)}/${a.content?.toFixed(0)}`)
            .join(' ')}`,
        ],
      };
    } finally {
      await browser.close();
      await app.close();
      await blank.close();
      await core.close();
    }
  },
} satisfies Benchmark;
