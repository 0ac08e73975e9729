/**
 * The errors of core's modules that clients get in the API's terms, registered once: the
 * dispatcher passes whatever a call or stream handler throws through this table, so no handler
 * wraps its calls, and a new call cannot forget to. An error that is neither an ApiError nor in
 * the table is unexpected: the client gets the generic internal error, the log the details.
 */
import { randomBytes } from 'node:crypto';
import { ApiError, errors } from '../../../shared/errors';
import type { Log } from '../log';
import { fromVaultError } from '../profiles/errors';
import { SshError } from '../ssh/errors';
import { VaultError } from '../vault/vault';

/** One row of the table: the API error for errors of one class, undefined for any other. */
type ErrorMapping = (error: unknown) => ApiError | undefined;

function mapping<E extends Error>(type: abstract new (...args: never[]) => E, toApiError: (error: E) => ApiError): ErrorMapping {
  return (error) => (error instanceof type ? toApiError(error) : undefined);
}

const MAPPINGS: readonly ErrorMapping[] = [
  // code 'ssh', the cause as reason ('refused', 'auth', 'host_key_changed', …), the node concerned.
  mapping(SshError, (error) => error.toApiError()),
  // 'vault_locked' when the vault is locked or not set up (the UI asks for the passphrase and retries), else 'vault'.
  mapping(VaultError, (error) => fromVaultError(error) as ApiError),
];

/** The error as clients get it, or undefined when it is unexpected. */
export function asApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  for (const toApiError of MAPPINGS) {
    const known = toApiError(error);
    if (known) return known;
  }
  return undefined;
}

/**
 * The error as clients get it, expected or not: an unexpected one is logged under a fresh reference and answered as
 * the generic internal error carrying only that reference, since its message may quote anything (a path, a file's
 * content, a secret).
 */
export function toClientError(error: unknown, log: Pick<Log, 'error'>): ApiError {
  const known = asApiError(error);
  if (known) return known;
  const ref = randomBytes(4).toString('hex');
  log.error(`unexpected error ${ref}`, error);
  return errors.internal(ref);
}
