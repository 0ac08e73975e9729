/**
 * The relay's temporary key must load in OpenSSH every time. ssh2 1.17's ed25519 generator drops
 * a public key's leading zero byte (mscdex/ssh2#1390), so about one raw pair in 256 is refused with
 * `Load key …: error in libcrypto` — the cause of the relay copies that failed now and then with
 * "Permission denied" (the CI flake in test/deploy: tls and scale-out).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair, isWellFormedEd25519 } from '../../electron/core/ssh/keygen';

const dir = mkdtempSync(join(tmpdir(), 'keygen-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What OpenSSH's own loader says of a private key file. */
function sshKeygenPublic(privateKey: string, name: string): { ok: boolean; out: string } {
  const file = join(dir, name);
  writeFileSync(file, privateKey, { mode: 0o600 });
  const r = spawnSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

describe('ed25519 key pairs for the relay', () => {
  it('a raw ssh2 pair with a shortened public key is what OpenSSH refuses, and the check spots it', () => {
    // About 256 raw pairs until one has a public key starting with 0x00.
    let broken: { private: string; public: string } | undefined;
    for (let i = 0; i < 20_000 && !broken; i++) {
      const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'probe' });
      if (!isWellFormedEd25519(pair)) broken = pair;
    }
    expect(broken, 'ssh2 no longer produces short keys: keygen.ts can use it directly').toBeDefined();
    const loaded = sshKeygenPublic(broken!.private, 'broken');
    expect(loaded.ok).toBe(false);
    expect(loaded.out).toContain('error in libcrypto');
  });

  it('every generated pair has a 32-byte public key (3000 pairs: a raw generator fails here ~12 times)', () => {
    const comment = 'harbor-ha-deployer-relay-0123456789ab-cdef0123';
    for (let i = 0; i < 3000; i++) {
      const pair = generateEd25519KeyPair(comment);
      if (!isWellFormedEd25519(pair)) expect.fail(`pair ${i} is malformed:\n${pair.public}`);
    }
  });

  it('OpenSSH loads the generated private key and derives the same public key', () => {
    for (let i = 0; i < 8; i++) {
      const pair = generateEd25519KeyPair(`relay-${i}`);
      const loaded = sshKeygenPublic(pair.private, `k${i}`);
      expect(loaded.ok, loaded.out).toBe(true);
      expect(loaded.out.split(' ').slice(0, 2)).toEqual(pair.public.trim().split(' ').slice(0, 2));
    }
  });
});
