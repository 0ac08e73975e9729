/** The errors the profile API answers with, in both languages. */
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { VaultError } from '../vault/vault';

/** Re-exported for this folder's modules: the helper is defined once, in shared/i18n/localized.ts. */
export { L };

export function profileNotFound(id: string): ApiError {
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
