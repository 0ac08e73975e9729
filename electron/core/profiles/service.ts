/**
 * Profiles as the API offers them: list, read, validate, save, clone, rename, delete, export and
 * import. Non-secret fields go to the ProfileStore; secret values go to the Vault under
 * `profile/<id>/<slot>`; what leaves this module carries `{ set }` in place of every secret.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { ExportedFile, ProfileDraft, ProfileSummary, ProfileView, SshConfigImport } from '../../../shared/api/types';
import type { FieldIssue } from '../../../shared/errors';
import { ApiError, errors } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import {
  checkPolicedValue,
  destinationContext,
  generationAdvice,
  profileAdvice,
  profileSchema,
  profileShape,
  SCHEMA_VERSION,
  secretSlots,
  type Advice,
  type Profile,
  type ProfileInput,
  type SecretInput,
} from '../../../shared/profile';
import { pathToString, toFieldIssues } from '../../../shared/validation';
import { seal, unseal } from '../vault/sealed';
import { VaultError, type Vault } from '../vault/vault';
import { YamlLimitError } from '../yaml-input';
import { draftFromHarborConfig } from './import-harbor-config';
import { parseSshConfig } from './import-ssh-config';
import type { ProfileRecord, ProfileStore } from './store';
import type { SecretStaging } from './staging';
import { checkTls } from './tls';

export const EXPORT_FORMAT = 'harbor-ha-deployer/profile';

const exportFile = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(1),
    schemaVersion: z.number().int(),
    exportedAt: z.string(),
    profile: z.unknown(),
    secrets: z.unknown().optional(),
  })
  .strict();

const prefix = (id: string) => `profile/${id}/`;
const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

function notFound(id: string): ApiError {
  return new ApiError({
    code: 'not_found',
    message: L(
      `There is no profile "${id}". It may have been deleted in another window; reload the list.`,
      `不存在集群配置“${id}”。它可能已在其他窗口中被删除；请刷新列表。`,
    ),
  });
}

/** Turns a vault error into the API's form: locked and unset vaults become `vault_locked`, so the UI can ask and retry. */
export function fromVaultError(error: unknown): unknown {
  if (!(error instanceof VaultError)) return error;
  const locked = error.code === 'locked' || error.code === 'uninitialized';
  return new ApiError({ code: locked ? 'vault_locked' : 'vault', reason: error.code, message: error.localized });
}

function newId(name: string): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 28) || 'cluster';
  return `${base}-${randomBytes(3).toString('hex')}`;
}

/** A deep copy with every secret replaced by `{ set }` (whether a value is stored). */
function masked(p: Profile, isStored: (key: string) => boolean): Profile {
  const copy = structuredClone(p);
  for (const slot of secretSlots(copy)) slot.set({ set: isStored(slot.key) });
  return copy;
}

export class ProfileService {
  constructor(
    private readonly store: ProfileStore,
    private readonly vault: Vault,
    private readonly staging: SecretStaging,
  ) {}

  list(): ProfileSummary[] {
    return this.store.list().map((r) => ({
      id: r.profile.id,
      name: r.profile.name,
      description: r.profile.description,
      generation: r.profile.harbor.generation,
      version: r.profile.harbor.version,
      domain: r.profile.access.domain,
      nodeCount: r.profile.nodes.length,
      revision: r.revision,
      updatedAt: r.updatedAt,
      ...(r.lastDeploy ? { lastDeploy: r.lastDeploy } : {}),
    }));
  }

  get(id: string): ProfileView {
    const record = this.store.get(id);
    if (!record) throw notFound(id);
    return this.#view(record);
  }

