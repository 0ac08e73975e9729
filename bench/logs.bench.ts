/**
 * Harbor's logs across nodes (issue #19 item 3): 4 lab nodes with 100 000 log lines each (proxy.log and core.log in
 * Harbor's formats, 50 000 lines apiece), the merged tail asked for as the Logs panel asks (`logs.read` through the
 * dispatcher: list, read each file's last chunk, mask, parse, merge, filter). Figures: the time from asking to the
 * first lines available to the UI (median of runs after a first one that opens the connections) against the goal of
 * 300 ms, beside the reference of the same run — the bare reads alone (`dd` of the same chunks over the same
 * connections, nothing parsed); the desktop process's memory growth over the runs against 50 MB. Then the same on
 * screen: serve mode in Chromium, the Logs switch clicked on the Terminals page, timed until the first row is in the
 * page and painted (two animation frames after it appears), the panel closed and opened again each run, broken down
 * into the click to the request sent, the request to its answer arrived, and the answer to the first row painted. The
 * renderer is the one built in out/ (the tests build it).
 */
import type { Page } from 'playwright-core';
import { launchChromium, openTestPage } from '../test/helpers/browser';
import { projectRoot, serveBuiltApp } from '../test/helpers/serve';
import { coreLine, proxyLine } from '../test/helpers/harbor-log-lines';
import { v2Profile } from '../test/helpers/profiles';
import * as lab from '../test/lab';
import { profileSchema } from '../shared/profile';
import type { LogChunk } from '../shared/api/contracts/logs';
import { FIRST_LOG_CHUNK } from '../shared/api/contracts/logs';
import type { Benchmark } from './harness';

const NODES = 4;
const LINES_PER_FILE = 50_000;
const RUNS = 7;
const GOAL_MS = 300;
const GOAL_MB = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs in the page before its scripts: the time of each click on the Logs switch, and when the first row of the panel
 * is in the page after it, two animation frames later (the frame that paints it has then been drawn). A
 * MutationObserver sees the row in the task that inserts it, unlike polling from outside. For the breakdown, also when
 * the panel's `logs.read` left on the WebSocket and when its answer arrived (a listener of the socket's own, added
 * before the app's, so the app's decoding counts after it).
 */
const MARKS_SCRIPT = `(() => {
  const marks = (window.__logsOnScreen = []);
  let run;
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('[data-testid=terminal-logs]')) run = { clicked: performance.now() };
  }, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (run && run.sent === undefined && typeof data === 'string' && data.includes('"name":"logs.read"')) {
      run.sent = performance.now();
      run.id = JSON.parse(data).id;
    }
    return send.call(this, data);
  };
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (run && run.id !== undefined && run.answered === undefined && typeof e.data === 'string' && e.data.startsWith('{"t":"result","id":' + run.id + ','))
          run.answered = performance.now();
      });
    }
  };
  new MutationObserver(() => {
    if (run === undefined || !document.querySelector('[data-testid=logs-row]')) return;
    const r = run;
    run = undefined;
    requestAnimationFrame(() => requestAnimationFrame(() => marks.push({ ...r, painted: performance.now() })));
  }).observe(document, { childList: true, subtree: true });
})();`;

/** One opening of the panel, in ms from the click: the request sent, its answer arrived, the first row painted. */
interface Opening {
  readonly clicked: number;
  readonly sent?: number;
  readonly answered?: number;
  readonly painted: number;
}

/** Opens the Logs panel RUNS + 1 times in Chromium and answers each opening's marks. */
async function onScreen(url: string): Promise<Opening[]> {
  const browser = await launchChromium();
  try {
    const page: Page = await openTestPage(
      browser,
      { locale: 'en-US', viewport: { width: 1500, height: 1000 }, timeoutMs: 30_000 },
      { errors: [], artifacts: `${projectRoot}/test-results` },
    );
    await page.addInitScript(MARKS_SCRIPT);
    await page.goto(url);
    await page.getByTestId('nav-terminals').click();
    const toggle = page.getByTestId('terminal-logs');
    for (let k = 0; k <= RUNS; k++) {
      await toggle.click();
      await page.waitForFunction((n) => (window as unknown as { __logsOnScreen: unknown[] }).__logsOnScreen.length > n, k);
      await toggle.click();
      await page.getByTestId('logs-panel').waitFor({ state: 'detached' });
    }
    return await page.evaluate(() => (window as unknown as { __logsOnScreen: Opening[] }).__logsOnScreen);
  } finally {
    await browser.close();
  }
}

/** The median of one part of the openings, over those where both marks were seen (NaN when none). */
function part(openings: readonly Opening[], from: (o: Opening) => number | undefined, to: (o: Opening) => number | undefined): number {
  const xs = openings.map((o) => (to(o) ?? NaN) - (from(o) ?? NaN)).filter(Number.isFinite);
  return xs.length ? median(xs) : NaN;
}

