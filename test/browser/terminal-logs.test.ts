/**
 * The Logs panel of the Terminals page, in Chromium over serve mode against two lab nodes whose /var/log/harbor holds
 * lines as real Harbor writes them: what a person sees — the lines of both nodes in time order, a level filter
 * narrowing them, and the trace of a proxy request showing the core line of that request.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { profileSchema } from '../../shared/profile';
import { coreLine, proxyLine } from '../helpers/harbor-log-lines';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { v2Profile } from '../helpers/profiles';
import { screenshotEveryLook } from '../helpers/screenshots';
import { caller } from '../helpers/terminal';
import * as lab from '../lab';

let t: LabBrowser;
let l: lab.Lab;
let serve: ServeHandle;
let page: Page;
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const at = (s: number) => T0 + s * 1000;
const PATH = '/api/v2.0/projects/library/repositories';

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, services: [] }),
    vaultPassphrase: 'vault passphrase for the logs panel',
    profiles: async (c, started) => {
      await c.profiles.save(
        profileSchema.parse(
          v2Profile((p) => {
            p.id = 'lab';
            p.name = 'Lab cluster';
            p.nodes = started.nodes.map((n) => ({
              id: `n${n.index}`,
              name: n.name,
              host: n.address,
              auth: { kind: 'password', password: { value: n.password } },
            }));
          }),
        ),
      );
      const call = caller(c);
      for (const id of ['n1', 'n2']) {
        const first = await call<{ status: string; fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId: id });
        if (first.status === 'host_key_unknown') await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
      }
    },
    page: { viewport: { width: 1500, height: 1000 }, timeoutMs: 20_000 },
  });
  ({ lab: l, serve, page } = t);
  const [n1, n2] = [l.node(1), l.node(2)];
  for (const n of [n1, n2]) await n.execOk('mkdir -p /var/log/harbor');
  await n1.writeFile(
    '/var/log/harbor/core.log',
    coreLine(at(1), 'INFO', '/core/main.go:188', null, 'first core line of node 1') +
      coreLine(at(3), 'ERROR', '/lib/http/error.go:57', 'e1', 'an error on node 1'),
  );
  await n2.writeFile(
    '/var/log/harbor/core.log',
    coreLine(at(2), 'DEBUG', '/server/middleware/log/log.go:30', null, `attach request id q7 to the logger for the request GET ${PATH}`) +
      coreLine(at(2), 'WARNING', '/server/middleware/security/idtoken.go:45', 'q7', 'failed to verify token of request q7'),
  );
  await n2.writeFile('/var/log/harbor/proxy.log', proxyLine(at(2), 'GET', PATH, 401));
}, 240_000);

afterAll(async () => {
  await t?.close();
});

const panel = () => page.getByTestId('logs-panel');
/** What each row shows: the node, the component and the message, as a person reads them. */
const rows = async () =>
  (await panel().getByTestId('logs-row').allInnerTexts()).map((x) => x.replace(/^\S+ \S+\s+/, '').replace(/\s+/g, ' '));

describe('the Logs panel', () => {
  it('shows both nodes’ lines in time order, narrows them by level, and traces a proxy request to its core lines', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('terminal-logs').click();
    await panel().waitFor();
    await expect
      .poll(rows)
      .toEqual([
        expect.stringMatching(/^node-1 core .*first core line of node 1$/),
        expect.stringMatching(/^node-2 core .*attach request id q7/),
        expect.stringMatching(/^node-2 core .*failed to verify token of request q7$/),
        expect.stringMatching(/^node-2 proxy Trace .*"GET \/api\/v2.0\/projects\/library\/repositories HTTP\/1.1" 401/),
        expect.stringMatching(/^node-1 core .*an error on node 1$/),
      ]);
    // Only the rows in view are in the page: the list is as tall as its rows, not more.
    const list = await panel().getByTestId('logs-list').boundingBox();
    expect(list!.height).toBeLessThan(500);

    await panel().getByTestId('logs-filter-levels').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="error"]').click();
    await page.keyboard.press('Escape');
    await expect.poll(rows).toEqual([expect.stringMatching(/^node-1 core .*an error on node 1$/)]);
    await panel().getByTestId('logs-filter-levels').locator('.ant-select-clear').click({ force: true });
    await expect.poll(async () => (await rows()).length).toBe(5);
    await screenshotEveryLook(page, 'terminal-logs', panel());

    await panel().getByTestId('logs-trace').click();
    const result = page.getByTestId('logs-trace-result');
    await expect
      .poll(() => result.getByTestId('logs-trace-row').allInnerTexts())
      .toEqual([
        expect.stringMatching(/core\s+same request id\s+.*attach request id q7/),
        expect.stringMatching(/core\s+same request id\s+.*failed to verify token of request q7/),
      ]);
  });
});
