/**
 * The checks of a profile that need what only the core holds: stored and staged secrets against the
 * generation's character policy, the certificate with its key, and the revision the form started from.
 */
import type { FieldIssue } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { checkPolicedValue, destinationContext, secretSlots, type Profile } from '../../../shared/profile';
import { pathToString } from '../../../shared/validation';
import type { Vault } from '../vault/vault';
import { L } from './errors';
import { secretPrefix } from './secrets';
import type { SecretStaging } from './staging';
import type { ProfileStore } from './store';
import { checkTls } from './tls';

/** Every such problem of a profile that passed the schema. Kept secrets are checked when the vault is open. */
export function deepIssues(
  { store, vault, staging }: { store: ProfileStore; vault: Vault; staging: SecretStaging },
  p: Profile,
  expectedRevision?: number,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const existing = store.get(p.id);
  const push = (path: readonly (string | number)[], message: Localized) => issues.push({ path: pathToString(path), message });
  let tlsKey: string | undefined;
  for (const slot of secretSlots(p)) {
    const secret = slot.get();
    let value: string | undefined;
    if ('value' in secret) value = secret.value;
    else if ('staged' in secret) {
      value = staging.peek(secret.staged);
      if (value === undefined)
        push(
          slot.path,
          L(
            'this value came from an import more than an hour ago and was not kept: import again or type it',
            '该值来自一小时前的导入，已不再保留：请重新导入或直接输入',
          ),
        );
    } else if (secret.set) {
      const key = secretPrefix(p.id) + slot.key;
      if (!existing || !vault.has(key))
        push(slot.path, L('no value is stored for this field yet: enter it', '该字段尚未保存任何值：请输入'));
      else if (vault.status().state === 'unlocked') value = vault.get(key);
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
