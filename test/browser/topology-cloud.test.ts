/**
 * The Topology page's Aliyun panel in Chromium over serve mode, against the lab's OpenAPI endpoint (issue #18): the
 * CLB's backends beside the nodes, the RDS and Redis whitelists with the nodes they refuse, "Allow the nodes" with the
 * consent dialog naming the addresses and the group, the nodes let in after it, and the RAM policy to grant.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { saveV2LabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';

let t: LabBrowser;
let l: lab.Lab;
let serve: ServeHandle;
let page: Page;
let errors: string[];

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb', 'cloud'], bundleSize: 1 << 20 }),
    vaultPassphrase: 'vault passphrase for the cloud panel',
    profiles: (c, started) =>
      saveV2LabProfile(c.profiles, started, {
        cloud: true,
        tweak: (p) => {
          p.loadBalancer = { kind: 'clb', instanceId: started.cloud.ids.loadBalancer, listener: 'tcp', privateAddress: started.lb.address };
        },
      }),
    page: { viewport: { width: 1500, height: 1000 }, timeoutMs: 20_000 },
  });
  ({ lab: l, serve, page, errors } = t);
}, 240_000);

afterAll(async () => {
  await t?.close();
});

describe('the Aliyun panel', () => {
  it('shows the CLB and the whitelists beside the nodes, lets the nodes in with consent, and prints the RAM policy', async () => {
    await page.goto(serve.url);
    await page.getByTestId('nav-topology').click();
    await page.getByTestId('topology-cloud').click();
    const panel = page.getByTestId('cloud-panel');

    // The first reading loads the SDKs and asks Aliyun (the lab) several things: seconds on a loaded machine.
    const answered = { timeout: 30_000 };
    const backends = panel.getByTestId('cloud-backend');
    await expect.poll(() => backends.count(), answered).toBe(2);
    expect(await backends.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')))).toEqual(['n1', 'n2']);
    await expect
      .poll(() => panel.getByTestId('cloud-listener').allInnerTexts())
      .toEqual([expect.stringContaining('TCP 80'), expect.stringContaining('TCP 443')]);

    const database = panel.locator('[data-testid=cloud-whitelist][data-service=database]');
    const admitted = () =>
      database.getByTestId('cloud-whitelist-node').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-admitted')));
    expect(await admitted()).toEqual(['false', 'false']);
    await database.getByTestId('cloud-allow').click();
    const body = await page.getByTestId('cloud-allow-body').innerText();
    expect(body).toContain(`${l.node(1).address}, ${l.node(2).address}`);
    expect(body).toContain('harbor_ha');
    // Nothing changes before OK.
    expect(l.cloud.whitelist(l.cloud.ids.postgres)).not.toContain(l.node(1).address);
    await page.getByTestId('cloud-allow-ok').click();
    await expect.poll(admitted, answered).toEqual(['true', 'true']);
    expect(l.cloud.whitelist(l.cloud.ids.postgres)).toEqual(expect.arrayContaining([l.node(1).address, l.node(2).address]));
    // Redis was not touched.
    expect(l.cloud.whitelist(l.cloud.ids.redis)).not.toContain(l.node(1).address);

    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    await panel.getByTestId('cloud-policy').click();
    const policy = JSON.parse(await page.getByTestId('cloud-policy-text').innerText()) as { Statement: Array<{ Action: string[] }> };
    expect(policy.Statement[0]!.Action).toEqual(
      expect.arrayContaining(['slb:SetBackendServers', 'rds:ModifySecurityIps', 'kvstore:ModifySecurityIps']),
    );
    expect(errors).toEqual([]);
  });
});
