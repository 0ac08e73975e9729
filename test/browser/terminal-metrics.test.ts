/**
 * The Metrics panel beside a terminal, in Chromium over serve mode against a lab node running a Harbor profile's
 * containers (the docker stand-in's): open it, read the node's values, see the charts drawn, then stop a container
 * with docker and see the node turn to failing in the topology's colour.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { seedHarborContainers } from '../helpers/harbor-containers';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { saveLabProfile } from '../helpers/lab-profile';
import { screenshotEveryLook } from '../helpers/screenshots';
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
    lab: () => lab.up({ nodes: 1, services: [] }),
    vaultPassphrase: 'vault passphrase for the metrics panel',
    profiles: (c, started) => saveLabProfile(c.profiles, started),
    page: { viewport: { width: 1500, height: 1000 }, timeoutMs: 20_000 },
  });
  ({ lab: l, serve, page, errors } = t);
  await seedHarborContainers(l.node(1), t.core.profiles.get('lab').profile, { 'harbor-core': 2 });
}, 240_000);

afterAll(async () => {
  await t?.close();
});

const panel = () => page.getByTestId('metrics-panel');
const reading = (key: string) => panel().locator(`[data-reading="${key}"] dd`);
const containerRow = (name: string) => panel().getByTestId('metrics-containers').locator('tr', { hasText: name });

/** Pixels of the chart's canvas that are not blank: the lines and axes a person sees. */
const inkedPixels = (testId: string) =>
  panel()
    .getByTestId(testId)
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });

describe('the Metrics panel', () => {
  it('shows the node’s values, its containers and four drawn charts beside the terminal', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('hostkey-dialog').waitFor();
    await page.getByTestId('hostkey-trust').click();
    await term.pane('n1').and(page.locator('[data-state=connected]')).waitFor();

    await page.getByTestId('terminal-metrics').click();
    await panel().waitFor();
    expect(await panel().innerText()).toContain(`Metrics of ${l.node(1).name}`);
    // CPU is a rate: it shows from the second sample on.
    await expect.poll(() => reading('cpu').innerText(), { timeout: 20_000 }).toMatch(/^\d+\.\d%$/);
    expect(await reading('memory').innerText()).toMatch(/^\d+\.\d% of \d/);
    const cpus = (await l.node(1).execOk("grep -c '^cpu[0-9]' /proc/stat")).trim();
    expect(await reading('load').innerText()).toMatch(new RegExp(`on ${cpus} CPUs$`));
    expect(await reading('disk:/data').innerText()).toMatch(/% used, .* free$/);
    expect(await reading('network').innerText()).toMatch(/^↓ \d.*\/s\s+↑ \d.*\/s$/);
    expect(await containerRow('harbor-core').innerText()).toMatch(/harbor-core\s+running\s+2\s+Up/);

    // Beside the terminal, not over it.
    const [pane, box] = [await term.pane('n1').boundingBox(), await panel().boundingBox()];
    expect(pane!.x + pane!.width).toBeLessThanOrEqual(box!.x);
    for (const chart of ['metrics-chart-cpu', 'metrics-chart-load', 'metrics-chart-disks', 'metrics-chart-network']) {
      await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(0);
      const size = await panel().getByTestId(chart).locator('canvas').boundingBox();
      expect(size!.width).toBeGreaterThan(200);
      expect(size!.height).toBeGreaterThan(60);
    }
    expect(await panel().getByTestId('metrics-chart-disks').innerText()).toContain('/data');
  });

  it('a stopped Harbor container turns the node to failing, in the colour the topology uses', async () => {
    await l.node(1).execOk('docker stop harbor-jobservice');
    await expect.poll(() => panel().getByTestId('metrics-status').innerText(), { timeout: 20_000 }).toBe('Failing');
    expect(await containerRow('harbor-jobservice').innerText()).toMatch(/harbor-jobservice\s+exited/);
    expect(await panel().getByTestId('metrics-problem').first().innerText()).toContain('harbor-jobservice');
    // The panel's border and the status dot are the same red.
    const border = await panel().evaluate((el) => getComputedStyle(el).borderTopColor);
    const dot = await panel()
      .locator('.ant-badge-status-dot')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(border).toBe(dot);
    expect(border).toMatch(/^rgb\((2[0-9]{2}), (\d+), (\d+)\)$/);
    await screenshotEveryLook(page, 'terminal-metrics');
    expect(errors).toEqual([]);
  });
});
