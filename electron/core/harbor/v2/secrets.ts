/**
 * The key material Harbor 2.x nodes must share (facts §4.2, §4.4), made on this computer with
 * node:crypto in the shapes Harbor's own prepare makes them (goharbor/harbor
 * make/photon/prepare/utils/cert.py): a 16-character alphanumeric `secretkey`; the token key pair
 * as `openssl genrsa -traditional 4096` (PKCS#1 PEM) plus `openssl req -new -x509 -days 3650
 * -subj /` (a self-signed v3 certificate with an empty subject, sha256WithRSAEncryption); and a
 * 32-character CSRF_KEY. Also reads and replaces CSRF_KEY in a rendered core/env.
 */
import { createHash, generateKeyPair, randomInt, sign, type KeyObject } from 'node:crypto';
import { certificateSerial } from '../../certificate-serial';
import { V2_CSRF_KEY } from '../node';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** n random letters and digits (prepare's generate_random_string). */
export function randomAlnum(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** `secret/keys/secretkey`: exactly 16 characters, no newline (prepare refuses another length). */
export const newSecretKey = (): string => randomAlnum(16);

/** core's CSRF_KEY: gorilla/csrf needs 32 bytes. */
export const newCsrfKey = (): string => randomAlnum(32);

export const CSRF_KEY_RE = /^[A-Za-z0-9]{32}$/;

// ───────────────────────────── a minimal DER writer ─────────────────────────────

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 | n, inner);
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const NULL = Buffer.from([0x05, 0x00]);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && (b[i + 1]! & 0x80) === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, (v[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:T]/g, '');
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), NULL);

/** A self-signed X.509 v3 certificate for the key pair (as `openssl req -new -x509 -subj /`). */
export function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, options: { days?: number; now?: Date } = {}): string {
  const now = options.now ?? new Date();
  const notAfter = new Date(now.getTime() + (options.days ?? 3650) * 86_400_000);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1')
    .update(publicKey.export({ type: 'pkcs1', format: 'der' }))
    .digest();
  const serial = certificateSerial();
  const emptyName = seq();
  const extensions = seq(
    seq(oid('2.5.29.14'), octets(octets(keyId))), // subjectKeyIdentifier
    seq(oid('2.5.29.35'), octets(seq(tlv(0x80, keyId)))), // authorityKeyIdentifier (keyid)
    seq(oid('2.5.29.19'), TRUE, octets(seq(TRUE))), // basicConstraints: critical, CA:TRUE
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    emptyName,
    seq(time(now), time(notAfter)),
    emptyName,
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, SHA256_WITH_RSA, bitString(signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export interface TokenKeyPair {
  /** `secret/core/private_key.pem`: PKCS#1 ("BEGIN RSA PRIVATE KEY"), as `openssl genrsa -traditional`. */
  readonly privateKeyPem: string;
  /** `secret/registry/root.crt`: the self-signed certificate of its public key. */
  readonly certificatePem: string;
}

/** A new RSA 4096 token key pair and its certificate (takes about a second). */
export async function newTokenKeyPair(bits = 4096): Promise<TokenKeyPair> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ privateKey, publicKey }),
    ),
  );
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    certificatePem: selfSignedCertificate(privateKey, publicKey),
  };
}

/** The values a redactor must mask for a PEM: the whole text and each line of its body. */
export function pemSecrets(pem: string): string[] {
  return [pem, pem.trim(), ...pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))];
}

// ───────────────────────────── CSRF_KEY in core/env ─────────────────────────────

/** CSRF_KEY of a rendered `common/config/core/env`, or null. */
export function csrfKeyOf(env: string): string | null {
  const line = env.split('\n').find((l) => l.startsWith(V2_CSRF_KEY.prefix));
  return line === undefined ? null : line.slice(V2_CSRF_KEY.prefix.length).trim();
}

/** The env text with CSRF_KEY set to `key` (added at the end when absent); other lines untouched. */
export function withCsrfKey(env: string, key: string): string {
  const lines = env.split('\n');
  const at = lines.findIndex((l) => l.startsWith(V2_CSRF_KEY.prefix));
  if (at >= 0) {
    lines[at] = `${V2_CSRF_KEY.prefix}${key}`;
    return lines.join('\n');
  }
  return `${env}${env === '' || env.endsWith('\n') ? '' : '\n'}${V2_CSRF_KEY.prefix}${key}\n`;
}
