/**
 * A certificate rotation on a Harbor 1.5 lab cluster with TLS on the nodes (Harbor's own 1.5 prepare): every copy 1.5
 * keeps (the data volume's, ha/ which prepare copies back over it, and nginx's) gets the new certificate, each node
 * presents it over a real TLS handshake afterwards, and the next deployment has nothing to change or reinstall for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentedFingerprint, selfSignedCertificate } from '../helpers/certificates';
import { testCore } from '../helpers/core';
import { failures, statuses } from '../helpers/deploy';
import { saveV1LabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();
let dir: string;

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v1', services: ['mariadb', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  dir = mkdtempSync(join(tmpdir(), 'rotate-cert-v1-'));
  await core.vault.initialize('vault passphrase for the 1.5 rotation test');
  const first = selfSignedCertificate({ dir, name: 'first', cn: l.registryName, keyType: 'rsa' });
  await saveV1LabProfile(core.profiles, l, {
    clair: false,
    tweak: (p) => {
      p.access = {
        domain: l.registryName,
        protocol: 'https',
        tlsTermination: 'nodes',
        certificate: first.cert,
        privateKey: { value: first.key },
      };
    },
  });
  const j = await core.deploy.wait((await core.deploy.start('lab')).runId);
  expect(j.state, failures(j)).toBe('finished');
}, 300_000);

afterAll(async () => {
  await core.close();
  await l?.down();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('certificate rotation, Harbor 1.5, TLS on the nodes', () => {
  it('puts the new certificate into every copy 1.5 keeps, node by node, and the next deployment keeps it', async () => {
    const next = selfSignedCertificate({ dir, name: 'next', cn: l.registryName, keyType: 'rsa' });
    const { runId } = await core.maintenance.rotateCert('lab', { certificate: next.cert, privateKey: { value: next.key } });
    const j = await core.deploy.wait(runId);
    expect(j.state, failures(j)).toBe('finished');
    expect(statuses(j)).toEqual({ 'rotate-check': { '*': 'passed' }, 'rotate-node': { n1: 'succeeded', n2: 'succeeded' } });
    const { fingerprint } = next;
    for (const n of l.nodes) {
      expect(await presentedFingerprint(n.address, l.registryName)).toBe(fingerprint);
      for (const f of ['/data/cert/server.crt', '/opt/harbor/ha/server.crt', '/opt/harbor/common/config/nginx/cert/server.crt'])
        expect((await n.readText(f)).trim(), f).toBe(next.cert.trim());
    }
    const check = await core.deploy.check('lab');
    for (const step of ['config', 'install'])
      for (const n of ['n1', 'n2']) expect(`${step}@${n}: ${check.cells[step]![n]!.status}`).toBe(`${step}@${n}: unchanged`);
  }, 240_000);
});
