/** The ssh.* and activity.* calls through the real core: profile secrets from the vault, host key trust, audit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { testCore } from '../helpers/core';
import { saveLabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();
const call = <T>(name: string, input: unknown) =>
  core.dispatcher.call(name, input, { transport: 'websocket' }).then((env) => {
    if (!env.ok) throw ApiError.from(env.error);
    return env.value as T;
  });

beforeAll(async () => {
  l = await lab.up({ nodes: 2, services: [] });
  await core.vault.initialize('vault passphrase for ssh tests');
  await saveLabProfile(core.profiles, l);
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('ssh.test', () => {
  it('asks to trust an unknown host, then connects and reports the host', async () => {
    const first = await call<{ status: string; fingerprint: string; label: string }>('ssh.test', { profileId: 'lab', nodeId: 'n1' });
    expect(first).toMatchObject({
      status: 'host_key_unknown',
      fingerprint: l.node(1).hostKeyFingerprint,
      label: `node-1 (${l.node(1).address})`,
    });
    await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
    const second = await call<{ status: string; hostname: string; os: string }>('ssh.test', { profileId: 'lab', nodeId: 'n1' });
    expect(second).toMatchObject({ status: 'ok', hostname: 'node-1' });
    expect(second.os).toMatch(/^Linux /);
  });

  it('refuses to trust a key no host presented', async () => {
    const e = await call('ssh.trustHostKey', { fingerprint: `SHA256:${'B'.repeat(43)}` }).catch((x: unknown) => x);
    expect((e as ApiError).code).toBe('ssh');
  });

  it('needs the vault unlocked to use the stored password, and says so', async () => {
    core.vault.lock();
    const e = await call('ssh.test', { profileId: 'lab', nodeId: 'n1' }).catch((x: unknown) => x);
    expect((e as ApiError).code).toBe('vault_locked');
    await core.vault.unlock('vault passphrase for ssh tests');
  });

  it('names the node when the connection fails', async () => {
    const first = await call<{ status: string; fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId: 'n2' });
    await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
    await l.node(2).stopSshd();
    try {
      const e = (await call('ssh.test', { profileId: 'lab', nodeId: 'n2' }).catch((x: unknown) => x)) as ApiError;
      expect(e.code).toBe('ssh');
      expect(e.reason).toBe('refused');
      expect(e.node).toBe(`node-2 (${l.node(2).address})`);
      expect(e.localized['zh-CN']).toContain('连接被拒绝');
    } finally {
      await l.node(2).startSshd();
    }
  });
});

describe('activity', () => {
  it('lists every command run, with secrets masked', async () => {
    const password = l.node(1).password;
    await core.ssh.run('lab', 'n1', ['echo', `not really ${password}`], { purpose: 'masking test' });
    const entries = await call<{ command: string; exitCode: number; purpose?: string; node: string }[]>('activity.list', {
      profileId: 'lab',
    });
    expect(entries[0]).toMatchObject({ purpose: 'masking test', exitCode: 0, node: `node-1 (${l.node(1).address})` });
    expect(entries[0]!.command).toBe("echo 'not really ******'");
    expect(entries.some((e) => e.command === 'uname -s -n -r -m' && e.purpose === 'test connection')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(password);
  });
});