export default {
  name: 'logs',
  description: `merged tail of ${NODES} lab nodes x ${2 * LINES_PER_FILE} Harbor log lines: first lines available to the UI, and memory`,
  async run() {
    const l = await lab.up({ nodes: NODES, services: [] });
    const { serve, core } = await serveBuiltApp();
    try {
      await core.vault.initialize('bench vault passphrase');
      await core.profiles.save(
        profileSchema.parse(
          v2Profile((p) => {
            p.id = 'lab';
            p.name = 'Lab cluster';
            p.nodes = l.nodes.map((n) => ({
              id: `n${n.index}`,
              name: n.name,
              host: n.address,
              hostKeyFingerprint: n.hostKeyFingerprint,
              auth: { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
            }));
          }),
        ),
      );
      const t0 = Math.floor(Date.now() / 1000) * 1000 - LINES_PER_FILE * 1000;
      await Promise.all(
        l.nodes.map(async (n) => {
          const core: string[] = [];
          const proxy: string[] = [];
          for (let i = 0; i < LINES_PER_FILE; i++) {
            const t = t0 + i * 1000 + n.index;
            core.push(
              coreLine(
                t,
                'DEBUG',
                '/server/middleware/log/log.go:30',
                null,
                `attach request id r${n.index}-${i} to the logger for the request GET /api/v2.0/projects/${i}`,
              ),
            );
            proxy.push(proxyLine(t, 'GET', `/api/v2.0/projects/${i}`, i % 50 === 0 ? 500 : 200));
          }
          await n.writeFile('/var/log/harbor/core.log', core.join(''));
          await n.writeFile('/var/log/harbor/proxy.log', proxy.join(''));
        }),
      );
      const nodeIds = l.nodes.map((n) => `n${n.index}`);
      const ask = async () => {
        const started = performance.now();
        const env = await core.dispatcher.call(
          'logs.read',
          // What the panel asks first (FIRST_LOG_CHUNK of each file), so both figures are of the same answer.
          { profileId: 'lab', nodeIds, chunkBytes: FIRST_LOG_CHUNK },
          { transport: 'websocket' },
        );
        const ms = performance.now() - started;
        if (!env.ok) throw new Error(JSON.stringify(env.error));
        return { ms, chunk: env.value as LogChunk };
      };
      const first = await ask();
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const times: number[] = [];
      let chunk = first.chunk;
      for (let k = 0; k < RUNS; k++) {
        const r = await ask();
        times.push(r.ms);
        chunk = r.chunk;
      }
      const rssAfter = process.memoryUsage().rss;
      // The reference: the same chunks read with dd over the same connections, nothing parsed or merged.
      const bare: number[] = [];
      for (let k = 0; k < RUNS; k++) {
        const started = performance.now();
        await Promise.all(
          chunk.files.map((f) =>
            core.ssh.run(
              'lab',
              f.node,
              [
                'dd',
                `if=/var/log/harbor/${f.component}.log`,
                'bs=65536',
                'iflag=skip_bytes,count_bytes',
                `skip=${Math.max(0, f.size - FIRST_LOG_CHUNK)}`,
                `count=${FIRST_LOG_CHUNK}`,
                'status=none',
              ],
              { auditOutput: false, maxBuffer: 1 },
            ),
          ),
        );
        bare.push(performance.now() - started);
      }
      const ours = median(times);
      const growthMb = (rssAfter - rssBefore) / (1 << 20);
      const screen = await onScreen(serve.url);
      const runs = screen.slice(1);
      const onScreenMs = part(
        runs,
        (o) => o.clicked,
        (o) => o.painted,
      );
      return {
        figures: [
          {
            label: `first lines available to the UI, median of ${RUNS} (${chunk.lines.length} lines, ${chunk.bytesRead} bytes read)`,
            value: ours,
            unit: 'ms',
          },
          { label: 'the same chunks read bare with dd over the same connections (reference, same run)', value: median(bare), unit: 'ms' },
          { label: 'the first ask (connections opened)', value: first.ms, unit: 'ms' },
          {
            label: `first lines on screen in Chromium (serve), from the Logs switch's click to the first row painted, median of ${RUNS}`,
            value: onScreenMs,
            unit: 'ms',
          },
          {
            label: '  of which: from the click to the request sent on the WebSocket',
            value: part(
              runs,
              (o) => o.clicked,
              (o) => o.sent,
            ),
            unit: 'ms',
          },
          {
            label: '  of which: from the request sent to its answer arrived',
            value: part(
              runs,
              (o) => o.sent,
              (o) => o.answered,
            ),
            unit: 'ms',
          },
          {
            label: '  of which: from the answer arrived to the first row painted',
            value: part(
              runs,
              (o) => o.answered,
              (o) => o.painted,
            ),
            unit: 'ms',
          },
          {
            label: 'the same, the first opening of the panel (its code loaded)',
            value: screen[0]!.painted - screen[0]!.clicked,
            unit: 'ms',
          },
          { label: `desktop RSS growth over ${RUNS} asks`, value: growthMb, unit: 'MB' },
          { label: 'log lines on the nodes', value: NODES * 2 * LINES_PER_FILE, unit: 'lines' },
        ],
        ratio: onScreenMs / GOAL_MS,
        ratioLabel: `first lines on screen in ms / ${GOAL_MS} ms`,
        goal: `<= 1 (and memory growth < ${GOAL_MB} MB)`,
        met: onScreenMs <= GOAL_MS && growthMb < GOAL_MB,
        notes: [
          `memory growth ${growthMb.toFixed(1)} MB (goal < ${GOAL_MB} MB)`,
          `available to the UI ${ours.toFixed(0)} ms, on screen ${onScreenMs.toFixed(0)} ms: the page's share is the difference`,
        ],
      };
    } finally {
      await serve.close();
      await core.close();
      await l.down();
    }
  },
} satisfies Benchmark;
