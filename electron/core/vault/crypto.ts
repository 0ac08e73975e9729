/** The primitives the vault and sealed boxes share: scrypt and AES-256-GCM over base64 fields. */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { MIN_PASSPHRASE_LENGTH, VaultError } from './errors';

/** An AES-256-GCM ciphertext as stored: base64 fields. */
export interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** 2^17 (128 MiB with r = 8): OWASP's recommendation for scrypt; ~0.5 s on a slow laptop core. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** What we accept from a file: at least the required floor, at most a size that cannot exhaust memory. */
export const MIN_LOG2_N = 15;
export const MAX_LOG2_N = 20;

export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const SALT_BYTES = 16;

export function scryptParamsValid(k: ScryptParams): boolean {
  const log2 = Math.log2(k.N);
  return (
    Number.isInteger(log2) &&
    log2 >= MIN_LOG2_N &&
    log2 <= MAX_LOG2_N &&
    Number.isInteger(k.r) &&
    k.r >= 1 &&
    k.r <= 16 &&
    Number.isInteger(k.p) &&
    k.p >= 1 &&
    k.p <= 4
  );
}

/**
 * Whether deriving with `k` costs no more than the app's own derivation in any of N, r and p. A
 * sealed export from elsewhere must pass this before we derive: N = 2^20 with r = 16 already takes
 * 2 GiB of memory, and the file's author chooses the numbers.
 */
export function scryptWithinAppCost(k: ScryptParams): boolean {
  return k.N <= DEFAULT_SCRYPT.N && k.r <= DEFAULT_SCRYPT.r && k.p <= DEFAULT_SCRYPT.p;
}

/** NFC, so the same passphrase typed through different input methods derives the same key. */
export function normalizePassphrase(passphrase: string): string {
  return passphrase.normalize('NFC');
}

export function checkPassphraseStrength(passphrase: unknown): asserts passphrase is string {
  if (typeof passphrase !== 'string' || [...normalizePassphrase(passphrase)].length < MIN_PASSPHRASE_LENGTH) {
    throw new VaultError('weak_passphrase');
  }
}

/** scrypt on the thread pool; `maxmem` is explicit (Node's default 32 MiB refuses N = 2^15 with r = 8). */
export function deriveKey(passphrase: string, salt: Buffer, k: ScryptParams): Promise<Buffer> {
  // Stryker disable next-line ArithmeticOperator: equivalent, the 1 MiB slack exceeds 128·r·p for every r and p accepted, whatever the sign
  const maxmem = 128 * k.N * k.r + 128 * k.r * k.p + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(normalizePassphrase(passphrase), salt, KEY_BYTES, { N: k.N, r: k.r, p: k.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export function encrypt(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name is UTF-8
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Returns the plaintext, or null when authentication fails (wrong key, tampered data or wrong AAD). */
export function decrypt(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, authTagLength below refuses other tags and GCM fails under another IV: null either way
  if (iv.length !== IV_BYTES || tag.length !== 16) return null;
  try {
    // Stryker disable next-line ObjectLiteral: equivalent, the length check above already refuses tags of other lengths
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name is UTF-8
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
export const isBase64 = (s: string): boolean => s.length % 4 === 0 && BASE64.test(s);
