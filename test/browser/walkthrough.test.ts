/**
 * The Walkthrough page in Chromium over serve mode, against a 3-node lab with the Harbor 1.5
 * fixture: choose the profile, check the whole plan of the fresh cluster and read why the config
 * step waits for unpack, run single steps (installer with its transfer progress, unpack), read the
 * harbor.cfg diff with its secrets masked, look at the reset consent and leave it, Run all to a
 * verified deployment, then Run all again and see "unchanged" (and "passed" for the checks)
 * everywhere; after a profile edit, Check plan shows what will change and Run all asks before it
 * reinstalls the serving nodes. Everything is read from data-* attributes and the page's text.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { launchChromium, openTestPage } from '../helpers/browser';
import { saveV1LabProfile } from '../helpers/lab-profile';
import { screenshotEveryLook } from '../helpers/screenshots';
import { projectRoot, serveBuiltApp } from '../helpers/serve';
import * as lab from '../lab';

let l: lab.Lab;
let browser: Browser;
let serve: ServeHandle;
let core: Awaited<ReturnType<typeof serveBuiltApp>>['core'];
let page: Page;
const errors: string[] = [];
const artifacts = join(projectRoot, 'test-results');
const NODES = ['n1', 'n2', 'n3'];

beforeAll(async () => {
  l = await lab.up({ nodes: 3, harbor: 'v1', services: ['mariadb', 'postgres', 'redis', 'oss', 'lb'], bundleSize: 4 << 20 });
  ({ serve, core } = await serveBuiltApp());
  await core.vault.initialize('vault passphrase for the walkthrough page');
  await saveV1LabProfile(core.profiles, l);
  browser = await launchChromium();
  page = await openTestPage(
    browser,
    { locale: 'en-US', viewport: { width: 1440, height: 1000 }, timeoutMs: 30_000 },
    { errors, artifacts },
  );
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await core?.close();
  await l?.down();
});

const section = () => page.getByTestId('page-walkthrough');
const cell = (step: string, node: string) => page.locator(`[data-testid=walk-cell][data-step="${step}"][data-node="${node}"]`);

/** Every cell of the grid as `step@node` → status. */
async function grid(): Promise<Record<string, string>> {
  return page
    .locator('[data-testid=walk-cell]')
    .evaluateAll((els) =>
      Object.fromEntries(
        els.map((e) => [`${e.getAttribute('data-step')}@${e.getAttribute('data-node')}`, e.getAttribute('data-status') ?? '']),
      ),
    );
}

/** Every cell of the grid as `step@node` → what the plan check said of it. */
async function checked(): Promise<Record<string, string>> {
  return page
    .locator('[data-testid=walk-cell]')
    .evaluateAll((els) =>
      Object.fromEntries(
        els.map((e) => [`${e.getAttribute('data-step')}@${e.getAttribute('data-node')}`, e.getAttribute('data-check') ?? '']),
      ),
    );
}

/** After a run where nothing had to change: the checks passed, every other cell is unchanged. */
const NOTHING_CHANGED = new Set(['unchanged', 'passed']);

/** Cells that are neither succeeded, unchanged nor passed, with the core's reason, for failure messages. */
async function problems(): Promise<string> {
  return page.locator('[data-testid=walk-cell]').evaluateAll((els) =>
    els
      .filter((e) => !['succeeded', 'unchanged', 'passed'].includes(e.getAttribute('data-status') ?? ''))
      .map((e) => `${e.getAttribute('data-step')}@${e.getAttribute('data-node')}: ${e.getAttribute('data-status')}`)
      .join('\n'),
  );
}

async function newRunShown(before: string | null): Promise<string> {
  const r = await section().getAttribute('data-run');
  return r && r !== before ? 'new run' : `still "${r}"`;
}

/**
 * Clicks a button that starts a run and waits for that new run (or the run on screen, resumed) to
 * stop: `data-stops` counts the stops of the run followed, so a resumed run is not taken as ended
 * before it started.
 */
