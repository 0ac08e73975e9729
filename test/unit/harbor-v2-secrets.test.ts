/** Harbor 2.x adapter, pure parts: the shared secrets as prepare makes them, CSRF_KEY edits, the database statements, the plan's lists. */
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alterOwnerSql, createDatabaseSql, dropDatabaseSql } from '../../electron/core/harbor/v2/database';
import {
  csrfKeyOf,
  newCsrfKey,
  newSecretKey,
  newTokenKeyPair,
  pemSecrets,
  selfSignedCertificate,
  withCsrfKey,
} from '../../electron/core/harbor/v2/secrets';
import { v2Containers, v2SecretFiles } from '../../electron/core/harbor/node';
import { mysqlRefusal, v2InstallArgs, v2Steps } from '../../electron/core/harbor/v2/steps';
import { profileSchema, profileShape } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';

describe('shared secrets', () => {
  it('makes a 16-character secret key and a 32-character CSRF key of letters and digits', () => {
    const keys = new Set(Array.from({ length: 50 }, newSecretKey));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(newCsrfKey()).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('makes an RSA 4096 token key (PKCS#1, like openssl genrsa -traditional) and a self-signed certificate of it', async () => {
    const pair = await newTokenKeyPair();
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const key = createPrivateKey(pair.privateKeyPem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    const cert = new X509Certificate(pair.certificatePem);
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.ca).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(3650);
    expect(pair.certificatePem).toMatch(
      /^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/,
    );
  }, 30_000);

  it('writes GeneralizedTime after 2049 and parses back', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const cert = new X509Certificate(selfSignedCertificate(privateKey, publicKey, { now: new Date('2045-06-01T00:00:00Z'), days: 3650 }));
    expect(new Date(cert.validFrom).getUTCFullYear()).toBe(2045);
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(2055);
    expect(cert.verify(publicKey)).toBe(true);
  });

  it('gives the redactor the whole PEM and every body line', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nAAAABBBBCCCCDDDDEEEE\nFFFFGGGGHHHHIIII\n-----END RSA PRIVATE KEY-----\n';
    expect(pemSecrets(pem)).toEqual([pem, pem.trim(), 'AAAABBBBCCCCDDDDEEEE', 'FFFFGGGGHHHHIIII']);
  });
});

describe('CSRF_KEY in core/env', () => {
  const env = 'CONFIG_PATH=/etc/core/app.conf\nCSRF_KEY=abcdefghijklmnopqrstuvwxyz012345\nPORT=8080\n';
  it('reads it and replaces only that line', () => {
    expect(csrfKeyOf(env)).toBe('abcdefghijklmnopqrstuvwxyz012345');
    const key = 'ZYXWVUTSRQPONMLKJIHGFEDCBA987654';
    expect(withCsrfKey(env, key)).toBe(env.replace('abcdefghijklmnopqrstuvwxyz012345', key));
    expect(withCsrfKey(env, '$&$1x')).toContain('CSRF_KEY=$&$1x\n');
  });
  it('adds it when absent', () => {
    expect(csrfKeyOf('PORT=8080')).toBeNull();
    expect(withCsrfKey('PORT=8080', 'k'.repeat(32))).toBe(`PORT=8080\nCSRF_KEY=${'k'.repeat(32)}\n`);
  });
});

describe('database statements', () => {
  it('quotes identifiers', () => {
    expect(createDatabaseSql('registry', 'harbor')).toBe('CREATE DATABASE "registry" OWNER "harbor"');
    expect(alterOwnerSql('my"db', 'h')).toBe('ALTER DATABASE "my""db" OWNER TO "h"');
    expect(dropDatabaseSql('registry', 150004)).toBe('DROP DATABASE IF EXISTS "registry" WITH (FORCE)');
    expect(dropDatabaseSql('registry', 120010)).toBe('DROP DATABASE IF EXISTS "registry"');
  });
});

describe('the 2.x plan', () => {
  const p = profileSchema.parse(v2Profile());
  it('shares the 1.x steps and adds its own, in order', () => {
    expect(v2Steps(p).map((s) => s.id)).toEqual([
      'preflight',
      'runtime',
      'installer',
      'unpack',
      'database',
      'config',
      'secrets',
      'install',
      'csrf',
      'keys-verify',
      'firewall',
      'verify',
    ]);
    for (const s of v2Steps(p)) {
      expect(s.title.en && s.title['zh-CN'], s.id).toBeTruthy();
      expect(s.explain.en && s.explain['zh-CN'], s.id).toBeTruthy();
    }
  });
  it('lists the secret files under the data volume, the containers and the install flags', () => {
    expect(v2SecretFiles(p).map((f) => f.path)).toEqual([
      '/data/secret/keys/secretkey',
      '/data/secret/core/private_key.pem',
      '/data/secret/registry/root.crt',
    ]);
    const other = profileSchema.parse(v2Profile((x) => void (x.options = { scanner: 'none', dataVolume: '/srv/harbor/' })));
    expect(v2SecretFiles(other)[1]!.path).toBe('/srv/harbor/secret/core/private_key.pem');
    expect(v2Containers(p)).toContain('trivy-adapter');
    expect(v2InstallArgs(p)).toEqual(['--with-trivy']);
    expect(v2Containers(other)).not.toContain('trivy-adapter');
    expect(v2InstallArgs(other)).toEqual([]);
  });
  it('explains why a MySQL profile cannot run Harbor 2.x', () => {
    expect(mysqlRefusal(p)).toBeNull();
    const mysql = profileShape.parse(
      v2Profile(
        (x) =>
          void (x.database = {
            engine: 'mysql',
            host: 'rm-1.mysql.rds.aliyuncs.com',
            admin: { user: 'r', password: { value: 'x' } },
            harbor: { user: 'r', password: { value: 'x' } },
          }),
      ),
    );
    const why = mysqlRefusal(mysql)!;
    expect(why.en).toMatch(/still uses MySQL \(rm-1\.mysql\.rds\.aliyuncs\.com\).*PostgreSQL/);
    expect(why['zh-CN']).toMatch(/MySQL/);
  });
});
