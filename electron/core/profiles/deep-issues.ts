/**
 * The checks of a profile that need what only the core holds: stored and staged secrets against the
 * generation's character policy, the certificate with its key, and the revision the form started from.
 */
import type { CertificateSummary } from '../../../shared/api/types';
import { z } from 'zod';
import { STALE_REVISION, type FieldIssue } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { checkPolicedValue, destinationContext, secretSlots, type Profile } from '../../../shared/profile';
import { secretInput, type SecretInput } from '../../../shared/profile/fields';
import { pathToString } from '../../../shared/validation';
import type { Vault } from '../vault/vault';
import { L } from './errors';
import { secretPrefix } from './secrets';
import type { SecretStaging } from './staging';
import type { ProfileStore } from './store';
import { checkTls, describeCertificate } from './tls';

type Held = { store: ProfileStore; vault: Vault; staging: SecretStaging };
type Slot = Pick<ReturnType<typeof secretSlots>[number], 'key' | 'get'>;

/**
 * The value a secret field of the form stands for: typed, staged by an import or a file, or kept in the vault (read only
 * when it is unlocked). `problem` when the form refers to a value that is not there.
 */
export function secretValue({ store, vault, staging }: Held, p: Pick<Profile, 'id'>, slot: Slot): { value?: string; problem?: Localized } {
  const secret = slot.get();
  if ('value' in secret) return { value: secret.value };
  if ('staged' in secret) {
    const value = staging.peek(secret.staged);
    if (value !== undefined) return { value };
    return {
      problem: L(
        'this value came from an import more than an hour ago and was not kept: import again or type it',
        '该值来自一小时前的导入，已不再保留：请重新导入或直接输入',
      ),
    };
  }
  if (!secret.set) return {};
  const key = secretPrefix(p.id) + slot.key;
  if (!store.get(p.id) || !vault.has(key))
    return { problem: L('no value is stored for this field yet: enter it', '该字段尚未保存任何值：请输入') };
  return vault.status().state === 'unlocked' ? { value: vault.get(key) } : {};
}

/** What certificateOf needs of a form: read leniently, so the summary shows while other fields are still wrong. */
const tlsPart = z.looseObject({
  id: z.string(),
  access: z.looseObject({ protocol: z.literal('https'), domain: z.string(), certificate: z.string(), privateKey: secretInput }),
});

/** The TLS private key the form stands for, when the core can read it. */
function tlsKeyOf(held: Held, p: Pick<Profile, 'id'> & { access: { privateKey: SecretInput } }): string | undefined {
  return secretValue(held, p, { key: 'access.privateKey', get: () => p.access.privateKey }).value;
}

/** The certificate of an HTTPS form, described for the operator (with whether its key matches). */
export function certificateOf(held: Held, raw: unknown): CertificateSummary | undefined {
  const form = tlsPart.safeParse(raw);
  if (!form.success) return undefined;
  const { access } = form.data;
  return describeCertificate(access.certificate, tlsKeyOf(held, form.data), access.domain) ?? undefined;
}

/**
 * The certificate's and key's problems of a form that does not pass the schema yet (other sections unfinished), so the
 * operator sees a key that does not match while still filling in the rest.
 */
export function tlsIssuesOfForm(held: Held, raw: unknown): FieldIssue[] {
  const form = tlsPart.safeParse(raw);
  if (!form.success) return [];
  const { access } = form.data;
  return checkTls(access.certificate, tlsKeyOf(held, form.data), access.domain)
    .filter((f) => f.level === 'error')
    .map((f) => ({ path: pathToString(['access', f.field]), message: f.message }));
}

/** Every such problem of a profile that passed the schema. Kept secrets are checked when the vault is open. */
export function deepIssues(held: Held, p: Profile, expectedRevision?: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const existing = held.store.get(p.id);
  const push = (path: readonly (string | number)[], message: Localized) => issues.push({ path: pathToString(path), message });
  for (const slot of secretSlots(p)) {
    const { value, problem } = secretValue(held, p, slot);
    if (problem) push(slot.path, problem);
    if (value !== undefined && slot.policed) {
      const policy = checkPolicedValue(slot.policed, p.harbor.generation, value, destinationContext(p));
      if (policy) push(slot.path, policy);
    }
  }
  if (p.access.protocol === 'https' && p.access.certificate) {
    for (const f of checkTls(p.access.certificate, tlsKeyOf(held, p), p.access.domain)) {
      if (f.level === 'error') push(['access', f.field], f.message);
    }
  }
  if (expectedRevision !== undefined && existing && existing.revision !== expectedRevision) {
    push(
      [STALE_REVISION],
      L(
        'this profile was changed elsewhere since you opened it; reload it (your edits here are not saved yet)',
        '此集群配置在您打开后已在别处被修改；请重新加载（此处的编辑尚未保存）',
      ),
    );
  }
  return issues;
}