async function runAndWait(click: () => Promise<void>, timeout: number, sameRun = false): Promise<string> {
  const before = (await section().getAttribute('data-run')) ?? '';
  const stops = Number(await section().getAttribute('data-stops'));
  await click();
  // The page shows no run for a moment while a new one starts: wait for the new id itself.
  if (!sameRun) await expect.poll(async () => newRunShown(before), { timeout: 30_000 }).toBe('new run');
  else await expect.poll(async () => Number(await section().getAttribute('data-stops')), { timeout, interval: 500 }).toBeGreaterThan(stops);
  await expect
    .poll(async () => `${await section().getAttribute('data-run-state')}/${await section().getAttribute('data-active')}`, {
      timeout,
      interval: 500,
    })
    .toMatch(/^(finished|failed|interrupted)\/false$/);
  return (await section().getAttribute('data-run')) ?? '';
}

async function selectCell(step: string, node: string) {
  await cell(step, node).click();
  await page.locator(`[data-testid=walk-detail][data-step="${step}"][data-node="${node}"]`).waitFor();
}

describe('the Walkthrough page', () => {
  it('shows the plan of the chosen profile with every step explained', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-walkthrough').click();
    await section().waitFor();
    // The only profile is chosen already; choosing it in the list keeps it.
    await page.getByTestId('walk-profile').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'Lab cluster' }).click();
    await page.locator('[data-testid=page-walkthrough][data-profile=lab]').waitFor();
    await page.getByTestId('walk-grid').waitFor();
    const steps = await page.locator('[data-testid=walk-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
    expect(steps).toEqual(
      expect.arrayContaining([
        'preflight',
        'runtime',
        'installer',
        'unpack',
        'database',
        'config',
        'install',
        'keys-verify',
        'firewall',
        'verify',
      ]),
    );
    expect(await page.locator('[data-testid=walk-grid-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).toEqual(
      NODES,
    );
    // Nothing ran yet: every cell says so; node steps have a cell per node, cluster steps one.
    const cells = await grid();
    expect(new Set(Object.values(cells))).toEqual(new Set(['none']));
    for (const n of NODES) expect(cells[`config@${n}`]).toBe('none');
    expect(cells['database@*']).toBe('none');
    expect(cells['database@n1']).toBeUndefined();
    expect(await section().getAttribute('data-run-state')).toBe('none');

    // Each step explains itself in plain language.
    await page.locator('[data-testid=walk-step][data-step=database] [data-testid=walk-step-title]').click();
    expect(await page.getByTestId('walk-explain').innerText()).toMatch(/registry\.sql/);
  });

  it('checks the whole plan of a fresh cluster, and says why the config step waits for unpack instead of failing', async () => {
    await page.getByTestId('walk-check').click();
    await page.getByTestId('walk-check-summary').waitFor({ timeout: 120_000 });
    const c = await checked();
    for (const n of NODES) {
      expect(c[`preflight@${n}`]).toBe('passes');
      expect(c[`installer@${n}`]).toBe('will-change');
      expect(c[`config@${n}`]).toBe('needs');
    }
    expect(c['keys-verify@*']).toBe('needs');
    // What a person reads in the cell: the step it waits for, by name.
    expect(await cell('config', 'n1').innerText()).toMatch(/needs .*Unpack.* first/);
    expect(await cell('preflight', 'n2').innerText()).toBe('passes');
    expect(await page.getByTestId('walk-check-disruptions').count()).toBe(0);
    // Back to the (empty) run view.
    await page.getByTestId('walk-check-dismiss').click();
    await page.getByTestId('walk-check-summary').waitFor({ state: 'detached' });
    expect(await cell('config', 'n1').getAttribute('data-check')).toBe('');

    // The config step's own preview says the same thing, as a note, not as an error.
    await selectCell('config', 'n1');
    const preview = page.locator('[data-testid=walk-preview][data-step=config][data-node=n1]');
    await preview.and(page.locator('[data-state=ready]')).waitFor({ timeout: 60_000 });
    expect(await preview.getAttribute('data-needs')).toBe('unpack');
    expect(await preview.getByTestId('walk-preview-note').first().innerText()).toMatch(/Needs .*Unpack.* first/);
    expect(await preview.getByTestId('walk-preview-error').count()).toBe(0);
  }, 180_000);

  it('runs single steps: the installer (with its transfer progress), then unpack', async () => {
    await selectCell('installer', 'n1');
    await runAndWait(() => page.getByTestId('walk-run-step').click(), 180_000);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    const cells = await grid();
    for (const n of NODES) expect(cells[`installer@${n}`]).toBe('succeeded');
    // Only that step ran.
    expect(cells[`unpack@n1`]).toBe('pending');
    expect(cells['verify@*']).toBe('pending');
    // The upload's progress bar reached the installer's size.
    const bar = page.locator('[data-testid=walk-progress][data-step=installer]').first();
    await bar.waitFor();
    expect(await bar.getAttribute('data-unit')).toBe('bytes');
    expect(Number(await bar.getAttribute('data-total'))).toBeGreaterThanOrEqual(4 << 20);
    expect(await bar.getAttribute('data-done')).toBe(await bar.getAttribute('data-total'));
    expect(await page.locator('[data-testid=walk-log-line][data-step=installer]').count()).toBeGreaterThan(0);

    // The run on screen finished, so "Run this step" starts a new run of that step.
    await selectCell('unpack', 'n2');
    await runAndWait(() => page.getByTestId('walk-run-step').click(), 180_000);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    for (const n of NODES) expect((await grid())[`unpack@${n}`]).toBe('succeeded');
    await expect.poll(async () => page.locator('[data-testid=walk-history-row]').count()).toBe(2);
  }, 400_000);

  it("previews harbor.cfg as a diff against the node's file, secrets masked", async () => {
    await selectCell('config', 'n1');
    const preview = page.locator('[data-testid=walk-preview][data-step=config][data-node=n1]');
    await preview.and(page.locator('[data-state=ready]')).waitFor({ timeout: 60_000 });
    const cfg = preview.locator('[data-testid=walk-preview-file][data-path$="/harbor.cfg"]');
    await cfg.waitFor();
    expect(await cfg.getAttribute('data-changed')).toBe('true');
    const added = await cfg.locator('[data-kind=add]').allInnerTexts();
    const removed = await cfg.locator('[data-kind=del]').allInnerTexts();
    expect(added).toContain(`+hostname = ${l.registryName}`);
    expect(removed.some((x) => x.startsWith('-hostname = '))).toBe(true);
    expect(added.some((x) => /^\+db_password = \*{6}$/.test(x))).toBe(true);
    expect(added.some((x) => x.includes('registry_storage_provider_name = oss'))).toBe(true);
    expect(await preview.locator('[data-testid=walk-preview-file][data-path$="config_ha.yml"]').count()).toBe(1);
    const html = await page.content();
    for (const secret of [l.mariadb.password, l.redis.password, l.oss.accessKeySecret, l.postgres.password, 'Harbor-Lab-12345'])
      expect(html).not.toContain(secret);
    await cfg.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'walkthrough-preview.png'), fullPage: true });
  });

  it('asks for the database host before a reset, and runs nothing without it', async () => {
    const runs = await section().getAttribute('data-runs');
    await page.getByTestId('walk-opt-db-reset').click();
    await page.getByTestId('walk-run-all').click();
    const dialog = page.getByTestId('walk-reset-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('walk-reset-host').innerText()).toBe(l.mariadb.address);
    await page.getByTestId('walk-reset-input').fill('not-the-host');
    expect(await page.getByTestId('walk-reset-ok').isDisabled()).toBe(true);
    await page.getByTestId('walk-reset-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('walk-opt-db').getByText('Refuse').click();
    expect(await section().getAttribute('data-runs')).toBe(runs);
  });

  it('runs everything to a verified deployment', async () => {
    await runAndWait(() => page.getByTestId('walk-run-all').click(), 560_000);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    const cells = await grid();
    expect(Object.keys(cells).length).toBeGreaterThanOrEqual(10);
    expect(await problems()).toBe('');
    // Steps done by the earlier single-step runs are checked and left alone.
    for (const n of NODES) {
      expect(cells[`installer@${n}`]).toBe('unchanged');
      expect(cells[`unpack@${n}`]).toBe('unchanged');
      expect(cells[`config@${n}`]).toBe('succeeded');
      expect(cells[`install@${n}`]).toBe('succeeded');
    }
    expect(cells['database@*']).toBe('succeeded');
    await page.getByTestId('walk-summary').waitFor();
    expect(await page.getByTestId('walk-docker-login').innerText()).toBe(`docker login ${l.registryName}`);
    // The verification pushed and pulled through the load balancer; the log says so.
    await page.getByTestId('walk-log-search').locator('input').fill('pushed and pulled');
    await expect.poll(async () => page.locator('[data-testid=walk-log-line]').count()).toBeGreaterThan(0);
    await page.getByTestId('walk-log-search').locator('input').fill('');
    await page.screenshot({ path: join(artifacts, 'walkthrough-deployed.png'), fullPage: true });
    expect(await page.content()).not.toContain(l.mariadb.password);
  }, 600_000);

  it('filters the log by node', async () => {
    await page.getByTestId('walk-log-node').click();
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: /^node-2/ })
      .click();
    await expect
      .poll(
        async () =>
          new Set(await page.locator('[data-testid=walk-log-line]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))),
      )
      .toEqual(new Set(['n2']));
    await page.getByTestId('walk-log-node').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'All nodes' }).click();
  });

  it('reports every step unchanged on a second Run all', async () => {
    await runAndWait(() => page.getByTestId('walk-run-all').click(), 400_000);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    const cells = await grid();
    expect(new Set(Object.values(cells))).toEqual(NOTHING_CHANGED);
    // Steps that only look say what they found.
    for (const n of NODES) expect(cells[`preflight@${n}`]).toBe('passed');
    expect(cells['verify@*']).toBe('passed');
    expect(await cell('verify', '*').innerText()).toBe('passed');
    await expect
      .poll(async () => page.locator('[data-testid=walk-history-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))
      .toEqual(['finished', 'finished', 'finished', 'finished']);
    await page.screenshot({ path: join(artifacts, 'walkthrough-unchanged.png'), fullPage: true });
  }, 420_000);

  it('checks the plan after a profile edit: will change where the edit lands, and asks before reinstalling serving nodes', async () => {
    // The edit itself is the Profiles page's (another test's subject): made through the core, as saving the form does.
    const view = core.profiles.get('lab');
    const p = structuredClone(view.profile);
    p.options.jobWorkers = 7;
    await core.profiles.save(p, view.revision);
    const runs = await section().getAttribute('data-runs');

    await page.getByTestId('walk-check').click();
    await page.getByTestId('walk-check-summary').waitFor({ timeout: 180_000 });
    const c = await checked();
    for (const n of NODES) {
      expect(c[`config@${n}`]).toBe('will-change');
      expect(c[`install@${n}`]).toBe('will-change');
      for (const step of ['runtime', 'installer', 'unpack', 'firewall'])
        expect(`${step}@${n}: ${c[`${step}@${n}`]}`).toBe(`${step}@${n}: unchanged`);
      expect(c[`preflight@${n}`]).toBe('passes');
      expect(await cell('config', n).innerText()).toBe('will change · commands 1, files 1, SQL 0');
      expect(await cell('install', n).innerText()).toContain('stops Harbor here');
    }
    expect(c['database@*']).toBe('unchanged');
    expect(c['keys-verify@*']).toBe('needs');
    expect(await page.getByTestId('walk-check-disruptions').innerText()).toMatch(/3 serving node.*node-1 .*node-2 .*node-3 /);
    // The diff is the preview's: the cell opens it.
    await selectCell('config', 'n2');
    const preview = page.locator('[data-testid=walk-preview][data-step=config][data-node=n2]');
    await preview.and(page.locator('[data-state=ready]')).waitFor({ timeout: 60_000 });
    expect(await preview.locator('[data-kind=add]').allInnerTexts()).toContain('+max_job_workers = 7');
    await screenshotEveryLook(page, 'plan-check', page.getByTestId('walk-steps'));

    // Run all names each serving node with its downtime, measured in the run that installed it; cancelling runs nothing.
    const dialog = page.getByTestId('walk-disrupt-dialog');
    await page.getByTestId('walk-run-all').click();
    await dialog.waitFor({ timeout: 120_000 });
    const rows = dialog.getByTestId('walk-disrupt-node');
    expect(await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-node')}:${e.getAttribute('data-source')}`))).toEqual(
      NODES.map((n) => `${n}:measured`),
    );
    expect(await rows.first().innerText()).toMatch(
      /^node-1 .*: down for about \d+ (s|min)\nmeasured: that step took this long on node-1 \(.*\) in the run of /,
    );
    // (one look only: the header's language and theme switches are behind the open dialog)
    await page.screenshot({ path: join(artifacts, 'walkthrough-disrupt-confirm.png') });
    await page.getByTestId('walk-disrupt-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await section().getAttribute('data-runs')).toBe(runs);

    // Confirmed, the run reinstalls them one at a time and the cluster is verified again.
    await runAndWait(async () => {
      await page.getByTestId('walk-run-all').click();
      await dialog.waitFor({ timeout: 120_000 });
      await page.getByTestId('walk-disrupt-ok').click();
    }, 560_000);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    const cells = await grid();
    for (const n of NODES) {
      expect(cells[`config@${n}`]).toBe('succeeded');
      expect(cells[`install@${n}`]).toBe('succeeded');
    }
    expect(cells['verify@*']).toBe('passed');
  }, 900_000);

  it('cancels a run, shows it interrupted after a reload, and resumes it', async () => {
    const before = await section().getAttribute('data-run');
    // node-3's iptables (the NAT step's) waits until released, so the run is surely mid-way when the
    // cancel lands (a run where everything is unchanged can otherwise finish first); the cancel aborts
    // the waiting command, so the run ends interrupted while the hold is still on. (Not docker: Run all
    // first asks every node whether it serves, through docker, and would wait for it.)
    const release = await l.node(3).hold('iptables');
    let runId: string;
    try {
      await page.getByTestId('walk-run-all').click();
      await expect.poll(async () => newRunShown(before)).toBe('new run');
      runId = (await section().getAttribute('data-run'))!;
      await page.getByTestId('walk-cancel').click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await expect
        .poll(async () => `${await section().getAttribute('data-run-state')}/${await section().getAttribute('data-active')}`, {
          timeout: 120_000,
        })
        .toBe('interrupted/false');
    } finally {
      await release();
    }
    expect(Object.values(await grid()).some((s) => s === 'pending' || s === 'interrupted')).toBe(true);

    // Reopening the page (as after a restart) shows the interrupted run with Resume.
    await page.reload();
    await page.locator(`[data-testid=page-walkthrough][data-run="${runId}"][data-run-state=interrupted]`).waitFor();
    expect(await page.locator(`[data-testid=walk-history-row][data-run="${runId}"]`).getAttribute('data-state')).toBe('interrupted');
    await runAndWait(() => page.getByTestId('walk-resume').click(), 400_000, true);
    expect(await section().getAttribute('data-run')).toBe(runId);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    expect(new Set(Object.values(await grid()))).toEqual(NOTHING_CHANGED);
  }, 600_000);

  it('skips a step with the reason the operator gave', async () => {
    await selectCell('firewall', 'n2');
    await page.getByTestId('walk-skip').click();
    await page.getByTestId('walk-skip-dialog').waitFor();
    expect(await page.getByTestId('walk-skip-ok').isDisabled()).toBe(true);
    await page.getByTestId('walk-skip-reason').fill('NAT rules are managed by the network team');
    await page.getByTestId('walk-skip-ok').click();
    await page.locator('[data-testid=walk-step][data-step=firewall] [data-testid=walk-skip-planned]').waitFor();
    await runAndWait(() => page.getByTestId('walk-run-all').click(), 400_000);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    const cells = await grid();
    for (const n of NODES) expect(cells[`firewall@${n}`]).toBe('skipped');
    expect(
      new Set(
        Object.entries(cells)
          .filter(([k]) => !k.startsWith('firewall@'))
          .map(([, v]) => v),
      ),
    ).toEqual(NOTHING_CHANGED);
    // The skip applied to that run only, and its reason is kept with the cells.
    expect(await page.locator('[data-testid=walk-skip-planned]').count()).toBe(0);
    await selectCell('firewall', 'n2');
    expect(await page.getByTestId('walk-detail-reason').innerText()).toBe('NAT rules are managed by the network team');
  }, 420_000);

  it('stops only the node that failed, names it, and retries it', async () => {
    // node-3 loses the installer's pristine harbor.cfg the config step renders from.
    const pristine = '/opt/harbor/.harbor-ha-deployer-orig/harbor.cfg';
    await l.node(3).execOk(`mv ${pristine} ${pristine}.away`);
    await runAndWait(() => page.getByTestId('walk-run-all').click(), 400_000);
    expect(await section().getAttribute('data-run-state')).toBe('failed');
    const cells = await grid();
    expect(cells['config@n3']).toBe('failed');
    expect(cells['install@n3']).toBe('blocked');
    for (const n of ['n1', 'n2']) {
      expect(cells[`config@${n}`]).toBe('unchanged');
      expect(cells[`firewall@${n}`]).toBe('unchanged');
    }
    // The failure is listed with its node and opened: the error says what to do.
    expect(
      await page
        .locator('[data-testid=walk-failure]')
        .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}@${e.getAttribute('data-node')}`)),
    ).toEqual(['config@n3']);
    await page.locator('[data-testid=walk-detail][data-step=config][data-node=n3]').waitFor();
    expect(await page.getByTestId('walk-detail-error').innerText()).toMatch(/node-3.*missing; run the unpack step again/s);
    await page.screenshot({ path: join(artifacts, 'walkthrough-failed-node.png'), fullPage: true });

    await l.node(3).execOk(`mv ${pristine}.away ${pristine}`);
    expect(await page.getByTestId('walk-retry-failed').innerText()).toContain('(1)');
    await runAndWait(() => page.getByTestId('walk-retry-failed').click(), 400_000, true);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    expect(await problems()).toBe('');
    expect(await page.locator('[data-testid=walk-failures]').count()).toBe(0);
  }, 600_000);

  it('asks to unlock the vault before a run needs its secrets', async () => {
    core.vault.lock();
    await runAndWait(async () => {
      await page.getByTestId('walk-run-all').click();
      await page.locator('[data-testid=vault-dialog][data-mode=unlock]').waitFor();
      await page.getByTestId('vault-passphrase').fill('vault passphrase for the walkthrough page');
      await page.getByTestId('vault-submit').click();
    }, 400_000);
    expect(await section().getAttribute('data-run-state'), await problems()).toBe('finished');
    expect(new Set(Object.values(await grid()))).toEqual(NOTHING_CHANGED);
  }, 420_000);

  it('follows the language and the theme', async () => {
    await page.getByTestId('language-switch').getByText('中文').click();
    await page.getByTestId('theme-switch').locator('.ant-segmented-item').nth(1).click();
    await page.locator('[data-testid=app][data-locale=zh-CN][data-theme=dark]').waitFor();
    expect(await page.locator('[data-testid=walk-step][data-step=preflight] [data-testid=walk-step-title]').innerText()).toContain('预检');
    expect(await page.getByTestId('walk-run-all').innerText()).toContain('全部执行');
    await page.screenshot({ path: join(artifacts, 'walkthrough-zh-dark.png'), fullPage: true });
  });

  it('ran without page errors or CSP violations', () => {
    expect(errors).toEqual([]);
  });
});
