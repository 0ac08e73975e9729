/**
 * TLS ending on the nodes, both generations: the certificate and key from the profile reach every
 * node, Harbor serves https, and the verification goes through the load balancer over TLS, trusting
 * the self-signed certificate only because it is exactly the one pinned in the profile.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologySnapshot } from '../../shared/api/contracts/topology';
import type { ProfileInput } from '../../shared/profile';
import { httpRequest } from '../../electron/core/probe/http';
import { selfSignedCertificate } from '../helpers/certificates';
import { testCore } from '../helpers/core';
import { failures, statuses } from '../helpers/deploy';
import { saveV1LabProfile, saveV2LabProfile } from '../helpers/lab-profile';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';

for (const generation of ['v1', 'v2'] as const) {
  describe(`Harbor ${generation === 'v1' ? '1.5' : '2.x'} with TLS on the nodes`, () => {
    let l: lab.Lab;
    const core = testCore();
    let pair = { cert: '', key: '' };

    beforeAll(async () => {
      l = await lab.up({
        nodes: 2,
        harbor: generation,
        services: generation === 'v1' ? ['mariadb', 'redis', 'oss', 'lb'] : ['postgres', 'redis', 'oss', 'lb'],
        bundleSize: 1 << 20,
      });
      await core.vault.initialize('vault passphrase for the TLS deploy test');
      pair = selfSignedCertificate({ cn: l.registryName, keyType: 'rsa', days: 365 });
      const tweak = (p: ProfileInput) => {
        p.access = {
          domain: l.registryName,
          protocol: 'https',
          tlsTermination: 'nodes',
          certificate: pair.cert,
          privateKey: { value: pair.key },
        };
      };
      if (generation === 'v1') await saveV1LabProfile(core.profiles, l, { tweak });
      else {
        await createV2HarborRole(l);
        await saveV2LabProfile(core.profiles, l, { tweak });
      }
    }, 180_000);

    afterAll(async () => {
      await core.close();
      await l?.down();
    });

    it('deploys, serves https on every node, and verifies through the load balancer against the pinned certificate', async () => {
      const { runId } = await core.deploy.start('lab');
      const j = await core.deploy.wait(runId);
      expect(j.state, failures(j)).toBe('finished');
      const log = core.deploy
        .log(runId)
        .map((e) => e.line.en)
        .join('\n');
      expect(log).toContain(`✔ /v2/ realm is https://${l.registryName}/service/token`);
      expect(log).toMatch(/✔ pushed and pulled library\/harbor-ha-verify:\S+ through the load balancer/);
      expect(log).not.toContain('PRIVATE KEY');
      for (const n of l.nodes) {
        expect((await n.readText('/data/cert/server.crt')).trim()).toBe(pair.cert.trim());
        expect((await n.execOk('stat -c %a /data/cert/server.key')).trim()).toBe('600');
      }
    }, 300_000);

    it('shows the certificate in the topology: the pinned one everywhere, and a node serving another one named', async () => {
      const sweep = async () => {
        const r = (await core.dispatcher.call('topology.sweep', { profileId: 'lab' }, { transport: 'websocket' })) as {
          ok: boolean;
          value: TopologySnapshot;
        };
        expect(r.ok).toBe(true);
        return r.value;
      };
      const s = await sweep();
      expect(s.lb.certificate, JSON.stringify(s.lb)).toMatchObject({ status: 'ok' });
      const print = s.lb.certificate!.fingerprint;
      for (const n of s.nodes) expect(n.certificate, JSON.stringify(n)).toMatchObject({ status: 'ok', fingerprint: print });
      expect(s.problems.filter((p) => p.id.startsWith('tls:'))).toEqual([]);

      // Node 2 gets another certificate wherever Harbor keeps its copies (prepare copies them).
      const n2 = l.node(2);
      const files = (await n2.execOk('find /data /opt/harbor -name server.crt -o -name server.key')).trim().split('\n');
      const saved = await Promise.all(files.map(async (f) => [f, await n2.readFile(f)] as const));
      const other = selfSignedCertificate({ cn: l.registryName, keyType: 'rsa', days: 365 });
      for (const f of files) await n2.writeFile(f, f.endsWith('.crt') ? other.cert : other.key, 0o600);
      await n2.execOk('docker restart nginx');
      try {
        const bad = await sweep();
        const n = bad.nodes.find((x) => x.nodeId === 'n2')!;
        expect(n.certificate).toMatchObject({ status: 'fail', reason: 'untrusted' });
        expect(n.status).toBe('fail');
        expect(bad.problems.find((p) => p.id === 'tls:differ')).toMatchObject({ nodes: ['n2'] });
        expect(bad.problems.find((p) => p.id === 'tls:untrusted')).toMatchObject({ nodes: ['n2'] });
        expect(JSON.stringify(bad)).not.toContain('PRIVATE KEY');
      } finally {
        for (const [f, data] of saved) await n2.writeFile(f, data, 0o600);
        await n2.execOk('docker restart nginx');
      }
      expect((await sweep()).problems.filter((p) => p.id.startsWith('tls:'))).toEqual([]);
    }, 120_000);

    it('accepts the pinned certificate and refuses any other one that no CA vouches for', async () => {
      const url = `https://${l.registryName}/v2/`;
      const connectTo = { host: l.lb.address, port: 443 };
      expect((await httpRequest(url, { connectTo, pinnedCertificate: pair.cert })).status).toBe(401);
      await expect(
        httpRequest(url, { connectTo, pinnedCertificate: selfSignedCertificate({ cn: l.registryName, keyType: 'rsa', days: 365 }).cert }),
      ).rejects.toThrow(/refused before sending anything: .* the profile pins SHA256/);
      await expect(httpRequest(url, { connectTo })).rejects.toThrow(/self.signed|certificate/i);
    });
  });
}

describe('Harbor 1.5 with TLS at the load balancer', () => {
  let l: lab.Lab;
  const core = testCore();
  let pair = { cert: '', key: '' };

  beforeAll(async () => {
    l = await lab.up({ nodes: 2, harbor: 'v1', services: ['mariadb', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
    await core.vault.initialize('vault passphrase for the TLS-at-the-LB test');
    pair = selfSignedCertificate({ cn: l.registryName, keyType: 'rsa', days: 365 });
    // An SLB HTTPS listener: TLS ends there, plain HTTP to the nodes' port 80, X-Forwarded-Proto: https.
    await l.lb.terminateTls({ pem: `${pair.cert}${pair.key}`, forwardedProto: true });
    await saveV1LabProfile(core.profiles, l, {
      tweak: (p) => {
        p.access = { domain: l.registryName, protocol: 'https', tlsTermination: 'lb', certificate: pair.cert, privateKey: { set: false } };
      },
    });
  }, 180_000);

  afterAll(async () => {
    await core.close();
    await l?.down();
  });

  it('hands clients https URLs (token realm, EXT_ENDPOINT) while the nodes serve http, and verifies through the load balancer', async () => {
    const { runId } = await core.deploy.start('lab');
    const j = await core.deploy.wait(runId);
    expect(j.state, failures(j)).toBe('finished');
    const log = core.deploy
      .log(runId)
      .map((e) => e.line.en)
      .join('\n');
    expect(log).toContain(`✔ /v2/ realm is https://${l.registryName}/service/token`);
    expect(log).toMatch(/✔ pushed and pulled library\/harbor-ha-verify:\S+ through the load balancer/);
    for (const n of l.nodes) {
      // what Harbor's real prepare rendered from the templates the config step wrote
      expect(await n.readText('/opt/harbor/common/config/adminserver/env')).toContain(`EXT_ENDPOINT=https://${l.registryName}\n`);
      expect(await n.readText('/opt/harbor/common/config/registry/config.yml')).toContain(`realm: https://${l.registryName}/service/token`);
      expect(await n.readText('/opt/harbor/harbor.cfg')).toMatch(/^ui_url_protocol = http$/m);
    }
  }, 300_000);

  it('rotates the pin: refused while the load balancer presents the old certificate, passes once it presents the new one', async () => {
    const short = (pem: string) => `SHA256 ${new X509Certificate(pem).fingerprint256.slice(0, 23)}…`;
    // What a rotation must leave alone on a node: Harbor's files and when each container started.
    const nodeState = (n: lab.LabNode) =>
      n.execOk(
        "sha256sum /opt/harbor/harbor.cfg $(find /opt/harbor/common/config -type f | sort); docker inspect -f '{{.Name}} {{.State.StartedAt}}' $(docker ps -a --format '{{.Names}}' | sort)",
      );
    const before = await Promise.all(l.nodes.map(nodeState));
    const next = selfSignedCertificate({ cn: l.registryName, keyType: 'rsa', days: 365 });

    // The operator rotates before installing the new certificate on the load balancer.
    const { runId } = await core.maintenance.rotateCert('lab', { certificate: next.cert });
    const refused = await core.deploy.wait(runId);
    expect(refused.state).toBe('failed');
    expect(statuses(refused)).toEqual({ 'rotate-pin': { '*': 'failed' } });
    const why = refused.cells['rotate-pin']!['*']!;
    const said = why.error ?? why.reason;
    expect(said?.en).toContain(
      `the load balancer (${l.lb.address}) presents ${short(pair.cert)}, the profile now pins ${short(next.cert)}`,
    );
    expect(said?.['zh-CN']).toContain(`负载均衡（${l.lb.address}） 提供的是 ${short(pair.cert)}，配置现在固定的是 ${short(next.cert)}`);
    // The profile holds the new certificate already; no node changed.
    expect(core.profiles.get('lab').profile.access.certificate).toBe(next.cert.trim());
    expect(await Promise.all(l.nodes.map(nodeState))).toEqual(before);

    // The new certificate on the load balancer's HTTPS listener, and the same run again: it passes.
    await l.lb.terminateTls({ pem: `${next.cert}${next.key}`, forwardedProto: true });
    const passed = await core.deploy.wait((await core.deploy.resume(runId)).runId);
    expect(passed.state, failures(passed)).toBe('finished');
    expect(statuses(passed)).toEqual({ 'rotate-pin': { '*': 'passed' } });
    expect(await Promise.all(l.nodes.map(nodeState))).toEqual(before);

    // The next deployment has nothing to change on the nodes for it, and its verification logs in through the load
    // balancer trusting the new certificate (the pin).
    const check = await core.deploy.check('lab');
    for (const step of ['config', 'install'])
      expect(check.cells[step], step).toEqual({
        n1: expect.objectContaining({ status: 'unchanged' }),
        n2: expect.objectContaining({ status: 'unchanged' }),
      });
    const deployed = await core.deploy.wait((await core.deploy.start('lab')).runId);
    expect(deployed.state, failures(deployed)).toBe('finished');

    // The old certificate back on the load balancer is refused now: by the sweep, and before any credential is sent.
    const lbCertificate = async () => {
      const r = (await core.dispatcher.call('topology.sweep', { profileId: 'lab' }, { transport: 'websocket' })) as {
        ok: boolean;
        value: TopologySnapshot;
      };
      expect(r.ok).toBe(true);
      return r.value.lb.certificate;
    };
    expect(await lbCertificate()).toMatchObject({ status: 'ok', fingerprint: next.fingerprint });
    await l.lb.terminateTls({ pem: `${pair.cert}${pair.key}`, forwardedProto: true });
    try {
      expect(await lbCertificate()).toMatchObject({ status: 'fail', reason: 'untrusted' });
      const pinned = core.profiles.get('lab').profile.access.certificate!;
      await expect(
        httpRequest(`https://${l.registryName}/v2/`, { connectTo: { host: l.lb.address, port: 443 }, pinnedCertificate: pinned }),
      ).rejects.toThrow(/refused before sending anything: .* the profile pins SHA256/);
    } finally {
      await l.lb.terminateTls({ pem: `${next.cert}${next.key}`, forwardedProto: true });
    }
  }, 300_000);
});
