/**
 * The profile form as a new operator meets it (issue #16, items 1–3 and 6): a blank form that is not a wall of red,
 * a summary whose entries name fields as the form does and jump to them, labels bound to their inputs, the section
 * outline; TLS set up from the form (a pasted multi-line key, files read by the core, a generated certificate or CSR,
 * what the certificate says); and every test runnable before the profile is saved: all nodes with one host-key dialog,
 * the database and Redis logged in to from a node, each failure linked to its field. Real sshd nodes, PostgreSQL and
 * Redis from the lab; Chromium over serve mode.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { openLabBrowser, type LabBrowser } from '../helpers/lab-browser';
import { screenshotEveryLook } from '../helpers/screenshots';
import * as lab from '../lab';

let t: LabBrowser;
let l: lab.Lab;
let serve: ServeHandle;
let page: Page;
let errors: string[];
let tls: string;
const DOMAIN = 'registry.lab.test';

beforeAll(async () => {
  t = await openLabBrowser({
    lab: () => lab.up({ nodes: 2, services: ['postgres', 'redis'] }),
    vaultPassphrase: 'vault passphrase for the form test',
    page: { viewport: { width: 1360, height: 900 }, timeoutMs: 45_000 },
  });
  ({ lab: l, serve, page, errors } = t);
  // TLS material as an operator has it: openssl's key and certificate, each in its own file, and a bundle of both.
  tls = mkdtempSync(join(tmpdir(), 'form-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '90'],
    ...['-subj', `/CN=${DOMAIN}`, '-addext', `subjectAltName=DNS:${DOMAIN}`],
    ...['-keyout', join(tls, 'key.pem'), '-out', join(tls, 'cert.pem')],
  );
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(tls, 'other-key.pem'));
  openssl(
    ...['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-aes256', '-pass', 'pass:form-test'],
    '-out',
    join(tls, 'locked-key.pem'),
  );
  writeFileSync(join(tls, 'bundle.pem'), readFileSync(join(tls, 'cert.pem'), 'utf8') + readFileSync(join(tls, 'key.pem'), 'utf8'));
}, 180_000);

afterAll(async () => {
  await t?.close();
  if (tls) rmSync(tls, { recursive: true, force: true });
});

const byId = (id: string) => page.getByTestId(id);
const fill = (path: string, value: string) => byId(`input-${path}`).fill(value);
const fillSecret = (path: string, value: string) => byId(`secret-${path}-input`).fill(value);
const activeId = () => page.evaluate(() => document.activeElement?.id ?? '');
const visibleErrors = () => page.locator('[data-testid^="error-"]:visible').count();

async function choose(path: string, option: string) {
  await byId(`input-${path}`).click();
  await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`).click();
}

async function settled() {
  await page.locator('[data-testid=profile-editor][data-checking=no]').waitFor();
}

/** Serve mode's "Choose file…": a path typed with completion from the core. */
async function pickFile(path: string) {
  const input = byId('path-pick-input');
  await input.waitFor();
  await input.fill(`${tls}/`);
  // The folder's files are offered as the operator types.
  await page.locator(`[data-testid=path-option][data-path="${tls}/cert.pem"]`).waitFor();
  await input.fill(path);
  await input.press('Enter');
  await input.waitFor({ state: 'detached' });
}

