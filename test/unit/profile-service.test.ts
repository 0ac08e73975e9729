/** Profiles with the real store and the real vault: secrets go to the vault and come back only as { set }. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ProfileService } from '../../electron/core/profiles/service';
import { SecretStaging } from '../../electron/core/profiles/staging';
import { ProfileStore } from '../../electron/core/profiles/store';
import { Vault } from '../../electron/core/vault/vault';
import { ApiError } from '../../shared/errors';
import { profileSchema, type Profile, type ProfileInput } from '../../shared/profile';
import { v1Profile, v2Profile } from '../helpers/profiles';

let dir: string;
let vault: Vault;
let service: ProfileService;
const parse = (p: ProfileInput): Profile => profileSchema.parse(p);

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<ApiError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'profiles-'));
  vault = Vault.open(join(dir, 'vault.json'), { kdf: { N: 2 ** 15 } });
  await vault.initialize('correct horse battery');
  service = new ProfileService(ProfileStore.open(dir), vault, new SecretStaging());
});

describe('saving and reading', () => {
  it('stores secrets in the vault and returns only { set }', async () => {
    const view = await service.save(parse(v2Profile()));
    expect(view.revision).toBe(1);
    expect(view.profile.harbor.adminPassword).toEqual({ set: true });
    expect(view.profile.nodes[0]!.auth).toEqual({ kind: 'password', password: { set: true } });
    expect(view.profile.access.privateKey).toEqual({ set: false });
    expect(vault.get('profile/prod-1/redis.password')).toBe('RedisPw-Ty5');
    expect(vault.get('profile/prod-1/nodes/n1/auth.password')).toBe('NodePw-1-Xq7');
    const onDisk = readFileSync(join(dir, 'profiles.json'), 'utf8');
    for (const secret of ['RedisPw-Ty5', 'NodePw-1-Xq7', 'AdminPw9Zq', 'OssSecret-Rs6', 'PgHarborPw-Vw4']) {
      expect(onDisk).not.toContain(secret);
      expect(JSON.stringify(service.get('prod-1'))).not.toContain(secret);
    }
    expect(service.list()).toEqual([
      expect.objectContaining({ id: 'prod-1', name: 'Production', generation: 'v2', nodeCount: 2, domain: 'registry.example.com' }),
    ]);
  });

  it('keeps a secret sent back as { set: true }, replaces one sent as { value }, and clears { set: false }', async () => {
    await service.save(parse(v2Profile()));
    const edited = parse(
      v2Profile((p) => {
        p.harbor.adminPassword = { set: true };
        p.redis.password = { value: 'NewRedisPw-1' };
        p.nodes[0]!.auth = { kind: 'password', password: { set: true } };
        p.database.admin.password = { set: true };
        p.database.harbor.password = { set: true };
        p.oss.accessKeySecret = { set: true };
      }),
    );
    const view = await service.save(edited, 1);
    expect(view.revision).toBe(2);
    expect(vault.get('profile/prod-1/harbor.adminPassword')).toBe('AdminPw9Zq');
    expect(vault.get('profile/prod-1/redis.password')).toBe('NewRedisPw-1');
  });

  it('removes the secrets of a node taken out of the profile', async () => {
    await service.save(parse(v2Profile()));
    await service.save(parse(v2Profile((p) => (p.nodes = [p.nodes[1]!]))), 1);
    expect(vault.has('profile/prod-1/nodes/n1/auth.password')).toBe(false);
  });

  it('refuses { set: true } for a secret that was never stored', async () => {
    const e = await rejection(service.save(parse(v2Profile((p) => (p.redis.password = { set: true })))));
    expect(e.code).toBe('invalid_input');
    expect(e.issues?.map((i) => i.path)).toEqual(['redis.password']);
  });

  it('refuses a stale revision, and a second create with the same id', async () => {
    await service.save(parse(v2Profile()));
    expect((await rejection(service.save(parse(v2Profile())))).code).toBe('conflict');
    await service.save(parse(v2Profile()), 1);
    const stale = await rejection(service.save(parse(v2Profile()), 1));
    expect(stale.code).toBe('conflict');
    expect(stale.localized['zh-CN']).toContain('重新加载');
  });

  it("checks kept secrets against the new generation's character policy", async () => {
    await service.save(parse(v2Profile((p) => (p.redis.password = { value: 'has,comma-ok-in-2x' }))));
    const asV1 = v1Profile((p) => {
      p.id = 'prod-1';
      for (const s of [p.harbor, p.database.admin, p.database.harbor, p.oss] as {
        adminPassword?: unknown;
        password?: unknown;
        accessKeySecret?: unknown;
      }[]) {
        if ('adminPassword' in s) s.adminPassword = { set: true };
        if ('password' in s) s.password = { set: true };
        if ('accessKeySecret' in s) s.accessKeySecret = { set: true };
      }
      p.redis.password = { set: true };
      p.nodes[0]!.auth = { kind: 'password', password: { set: true } };
    });
    const result = await service.validate(asV1, 1);
    expect(result.issues.map((i) => i.path)).toContain('redis.password');
    expect(JSON.stringify(result)).not.toContain('has,comma');
  });

  it('needs the vault to write secrets, and says so', async () => {
    vault.lock();
    const e = await rejection(service.save(parse(v2Profile())));
    expect(e.code).toBe('vault_locked');
    expect(e.localized.en).toContain('locked');
    expect(service.list()).toEqual([]);
  });
});

describe('clone, rename, delete', () => {
  it('clones with the secrets, renames with the revision, deletes with the secrets', async () => {
    await service.save(parse(v2Profile()));
    const copy = await service.clone('prod-1', 'Staging');
    expect(copy.profile.id).not.toBe('prod-1');
    expect(copy.profile.redis.password).toEqual({ set: true });
    expect(vault.get(`profile/${copy.profile.id}/redis.password`)).toBe('RedisPw-Ty5');
    const renamed = service.rename(copy.profile.id, 'Staging 2', 1);
    expect(renamed.profile.name).toBe('Staging 2');
    expect((await rejection(() => service.rename(copy.profile.id, 'x', 1))).code).toBe('conflict');
    await service.delete(copy.profile.id);
    expect(vault.keys(`profile/${copy.profile.id}/`)).toEqual([]);
    expect(service.list().map((s) => s.id)).toEqual(['prod-1']);
    expect((await rejection(service.delete('nope'))).code).toBe('not_found');
  });
});

describe('export and import', () => {
  it('exports without secrets and imports that as a draft that needs them', async () => {
    await service.save(parse(v2Profile()));
    const file = await service.exportProfile('prod-1', { mode: 'none' });
    expect(file.fileName).toBe('Production.harbor-profile.json');
    expect(file.content).not.toContain('RedisPw-Ty5');
    const { draft, notes } = await service.importProfile(file.content);
    const d = draft as Profile;
    expect(d.id).not.toBe('prod-1');
    expect(d.name).toBe('Production (imported)');
    expect(d.redis.password).toEqual({ set: false });
    expect(notes[0]!.en).toContain('no secrets');
  });

  it('exports with secrets sealed under a passphrase and imports them as staged values that save', async () => {
    await service.save(parse(v2Profile()));
    const file = await service.exportProfile('prod-1', { mode: 'sealed', passphrase: 'export passphrase 1' });
    for (const secret of ['RedisPw-Ty5', 'NodePw-1-Xq7', 'AdminPw9Zq']) expect(file.content).not.toContain(secret);
    expect((await rejection(service.importProfile(file.content))).reason).toBe('passphrase_required');
    expect((await rejection(service.importProfile(file.content, 'wrong passphrase'))).reason).toBe('wrong_passphrase');
    const { draft } = await service.importProfile(file.content, 'export passphrase 1');
    const d = draft as Profile;
    expect(d.redis.password).toMatchObject({ staged: expect.stringMatching(/^stg_/) });
    expect(JSON.stringify(draft)).not.toContain('RedisPw-Ty5');
    const saved = await service.save(parse(d));
    expect(vault.get(`profile/${saved.profile.id}/redis.password`)).toBe('RedisPw-Ty5');
    expect(vault.get(`profile/${saved.profile.id}/nodes/n1/auth.password`)).toBe('NodePw-1-Xq7');
  });

  it('imports a file an older app exported (schema version 1: the load balancer was aliyun-slb with slbId)', async () => {
    await service.save(parse(v2Profile()));
    const file = JSON.parse((await service.exportProfile('prod-1', { mode: 'none' })).content);
    const { kind: _kind, instanceId, ...rest } = file.profile.loadBalancer;
    const old = {
      ...file,
      schemaVersion: 1,
      profile: { ...file.profile, loadBalancer: { kind: 'aliyun-slb', slbId: instanceId, ...rest } },
    };
    const { draft } = await service.importProfile(JSON.stringify(old));
    expect((draft as Profile).loadBalancer).toEqual(file.profile.loadBalancer);
  });

  it('refuses a file that is not an export', async () => {
    expect((await rejection(service.importProfile('{"hello":1}'))).code).toBe('invalid_input');
    expect((await rejection(service.importProfile('not json'))).localized.en).toContain('.harbor-profile.json');
  });
});
