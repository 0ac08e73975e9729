/**
 * The Topology page in Chromium over serve mode, against a Harbor 2.x lab cluster: the states are
 * read from the page's data-* attributes (not pixels), and screenshots are saved as artifacts.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { projectRoot } from '../helpers/serve';
import type { Lab } from '../lab';
import { profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';
import { harborLab, saveClusterProfile } from './lab-cluster';

let t: LabBrowser;
let l: Lab;
let serve: ServeHandle;
let core: LabBrowser['core'];
let page: Page;
let errors: string[];
const artifacts = join(projectRoot, 'test-results');

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => harborLab(3),
    vaultPassphrase: 'vault passphrase for the topology page',
    profiles: (c, started) => saveClusterProfile(c.profiles, started),
    page: { viewport: { width: 1440, height: 960 }, timeoutMs: 30_000 },
  });
  ({ lab: l, serve, core, page, errors } = t);
}, 240_000);

afterAll(() => t?.close());

const attr = (selector: string, name: string) => page.locator(selector).getAttribute(name);
const nodeStatus = (id: string) => attr(`[data-testid=topology-node][data-node=${id}]`, 'data-status');
const serviceStatus = (id: string) => attr(`[data-testid=topology-service][data-service=${id}]`, 'data-status');
const edgeStatus = (id: string) => attr(`[data-testid=topology-edge][data-edge=${id}]`, 'data-status');
const problems = () => page.locator('[data-testid=topology-problem]').evaluateAll((els) => els.map((e) => e.getAttribute('data-problem')));
const sweeps = async () => Number(await attr('[data-testid=page-topology]', 'data-sweeps'));

/** Clicks "Check now" and waits for that sweep to be on the page. */
async function checkNow(): Promise<void> {
  const before = await sweeps();
  await page.getByTestId('topology-refresh').click();
  await expect.poll(sweeps, { timeout: 30_000 }).toBeGreaterThan(before);
  await expect.poll(() => attr('[data-testid=page-topology]', 'data-running')).toBe('false');
}

