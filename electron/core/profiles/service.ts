/**
 * Profiles as the API offers them: list, read, validate, save, clone, rename, delete, export and
 * import. Non-secret fields go to the ProfileStore; secret values go to the Vault under
 * `profile/<id>/<slot>` (secrets.ts); what leaves this module carries `{ set }` in place of every secret.
 * The template, the deeper checks, the profile file and the imports of operator files have modules
 * of their own; this class is what the handlers, the deployment and the health monitor hold.
 */
import type {
  ExportedFile,
  ProfileDraft,
  ProfileSummary,
  ProfileValidation,
  ProfileView,
  SshConfigImport,
} from '../../../shared/api/types';
import { ApiError, errors } from '../../../shared/errors';
import {
  generationAdvice,
  profileAdvice,
  profileSchema,
  profileShape,
  secretSlots,
  type Profile,
  type ProfileInput,
  type SecretInput,
} from '../../../shared/profile';
import { toFieldIssues } from '../../../shared/validation';
import type { Vault } from '../vault/vault';
import { importHarborConfig, importSshConfig } from './config-imports';
import { certificateOf, deepIssues, tlsIssuesOfForm } from './deep-issues';
import { fromVaultError, L, profileNotFound } from './errors';
import { exportProfile, importProfile } from './export-file';
import { masked, secretPrefix } from './secrets';
import type { SecretStaging } from './staging';
import type { ProfileRecord, ProfileStore } from './store';
import { newProfileId, profileTemplate } from './template';

export class ProfileService {
  constructor(
    private readonly store: ProfileStore,
    private readonly vault: Vault,
    private readonly staging: SecretStaging,
  ) {}

  /** What this folder's modules read and write, handed to them as one. */
  #held(): { store: ProfileStore; vault: Vault; staging: SecretStaging } {
    return { store: this.store, vault: this.vault, staging: this.staging };
  }

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
    if (!record) throw profileNotFound(id);
    return this.#view(record);
  }

  #view(record: ProfileRecord): ProfileView {
    const profile = masked(record.profile, (key) => this.vault.has(secretPrefix(record.profile.id) + key));
    return {
      profile,
      revision: record.revision,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      ...(record.lastDeploy ? { lastDeploy: record.lastDeploy } : {}),
      advice: profileAdvice(profile),
    };
  }

  /**
   * Every problem with a profile as the form holds it: fields, rules, and what needs the vault or
   * I/O (stored secrets against the generation's character policy, the certificate and its key).
   */
  async validate(raw: unknown, revision?: number): Promise<ProfileValidation> {
    const certificate = certificateOf(this.#held(), raw);
    const described = certificate ? { certificate } : {};
    const parsed = profileSchema.safeParse(raw);
    if (!parsed.success) {
      const shape = profileShape.safeParse(raw);
      const issues = toFieldIssues(parsed.error);
      const flagged = new Set(issues.map((i) => i.path));
      return {
        issues: [...issues, ...tlsIssuesOfForm(this.#held(), raw).filter((i) => !flagged.has(i.path))],
        advice: shape.success ? profileAdvice(shape.data) : generationAdvice(raw),
        ...described,
      };
    }
    const issues = deepIssues(this.#held(), parsed.data, revision);
    return { issues, advice: profileAdvice(parsed.data), ...described };
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
    if (!existing && expectedRevision !== undefined) throw profileNotFound(p.id);
    if (existing && existing.revision !== expectedRevision) {
      throw new ApiError({
        code: 'conflict',
        message: L(
          'This profile was changed elsewhere since you opened it. Reload it, then apply your edits again; nothing was saved.',
          '此集群配置在您打开后已在别处被修改。请重新加载后再次修改；本次未保存任何内容。',
        ),
      });
    }
    const issues = deepIssues(this.#held(), p);
    if (issues.length) throw errors.invalidInput('profiles.save', issues);

    const writes: { key: string; value: string }[] = [];
    const keep = new Set<string>();
    const stagedTokens: string[] = [];
    for (const slot of secretSlots(p)) {
      const key = secretPrefix(p.id) + slot.key;
      const secret: SecretInput = slot.get();
      if ('value' in secret && secret.value !== '') writes.push({ key, value: secret.value });
      else if ('staged' in secret) {
        writes.push({ key, value: this.staging.peek(secret.staged)! });
        stagedTokens.push(secret.staged);
      } else if ('set' in secret && secret.set) keep.add(key);
    }
    const wanted = new Set([...keep, ...writes.map((w) => w.key)]);
    const stale = this.vault.keys(secretPrefix(p.id)).filter((k) => !wanted.has(k));
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
      profile: masked(p, (key) => wanted.has(secretPrefix(p.id) + key)),
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
    if (!source) throw profileNotFound(id);
    const copy = structuredClone(source.profile);
    copy.id = newProfileId(name);
    copy.name = name;
    try {
      await this.vault.copyPrefix(secretPrefix(id), secretPrefix(copy.id));
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
    if (!record) throw profileNotFound(id);
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
    if (!this.store.get(id)) throw profileNotFound(id);
    try {
      await this.vault.deletePrefix(secretPrefix(id));
    } catch (error) {
      throw fromVaultError(error);
    }
    this.store.delete(id);
  }

  // Each of these is told in the module that does it: template.ts, export-file.ts, config-imports.ts.
  template(generation: 'v1' | 'v2'): ProfileInput {
    return profileTemplate(generation);
  }

  exportProfile(id: string, secrets: { mode: 'none' } | { mode: 'sealed'; passphrase: string }): Promise<ExportedFile> {
    return exportProfile(this.#held(), id, secrets);
  }

  importProfile(content: string, passphrase?: string): Promise<ProfileDraft> {
    return importProfile(this.#held(), content, passphrase);
  }

  importHarborConfig(fileName: string, content: string): ProfileDraft {
    return importHarborConfig(this.staging, fileName, content);
  }

  importSshConfig(content: string | undefined, home?: string): SshConfigImport {
    return importSshConfig(content, home);
  }

  /** Records how the last deployment of a profile ended (used by the deployment engine). */
  setLastDeploy(id: string, lastDeploy: NonNullable<ProfileRecord['lastDeploy']>): void {
    const record = this.store.get(id);
    if (!record) throw profileNotFound(id);
    this.store.put({ ...record, lastDeploy });
  }
}
