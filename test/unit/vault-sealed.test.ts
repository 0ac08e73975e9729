/** Sealed boxes: secrets in exports, under a passphrase independent of the vault. */
import { describe, expect, it } from 'vitest';
import { seal, unseal } from '../../electron/core/vault/sealed';
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
    expect(await code(unseal({ ...box, r: 9 }, PASS))).toBe('wrong_passphrase');
    for (const bad of [null, 'text', {}, { ...box, v: 2 }, { ...box, kdf: 'pbkdf2' }, { ...box, N: 2 ** 30 }, { ...box, N: 1000 }, { ...box, salt: 'not base64!' }]) {
      expect(await code(unseal(bad, PASS))).toBe('corrupt');
    }
  });
});
