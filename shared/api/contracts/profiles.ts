/** Cluster profiles and the secrets vault. */
import { z } from 'zod';
import { profileSchema } from '../../profile/rules';
import type { ProfileInput } from '../../profile/schema';
import { call } from '../define';
import { fileTooLarge, MAX_FILE_BYTES, utf8Bytes } from '../limits';
import type { ExportedFile, ProfileDraft, ProfileSummary, ProfileValidation, ProfileView, SshConfigImport, VaultStatus } from '../types';

const empty = z.object({}).strict();
export const profileId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);
const profileName = z.string().trim().min(1).max(64);
/** Master passphrases: at least 8 characters (the vault explains), at most 1024. */
const passphrase = z.string().min(1).max(1024);
/** Files the operator hands over (exports, harbor.cfg, ssh config), limited in UTF-8 bytes as the import dialog measures them. */
const fileContent = z
  .string()
  .refine((text) => utf8Bytes(text) <= MAX_FILE_BYTES, { error: (issue) => JSON.stringify(fileTooLarge(utf8Bytes(String(issue.input)))) });

export const vaultContract = {
  'vault.status': call(empty, 'Whether the secrets vault is set up and unlocked, and how it is protected.').returns<VaultStatus>(),
  'vault.setup': call(
    z.object({ passphrase: passphrase.optional() }).strict(),
    'First use: protects the vault with the system keyring, or with a master passphrase where there is none.',
  ).returns<VaultStatus>(),
  'vault.unlock': call(
    z.object({ passphrase }).strict(),
    'Unlocks the vault with the master passphrase, once per run.',
  ).returns<VaultStatus>(),
  'vault.lock': call(empty, 'Forgets the vault key until the passphrase is entered again.').returns<VaultStatus>(),
  'vault.changePassphrase': call(
    z.object({ current: passphrase, next: passphrase }).strict(),
    'Changes the master passphrase; the secrets stay as they are.',
  ).returns<VaultStatus>(),
} as const;

export const profilesContract = {
  'profiles.list': call(empty, 'Every saved cluster profile, in brief.').returns<ProfileSummary[]>(),
  'profiles.get': call(z.object({ id: profileId }).strict(), 'One profile; secrets appear as { set }.').returns<ProfileView>(),
  'profiles.template': call(
    z.object({ generation: z.enum(['v1', 'v2']) }).strict(),
    'A new, unsaved profile with the defaults of a Harbor generation.',
  ).returns<ProfileInput>(),
  'profiles.validate': call(
    z.object({ profile: z.unknown(), revision: z.number().int().positive().optional() }).strict(),
    'Every problem of a profile as the form holds it, field by field, and the advice for its setup.',
  ).returns<ProfileValidation>(),
  'profiles.save': call(
    z.object({ profile: profileSchema, expectedRevision: z.number().int().positive().optional() }).strict(),
    'Creates (no expectedRevision) or updates a profile; new secret values go to the vault.',
  ).returns<ProfileView>(),
  'profiles.clone': call(
    z.object({ id: profileId, name: profileName }).strict(),
    'Copies a profile and its secrets under a new name.',
  ).returns<ProfileView>(),
  'profiles.rename': call(
    z.object({ id: profileId, name: profileName, expectedRevision: z.number().int().positive() }).strict(),
    'Renames a profile.',
  ).returns<ProfileView>(),
  'profiles.delete': call(
    z.object({ id: profileId, confirm: z.literal(true) }).strict(),
    'Deletes a profile and its secrets. Needs confirm: true.',
  ).returns<null>(),
  'profiles.export': call(
    z
      .object({
        id: profileId,
        secrets: z.discriminatedUnion('mode', [
          z.object({ mode: z.literal('none') }).strict(),
          z.object({ mode: z.literal('sealed'), passphrase }).strict(),
        ]),
      })
      .strict(),
    'A profile as a file: without secrets, or with them encrypted under a passphrase.',
  ).returns<ExportedFile>(),
  'profiles.import': call(
    z.object({ content: fileContent, passphrase: passphrase.optional() }).strict(),
    'Reads an exported profile into an unsaved draft (secrets, if any, stay in the core).',
  ).returns<ProfileDraft>(),
  'profiles.importHarborConfig': call(
    z.object({ fileName: z.string().max(255), content: fileContent }).strict(),
    'Fills a draft from an existing harbor.cfg (1.x) or harbor.yml (2.x); its passwords stay in the core.',
  ).returns<ProfileDraft>(),
  'profiles.importSshConfig': call(
    z.object({ content: fileContent.optional() }).strict(),
    'Hosts from an OpenSSH client config: the given text, or ~/.ssh/config of the machine running the core.',
  ).returns<SshConfigImport>(),
} as const;
