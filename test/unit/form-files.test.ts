/**
 * The core's side of the form's files and TLS tools: path completion, certificate and key files read (and refused)
 * as the operator's files come, a generated certificate and CSR that OpenSSL accepts, the certificate described.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completePath, MAX_COMPLETIONS, readCertificateFile, readPrivateKeyFile } from '../../electron/core/files/local';
import { describeCertificate, hostOfDomain } from '../../electron/core/profiles/tls';
import { certificateRequest, selfSignedCertificate } from '../../electron/core/profiles/tls-generate';
import { ApiError } from '../../shared/errors';
import { databasePortMismatch } from '../../shared/profile/port-hints';

let dir: string;
const openssl = (args: string[], input?: string) => execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'form-files-'));
  mkdirSync(join(dir, 'certs'));
  mkdirSync(join(dir, '.hidden'));
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(dir, 'key.pem')]);
  openssl([
    'req',
    '-x509',
    '-key',
    join(dir, 'key.pem'),
    '-subj',
    '/CN=reg.example.com',
    '-addext',
    'subjectAltName=DNS:reg.example.com,IP:10.0.0.5',
    '-days',
    '10',
    '-out',
    join(dir, 'certs', 'cert.pem'),
  ]);
  openssl([
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-aes256',
    '-pass',
    'pass:secret-pass',
    '-out',
    join(dir, 'encrypted.pem'),
  ]);
  writeFileSync(join(dir, 'notes.txt'), 'not a pem');
  writeFileSync(join(dir, 'big.pem'), 'x'.repeat((1 << 20) + 1));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('path completion', () => {
  it('lists the entries starting with what was typed, folders with a trailing slash, hidden ones only when asked', () => {
    expect(completePath(`${dir}/`).entries.map((e) => e.path)).toEqual(
      ['big.pem', 'certs/', 'encrypted.pem', 'key.pem', 'notes.txt'].map((n) => `${dir}/${n}`),
    );
    expect(completePath(`${dir}/ce`).entries).toEqual([{ path: `${dir}/certs/`, directory: true }]);
    expect(completePath(`${dir}/.h`).entries.map((e) => e.path)).toEqual([`${dir}/.hidden/`]);
    expect(completePath(`${dir}/nothing-here/x`)).toEqual({ entries: [], truncated: false });
  });

  it('reads ~ as the home folder, keeping what the operator typed', () => {
    const home = join(dir);
    expect(completePath('~/ce', home).entries.map((e) => e.path)).toEqual(['~/certs/']);
    expect(completePath('~', home).entries.map((e) => e.path)).toContain('~/key.pem');
  });

  it('says when a folder has more entries than it lists', () => {
    const many = join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < MAX_COMPLETIONS + 5; i++) writeFileSync(join(many, `f${String(i).padStart(4, '0')}`), '');
    const r = completePath(`${many}/`);
    expect(r.entries.length).toBe(MAX_COMPLETIONS);
    expect(r.truncated).toBe(true);
  });
});

describe('files the operator points at', () => {
  const refusal = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).issues?.[0]?.path).toBe('path');
      return (e as ApiError).localized.en;
    }
    throw new Error('not refused');
  };

  it('reads a certificate file, and refuses one that holds a key, a key file, and a file over 1 MiB', () => {
    expect(readCertificateFile(join(dir, 'certs', 'cert.pem'))).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\n$/);
    writeFileSync(join(dir, 'bundle.pem'), readCertificateFile(join(dir, 'certs', 'cert.pem')) + readPrivateKeyFile(join(dir, 'key.pem')));
    expect(refusal(() => readCertificateFile(join(dir, 'bundle.pem')))).toContain('not a PEM certificate file');
    expect(refusal(() => readCertificateFile(join(dir, 'key.pem')))).toContain('not a PEM certificate file');
    expect(refusal(() => readCertificateFile(join(dir, 'big.pem')))).toContain('larger than 1 MiB');
    expect(refusal(() => readCertificateFile(join(dir, 'missing.pem')))).toContain('not a readable file');
    expect(refusal(() => readCertificateFile(join(dir, 'certs')))).toContain('not a readable file');
  });

  it('reads one unencrypted private key, refusing an encrypted one and files without a key', () => {
    expect(readPrivateKeyFile(join(dir, 'key.pem'))).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readPrivateKeyFile(join(dir, 'bundle.pem'))).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(refusal(() => readPrivateKeyFile(join(dir, 'encrypted.pem')))).toContain('unencrypted');
    expect(refusal(() => readPrivateKeyFile(join(dir, 'notes.txt')))).toContain('unencrypted');
    expect(refusal(() => readPrivateKeyFile(join(dir, 'certs', 'cert.pem')))).toContain('unencrypted');
  });
});

describe('generated TLS material', () => {
  it('makes a self-signed certificate for a name that OpenSSL reads, valid for the days asked, with its key', async () => {
    const made = await selfSignedCertificate('registry.example.com:8443', 30);
    expect(made.csr).toBeUndefined();
    const text = openssl(['x509', '-noout', '-text'], made.certificate);
    expect(text).toContain('DNS:registry.example.com');
    expect(text).toContain('Subject: CN = registry.example.com');
    expect(text).toContain('CA:FALSE');
    expect(text).toContain('TLS Web Server Authentication');
    const facts = describeCertificate(made.certificate!, made.privateKey, 'registry.example.com:8443')!;
    expect(facts).toMatchObject({
      keyMatches: true,
      coversDomain: true,
      selfSigned: true,
      names: ['registry.example.com'],
      chainLength: 1,
    });
    const days = (Date.parse(facts.notAfter) - Date.parse(facts.notBefore)) / 86_400_000;
    expect(days).toBe(30);
  });

  it('puts an address in an IP SAN (clients check those for addresses), IPv6 included', async () => {
    const v4 = await selfSignedCertificate('10.1.2.3', 1);
    expect(openssl(['x509', '-noout', '-ext', 'subjectAltName'], v4.certificate)).toContain('IP Address:10.1.2.3');
    const v6 = await selfSignedCertificate('[fd00::1:2]:443', 1);
    expect(openssl(['x509', '-noout', '-ext', 'subjectAltName'], v6.certificate)).toContain('IP Address:FD00:0:0:0:0:0:1:2');
    expect(hostOfDomain('[fd00::1]:443')).toBe('fd00::1');
  });

  it('makes a CSR whose signature and name OpenSSL verifies, and a new key for it', async () => {
    const made = await certificateRequest('registry.example.com');
    expect(made.certificate).toBeUndefined();
    expect(openssl(['req', '-noout', '-verify', '-subject'], made.csr)).toContain('CN = registry.example.com');
    expect(openssl(['req', '-noout', '-text'], made.csr)).toContain('DNS:registry.example.com');
    // The key is the CSR's: its public half is the request's.
    const fromKey = openssl(['pkey', '-pubout'], made.privateKey);
    const fromCsr = openssl(['req', '-noout', '-pubkey'], made.csr);
    expect(fromCsr).toBe(fromKey);
  });

  it('describes an operator certificate: names, issuer, expiry, a key that does not match', () => {
    const cert = readCertificateFile(join(dir, 'certs', 'cert.pem'));
    const other = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    const facts = describeCertificate(cert, other, 'other.example.com')!;
    expect(facts).toMatchObject({ keyMatches: false, coversDomain: false, names: ['reg.example.com', '10.0.0.5'] });
    expect(describeCertificate(cert, undefined, '10.0.0.5')).toMatchObject({ keyMatches: null, coversDomain: true });
    expect(describeCertificate('no certificate', undefined, 'x')).toBeNull();
  });
});

describe('database port hints', () => {
  it("warns when the port is the other engine's", () => {
    expect(databasePortMismatch('postgresql', 3306)).toEqual({ port: 3306, engine: 'PostgreSQL', usual: 5432, other: 'MySQL' });
    expect(databasePortMismatch('mysql', 5432)).toEqual({ port: 5432, engine: 'MySQL', usual: 3306, other: 'PostgreSQL' });
    expect(databasePortMismatch('postgresql', 5432)).toBeNull();
    expect(databasePortMismatch('mysql', 13306)).toBeNull();
  });
});
