/**
 * The profile file (.harbor-profile.json) for another machine or a colleague: written without
 * secrets or with them sealed under a passphrase, and read back into a draft for the form.
 */
import { z } from 'zod';
import type { ExportedFile, ProfileDraft } from '../../../shared/api/types';
import { ApiError, errors } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { migrateProfile, profileShape, SCHEMA_VERSION, secretSlots } from '../../../shared/profile';
import { toFieldIssues } from '../../../shared/validation';
import { seal, unseal } from '../vault/sealed';
import type { Vault } from '../vault/vault';
import { fromVaultError, L, profileNotFound } from './errors';
import { masked, secretPrefix } from './secrets';
import type { SecretStaging } from './staging';
import type { ProfileStore } from './store';
import { newProfileId } from './template';

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

/** A file for another machine or a colleague: without secrets, or with them sealed under a passphrase. */
export async function exportProfile(
  { store, vault }: { store: ProfileStore; vault: Vault },
  id: string,
  secrets: { mode: 'none' } | { mode: 'sealed'; passphrase: string },
): Promise<ExportedFile> {
  const record = store.get(id);
  if (!record) throw profileNotFound(id);
  const profile = masked(record.profile, () => false);
  let sealed: unknown;
  if (secrets.mode === 'sealed') {
    const values: Record<string, string> = {};
    try {
      for (const slot of secretSlots(structuredClone(record.profile))) {
        const v = vault.has(secretPrefix(id) + slot.key) ? vault.get(secretPrefix(id) + slot.key) : undefined;
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
export async function importProfile(
  { store, staging }: { store: ProfileStore; staging: SecretStaging },
  content: string,
  passphrase?: string,
): Promise<ProfileDraft> {
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
  const shape = profileShape.safeParse(migrateProfile(file.profile, file.schemaVersion));
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
    notes.push(L('The file holds no secrets: enter the passwords and keys before saving.', '该文件不含密钥：保存前请输入各项密码与密钥。'));
  }
  draft.id = store.get(draft.id) ? newProfileId(draft.name) : draft.id;
  if (store.list().some((r) => r.profile.name === draft.name)) draft.name = `${draft.name} (imported)`.slice(0, 64);
  for (const slot of secretSlots(draft)) {
    const v = values[slot.key];
    slot.set(v !== undefined ? staging.stage(v) : { set: false });
  }
  return { draft, notes };
}
