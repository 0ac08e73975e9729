/**
 * The two wrappings of the vault's data key (DEK): Electron's safeStorage, and a key derived with
 * scrypt from a master passphrase. GCM authentication of the wrapped DEK is the passphrase check:
 * there is no separate check value to attack.
 */
import { randomBytes } from 'node:crypto';
import { KEY_BYTES, SALT_BYTES, decrypt, deriveKey, encrypt, isBase64, type ScryptParams } from './crypto';
import { VaultError } from './errors';
import { DEK_AAD, type Wrapping } from './file-format';

/** Electron's safeStorage, passed in by electron/main (after the app is ready). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no real keyring (a hard-coded key), which we do not accept. */
  getSelectedStorageBackend?(): string;
}

/** Why safeStorage cannot protect the vault now, or null when it can. */
function safeStorageProblem(s: SafeStorageLike | undefined): string | null {
  if (!s) return 'safeStorage is not available here (serve mode or tests)';
  try {
    if (!s.isEncryptionAvailable()) return 'the system reports that encryption is not available';
    const backend = s.getSelectedStorageBackend?.();
    if (backend === 'basic_text') return 'the Linux keyring backend is "basic_text", which is not real encryption';
  } catch {
    return 'safeStorage failed to answer';
  }
  return null;
}

/** safeStorage as one vault file uses it: whether it can protect the data key now, and why it last failed to give it back. */
export class SafeStorageKeyring {
  readonly #storage: SafeStorageLike | undefined;
  readonly #file: string;
  /** Why the last attempt to unwrap a safeStorage data key failed, when it did. */
  #unwrapFailure: VaultError | null = null;

  constructor(storage: SafeStorageLike | undefined, file: string) {
    this.#storage = storage;
    this.#file = file;
  }

  /** Whether safeStorage can protect the vault now (available, backend not 'basic_text'). */
  get usable(): boolean {
    return safeStorageProblem(this.#storage) === null;
  }

  /** Why the data key cannot come from safeStorage: unusable now, or its last answer was not the key; null when it can. */
  error(): VaultError | null {
    return this.#unavailable() ?? this.#unwrapFailure;
  }

  wrap(dek: Buffer): Wrapping {
    const unavailable = this.#unavailable();
    if (unavailable) throw unavailable;
    const blob = this.#storage!.encryptString(dek.toString('base64'));
    return { method: 'safeStorage', dataKey: { safeStorage: Buffer.from(blob).toString('base64') } };
  }

  /** Asks safeStorage for the data key now (not from a remembered failure). */
  unwrap(w: Extract<Wrapping, { method: 'safeStorage' }>): Buffer {
    const unavailable = this.#unavailable();
    if (unavailable) throw unavailable;
    const fail = (detail: string) => {
      this.#unwrapFailure = new VaultError('safe_storage_unavailable', { file: this.#file, detail });
      return this.#unwrapFailure;
    };
    let b64dek: string;
    try {
      b64dek = this.#storage!.decryptString(Buffer.from(w.dataKey.safeStorage, 'base64'));
    } catch {
      throw fail('the keyring could not decrypt the vault key; the keyring or its password may have changed');
    }
    const dek = Buffer.from(b64dek, 'base64');
    if (dek.length !== KEY_BYTES || !isBase64(b64dek)) {
      throw fail('the keyring returned something that is not the vault key; the keyring may have changed');
    }
    this.#unwrapFailure = null;
    return dek;
  }

  #unavailable(): VaultError | null {
    const problem = safeStorageProblem(this.#storage);
    return problem ? new VaultError('safe_storage_unavailable', { file: this.#file, detail: problem }) : null;
  }
}

export async function wrapWithPassphrase(dek: Buffer, passphrase: string, kdf: ScryptParams): Promise<Wrapping> {
  const salt = randomBytes(SALT_BYTES);
  const kek = await deriveKey(passphrase, salt, kdf);
  try {
    return {
      method: 'passphrase',
      kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') },
      dataKey: encrypt(kek, dek, DEK_AAD),
    };
  } finally {
    kek.fill(0);
  }
}

export async function unwrapWithPassphrase(
  w: Extract<Wrapping, { method: 'passphrase' }>,
  passphrase: string,
  file: string,
): Promise<Buffer> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new VaultError('wrong_passphrase', { file });
  const kek = await deriveKey(passphrase, Buffer.from(w.kdf.salt, 'base64'), w.kdf);
  try {
    const dek = decrypt(kek, w.dataKey, DEK_AAD);
    if (!dek) throw new VaultError('wrong_passphrase', { file });
    if (dek.length !== KEY_BYTES) throw new VaultError('corrupt', { file, detail: 'the vault key has the wrong length' });
    return dek;
  } finally {
    kek.fill(0);
  }
}