  #view(record: ProfileRecord): ProfileView {
    const profile = masked(record.profile, (key) => this.vault.has(prefix(record.profile.id) + key));
    return {
      profile,
      revision: record.revision,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      ...(record.lastDeploy ? { lastDeploy: record.lastDeploy } : {}),
      advice: profileAdvice(profile),
    };
  }

  /** A new, unsaved profile with the defaults of a generation. */
  template(generation: 'v1' | 'v2'): ProfileInput {
    const v1 = generation === 'v1';
    return {
      id: newId('cluster'),
      name: '',
      description: '',
      harbor: { generation, version: v1 ? '1.5.4' : '2.15.2', installer: { kind: 'local', path: '' }, adminPassword: { set: false } },
      access: { domain: '', protocol: 'https', tlsTermination: 'nodes', privateKey: { set: false } },
      nodes: [
        {
          id: `n-${randomBytes(3).toString('hex')}`,
          host: '',
          port: 22,
          user: 'root',
          auth: { kind: 'password', password: { set: false } },
          jumpHosts: [],
        },
      ],
      loadBalancer: { kind: 'aliyun-slb', listener: 'tcp' },
      database: v1
        ? {
            engine: 'mysql',
            host: '',
            port: 3306,
            admin: { user: '', password: { set: false } },
            harbor: { user: '', password: { set: false } },
          }
        : {
            engine: 'postgresql',
            host: '',
            port: 5432,
            admin: { user: '', password: { set: false } },
            harbor: { user: '', password: { set: false }, database: 'registry', sslMode: 'disable' },
          },
      ...(v1 ? { clair: { host: '', port: 5432, user: '', password: { set: false }, database: 'postgres' } } : {}),
      redis: { host: '', port: 6379, auth: 'password', password: { set: false }, dbIndexes: { registry: 1, jobservice: 2, trivy: 5 } },
      oss: {
        region: '',
        bucket: '',
        internal: true,
        rootDirectory: '/harbor',
        accessKeyId: '',
        accessKeySecret: { set: false },
        encrypt: false,
        secure: true,
        redirectDisabled: true,
      },
      options: { scanner: v1 ? 'clair' : 'trivy', jobWorkers: 10, dataVolume: '/data' },
    };
  }

  /**
   * Every problem with a profile as the form holds it: fields, rules, and what needs the vault or
   * I/O (stored secrets against the generation's character policy, the certificate and its key).
   */
  async validate(raw: unknown, revision?: number): Promise<{ issues: FieldIssue[]; advice: Advice[] }> {
    const parsed = profileSchema.safeParse(raw);
    if (!parsed.success) {
      const shape = profileShape.safeParse(raw);
      return { issues: toFieldIssues(parsed.error), advice: shape.success ? profileAdvice(shape.data) : generationAdvice(raw) };
    }
    const issues = this.#deepIssues(parsed.data, revision);
    return { issues, advice: profileAdvice(parsed.data) };
  }

  /** Checks that need stored or staged values. Kept secrets are checked when the vault is open. */
  #deepIssues(p: Profile, expectedRevision?: number): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const existing = this.store.get(p.id);
    const push = (path: readonly (string | number)[], message: Localized) => issues.push({ path: pathToString(path), message });
    let tlsKey: string | undefined;
    for (const slot of secretSlots(p)) {
      const secret = slot.get();
      let value: string | undefined;
      if ('value' in secret) value = secret.value;
      else if ('staged' in secret) {
        value = this.staging.peek(secret.staged);
        if (value === undefined)
          push(
            slot.path,
            L(
              'this value came from an import more than an hour ago and was not kept: import again or type it',
              '该值来自一小时前的导入，已不再保留：请重新导入或直接输入',
            ),
          );
      } else if (secret.set) {
        const key = prefix(p.id) + slot.key;
        if (!existing || !this.vault.has(key))
          push(slot.path, L('no value is stored for this field yet: enter it', '该字段尚未保存任何值：请输入'));
        else if (this.vault.status().state === 'unlocked') value = this.vault.get(key);
      }
      if (value !== undefined && slot.policed) {
        const problem = checkPolicedValue(slot.policed, p.harbor.generation, value, destinationContext(p));
        if (problem) push(slot.path, problem);
      }
      if (slot.key === 'access.privateKey') tlsKey = value;
    }
    if (p.access.protocol === 'https' && p.access.certificate) {
      for (const f of checkTls(p.access.certificate, tlsKey, p.access.domain)) {
        if (f.level === 'error') push(['access', f.field], f.message);
      }
    }
    if (expectedRevision !== undefined && existing && existing.revision !== expectedRevision) {
      push(
        ['revision'],
        L(
          'this profile was changed elsewhere since you opened it; reload it (your edits here are not saved yet)',
          '此集群配置在您打开后已在别处被修改；请重新加载（此处的编辑尚未保存）',
        ),
      );
    }
    return issues;
  }

  /**
   * Saves a profile that passed the contract's schema. New: `expectedRevision` absent and the id
   * unused. Update: `expectedRevision` equal to the stored revision. Secrets go to the vault first.
   */
  async save(p: Profile, expectedRevision?: number): Promise<ProfileView> {
    const existing = this.store.get(p.id);
    if (existing && expectedRevision === undefined) {
      throw new ApiError({
        code: 'conflict',
        message: L(`A profile with the id "${p.id}" exists already.`, `已存在 ID 为“${p.id}”的集群配置。`),
      });
    }
    if (!existing && expectedRevision !== undefined) throw notFound(p.id);
    if (existing && existing.revision !== expectedRevision) {
      throw new ApiError({
        code: 'conflict',
        message: L(
          'This profile was changed elsewhere since you opened it. Reload it, then apply your edits again; nothing was saved.',
          '此集群配置在您打开后已在别处被修改。请重新加载后再次修改；本次未保存任何内容。',
        ),
      });
    }
    const issues = this.#deepIssues(p);
    if (issues.length) throw errors.invalidInput('profiles.save', issues);

    const writes: { key: string; value: string }[] = [];
    const keep = new Set<string>();
    const stagedTokens: string[] = [];
    for (const slot of secretSlots(p)) {
      const key = prefix(p.id) + slot.key;
      const secret: SecretInput = slot.get();
      if ('value' in secret && secret.value !== '') writes.push({ key, value: secret.value });
      else if ('staged' in secret) {
        writes.push({ key, value: this.staging.peek(secret.staged)! });
        stagedTokens.push(secret.staged);
      } else if ('set' in secret && secret.set) keep.add(key);
    }
    const wanted = new Set([...keep, ...writes.map((w) => w.key)]);
    const stale = this.vault.keys(prefix(p.id)).filter((k) => !wanted.has(k));
    try {
      // One atomic write: either every secret of this save is stored, or none is.
      if (writes.length || stale.length)
        await this.vault.apply({ set: writes.map((w) => [w.key, w.value] as [string, string]), delete: stale });
    } catch (error) {
      throw fromVaultError(error);
    }
    for (const t of stagedTokens) this.staging.discard(t);

    const now = new Date().toISOString();
    const record: ProfileRecord = {
      profile: masked(p, (key) => wanted.has(prefix(p.id) + key)),
      revision: (existing?.revision ?? 0) + 1,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      ...(existing?.lastDeploy ? { lastDeploy: existing.lastDeploy } : {}),
    };
    this.store.put(record);
    return this.#view(record);
  }

  async clone(id: string, name: string): Promise<ProfileView> {
    const source = this.store.get(id);
    if (!source) throw notFound(id);
    const copy = structuredClone(source.profile);
    copy.id = newId(name);
    copy.name = name;
    try {
      await this.vault.copyPrefix(prefix(id), prefix(copy.id));
    } catch (error) {
      throw fromVaultError(error);
    }
    const now = new Date().toISOString();
    const record: ProfileRecord = { profile: copy, revision: 1, createdAt: now, updatedAt: now };
    this.store.put(record);
    return this.#view(record);
  }

  rename(id: string, name: string, expectedRevision: number): ProfileView {
    const record = this.store.get(id);
    if (!record) throw notFound(id);
    if (record.revision !== expectedRevision) {
      throw new ApiError({
        code: 'conflict',
        message: L('This profile was changed elsewhere; reload and rename again.', '此集群配置已在别处被修改；请重新加载后再重命名。'),
      });
    }
    const next: ProfileRecord = {
      ...record,
      profile: { ...record.profile, name },
      revision: record.revision + 1,
      updatedAt: new Date().toISOString(),
    };
    this.store.put(next);
    return this.#view(next);
  }

  /** Deletes the profile and every secret stored for it. */
  async delete(id: string): Promise<void> {
    if (!this.store.get(id)) throw notFound(id);
    try {
      await this.vault.deletePrefix(prefix(id));
    } catch (error) {
      throw fromVaultError(error);
    }
    this.store.delete(id);
  }

  /** A file for another machine or a colleague: without secrets, or with them sealed under a passphrase. */
  async exportProfile(id: string, secrets: { mode: 'none' } | { mode: 'sealed'; passphrase: string }): Promise<ExportedFile> {
    const record = this.store.get(id);
    if (!record) throw notFound(id);
    const profile = masked(record.profile, () => false);
    let sealed: unknown;
    if (secrets.mode === 'sealed') {
      const values: Record<string, string> = {};
      try {
        for (const slot of secretSlots(structuredClone(record.profile))) {
          const v = this.vault.has(prefix(id) + slot.key) ? this.vault.get(prefix(id) + slot.key) : undefined;
          if (v !== undefined) values[slot.key] = v;
        }
        sealed = await seal(JSON.stringify(values), secrets.passphrase);
      } catch (error) {
        throw fromVaultError(error);
      }
    }
    const content = JSON.stringify(
      {
        format: EXPORT_FORMAT,
        version: 1,
        schemaVersion: SCHEMA_VERSION,
        exportedAt: new Date().toISOString(),
        profile,
        ...(sealed ? { secrets: sealed } : {}),
      },
      null,
      2,
    );
    const safeName = record.profile.name.replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 60) || record.profile.id;
    return { fileName: `${safeName}.harbor-profile.json`, content };
  }

  /** Reads an exported file into a draft for the form. Sealed secrets need the export passphrase. */
  async importProfile(content: string, passphrase?: string): Promise<ProfileDraft> {
    let file: z.infer<typeof exportFile>;
    try {
      file = exportFile.parse(JSON.parse(content));
    } catch {
      throw new ApiError({
        code: 'invalid_input',
        message: L(
          'This is not a profile exported by Harbor HA Deployer (expected a .harbor-profile.json file).',
          '这不是 Harbor HA Deployer 导出的集群配置文件（应为 .harbor-profile.json 文件）。',
        ),
      });
    }
    if (file.schemaVersion > SCHEMA_VERSION) {
      throw new ApiError({
        code: 'invalid_input',
        message: L(
          'This file was exported by a newer version of the app; update the app to import it.',
          '该文件由更新版本的应用导出；请升级应用后再导入。',
        ),
      });
    }
    const shape = profileShape.safeParse(file.profile);
    if (!shape.success) throw errors.invalidInput('profiles.import', toFieldIssues(shape.error));
    const draft = shape.data;
    const notes: Localized[] = [];
    let values: Record<string, string> = {};
    if (file.secrets !== undefined) {
      if (!passphrase) {
        throw new ApiError({
          code: 'invalid_input',
          reason: 'passphrase_required',
          message: L(
            'This file carries secrets sealed with a passphrase: enter the passphrase used for the export.',
            '该文件包含用口令加密的密钥：请输入导出时使用的口令。',
          ),
        });
      }
      try {
        values = z.record(z.string(), z.string()).parse(JSON.parse(await unseal(file.secrets, passphrase)));
      } catch (error) {
        throw fromVaultError(error);
      }
    } else {
      notes.push(
        L('The file holds no secrets: enter the passwords and keys before saving.', '该文件不含密钥：保存前请输入各项密码与密钥。'),
      );
    }
    draft.id = this.store.get(draft.id) ? newId(draft.name) : draft.id;
    if (this.store.list().some((r) => r.profile.name === draft.name)) draft.name = `${draft.name} (imported)`.slice(0, 64);
    for (const slot of secretSlots(draft)) {
      const v = values[slot.key];
      slot.set(v !== undefined ? this.staging.stage(v) : { set: false });
    }
    return { draft, notes };
  }

  /** Stages secrets read from a file into a draft (for the Harbor config importer). */
  stageSecrets(draft: Record<string, unknown>, secrets: readonly { path: readonly (string | number)[]; value: string }[]): void {
    for (const { path, value } of secrets) {
      let o: Record<string | number, unknown> = draft;
      for (const k of path.slice(0, -1)) {
        o[k] ??= {};
        o = o[k] as Record<string | number, unknown>;
      }
      o[path.at(-1)!] = this.staging.stage(value);
    }
  }

  /** A draft from the operator's existing harbor.cfg or harbor.yml; its passwords are staged, not returned. */
  importHarborConfig(fileName: string, content: string): ProfileDraft {
    let result: ReturnType<typeof draftFromHarborConfig>;
    try {
      result = draftFromHarborConfig(fileName, content);
    } catch (error) {
      if (error instanceof YamlLimitError) throw new ApiError({ code: 'invalid_input', message: error.describe(fileName) });
      throw new ApiError({
        code: 'invalid_input',
        message: L(
          `${fileName} cannot be read as harbor.cfg or harbor.yml: ${(error as Error).message}`,
          `无法将 ${fileName} 读取为 harbor.cfg 或 harbor.yml：${(error as Error).message}`,
        ),
      });
    }
    const draft = structuredClone(result.draft) as Record<string, unknown>;
    draft.id = newId(typeof draft.name === 'string' ? draft.name : 'cluster');
    this.stageSecrets(draft, result.secrets);
    return { draft, notes: result.notes };
  }

  /** Hosts from an OpenSSH client config: the given text, or the core machine's ~/.ssh/config. */
  importSshConfig(content: string | undefined, home = homedir()): SshConfigImport {
    const sshDir = join(home, '.ssh');
    const read = (path: string) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    };
    const text = content ?? read(join(sshDir, 'config'));
    if (text === undefined) {
      throw new ApiError({
        code: 'not_found',
        message: L(
          `There is no ${join(sshDir, 'config')} on the machine running the app; paste the file's text instead.`,
          `运行本应用的机器上没有 ${join(sshDir, 'config')}；请改为粘贴该文件的内容。`,
        ),
      });
    }
    return parseSshConfig(text, { home, readInclude: read });
  }

  /** Records how the last deployment of a profile ended (used by the deployment engine). */
  setLastDeploy(id: string, lastDeploy: NonNullable<ProfileRecord['lastDeploy']>): void {
    const record = this.store.get(id);
    if (!record) throw notFound(id);
    this.store.put({ ...record, lastDeploy });
  }
}
