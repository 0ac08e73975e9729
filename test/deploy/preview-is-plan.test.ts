/**
 * The preview is the plan: for each planned step, the commands its preview shows on a node are, command for command,
 * the commands its apply runs there according to the audit log (reads the step makes to decide are recorded under
 * their own purpose, `<step> (reading)`). On a 2-node Harbor 2.x lab, before and after a change on a node.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCore } from '../helpers/core';
import { failures } from '../helpers/deploy';
import { deployOnly, expectPlanRan, previewThenApply as previewThenApplyOn } from '../helpers/preview-plan';
import { saveV2LabProfile, V2_LAB_HARBOR_DB } from '../helpers/lab-profile';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();

const deploy = (only: string[]) => deployOnly(core, only);
const previewThenApply = (stepId: string) => previewThenApplyOn(core, stepId);

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  await core.vault.initialize('vault passphrase for the preview tests');
  const c = new pg.Client(l.postgres.connection);
  await c.connect();
  await c.query(`CREATE ROLE ${V2_LAB_HARBOR_DB.user} LOGIN PASSWORD '${V2_LAB_HARBOR_DB.password}'`);
  await c.end();
  await saveV2LabProfile(core.profiles, l, { nodes: 2 });
  const j = await deploy(['installer']);
  expect(j.state, failures(j)).toBe('finished');
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('the preview is the plan', () => {
  it('unpack: a fresh node, then a node whose /opt/harbor came from another installer (moved aside)', async () => {
    const first = await previewThenApply('unpack');
    expect(first.run.state, failures(first.run)).toBe('finished');
    for (const [node, commands] of first.previewed) {
      expect(commands.some((c) => c.startsWith('tar xzf '))).toBe(true);
      expect(first.ran.get(node), node).toEqual(commands);
    }
    await l.node(1).writeFile('/opt/harbor/.harbor-ha-deployer-installer', '0000\n');
    const again = await previewThenApply('unpack');
    expect(again.run.state, failures(again.run)).toBe('finished');
    const [n1, n2] = [...again.previewed.keys()];
    expect(again.previewed.get(n1!)![0]).toMatch(/^mv -T -- \/opt\/harbor \/opt\/harbor\.before-\d{8}T\d{6}$/);
    expect(again.ran.get(n1!)).toEqual(again.previewed.get(n1!));
    // node 2 was unpacked from this installer already: nothing to do, nothing run
    expect(again.ran.get(n2!)).toBeUndefined();
  }, 120_000);

  it('config: writes exactly the files whose diff it showed, then nothing once they are as rendered', async () => {
    const first = await previewThenApply('config');
    expect(first.run.state, failures(first.run)).toBe('finished');
    for (const [node, commands] of first.previewed) {
      expect(commands.some((c) => c.includes(' /opt/harbor/harbor.yml '))).toBe(true);
      expect(first.ran.get(node), node).toEqual(commands);
    }
    const second = await previewThenApply('config');
    for (const [node, commands] of second.previewed) {
      expect(commands, node).toEqual([]);
      expect(second.ran.get(node)).toBeUndefined();
    }
  }, 60_000);

  it('secrets: the shared files, their owner and mode, and a legacy secretkey moved aside; never their content', async () => {
    await l.node(2).writeFile('/data/secretkey', 'a-legacy-key-of-16');
    const r = await previewThenApply('secrets');
    expect(r.run.state, failures(r.run)).toBe('finished');
    const [n1, n2] = [...r.previewed.keys()];
    for (const [node, commands] of r.previewed) expect(r.ran.get(node), node).toEqual(commands);
    expect(r.previewed.get(n2!)!.at(-1)).toMatch(/^mv -f -- \/data\/secretkey \/data\/secretkey\.before-harbor-ha-\d{8}T\d{6}$/);
    expect(r.previewed.get(n1!)!.some((c) => c.startsWith('mv '))).toBe(false);
    const key = await l.node(1).readText('/data/secret/keys/secretkey');
    for (const commands of r.ran.values()) expect(commands.join('\n')).not.toContain(key);
  }, 60_000);

  it("install, then csrf: install.sh and the stamp, then node 1's CSRF key and the recreated core on node 2", async () => {
    const db = await deploy(['database']);
    expect(db.state, failures(db)).toBe('finished');
    const install = await previewThenApply('install');
    expect(install.run.state, failures(install.run)).toBe('finished');
    for (const [node, commands] of install.previewed) {
      expect(commands).toHaveLength(2);
      expect(install.ran.get(node), node).toEqual(commands);
      expect(install.notes.get(node)).toContain('Then waits until /api/v2.0/health reports every component healthy.');
    }
    const csrf = await previewThenApply('csrf');
    expect(csrf.run.state, failures(csrf.run)).toBe('finished');
    expectPlanRan(csrf);
    // node 2's key differed (prepare made its own): written, then core recreated
    const [, n2] = [...csrf.previewed.keys()];
    expect(csrf.applied.has(n2!)).toBe(true);
    expect(csrf.previewed.get(n2!)).toHaveLength(2);
    const key = /^CSRF_KEY=(.*)$/m.exec(await l.node(1).readText('/opt/harbor/common/config/core/env'))![1]!;
    expect(csrf.ran.get(n2!)!.join('\n')).not.toContain(key);
  }, 180_000);

  it('firewall: the NAT rules and their saving, then nothing on a second run', async () => {
    const first = await previewThenApply('firewall');
    expect(first.run.state, failures(first.run)).toBe('finished');
    for (const [node, commands] of first.previewed) {
      expect(commands.filter((c) => c.startsWith('iptables -t nat -A '))).toHaveLength(2);
      expect(first.ran.get(node), node).toEqual(commands);
    }
    const second = await previewThenApply('firewall');
    for (const [node, commands] of second.previewed) {
      expect(commands, node).toEqual([]);
      expect(second.ran.get(node)).toBeUndefined();
    }
  }, 60_000);

  it('keys-verify: changes nothing, and fails with the message its preview showed', async () => {
    await l.node(2).writeFile('/data/secret/core/private_key.pem', 'a key of its own\n', 0o600);
    const r = await previewThenApply('keys-verify');
    expect(r.run.state).toBe('failed');
    const [label] = [...r.previewed.keys()];
    expect(r.previewed.get(label!)).toEqual([]);
    expect(r.ran.size).toBe(0);
    const shown = r.notes.get(label!)!.find((n) => n.startsWith('The key material differs'))!;
    expect(shown).toMatch(/node-2 .*\/data\/secret\/core\/private_key\.pem differs from node-1/);
    expect(failures(r.run)).toContain(shown);
  }, 60_000);
});
