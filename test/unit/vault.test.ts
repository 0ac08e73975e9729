/** The secrets vault: passphrase and safeStorage flows, tampering, leaks, modes, concurrency. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Vault, VaultError, type VaultErrorCode } from '../../electron/core/vault/vault';
import { basicTextSafeStorage, fakeSafeStorage, unavailableSafeStorage } from './vault-fakes';

/** Cheapest allowed cost, to keep the suite fast; one test below measures the default. */
const kdf = { N: 2 ** 15 };
const PASS = 'correct horse battery';
const PASS2 = '新的主密码 another one';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vault-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const vaultFile = () => join(tempDir(), 'data', 'vault.json');

async function expectCode(p: Promise<unknown> | (() => unknown), code: VaultErrorCode): Promise<VaultError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(VaultError);
    expect((e as VaultError).code).toBe(code);
    return e as VaultError;
  }
  throw new Error(`expected VaultError ${code}`);
}

describe('vault with a passphrase', () => {
  it('initializes, stores, locks, unlocks; a wrong passphrase changes nothing', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { kdf });
    expect(v.status()).toEqual({ state: 'uninitialized', method: 'passphrase' });
    expect(v.has('a')).toBe(false);
    await expectCode(v.set('a', 'x'), 'uninitialized');
    await expectCode(v.initialize(), 'weak_passphrase');
    await expectCode(v.initialize('short'), 'weak_passphrase');
    await v.initialize(PASS);
    expect(v.status()).toEqual({ state: 'unlocked', method: 'passphrase' });
    await expectCode(v.initialize(PASS), 'already_initialized');

    await v.set('profile/p1/db', 'db-secret-1');
    await v.set('profile/p1/redis', 'redis-secret-1');
    await v.set('profile/p2/db', 'db-secret-2');
    expect(v.get('profile/p1/db')).toBe('db-secret-1');
    expect(v.get('missing')).toBeUndefined();
    expect(v.keys('profile/p1/')).toEqual(['profile/p1/db', 'profile/p1/redis']);

    v.lock();
    expect(v.status().state).toBe('locked');
    expect(v.has('profile/p1/db')).toBe(true);
    expect(v.keys()).toHaveLength(3);
    await expectCode(() => v.get('profile/p1/db'), 'locked');
    await expectCode(v.set('k', 'v'), 'locked');
    await expectCode(v.copyPrefix('profile/p1/', 'profile/p3/'), 'locked');

    const before = readFileSync(file);
    const err = await expectCode(v.unlock('not the passphrase'), 'wrong_passphrase');
    expect(err.localized.en).toContain(file);
    expect(err.localized['zh-CN']).toContain(file);
    expect(err.message).not.toContain('not the passphrase');
    await expectCode(v.unlock(''), 'wrong_passphrase');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(v.status().state).toBe('locked');

    // A fresh process: open from disk and unlock.
    const again = Vault.open(file, { kdf });
    expect(again.status()).toEqual({ state: 'locked', method: 'passphrase' });
    await expectCode(again.unlock('wrong passphrase!'), 'wrong_passphrase');
    expect(readFileSync(file).equals(before)).toBe(true);
    await again.unlock(PASS);
    expect(again.get('profile/p2/db')).toBe('db-secret-2');
  });

  it('changes the passphrase: the old one stops working, the new one works, entries are intact', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { kdf });
    await v.initialize(PASS);
    await v.set('a', 'alpha-secret');
    await v.set('b', 'beta-secret');
    const entriesBefore = JSON.parse(readFileSync(file, 'utf8')).entries;

    await expectCode(v.changePassphrase('wrong old passphrase', PASS2), 'wrong_passphrase');
    await expectCode(v.changePassphrase(PASS, 'short'), 'weak_passphrase');
    await v.changePassphrase(PASS, PASS2);
    // Only the data key was re-wrapped.
    expect(JSON.parse(readFileSync(file, 'utf8')).entries).toEqual(entriesBefore);

    const w = Vault.open(file, { kdf });
    await expectCode(w.unlock(PASS), 'wrong_passphrase');
    await w.unlock(PASS2);
    expect(w.get('a')).toBe('alpha-secret');
    expect(w.get('b')).toBe('beta-secret');
    // A passphrase typed in another Unicode normal form still works (NFC).
    const nfd = Vault.open(file, { kdf });
    await nfd.unlock(PASS2.normalize('NFD'));
  });

  it('deletes, deletes by prefix (also while locked) and copies a prefix', async () => {
    const v = Vault.open(vaultFile(), { kdf });
    await v.initialize(PASS);
    await v.set('profile/a/db', 'A-db');
    await v.set('profile/a/oss', 'A-oss');
    await v.set('profile/ab/db', 'AB-db');
    await v.set('profile/b/db', 'B-db');
    await v.copyPrefix('profile/a/', 'profile/c/');
    expect(v.keys('profile/c/')).toEqual(['profile/c/db', 'profile/c/oss']);
    expect(v.get('profile/c/oss')).toBe('A-oss');
    await v.delete('profile/b/db');
    await v.delete('profile/b/db'); // absent: no-op
    expect(v.has('profile/b/db')).toBe(false);
    v.lock();
    await v.deletePrefix('profile/a/');
    expect(v.keys()).toEqual(['profile/ab/db', 'profile/c/db', 'profile/c/oss']);
    await v.unlock(PASS);
    expect(v.get('profile/ab/db')).toBe('AB-db');
    expect(() => v.keys()).not.toThrow();
    expect(() => v.get('')).toThrow(TypeError);
  });

  it('applies several sets and deletes in one write, all or nothing', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { kdf });
    await v.initialize(PASS);
    await v.set('profile/p/old', 'old-value');
    await v.apply({
      set: [
        ['profile/p/db', 'db-value'],
        ['profile/p/redis', 'redis-value'],
      ],
      delete: ['profile/p/old'],
    });
    expect(v.keys()).toEqual(['profile/p/db', 'profile/p/redis']);
    const before = readFileSync(file);
    expect(() =>
      v.apply({
        set: [
          ['ok', 'x'],
          ['', 'bad key'],
        ],
      }),
    ).toThrow(TypeError);
    v.lock();
    await expectCode(v.apply({ set: [['profile/p/x', 'x-value']], delete: ['profile/p/db'] }), 'locked');
    expect(readFileSync(file).equals(before)).toBe(true);
    await v.apply({ delete: ['profile/p/db'] }); // deletes alone while locked
    const w = Vault.open(file, { kdf });
    await w.unlock(PASS);
    expect(w.keys()).toEqual(['profile/p/redis']);
    expect(w.get('profile/p/redis')).toBe('redis-value');
  });

  it('treats keys such as __proto__ as plain data', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { kdf });
    await v.initialize(PASS);
    await v.set('__proto__', 'proto-secret');
    await v.set('constructor', 'ctor-secret');
    const w = Vault.open(file, { kdf });
    await w.unlock(PASS);
    expect(w.keys()).toEqual(['__proto__', 'constructor']);
    expect(w.get('__proto__')).toBe('proto-secret');
  });

  it('writes the file 0600 in a 0700 folder, and tightens a folder that is open to others', async () => {
    const dir = tempDir();
    const file = join(dir, 'vault.json');
    const { chmodSync } = await import('node:fs');
    chmodSync(dir, 0o755);
    const v = Vault.open(file, { kdf });
    await v.initialize(PASS);
    await v.set('k', 'value-1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const nested = vaultFile();
    await Vault.open(nested, { kdf }).initialize(PASS);
    expect(statSync(join(nested, '..')).mode & 0o777).toBe(0o700);
    // No temporary files left behind.
    expect(readdirSync(dir)).toEqual(['vault.json']);
  });

  it('unlocks with the default scrypt cost (N = 2^17) in reasonable time', async () => {
    const file = vaultFile();
    await Vault.open(file).initialize(PASS);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    const v = Vault.open(file);
    const t0 = performance.now();
    await v.unlock(PASS);
    const ms = performance.now() - t0;
    console.log(`vault unlock with N=2^17, r=8, p=1: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(10_000);
    expect(() => Vault.open(file, { kdf: { N: 2 ** 14 } })).toThrow(TypeError);
  });
});

describe('vault tampering and damage', () => {
  it('an entry moved under another key fails to decrypt (corrupt); the others still work', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { kdf });
    await v.initialize(PASS);
    await v.set('profile/p1/db', 'secret-of-p1');
    await v.set('profile/p2/db', 'secret-of-p2');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.entries['profile/p2/db'] = doc.entries['profile/p1/db'];
    writeFileSync(file, JSON.stringify(doc));
    const w = Vault.open(file, { kdf });
    await w.unlock(PASS);
    expect(w.get('profile/p1/db')).toBe('secret-of-p1');
    const err = await expectCode(() => w.get('profile/p2/db'), 'corrupt');
    expect(err.message).toContain('profile/p2/db');
    expect(err.message).not.toContain('secret-of');
  });

  it('a flipped bit in an entry is detected', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { kdf });
    await v.initialize(PASS);
    await v.set('k', 'some-secret-value');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const data = Buffer.from(doc.entries.k.data, 'base64');
    data[0]! ^= 1;
    doc.entries.k.data = data.toString('base64');
    writeFileSync(file, JSON.stringify(doc));
    const w = Vault.open(file, { kdf });
    await w.unlock(PASS);
    await expectCode(() => w.get('k'), 'corrupt');
  });

  it('refuses a damaged, foreign or newer file at open, saying so', async () => {
    const file = vaultFile();
    await Vault.open(file, { kdf }).initialize(PASS);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, good.length / 2));
    await expectCode(() => Vault.open(file), 'corrupt');
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    await expectCode(() => Vault.open(file), 'corrupt');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), version: 2 }));
    const err = await expectCode(() => Vault.open(file), 'corrupt');
    expect(err.localized.en).toContain('newer version');
    const lowN = JSON.parse(good);
    lowN.kdf.N = 2;
    writeFileSync(file, JSON.stringify(lowN));
    await expectCode(() => Vault.open(file), 'corrupt');
  });
});

describe('vault with safeStorage', () => {
  it('needs no passphrase when safeStorage is usable, and unlocks itself on open', async () => {
    const file = vaultFile();
    const safeStorage = fakeSafeStorage();
    const v = Vault.open(file, { safeStorage, kdf });
    expect(v.status()).toEqual({ state: 'uninitialized', method: 'safeStorage' });
    await v.initialize();
    expect(v.status()).toEqual({ state: 'unlocked', method: 'safeStorage' });
    await v.set('profile/p/oss', 'oss-secret-value');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.method).toBe('safeStorage');
    expect(doc.kdf).toBeUndefined();
    // The wrapped key really went through safeStorage: another keyring key cannot open it.
    const other = Vault.open(file, { safeStorage: fakeSafeStorage('gnome_libsecret', Buffer.alloc(32, 9)), kdf });
    expect(other.status().state).toBe('locked');
    expect(other.status().problem?.code).toBe('safe_storage_unavailable');
    await expectCode(other.unlock(''), 'safe_storage_unavailable');

    const w = Vault.open(file, { safeStorage: fakeSafeStorage(), kdf });
    expect(w.status()).toEqual({ state: 'unlocked', method: 'safeStorage' });
    expect(w.get('profile/p/oss')).toBe('oss-secret-value');
    w.lock();
    await expectCode(() => w.get('profile/p/oss'), 'locked');
    await w.unlock('');
    expect(w.get('profile/p/oss')).toBe('oss-secret-value');
    await expectCode(w.changePassphrase('whatever1', 'whatever2'), 'wrong_method');
  });

  it('requires a passphrase when the Linux backend is basic_text, when encryption is unavailable, and in serve mode', async () => {
    for (const safeStorage of [basicTextSafeStorage(), unavailableSafeStorage(), undefined]) {
      const file = vaultFile();
      const v = Vault.open(file, { kdf, ...(safeStorage ? { safeStorage } : {}) });
      expect(v.status()).toEqual({ state: 'uninitialized', method: 'passphrase' });
      await expectCode(v.initialize(), 'weak_passphrase');
      await v.initialize(PASS);
      expect(JSON.parse(readFileSync(file, 'utf8')).method).toBe('passphrase');
    }
  });

  it('uses a passphrase when one is given even though safeStorage is usable', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { safeStorage: fakeSafeStorage(), kdf });
    await v.initialize(PASS);
    expect(v.status().method).toBe('passphrase');
    const w = Vault.open(file, { safeStorage: fakeSafeStorage(), kdf });
    expect(w.status().state).toBe('locked');
  });

  it('says so clearly, and changes nothing, when safeStorage becomes unusable (basic_text, serve mode)', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { safeStorage: fakeSafeStorage(), kdf });
    await v.initialize();
    await v.set('k', 'keyring-protected-secret');
    const before = readFileSync(file);
    for (const safeStorage of [basicTextSafeStorage(), undefined]) {
      const w = Vault.open(file, { kdf, ...(safeStorage ? { safeStorage } : {}) });
      const st = w.status();
      expect(st.state).toBe('locked');
      expect(st.method).toBe('safeStorage');
      expect(st.problem?.message['zh-CN']).toMatch(/钥匙串/);
      const e1 = await expectCode(() => w.get('k'), 'safe_storage_unavailable');
      expect(e1.message).toContain(file);
      await expectCode(w.unlock(PASS), 'safe_storage_unavailable');
      await expectCode(w.set('k', 'new'), 'safe_storage_unavailable');
      await expectCode(w.initialize(PASS), 'already_initialized');
      expect(w.has('k')).toBe(true);
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    const basic = await expectCode(() => Vault.open(file, { safeStorage: basicTextSafeStorage() }).get('k'), 'safe_storage_unavailable');
    expect(basic.localized.en).toContain('basic_text');
  });

  it('switches from safeStorage to a passphrase and back while unlocked', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { safeStorage: fakeSafeStorage(), kdf });
    await v.initialize();
    await v.set('k', 'switch-secret-value');
    await expectCode(v.switchToPassphrase('short'), 'weak_passphrase');
    await v.switchToPassphrase(PASS);
    expect(v.status()).toEqual({ state: 'unlocked', method: 'passphrase' });

    const serve = Vault.open(file, { kdf }); // serve mode: no safeStorage
    await serve.unlock(PASS);
    expect(serve.get('k')).toBe('switch-secret-value');
    await expectCode(serve.switchToSafeStorage(), 'safe_storage_unavailable');

    await v.switchToSafeStorage();
    expect(Vault.open(file, { safeStorage: fakeSafeStorage() }).get('k')).toBe('switch-secret-value');
    // lock() while the new wrapping is being derived must not wrap a wiped key.
    const racing = v.switchToPassphrase(PASS2);
    await new Promise((r) => setTimeout(r, 20)); // scrypt (N = 2^15) is running now
    v.lock();
    await racing;
    const afterRace = Vault.open(file, { kdf });
    await afterRace.unlock(PASS2);
    expect(afterRace.get('k')).toBe('switch-secret-value');
    const locked = Vault.open(file, { safeStorage: basicTextSafeStorage(), kdf });
    await expectCode(locked.switchToPassphrase(PASS), 'wrong_method'); // it is a passphrase vault now
  });
});

describe('vault secrecy', () => {
  it('never writes a secret or passphrase in clear, and reports each to onSecret', async () => {
    const secrets = ['Rds-Pa55w0rd-QX7Z', 'redis:hunter2-ZZK9', 'LTAI5tOssKeyIdVVq', 'oss/secret+key=LKJH', '密码-中文-秘密值'];
    const passphrases = ['master-passphrase-UNIQ1', 'second-passphrase-UNIQ2'];
    const forms = (s: string) => [
      Buffer.from(s, 'utf8'),
      Buffer.from(s, 'utf16le'),
      Buffer.from(Buffer.from(s).toString('base64')),
      Buffer.from(Buffer.from(s).toString('hex')),
    ];
    for (const safeStorage of [undefined, fakeSafeStorage()]) {
      const seen = new Set<string>();
      const file = vaultFile();
      const v = Vault.open(file, { kdf, onSecret: (s) => seen.add(s), ...(safeStorage ? { safeStorage } : {}) });
      if (safeStorage) await v.initialize();
      else await v.initialize(passphrases[0]);
      for (const [i, s] of secrets.entries()) await v.set(`profile/p/${i}`, s);
      await v.copyPrefix('profile/p/', 'profile/q/');
      if (!safeStorage) await v.changePassphrase(passphrases[0]!, passphrases[1]!);
      else await v.switchToPassphrase(passphrases[1]!);
      const errors: string[] = [];
      await v.unlock('wrong-' + passphrases[1]).catch((e: VaultError) => errors.push(e.localized.en, e.localized['zh-CN']));
      expect(errors).toHaveLength(2);
      const bytes = readFileSync(file);
      for (const s of [...secrets, ...passphrases]) {
        for (const form of forms(s)) expect(bytes.indexOf(form)).toBe(-1);
        for (const e of errors) expect(e).not.toContain(s);
      }
      for (const s of secrets) expect(seen.has(s)).toBe(true);
      expect(seen.has(passphrases[1]!)).toBe(true);
      if (!safeStorage) expect(seen.has(passphrases[0]!)).toBe(true);
      const w = Vault.open(file, { kdf });
      await w.unlock(passphrases[1]!);
      expect(secrets.map((_, i) => w.get(`profile/q/${i}`))).toEqual(secrets);
    }
  });

  it('has a message in both languages for every error, saying what to do', () => {
    const codes: VaultErrorCode[] = [
      'wrong_passphrase',
      'locked',
      'uninitialized',
      'already_initialized',
      'corrupt',
      'weak_passphrase',
      'safe_storage_unavailable',
      'wrong_method',
      'kdf_too_costly',
    ];
    for (const code of codes) {
      const e = new VaultError(code, { file: '/data/vault.json', detail: 'd', method: 'safeStorage' });
      expect(e.localized.en.length).toBeGreaterThan(30);
      expect(e.localized['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(e.localized.en).not.toMatch(/\{\w+\}/);
      expect(e.localized['zh-CN']).not.toMatch(/\{\w+\}|the system keyring/);
      expect(e.message).toBe(e.localized.en);
    }
    const wrong = new VaultError('wrong_passphrase', { file: '/data/vault.json' });
    expect(wrong.localized.en).toMatch(/Nothing was changed.*delete \/data\/vault\.json.*profiles are kept/s);
  });
});

describe('vault concurrency', () => {
  it('serialises concurrent changes: no lost updates', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { kdf });
    await v.initialize(PASS);
    const n = 100;
    await Promise.all([
      ...Array.from({ length: n }, (_, i) => v.set(`k/${i}`, `value-${i}`)),
      ...Array.from({ length: 20 }, (_, i) => v.set('same', `last-${i}`)),
      v.copyPrefix('k/1', 'copy/1'),
    ]);
    const w = Vault.open(file, { kdf });
    await w.unlock(PASS);
    expect(w.keys('k/')).toHaveLength(n);
    for (let i = 0; i < n; i++) expect(w.get(`k/${i}`)).toBe(`value-${i}`);
    expect(w.get('same')).toBe('last-19');
    // The copy ran after k/1 was written (queued in call order).
    expect(w.get('copy/1')).toBe('value-1');
    // Deletes and sets interleaved.
    await Promise.all([w.deletePrefix('k/'), w.set('k/new', 'after-delete'), w.delete('same')]);
    const x = Vault.open(file, { kdf });
    await x.unlock(PASS);
    expect(x.keys('k/')).toEqual(['k/new']);
    expect(x.has('same')).toBe(false);
  });

  it('a change queued before lock() but run after it fails with locked and writes nothing', async () => {
    const file = vaultFile();
    const v = Vault.open(file, { kdf });
    await v.initialize(PASS);
    await v.set('k', 'first-value');
    const before = readFileSync(file);
    const queued = v.set('k2', 'queued-value');
    v.lock();
    await expectCode(queued, 'locked');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(v.has('k2')).toBe(false);
    // changePassphrase works while locked (it unwraps on its own) and leaves the vault unlocked.
    await v.changePassphrase(PASS, PASS2);
    expect(v.get('k')).toBe('first-value');
  });
});
