/**
 * The vault's primitives with real AES-256-GCM and scrypt: a fresh nonce for every encryption (a
 * repeated GCM nonce under one key leaks the XOR of the plaintexts and lets tags be forged), the
 * authentication of every field, and the cost limits a file from elsewhere must respect.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkPassphraseStrength,
  decrypt,
  DEFAULT_SCRYPT,
  deriveKey,
  encrypt,
  isBase64,
  IV_BYTES,
  KEY_BYTES,
  scryptParamsValid,
  scryptWithinAppCost,
} from '../../electron/core/vault/crypto';
import { seal, unseal } from '../../electron/core/vault/sealed';
import { Vault, VaultError } from '../../electron/core/vault/vault';

const dir = mkdtempSync(join(tmpdir(), 'vault-crypto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = Buffer.alloc(KEY_BYTES, 0x42);
const b64Bytes = (s: string) => Buffer.from(s, 'base64');

describe('AES-256-GCM as the vault uses it', () => {
  it('draws a fresh 12-byte nonce for every encryption under one key', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const sealed = encrypt(key, Buffer.from('the same plaintext'), 'aad');
      expect(b64Bytes(sealed.iv)).toHaveLength(IV_BYTES);
      ivs.add(sealed.iv);
    }
    expect(ivs.size).toBe(64);
  });

  it('every entry of a vault file has its own nonce, also for equal secrets', async () => {
    const file = join(dir, 'nonces', 'vault.json');
    const v = Vault.open(file, { kdf: { N: 2 ** 15 } });
    await v.initialize('correct horse battery');
    for (let i = 0; i < 8; i++) await v.set(`profile/p/secret-${i}`, 'one password everywhere');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      dataKey: { iv: string };
      entries: Record<string, { iv: string; data: string }>;
    };
    const ivs = [stored.dataKey.iv, ...Object.values(stored.entries).map((e) => e.iv)];
    expect(ivs).toHaveLength(9);
    expect(new Set(ivs).size).toBe(9);
    // Equal plaintexts under one key with different nonces give different ciphertexts.
    expect(new Set(Object.values(stored.entries).map((e) => e.data)).size).toBe(8);
  });

  it('round-trips, and refuses a wrong key, wrong additional data, or any altered field', () => {
    const plain = Buffer.from('Harbor12345 密码');
    const sealed = encrypt(key, plain, 'entry/a');
    expect(decrypt(key, sealed, 'entry/a')?.equals(plain)).toBe(true);
    expect(decrypt(Buffer.alloc(KEY_BYTES, 0x43), sealed, 'entry/a')).toBeNull();
    expect(decrypt(key, sealed, 'entry/b')).toBeNull();
    const flip = (s: string) => {
      const b = b64Bytes(s);
      b[0]! ^= 1;
      return b.toString('base64');
    };
    expect(decrypt(key, { ...sealed, data: flip(sealed.data) }, 'entry/a')).toBeNull();
    expect(decrypt(key, { ...sealed, tag: flip(sealed.tag) }, 'entry/a')).toBeNull();
    expect(decrypt(key, { ...sealed, iv: flip(sealed.iv) }, 'entry/a')).toBeNull();
  });

  it('refuses a nonce or tag of another length instead of passing it to the cipher', () => {
    const sealed = encrypt(key, Buffer.from('x'), 'aad');
    // A short tag would weaken authentication (GCM accepts tags down to 4 bytes unless told the length).
    const shortTag = b64Bytes(sealed.tag).subarray(0, 12).toString('base64');
    expect(decrypt(key, { ...sealed, tag: shortTag }, 'aad')).toBeNull();
    expect(decrypt(key, { ...sealed, iv: Buffer.alloc(16).toString('base64') }, 'aad')).toBeNull();
    expect(decrypt(key, { ...sealed, iv: Buffer.alloc(11).toString('base64') }, 'aad')).toBeNull();
  });
});

describe('scrypt as the vault uses it', () => {
  it('derives a 32-byte key that depends on passphrase and salt, the same for NFC and NFD input', async () => {
    const salt = Buffer.alloc(16, 1);
    const k = { N: 2 ** 15, r: 8, p: 1 };
    const a = await deriveKey('crème brûlée pass', salt, k);
    expect(a).toHaveLength(KEY_BYTES);
    expect((await deriveKey('crème brûlée pass'.normalize('NFD'), salt, k)).equals(a)).toBe(true);
    expect((await deriveKey('creme brulee pass', salt, k)).equals(a)).toBe(false);
    expect((await deriveKey('crème brûlée pass', Buffer.alloc(16, 2), k)).equals(a)).toBe(false);
  });

  it("is scrypt itself: the first 32 bytes of RFC 7914's test vector (N = 1024, r = 8, p = 16)", async () => {
    const key = await deriveKey('password', Buffer.from('NaCl'), { N: 1024, r: 8, p: 16 });
    expect(key.toString('hex')).toBe('fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162');
  });

  it('accepts N from 2^15 to 2^20, r from 1 to 16 and p from 1 to 4, integers only', () => {
    const ok = { N: 2 ** 15, r: 1, p: 1 };
    expect(scryptParamsValid(ok)).toBe(true);
    expect(scryptParamsValid({ N: 2 ** 20, r: 16, p: 4 })).toBe(true);
    expect(scryptParamsValid({ ...ok, N: 2 ** 14 })).toBe(false);
    expect(scryptParamsValid({ ...ok, N: 2 ** 21 })).toBe(false);
    expect(scryptParamsValid({ ...ok, N: 2 ** 15 + 1 })).toBe(false);
    expect(scryptParamsValid({ ...ok, r: 0 })).toBe(false);
    expect(scryptParamsValid({ ...ok, r: 17 })).toBe(false);
    expect(scryptParamsValid({ ...ok, r: 1.5 })).toBe(false);
    expect(scryptParamsValid({ ...ok, p: 0 })).toBe(false);
    expect(scryptParamsValid({ ...ok, p: 5 })).toBe(false);
    expect(scryptParamsValid({ ...ok, p: 1.5 })).toBe(false);
  });

  it("a file's cost may reach the app's own in each of N, r and p, and not exceed it in any", () => {
    expect(scryptWithinAppCost(DEFAULT_SCRYPT)).toBe(true);
    expect(scryptWithinAppCost({ ...DEFAULT_SCRYPT, N: DEFAULT_SCRYPT.N * 2 })).toBe(false);
    expect(scryptWithinAppCost({ ...DEFAULT_SCRYPT, r: DEFAULT_SCRYPT.r + 1 })).toBe(false);
    expect(scryptWithinAppCost({ ...DEFAULT_SCRYPT, p: DEFAULT_SCRYPT.p + 1 })).toBe(false);
  });

  it('a passphrase needs 8 characters as the user sees them, not UTF-16 units or bytes', () => {
    expect(() => checkPassphraseStrength('12345678')).not.toThrow();
    expect(() => checkPassphraseStrength('1234567')).toThrow();
    // Seven emoji are 14 UTF-16 units and 28 bytes, but seven characters.
    expect(() => checkPassphraseStrength('😀'.repeat(7))).toThrow();
    expect(() => checkPassphraseStrength('😀'.repeat(8))).not.toThrow();
    // e + combining acute is one character after NFC.
    expect(() => checkPassphraseStrength('e\u0301'.repeat(7))).toThrow();
    expect(() => checkPassphraseStrength(12345678)).toThrow(VaultError);
    expect(() => checkPassphraseStrength(undefined)).toThrow(expect.objectContaining({ code: 'weak_passphrase' }) as Error);
  });

  it('base64 fields are whole base64: padding only at the end, length a multiple of 4', () => {
    expect(isBase64('')).toBe(true);
    expect(isBase64('QUJD')).toBe(true);
    expect(isBase64('QUI=')).toBe(true);
    expect(isBase64('QQ==')).toBe(true);
    expect(isBase64('QUJ')).toBe(false);
    expect(isBase64('Q===')).toBe(false);
    expect(isBase64('QU=D')).toBe(false);
    expect(isBase64('QUJD\n')).toBe(false);
    expect(isBase64('QU-_')).toBe(false);
  });
});

describe('sealed boxes at their edges', () => {
  const PASS = 'export passphrase 1';
  const cheap = { N: 2 ** 15 };

  it('seals strings only, and only at a cost unseal accepts', async () => {
    await expect(seal(42 as unknown as string, PASS, cheap)).rejects.toThrow('seal: plaintext must be a string');
    await expect(seal('x', PASS, { N: 2 ** 14 })).rejects.toThrow('seal: kdf parameters out of range');
    await expect(seal('x', 'short', cheap)).rejects.toThrow(expect.objectContaining({ code: 'weak_passphrase' }) as Error);
  });

  it('a missing or non-string passphrase is a wrong passphrase for an export, not a crash', async () => {
    const box = await seal('the secret', PASS, cheap);
    for (const given of ['', undefined, 12345678, null]) {
      const err = await unseal(box, given as unknown as string).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VaultError);
      expect((err as VaultError).code).toBe('wrong_passphrase');
      // the export's own wording: its passphrase is not the vault's
      expect((err as VaultError).localized.en).toContain('The passphrase for this exported file is wrong. Nothing was imported.');
    }
  });

  it('a box that is no sealed box is corrupt, saying it is not one this app can read', async () => {
    for (const box of [null, 'x', { v: 2 }, { ...(await seal('x', PASS, cheap)), N: 3 }]) {
      const err = (await unseal(box, PASS).catch((e: unknown) => e)) as VaultError;
      expect(err.code).toBe('corrupt');
      expect(err.localized.en).toContain('not a sealed box this app can read');
      expect(err.localized.en).toContain('Nothing was imported');
    }
  });
});