describe('a new profile form', () => {
  it('starts without a wall of red, shows one message for a field once it is left, and binds labels to inputs', async () => {
    await page.goto(serve.url);
    await byId('profiles-new').click();
    await byId('new-submit').click();
    await byId('profile-editor').waitFor();
    await settled();
    // The core finds plenty to fill in; none is shown before the operator touched anything.
    expect(Number(await byId('profile-editor').getAttribute('data-issues'))).toBeGreaterThan(5);
    expect(await visibleErrors()).toBe(0);
    expect(await byId('editor-summary').count()).toBe(0);
    // The outline lists the sections in the order they are filled in, each with what is left.
    const outline = await byId('editor-outline')
      .locator('[data-testid^=outline-]')
      .evaluateAll((els) => els.map((e) => e.dataset.testid));
    expect(outline).toEqual([
      'outline-general',
      'outline-harbor',
      'outline-nodes',
      'outline-loadBalancer',
      'outline-access',
      'outline-database',
      'outline-redis',
      'outline-oss',
      'outline-cloud',
      'outline-options',
    ]);
    expect(await byId('outline-general').getAttribute('data-state')).toBe('todo');
    expect(await byId('outline-options').getAttribute('data-state')).toBe('ok');

    // A click on a label focuses its input.
    await byId('field-nodes.0.host').locator('label').click();
    expect(await activeId()).toBe('field-input-nodes-0-host');
    // Leaving the field shows its one message (not "enter a host" and "not a valid host" together).
    await page.keyboard.press('Tab');
    const hostError = byId('error-nodes.0.host');
    await hostError.waitFor();
    expect((await hostError.innerText()).trim()).toBe('enter a host name or IP address');
    expect(await visibleErrors()).toBe(1);
  });

  it('on save, lists every problem by the names the form uses, and each entry jumps to its field', async () => {
    await byId('editor-save').click();
    const summary = byId('editor-summary');
    await summary.waitFor();
    const entries = summary.getByTestId('summary-entry');
    expect(await entries.count()).toBe(Number(await byId('profile-editor').getAttribute('data-issues')));
    const text = await summary.innerText();
    expect(text).toContain('Cluster › Cluster name: give the cluster a name');
    expect(text).toContain('Nodes › Node 1 › SSH host: enter a host name or IP address');
    // No internal paths.
    expect(text).not.toMatch(/profile\.|nodes\.0|access\.domain/);
    // Saving moved to the first problem.
    expect(await activeId()).toBe('field-input-name');
    await summary.locator('[data-testid=summary-entry][data-path="redis.host"]').getByTestId('summary-goto').click();
    expect(await activeId()).toBe('field-input-redis-host');
    // Now every field with a problem says so.
    expect(await visibleErrors()).toBeGreaterThan(5);
    await screenshotEveryLook(page, 'profile-form');
  });

  it('tests every node before the profile is saved, with one dialog for all new host keys', async () => {
    const [n1, n2] = [l.node(1), l.node(2)];
    await fill('name', 'Form test cluster');
    await fill('nodes.0.host', n1.address);
    await fillSecret('nodes.0.auth.password', n1.password);
    await byId('node-add').click();
    await fill('nodes.1.host', n2.address);
    await choose('nodes.1.auth.kind', 'Key file');
    // The key path is typed with completion from the core's file system.
    const keyDir = n2.privateKeyPath.slice(0, n2.privateKeyPath.lastIndexOf('/') + 1);
    await fill('nodes.1.auth.keyPath', keyDir);
    await page.locator(`[data-testid=path-option][data-path="${n2.privateKeyPath}"]`).click();
    expect(await byId('input-nodes.1.auth.keyPath').inputValue()).toBe(n2.privateKeyPath);
    expect(await byId('profile-editor').getAttribute('data-status')).toBe('new');

    await byId('nodes-test-all-button').click();
    const entries = page.getByTestId('hostkey-entry');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(2);
    const shown = await page.getByTestId('hostkey-fingerprint').allInnerTexts();
    expect(shown.sort()).toEqual([n1.hostKeyFingerprint, n2.hostKeyFingerprint].sort());
    await byId('hostkey-trust').click();
    const results = page.getByTestId('nodes-test-result');
    await expect.poll(() => results.evaluateAll((els) => els.map((e) => e.dataset.status))).toEqual(['ok', 'ok']);
    expect(await results.nth(0).innerText()).toContain('node-1');
    expect(await results.nth(1).innerText()).toContain('node-2');

    // A wrong password fails that node only, and links to the field it points at.
    await byId('secret-nodes.0.auth.password-input').fill('not-the-password');
    await byId('nodes-test-all-button').click();
    await expect.poll(() => results.evaluateAll((els) => els.map((e) => e.dataset.status))).toEqual(['failed', 'ok']);
    await results.nth(0).getByTestId('test-goto').click();
    expect(await activeId()).toBe('field-input-nodes-0-auth-password');
    await fillSecret('nodes.0.auth.password', n1.password);
  });

  it('logs in to the database and Redis from node 1 before saving, and points a refused login at its field', async () => {
    await fill('database.host', l.postgres.address);
    await fill('database.port', '3306');
    await byId('database-port-warning').waitFor();
    expect(await byId('database-port-warning').innerText()).toContain('PostgreSQL usually listens on 5432');
    await fill('database.port', String(l.postgres.port));
    await byId('database-port-warning').waitFor({ state: 'detached' });
    await fill('database.admin.user', 'postgres');
    await fillSecret('database.admin.password', l.postgres.password);
    await fill('database.harbor.user', 'harbor_missing');
    await fillSecret('database.harbor.password', 'Some-Password-1');

    await byId('database-test-button').click();
    await byId('database-test-ok').waitFor();
    expect(await byId('database-test-ok').innerText()).toContain(`postgresql ${l.postgres.address}:${l.postgres.port}`);
    const refused = byId('database-test').getByTestId('database-test-error');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('refused the login of "harbor_missing"');
    expect(await refused.getByTestId('test-goto').getAttribute('data-field')).toBe('database.harbor.password');
    // The admin account could create it: the SQL is shown (password left out), and the app creates it on consent.
    await byId('account-missing').waitFor();
    expect(await byId('account-sql').innerText()).toBe(`CREATE ROLE "harbor_missing" LOGIN PASSWORD '<password>';`);
    await byId('account-create').click();
    await byId('account-create-confirm').click();
    // Tested again: both logins now pass, the second with the form's Harbor password.
    await expect.poll(() => byId('database-test').getByTestId('database-test-ok').count()).toBe(2);
    expect(await byId('account-missing').count()).toBe(0);

    await fill('redis.host', l.redis.address);
    await fill('redis.port', String(l.redis.port));
    await fillSecret('redis.password', 'wrong-redis-password');
    await byId('redis-test-button').click();
    await byId('redis-test-error').waitFor();
    expect(await byId('redis-test-error').getByTestId('test-goto').getAttribute('data-field')).toBe('redis.password');
    await fillSecret('redis.password', l.redis.password);
    await byId('redis-test-button').click();
    await byId('redis-test-ok').waitFor();
    expect(await byId('redis-test-ok').innerText()).toContain('PONG');
    const html = await page.content();
    expect(html).not.toContain(l.redis.password);
    expect(html).not.toContain(l.postgres.password);
  });

  it('takes a pasted multi-line key and shows what the certificate says', async () => {
    await fill('access.domain', DOMAIN);
    await fill('access.certificate', readFileSync(join(tls, 'cert.pem'), 'utf8'));
    const key = readFileSync(join(tls, 'key.pem'), 'utf8');
    expect(key.split('\n').length).toBeGreaterThan(3);
    await fillSecret('access.privateKey', key);
    await settled();
    const facts = byId('cert-facts');
    await facts.waitFor();
    await expect.poll(() => byId('cert-key').getAttribute('data-state')).toBe('match');
    expect(await byId('cert-names').innerText()).toBe(DOMAIN);
    expect(await byId('cert-domain').innerText()).toBe(`valid for ${DOMAIN}`);
    expect(await byId('cert-expiry').innerText()).toMatch(/\(8[89]|90 days left\)/);
    expect(await page.locator('[data-testid="error-access.privateKey"]').count()).toBe(0);
    expect(await page.content()).not.toContain(key.split('\n')[1]!);
  });

  it('reads the key and the certificate from files in the core, refusing a certificate file that holds a key', async () => {
    await byId('secret-access.privateKey-file').click();
    await pickFile(join(tls, 'locked-key.pem'));
    await byId('secret-access.privateKey-file-error').waitFor();
    expect(await byId('secret-access.privateKey-file-error').innerText()).toContain('openssl pkey');
    await byId('secret-access.privateKey-file').click();
    await pickFile(join(tls, 'other-key.pem'));
    await expect.poll(() => byId('secret-access.privateKey').getAttribute('data-state')).toBe('staged');
    await expect.poll(() => byId('cert-key').getAttribute('data-state')).toBe('mismatch');
    await byId('error-access.privateKey').waitFor();
    expect(await byId('error-access.privateKey').innerText()).toContain('does not belong to the certificate');

    await byId('cert-file').click();
    await pickFile(join(tls, 'bundle.pem'));
    await page.locator('.ant-message').getByText('is not a PEM certificate file').waitFor();

    await byId('secret-access.privateKey-file').click();
    await pickFile(join(tls, 'key.pem'));
    await expect.poll(() => byId('cert-key').getAttribute('data-state')).toBe('match');
    const pem = readFileSync(join(tls, 'key.pem'), 'utf8');
    expect(await page.content()).not.toContain(pem.split('\n')[1]!);
  });

  it('generates a self-signed certificate with its key for the domain, and a CSR a CA accepts', async () => {
    const before = await byId('input-access.certificate').inputValue();
    await byId('cert-generate').click();
    await byId('generate-ok').click();
    await expect.poll(() => byId('input-access.certificate').inputValue()).not.toBe(before);
    const cert = await byId('input-access.certificate').inputValue();
    expect(cert.startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
    // openssl reads what the core made: the domain as SAN, 365 days.
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: cert }).toString();
    expect(text).toContain(`DNS:${DOMAIN}`);
    await settled();
    await expect.poll(() => byId('cert-key').getAttribute('data-state')).toBe('match');
    expect(await byId('cert-expiry').innerText()).toMatch(/\((364|365) days left\)/);
    expect(await byId('secret-access.privateKey').getAttribute('data-state')).toBe('staged');

    await byId('cert-generate').click();
    await byId('generate-csr').click();
    await byId('generate-ok').click();
    const csr = await byId('csr-text').innerText();
    const verified = execFileSync('openssl', ['req', '-noout', '-verify', '-subject'], { input: csr, stdio: ['pipe', 'pipe', 'pipe'] });
    expect(verified.toString()).toContain(`CN = ${DOMAIN}`);
    await page.keyboard.press('Escape');
    // The CSR's new key waits for the CA's certificate: the one in the form no longer matches it.
    await expect.poll(() => byId('cert-key').getAttribute('data-state')).toBe('mismatch');
    await byId('cert-generate').click();
    await byId('generate-ok').click();
    await expect.poll(() => byId('cert-key').getAttribute('data-state')).toBe('match');
  });

  it('opens on the field another page points at', async () => {
    // Fill what is left, save, then come back through the address a failed step links to.
    await fill('harbor.installer.path', '/tmp/harbor-offline-installer-v2.15.2.tgz');
    await fillSecret('harbor.adminPassword', 'Harbor-Admin-12345');
    await fill('oss.region', 'cn-beijing');
    await fill('oss.bucket', 'form-test-bucket');
    await fill('oss.accessKeyId', 'LTAI5tExampleKeyId');
    await fillSecret('oss.accessKeySecret', 'Oss-Secret-Example-1');
    await page.locator('[data-testid=profile-editor][data-checking=no][data-issues="0"]').waitFor();
    await byId('editor-save').click();
    await page.locator('[data-testid=profile-editor][data-status=saved]').waitFor();
    await byId('editor-back').click();
    await byId('page-profiles').waitFor();
    const profileId = await page.locator('[data-testid=profile-row]').first().getAttribute('data-id');
    await page.evaluate((pid) => (location.hash = `#/profiles?edit=${pid}&field=redis.port`), profileId);
    await page.locator('[data-testid=profile-editor][data-status=saved]').waitFor();
    await expect.poll(activeId).toBe('field-input-redis-port');
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
