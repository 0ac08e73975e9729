/** Sealed boxes: secrets in exports, under a passphrase independent of the vault. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMAT } from '../../electron/core/profiles/export-file';
import { ProfileService } from '../../electron/core/profiles/service';
import { SecretStaging } from '../../electron/core/profiles/staging';
import { ProfileStore } from '../../electron/core/profiles/store';
import { Vault } from '../../electron/core/vault/vault';
import { ApiError } from '../../shared/errors';
import { SCHEMA_VERSION } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';
import { deriveKey, encrypt } from '../../electron/core/vault/crypto';
import { seal, unseal, type SealedBox } from '../../electron/core/vault/sealed';
import { VaultError, type VaultErrorCode } from '../../electron/core/vault/vault';

const kdf = { N: 2 ** 15 };
const PASS = 'export passphrase 42';

async function code(p: Promise<unknown>): Promise<VaultErrorCode> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(VaultError);
    return (e as VaultError).code;
  }
  throw new Error('expected a VaultError');
}

describe('sealed boxes', () => {
  it('round-trips through JSON, and the box carries no plaintext', async () => {
    const plaintext = JSON.stringify({ db: 'Sealed-DB-Secret-9', oss: '阿里云-密钥-值' });
    const box = await seal(plaintext, PASS, kdf);
    expect(box).toMatchObject({ v: 1, kdf: 'scrypt', N: 2 ** 15, r: 8, p: 1 });
    const text = JSON.stringify(box);
    expect(text).not.toContain('Sealed-DB-Secret-9');
    expect(text).not.toContain('阿里云');
    expect(await unseal(JSON.parse(text), PASS)).toBe(plaintext);
    expect(await unseal(JSON.parse(text), PASS.normalize('NFD'))).toBe(plaintext);
    // Fresh salt and IV every time.
    const again = await seal(plaintext, PASS, kdf);
    expect(again.salt).not.toBe(box.salt);
    expect(again.data).not.toBe(box.data);
  });

  it('uses N = 2^17 by default', async () => {
    const box = await seal('x', PASS);
    expect(box.N).toBe(2 ** 17);
    expect(await unseal(box, PASS)).toBe('x');
  });

  it('a wrong passphrase is wrong_passphrase, and says it is not the vault passphrase', async () => {
    const box = await seal('secret-in-export', PASS, kdf);
    const err = await unseal(box, 'not the passphrase').catch((e: VaultError) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('wrong_passphrase');
    expect((err as VaultError).localized.en).toMatch(/exported/);
    expect((err as VaultError).localized['zh-CN']).toMatch(/导出/);
    expect(await code(unseal(box, ''))).toBe('wrong_passphrase');
    expect(await code(seal('x', 'short', kdf))).toBe('weak_passphrase');
  });

  it('tampering is detected; malformed boxes are corrupt', async () => {
    const box = await seal('secret-in-export', PASS, kdf);
    const data = Buffer.from(box.data, 'base64');
    data[0]! ^= 1;
    expect(await code(unseal({ ...box, data: data.toString('base64') }, PASS))).toBe('wrong_passphrase');
    // Header fields are authenticated: changing r re-derives another key and fails.
    expect(await code(unseal({ ...box, r: 7 }, PASS))).toBe('wrong_passphrase');
    for (const bad of [
      null,
      'text',
      {},
      { ...box, v: 2 },
      { ...box, kdf: 'pbkdf2' },
      { ...box, N: 1000 },
      { ...box, N: 2 ** 14 },
      { ...box, salt: 'not base64!' },
    ]) {
      expect(await code(unseal(bad, PASS))).toBe('corrupt');
    }
  });
});

/**
 * A box as another program could write it, with any scrypt cost, valid (it decrypts with PASS).
 * The AAD is the app's own format (sealed.ts), so only the cost differs from a box the app made.
 */
async function boxWithCost(plaintext: string, k: { N: number; r: number; p: number }): Promise<SealedBox> {
  const salt = Buffer.alloc(16, 7).toString('base64');
  const header = { v: 1 as const, kdf: 'scrypt' as const, ...k, salt };
  const key = await deriveKey(PASS, Buffer.from(salt, 'base64'), k);
  return { ...header, ...encrypt(key, Buffer.from(plaintext, 'utf8'), `harbor-ha-deployer/sealed/v1/scrypt/${k.N}/${k.r}/${k.p}/${salt}`) };
}

describe("sealed boxes costlier than the app's own", () => {
  it('the app never seals above its own cost', async () => {
    await expect(seal('x', PASS, { N: 2 ** 18 })).rejects.toThrow(TypeError);
    await expect(seal('x', PASS, { r: 16 })).rejects.toThrow(TypeError);
  });

  it('a valid box with N = 2^18 and the right passphrase is refused, not derived', async () => {
    const box = await boxWithCost('secret-in-costly-export', { N: 2 ** 18, r: 8, p: 1 });
    const err = await unseal(box, PASS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('kdf_too_costly');
    // Within the app's cost, the same kind of box opens: the refusal is about the cost alone.
    expect(await unseal(await boxWithCost('cheap', { N: 2 ** 15, r: 8, p: 1 }), PASS)).toBe('cheap');
  }, 30_000);

  it('a crafted export asking for gigabytes (N = 2^24, or N = 2^20 with r = 16, p = 4) is refused, in both languages', async () => {
    const template = await seal('x', PASS, kdf);
    for (const cost of [{ N: 2 ** 24 }, { N: 2 ** 20, r: 16, p: 4 }, { r: 9 }, { p: 2 }, { N: 2 ** 30 }]) {
      const err = (await unseal({ ...template, ...cost }, PASS).catch((e: unknown) => e)) as VaultError;
      expect(err).toBeInstanceOf(VaultError);
      expect(err.code).toBe('kdf_too_costly');
      const asked = { N: template.N, r: template.r, p: template.p, ...cost };
      for (const text of [err.localized.en, err.localized['zh-CN']]) {
        expect(text).toContain(`N = ${asked.N}, r = ${asked.r}, p = ${asked.p}`);
        expect(text).toContain('N = 131072, r = 8, p = 1');
      }
      expect(err.localized.en).toMatch(/Nothing was imported/);
      expect(err.localized['zh-CN']).toMatch(/未导入任何内容/);
    }
  });

  it('importing such an export answers vault / kdf_too_costly with the message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sealed-import-'));
    const service = new ProfileService(ProfileStore.open(dir), Vault.open(join(dir, 'vault.json')), new SecretStaging());
    const secrets = { ...(await seal(JSON.stringify({ 'redis.password': 'Crafted-Redis-Pw' }), PASS, kdf)), N: 2 ** 24 };
    const content = JSON.stringify({
      format: EXPORT_FORMAT,
      version: 1,
      schemaVersion: SCHEMA_VERSION,
      exportedAt: '2026-01-01T00:00:00Z',
      profile: v2Profile(),
      secrets,
    });
    const err = await service.importProfile(content, PASS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).toData()).toMatchObject({ code: 'vault', reason: 'kdf_too_costly' });
    expect((err as ApiError).localized['zh-CN']).toMatch(/N = 16777216/);
  });
});