describe('the Topology page', () => {
  it('draws load balancer → nodes → services and shows a healthy cluster green, each with its check time', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-topology').click();
    await page.getByTestId('page-topology').waitFor();
    // The only profile is chosen and checked at once.
    await expect.poll(sweeps, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    for (const id of ['n1', 'n2', 'n3']) await expect.poll(() => nodeStatus(id)).toBe('ok');
    for (const id of ['database', 'redis', 'oss']) expect(await serviceStatus(id)).toBe('ok');
    expect(await attr('[data-testid=topology-lb]', 'data-status')).toBe('ok');
    await expect.poll(() => page.locator('[data-testid=topology-edge]').count(), { timeout: 10_000 }).toBe(3 + 3 * 3);
    const edges = await page
      .locator('[data-testid=topology-edge]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-edge'), e.getAttribute('data-status')]));
    expect(
      edges.every(([, s]) => s === 'ok'),
      JSON.stringify(edges),
    ).toBe(true);
    const times = await page.locator('[data-testid=topology-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-checked-at')));
    expect(times.every((t) => !!t && !Number.isNaN(Date.parse(t)))).toBe(true);
    expect(await page.getByTestId('topology-problems-empty').isVisible()).toBe(true);
    await page.screenshot({ path: join(artifacts, 'topology-healthy.png') });
  });

  it('shows Redis red from every node and Harbor unhealthy while Redis is stopped, with the last error and the fix', async () => {
    await l.redis.stop();
    try {
      await checkNow();
      expect(await serviceStatus('redis')).toBe('fail');
      expect(await serviceStatus('database')).toBe('ok');
      for (const id of ['n1', 'n2', 'n3']) {
        expect(await nodeStatus(id)).toBe('fail');
        expect(await edgeStatus(`${id}-redis`)).toBe('fail');
        expect(await edgeStatus(`${id}-database`)).toBe('ok');
        // Harbor on the node is unhealthy: the LB's edge to it says so.
        expect(await edgeStatus(`lb-${id}`)).toBe('fail');
      }
      expect(await attr('[data-testid=topology-lb]', 'data-status')).toBe('fail');
      expect(await problems()).toEqual(expect.arrayContaining(['reach:redis', 'component:redis']));
      const fix = await page
        .locator('[data-testid=topology-problem][data-problem="component:redis"] [data-testid=topology-problem-fix]')
        .innerText();
      expect(fix).toContain('external_redis');

      // A service's details: its status from each node and its last error.
      await page.locator('[data-testid=topology-service][data-service=redis]').click();
      const details = page.locator('[data-testid=topology-details][data-kind=service]');
      await details.waitFor();
      expect(await details.getAttribute('data-status')).toBe('fail');
      expect(await details.getByTestId('topology-last-error').innerText()).toMatch(/refused/i);
      expect(
        await details.locator('[data-testid=topology-reach]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
      ).toEqual(['fail', 'fail', 'fail']);
      await page.screenshot({ path: join(artifacts, 'topology-redis-stopped.png') });
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });
    } finally {
      await l.redis.start();
    }
    await checkNow();
    for (const id of ['n1', 'n2', 'n3']) expect(await nodeStatus(id)).toBe('ok');
    expect(await serviceStatus('redis')).toBe('ok');
  });

  it('shows a node whose sshd stopped red and the others green', async () => {
    await l.node(2).stopSshd();
    try {
      await checkNow();
      expect(await nodeStatus('n2')).toBe('fail');
      expect(await nodeStatus('n1')).toBe('ok');
      expect(await nodeStatus('n3')).toBe('ok');
      // Nothing is known of n2's reach while it cannot be asked.
      expect(await edgeStatus('n2-redis')).toBe('unknown');
      expect(await problems()).toContain('ssh:refused');
      await page.screenshot({ path: join(artifacts, 'topology-node-unreachable.png') });
    } finally {
      await l.node(2).startSshd();
    }
    await checkNow();
    expect(await nodeStatus('n2')).toBe('ok');
  });

  it('follows the language and the dark theme', async () => {
    await page.getByTestId('language-switch').getByText('中文').click();
    await page.getByTestId('theme-switch').locator('.ant-segmented-item').nth(1).click();
    await expect.poll(() => page.getByTestId('topology-refresh').innerText()).toContain('立即检查');
    expect(await page.locator('.react-flow').getAttribute('class')).toContain('dark');
    expect(await nodeStatus('n1')).toBe('ok');
    await page.screenshot({ path: join(artifacts, 'topology-dark-zh.png') });
    await page.getByTestId('theme-switch').locator('.ant-segmented-item').nth(0).click();
    await page.getByTestId('language-switch').getByText('English').click();
    expect(await page.locator('.react-flow').getAttribute('class')).not.toContain('dark');
  });

  it('opens the terminal of a node that is clicked', async () => {
    await page.locator('[data-testid=topology-node][data-node=n3]').click();
    await page.getByTestId('page-terminals').waitFor();
    expect(page.url()).toContain('#/terminals?profile=lab&node=n3');
    const pane = page.locator('[data-testid=terminal-pane][data-node=n3]');
    await pane.and(page.locator('[data-state=connected]')).waitFor();
    expect(await pane.isVisible()).toBe(true);
    expect(await page.getByTestId('terminal-tab-node-n3').getAttribute('data-state')).toBe('connected');
    await expect
      .poll(() => pane.evaluate((el) => (el as HTMLElement & { readTerminal: () => string }).readTerminal()), { timeout: 15_000 })
      .toMatch(/root@node-3/);
  });

  it('stays readable with 16 nodes, none of which answers', async () => {
    // Addresses of this lab's slot where nothing listens: every node is refused at once.
    const base = l.node(1).address.replace(/\.\d+$/, '');
    await core.profiles.save(
      profileSchema.parse(
        v2Profile((p) => {
          p.id = 'wide';
          p.name = 'Sixteen nodes';
          p.nodes = Array.from({ length: 16 }, (_, i) => ({
            id: `w${i + 1}`,
            name: `harbor-${String(i + 1).padStart(2, '0')}`,
            host: `${base}.${200 + i}`,
            auth: { kind: 'key' as const, keyPath: l.node(1).privateKeyPath, passphrase: { set: false } },
          }));
          p.loadBalancer = { kind: 'self-hosted', address: `${base}.199`, software: 'haproxy' };
        }),
      ),
    );
    await page.getByTestId('nav-topology').click();
    await page.getByTestId('topology-profile').click();
    await page.locator('.ant-select-item-option').getByText('Sixteen nodes').click();
    await expect.poll(() => attr('[data-testid=page-topology]', 'data-profile')).toBe('wide');
    await expect.poll(() => page.locator('[data-testid=topology-node][data-status=fail]').count(), { timeout: 30_000 }).toBe(16);
    expect(await attr('[data-testid=topology-lb]', 'data-status')).toBe('fail');
    const boxes = await page
      .locator('[data-testid=topology-node]')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
    const overlap = boxes.some((a, i) =>
      boxes.some((b, j) => i < j && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h),
    );
    expect(overlap).toBe(false);
    // The names stay legible: the boxes are not scaled down to nothing.
    expect(Math.min(...boxes.map((b) => b.w))).toBeGreaterThan(80);
    expect(await problems()).toContain('ssh:refused');
    expect(await page.locator('[data-testid=topology-problem]').count()).toBeLessThan(5);
    await page.screenshot({ path: join(artifacts, 'topology-16-nodes.png') });
  });

  it('ran without page errors or CSP violations', () => {
    expect(errors.filter((e) => !/WebGL|GPU|gl_/i.test(e))).toEqual([]);
  });
});
