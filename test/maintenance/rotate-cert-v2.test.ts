/**
 * A certificate rotation on a Harbor 2.x lab cluster with TLS on the nodes (Harbor's own prepare and files): a new
 * certificate and key reach every node one node at a time while the other keeps serving, every node presents the new
 * one over a real TLS handshake afterwards, and the next deployment has nothing to reinstall for it. A key that is
 * not the certificate's is refused naming the field, with nothing changed anywhere.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { presentedFingerprint, selfSignedCertificate, type TestCertificate } from '../helpers/certificates';
import { runCli } from '../helpers/cli';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { screenshotEveryLook } from '../helpers/screenshots';
import { failures, statuses } from '../helpers/deploy';
import { saveV2LabProfile } from '../helpers/lab-profile';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';

let l: lab.Lab;
let t: LabBrowser;
let core: LabBrowser['core'];
let dir: string;

async function stage(keyFile: string): Promise<{ staged: string }> {
  const e = await core.dispatcher.call('files.stagePrivateKey', { path: keyFile }, { transport: 'ipc' });
  if (!e.ok) throw new Error(e.error.message.en);
  return e.value as { staged: string };
}

let first: TestCertificate;

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 }),
    vaultPassphrase: 'vault passphrase for the rotation test',
  });
  ({ lab: l, core } = t);
  dir = mkdtempSync(join(tmpdir(), 'rotate-cert-'));
  await createV2HarborRole(l);
  first = selfSignedCertificate({ dir, name: 'first', cn: l.registryName, keyType: 'rsa' });
  await saveV2LabProfile(core.profiles, l, {
    nodes: 2,
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
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('certificate rotation, Harbor 2.x, TLS on the nodes', () => {
  it('refuses a key that is not the certificate’s, naming the field, and changes nothing', async () => {
    const other = selfSignedCertificate({ dir, name: 'other', cn: l.registryName, keyType: 'rsa' });
    const stranger = selfSignedCertificate({ dir, name: 'stranger', cn: l.registryName, keyType: 'rsa' });
    const before = core.profiles.get('lab');
    const filesBefore = await Promise.all(l.nodes.map((n) => n.execOk('sha256sum /data/cert/server.crt /data/secret/cert/server.crt')));
    const refused = await core.maintenance
      .rotateCert('lab', { certificate: other.cert, privateKey: await stage(stranger.keyFile) })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).issues?.map((i) => i.path)).toEqual(['privateKey']);
    expect((refused as ApiError).message).toMatch(/does not belong to the certificate/);
    // Nothing changed: the profile (same revision, same certificate), the nodes' files, no run.
    expect(core.profiles.get('lab').revision).toBe(before.revision);
    expect(core.profiles.get('lab').profile.access.certificate).toBe(first.cert.trim());
    expect(await Promise.all(l.nodes.map((n) => n.execOk('sha256sum /data/cert/server.crt /data/secret/cert/server.crt')))).toEqual(
      filesBefore,
    );
    expect(core.deploy.runs('lab', 'rotate-cert')).toEqual([]);
    for (const n of l.nodes) expect(await presentedFingerprint(n.address, l.registryName)).toBe(first.fingerprint);
  });

  it('rolls the new certificate onto every node one at a time, always one node serving', async () => {
    const next = selfSignedCertificate({ dir, name: 'next', cn: l.registryName, keyType: 'rsa' });
    const { runId } = await core.maintenance.rotateCert('lab', { certificate: next.cert, privateKey: await stage(next.keyFile) });
    // Saved into the profile before any node changed: a run cut short loses nothing the operator gave.
    expect(core.profiles.get('lab').profile.access.certificate).toBe(next.cert.trim());

    // What each node serves, sampled throughout the run.
    const samples: (string | null)[][] = [];
    let running = true;
    const sampling = (async () => {
      while (running) {
        samples.push(await Promise.all(l.nodes.map((n) => presentedFingerprint(n.address, l.registryName))));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const j = await core.deploy.wait(runId);
    running = false;
    await sampling;

    expect(j.state, failures(j)).toBe('finished');
    expect(statuses(j)).toEqual({ 'rotate-check': { '*': 'passed' }, 'rotate-node': { n1: 'succeeded', n2: 'succeeded' } });
    expect(samples.length).toBeGreaterThan(2);
    // At every moment at least one node served; node 1 went first: never node 2 new while node 1 old.
    expect(samples.filter((s) => !s.some(Boolean)).length, 'samples where no node served').toBe(0);
    expect(samples.some(([a, b]) => a === first.fingerprint && b === next.fingerprint)).toBe(false);
    expect(samples.some(([a, b]) => a === next.fingerprint && b === first.fingerprint)).toBe(true);
    // Afterwards every node presents the new certificate over a real handshake.
    for (const n of l.nodes) expect(await presentedFingerprint(n.address, l.registryName)).toBe(next.fingerprint);
    for (const n of l.nodes) {
      expect((await n.readText('/data/cert/server.crt')).trim()).toBe(next.cert.trim());
      expect((await n.execOk('stat -c "%a %u" /data/cert/server.key /data/secret/cert/server.key')).trim()).toBe('600 0\n600 10000');
    }
    // The key is in no log line of the run.
    expect(JSON.stringify(core.deploy.run(runId))).not.toContain('PRIVATE KEY');

    // The next deployment renders the same certificate and has nothing to reinstall for it.
    const check = await core.deploy.check('lab');
    expect(check.cells['config']).toEqual({
      n1: expect.objectContaining({ status: 'unchanged' }),
      n2: expect.objectContaining({ status: 'unchanged' }),
    });
    expect(check.cells['install']).toEqual({
      n1: expect.objectContaining({ status: 'unchanged' }),
      n2: expect.objectContaining({ status: 'unchanged' }),
    });
  }, 240_000);

  it('is done from the Maintenance page: a wrong certificate named under its field, then a key and CSR made by the app, signed by a CA, rolled out', async () => {
    const page = t.page;
    const byId = (id: string) => page.getByTestId(id);
    await page.goto(`${t.serve.url}#/maintenance`);
    await byId('maint-cert-what').getByText('TLS ends on the nodes').waitFor();
    const runs = core.deploy.runs('lab', 'rotate-cert').length;
    // A key made by the core (the page holds only its token), and a certificate for another name: refused under the field.
    await byId('maint-cert-generate').click();
    await byId('maint-cert-key-held').waitFor();
    await byId('maint-cert-pem').fill(selfSignedCertificate({ dir, name: 'elsewhere', cn: 'elsewhere.example.test', keyType: 'rsa' }).cert);
    await byId('maint-cert-rotate').click();
    await page.getByText('the certificate is not valid for').waitFor();
    expect(core.deploy.runs('lab', 'rotate-cert')).toHaveLength(runs);

    const refused = await byId('maint-cert-pem').inputValue();
    await byId('maint-cert-generate').click();
    // The field is cleared before the new certificate arrives: wait for a whole certificate other than the refused one.
    await expect
      .poll(async () => {
        const value = await byId('maint-cert-pem').inputValue();
        return value !== refused && /-----END CERTIFICATE-----\s*$/.test(value);
      })
      .toBe(true);
    expect(new X509Certificate(await byId('maint-cert-pem').inputValue()).subjectAltName).toBe(`DNS:${l.registryName}`);

    // A key and CSR made by the core: the CSR shown (and the field cleared: the old certificate is not the new key's).
    await byId('maint-cert-csr').click();
    await byId('maint-cert-csr-shown').waitFor();
    const csr = await byId('maint-cert-csr-text').innerText();
    expect(await byId('maint-cert-pem').inputValue()).toBe('');
    await byId('csr-download').waitFor();
    // The operator's CA signs it (openssl, as a CA would), and the certificate it returns is pasted with its chain.
    const ca = selfSignedCertificate({ dir, name: 'ca', cn: 'test-ca.example', keyType: 'rsa' });
    writeFileSync(join(dir, 'page.csr'), csr);
    const leaf = execFileSync(
      'openssl',
      ['x509', '-req', '-in', join(dir, 'page.csr'), '-CA', ca.certFile, '-CAkey', ca.keyFile, '-days', '30', '-copy_extensions', 'copy'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    // A certificate for another key first: the rotation checks the certificate against the key made with the CSR.
    await byId('maint-cert-pem').fill(selfSignedCertificate({ dir, name: 'not-the-csr', cn: l.registryName, keyType: 'rsa' }).cert);
    await byId('maint-cert-rotate').click();
    await page.getByText('does not belong to the certificate').waitFor();
    expect(core.deploy.runs('lab', 'rotate-cert')).toHaveLength(runs);
    const pem = `${leaf.trim()}\n${ca.cert.trim()}\n`;
    await byId('maint-cert-pem').fill(pem);
    // The refusal was about the text before: it goes with it.
    expect(await page.getByText('does not belong to the certificate').count()).toBe(0);
    expect(await page.content()).not.toContain('PRIVATE KEY');
    await screenshotEveryLook(page, 'maintenance-certificate', byId('maint-cert'));
    const before = await page.locator('[data-testid=maint-run]').getAttribute('data-run');
    await byId('maint-cert-rotate').click();
    // The new run replaces the last one on the page, and is followed until it ends.
    await page
      .locator(`[data-testid=maint-run][data-state=finished][data-active=false]:not([data-run="${before}"])`)
      .waitFor({ timeout: 120_000 });
    await page.getByText('Certificate rotation of').waitFor();
    expect(await page.locator('[data-testid=maint-step][data-step=rotate-node]').getAttribute('data-status')).toBe('succeeded');
    const fingerprint = new X509Certificate(leaf).fingerprint256;
    for (const n of l.nodes) expect(await presentedFingerprint(n.address, l.registryName)).toBe(fingerprint);
    expect(core.profiles.get('lab').profile.access.certificate).toBe(pem.trim());
    expect(t.errors).toEqual([]);
  }, 180_000);

  it('is done by harbor-ha rotate-cert: a key that is not the certificate’s refused (exit 2), then the new one on every node', async () => {
    const sealed = await core.profiles.exportProfile('lab', { mode: 'sealed', passphrase: 'profile passphrase for the cli' });
    const profileFile = join(dir, sealed.fileName);
    writeFileSync(profileFile, sealed.content, { mode: 0o600 });
    const env = {
      ...process.env,
      HARBOR_HA_VAULT_PASSPHRASE: 'cli vault passphrase',
      HARBOR_HA_PROFILE_PASSPHRASE: 'profile passphrase for the cli',
      LANG: 'en_US.UTF-8',
    };
    const common = ['--profile', profileFile, '--data-dir', join(dir, 'cli-data')];
    const before = await Promise.all(l.nodes.map((n) => presentedFingerprint(n.address, l.registryName)));
    const next = selfSignedCertificate({ dir, name: 'cli', cn: l.registryName, keyType: 'rsa' });
    const stranger = selfSignedCertificate({ dir, name: 'cli-stranger', cn: l.registryName, keyType: 'rsa' });

    const refused = await runCli(['rotate-cert', ...common, '--cert', next.certFile, '--key', stranger.keyFile], env);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/privateKey: this private key does not belong to the certificate/);
    expect(await Promise.all(l.nodes.map((n) => presentedFingerprint(n.address, l.registryName)))).toEqual(before);

    const r = await runCli(['rotate-cert', ...common, '--cert', next.certFile, '--key', next.keyFile], env);
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0);
    expect(r.stdout).toMatch(/rotate-node node-1 \S+: succeeded/);
    expect(r.stdout).toMatch(/rotate-node node-2 \S+: succeeded/);
    for (const n of l.nodes) expect(await presentedFingerprint(n.address, l.registryName)).toBe(next.fingerprint);
    const printed = r.stdout + r.stderr + refused.stdout + refused.stderr;
    expect(printed).not.toContain('PRIVATE KEY');
    expect(printed).not.toContain(next.key.split('\n')[1]);
  }, 180_000);
});
