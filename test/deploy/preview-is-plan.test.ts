/**
 * The preview is the plan: for each planned step, the commands its preview shows on a node are, command for command,
 * the commands its apply runs there according to the audit log (reads the step makes to decide are recorded under
 * their own purpose, `<step> (reading)`). On a 2-node Harbor 2.x lab, before and after a change on a node.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployOptions } from '../../electron/core/deploy/context';
import { testCore } from '../helpers/core';
import { failures } from '../helpers/deploy';
import { deployOnly, expectPlanRan, previewThenApply as previewThenApplyOn } from '../helpers/preview-plan';
import { saveV2LabProfile, V2_LAB_HARBOR_DB } from '../helpers/lab-profile';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();

const deploy = (only: string[]) => deployOnly(core, only);
const previewThenApply = (stepId: string, options?: DeployOptions) => previewThenApplyOn(core, stepId, options);

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  await core.vault.initialize('vault passphrase for the preview tests');
  await createV2HarborRole(l);
  await saveV2LabProfile(core.profiles, l, { nodes: 2 });
  const j = await deploy(['installer']);
  expect(j.state, failures(j)).toBe('finished');
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('the preview is the plan', () => {
  it('preflight and runtime only look; a node without docker fails as its preview said, and with consent runs the install its preview showed', async () => {
    const { docker, distro } = l.node(2).spec;
    // Debian: its install needs no download (on CentOS the docker-ce repository file is fetched from the internet)
    await l.node(2).configure({ docker: null, distro: 'debian12' });
    try {
      const pre = await previewThenApply('preflight');
      expect(pre.run.state).toBe('failed');
      const [n1, n2] = [...pre.previewed.keys()];
      for (const commands of pre.previewed.values()) expect(commands).toEqual([]);
      expect(pre.ran.size).toBe(0);
      // the checks did run commands: under the read purpose
      expect(pre.read.get(n2!)!.length).toBeGreaterThan(0);
      const shown = pre.notes.get(n2!)!.at(-1)!;
      expect(shown).toMatch(/docker/);
      expect(failures(pre.run)).toContain(shown);
      expect(pre.notes.get(n1!)).toEqual([pre.notes.get(n1!)![0]]);

      const refused = await previewThenApply('runtime');
      expect(refused.run.state).toBe('failed');
      expect(refused.ran.size).toBe(0);
      expect(refused.previewed.get(n2!)).toEqual([]);
      const consented = await previewThenApply('runtime', { installRuntime: true });
      expect(consented.run.state, failures(consented.run)).toBe('finished');
      expect(consented.applied).toEqual(new Set([n2]));
      expectPlanRan(consented);
      const install = consented.previewed.get(n2!)!;
      expect(install.length).toBeGreaterThan(0);
      // without consent the preview named exactly the commands consent runs
      expect(refused.notes.get(n2!)).toContain(`Allowed to install, it would run: ${install.join('; ')}`);
    } finally {
      await l.node(2).configure({ docker, distro });
    }
  }, 120_000);

  it('installer: a node without it receives the upload, which is no command of its own', async () => {
    const path = (await l.node(1).execOk('ls /opt/harbor-ha/installers/*.tgz')).trim();
    await l.node(2).remove(path);
    const r = await previewThenApply('installer');
    expect(r.run.state, failures(r.run)).toBe('finished');
    const [, n2] = [...r.previewed.keys()];
    expect(r.applied).toEqual(new Set([n2]));
    expectPlanRan(r);
    expect(r.notes.get(n2!)!.some((n) => n.includes('is uploaded once'))).toBe(true);
    expect(r.notes.get(n2!)!.some((n) => n.startsWith('Then waits until '))).toBe(true);
    expect(await l.node(2).exists(path)).toBe(true);
  }, 60_000);

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

  it("install, then csrf: the install mark, install.sh and the stamp, then node 1's CSRF key and the recreated core on node 2", async () => {
    const db = await previewThenApply('database');
    expect(db.run.state, failures(db.run)).toBe('finished');
    const [first] = [...db.sql.keys()];
    // the statement shown is the one the audit recorded, on the database server, reached from node 1
    expect(db.sql.get(first!)).toEqual([`CREATE DATABASE "${V2_LAB_HARBOR_DB.database}" OWNER "${V2_LAB_HARBOR_DB.user}";`]);
    expect([...db.ran.entries()]).toEqual([[`PostgreSQL ${l.postgres.address}:${l.postgres.port} (from ${first})`, db.sql.get(first!)]]);
    expect(db.notes.get(first!)).toContain(`Records "${V2_LAB_HARBOR_DB.database}" as this cluster's database (created by this app).`);
    const install = await previewThenApply('install');
    expect(install.run.state, failures(install.run)).toBe('finished');
    for (const [node, commands] of install.previewed) {
      // the mark that this app started the install, install.sh, the stamp
      expect(commands).toHaveLength(3);
      expect(commands[0]).toContain('.harbor-ha-deployer-installing');
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

  it('firewall: the NAT rules and their saving, nothing on a second run, and only what is missing after a partial change', async () => {
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

    // Partial states: node 1 lost one rule (the other chain still has its own); both nodes gain a place where the OS
    // keeps saved rules, so their active rules are not saved. Each gets exactly what is missing, and no rule twice.
    const [n1, n2] = [...first.previewed.keys()];
    const savedFile = '/etc/sysconfig/iptables';
    const lb = l.lb.address;
    for (const node of [l.node(1), l.node(2)]) await node.execOk('mkdir -p /etc/sysconfig');
    await l.node(1).execOk(`iptables -t nat -D OUTPUT -p tcp -d ${lb} --dport 80 -j REDIRECT`);
    const partial = await previewThenApply('firewall');
    expect(partial.run.state, failures(partial.run)).toBe('finished');
    expectPlanRan(partial);
    const [save] = partial.previewed.get(n2!)!;
    expect(partial.previewed.get(n2!)).toEqual([save]);
    expect(save).toMatch(/^sh -c .*iptables-save.* sh \/etc\/sysconfig\/iptables$/s);
    expect(partial.previewed.get(n1!)).toEqual([`iptables -t nat -A OUTPUT -p tcp -d ${lb} --dport 80 -j REDIRECT`, save]);
    for (const node of [l.node(1), l.node(2)]) {
      const rules = (await node.execOk('iptables -t nat -S')).split('\n').filter((r) => r.includes('REDIRECT'));
      expect(
        rules.filter((r) => r.startsWith('-A OUTPUT')),
        node.name,
      ).toHaveLength(1);
      expect(
        rules.filter((r) => r.startsWith('-A PREROUTING')),
        node.name,
      ).toHaveLength(1);
      expect(await node.readText(savedFile), node.name).toMatch(
        new RegExp(`-A OUTPUT -d ${lb.replace(/\./g, '\\.')}/32 -p tcp -m tcp --dport 80 -j REDIRECT`),
      );
    }
    const again = await previewThenApply('firewall');
    expect(again.applied.size).toBe(0);
  }, 60_000);

  it('verify: pushes and pulls through the load balancer and reads on every node, under the read purpose; passing, nothing runs', async () => {
    const r = await previewThenApply('verify');
    expect(r.run.state, failures(r.run)).toBe('finished');
    const [n1] = [...r.previewed.keys()];
    expect(r.previewed.get(n1!)).toEqual([]);
    expect(r.notes.get(n1!)![0]).toMatch(/^Changes nothing on the nodes: docker ps/);
    expect(r.ran.size).toBe(0);
    expect(r.read.size).toBe(2);
  }, 120_000);

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

  it('installer from a URL: one command, the URL on stdin, never in a command line; a wrong sha256 deletes the download and says so', async () => {
    const file = l.installers.v2!;
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const server = http.createServer((_req, res) => createReadStream(file).pipe(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/harbor-offline-installer-from-url.tgz`;
    const path = '/opt/harbor-ha/installers/harbor-offline-installer-from-url.tgz';
    const useUrl = async (sum: string) => {
      await core.profiles.delete('lab');
      await saveV2LabProfile(core.profiles, l, { nodes: 2, tweak: (p) => (p.harbor.installer = { kind: 'url', url, sha256: sum }) });
    };
    try {
      await useUrl(sha256);
      const r = await previewThenApply('installer');
      expect(r.run.state, failures(r.run)).toBe('finished');
      expectPlanRan(r);
      for (const [node, commands] of r.previewed) {
        expect(commands, node).toHaveLength(1);
        expect(commands[0]).toMatch(/^sh -c .* sh \/opt\/harbor-ha\/installers\/harbor-offline-installer-from-url\.tgz [0-9a-f]{64}$/s);
        expect(commands[0]).not.toContain(url);
      }
      expect(
        createHash('sha256')
          .update(await l.node(2).readFile(path))
          .digest('hex'),
      ).toBe(sha256);

      await useUrl('0'.repeat(64));
      await l.node(2).remove(path);
      const wrong = await deployOnly(core, ['installer']);
      expect(wrong.state).toBe('failed');
      expect(failures(wrong)).toMatch(/does not have the sha256 0{64} the profile gives\. It was deleted\./);
      expect(await l.node(2).execOk(`ls -A ${path}* 2>/dev/null || true`)).toBe('');
    } finally {
      server.close();
    }
  }, 120_000);
});
