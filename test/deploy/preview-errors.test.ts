/**
 * deploy.preview through the real core when the node will not let us in: the answer is the SSH
 * cause (host key unknown, login refused, connection refused) with its node and message in both
 * languages, not an `internal` reference; with the right credentials the same call previews.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepPreview } from '../../shared/api/contracts/deploy';
import { ApiError } from '../../shared/errors';
import { profileSchema, type ProfileInput } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();
const WRONG = 'not-the-root-password';

const call = <T>(name: string, input: unknown) =>
  core.dispatcher.call(name, input, { transport: 'websocket' }).then((env) => {
    if (!env.ok) throw ApiError.from(env.error);
    return env.value as T;
  });

/** Profile `lab` with node-1 of the lab as its only node, signing in with a password. */
async function withNode(node: Partial<ProfileInput['nodes'][number]>): Promise<void> {
  if (core.profiles.list().some((p) => p.id === 'lab')) await core.profiles.delete('lab');
  const n = l.node(1);
  await core.profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.name = 'Lab cluster';
        p.nodes = [{ id: 'n1', name: n.name, host: n.address, auth: { kind: 'password', password: { value: n.password } }, ...node }];
      }),
    ),
  );
}

/** The runtime step's preview reads the node's facts over SSH. */
const preview = () => call<StepPreview>('deploy.preview', { profileId: 'lab', stepId: 'runtime', nodeId: 'n1' });

async function sshRefusal(): Promise<ApiError> {
  const e = await preview().catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  expect((e as ApiError).code).toBe('ssh');
  expect((e as ApiError).node).toBe(`node-1 (${l.node(1).address})`);
  return e as ApiError;
}

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: [] });
  await core.vault.initialize('vault passphrase for preview tests');
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('deploy.preview when SSH fails', () => {
  it('an unknown host key: says so with the fingerprint to compare, and sends no password', async () => {
    await withNode({});
    const e = await sshRefusal();
    expect(e.reason).toBe('host_key_unknown');
    expect(e.localized.en).toContain(l.node(1).hostKeyFingerprint);
    expect(e.localized['zh-CN']).toContain(l.node(1).hostKeyFingerprint);
    expect((await l.node(1).authAttempts()).filter((a) => a.method === 'password')).toEqual([]);
  });

  it('a wrong password: the login was refused', async () => {
    await withNode({ hostKeyFingerprint: l.node(1).hostKeyFingerprint, auth: { kind: 'password', password: { value: WRONG } } });
    const e = await sshRefusal();
    expect(e.reason).toBe('auth');
    expect(e.localized.en).toMatch(/refused the login/);
    expect(e.localized['zh-CN']).toMatch(/拒绝登录/);
    expect(JSON.stringify(e.toData())).not.toContain(WRONG);
  });

  it('no sshd: the connection was refused; with sshd back and the right password, the preview comes', async () => {
    await withNode({ hostKeyFingerprint: l.node(1).hostKeyFingerprint });
    await l.node(1).stopSshd();
    try {
      const e = await sshRefusal();
      expect(e.reason).toBe('refused');
      expect(e.localized['zh-CN']).toContain('连接被拒绝');
    } finally {
      await l.node(1).startSshd();
    }
    const ok = await preview();
    expect(Array.isArray(ok.commands)).toBe(true);
  });
});
