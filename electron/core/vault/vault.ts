/**
 * The secrets vault: one JSON file holding every secret of every profile, encrypted at rest.
 *
 * Envelope encryption. A random 32-byte data key (DEK) encrypts each entry with AES-256-GCM (fresh
 * 12-byte IV per write, the entry's key as additional data, so an entry moved under another key no
 * longer decrypts). The DEK itself is wrapped either by Electron's safeStorage (the OS keyring) or by
 * a key derived with scrypt from a master passphrase. GCM authentication of the wrapped DEK is the
 * passphrase check: there is no separate check value to attack.
 *
 * The file is replaced atomically on every change (see atomic.ts) and all changes made through one
 * Vault are serialised. One Vault per file per process; the desktop app is single-instance.
 *
 * Plain Node: never imports electron. electron/main passes `safeStorage` in.
 * Format and decisions: docs/vault.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Localized } from '../../../shared/i18n/localized';
import { removeStaleTemps, writeFileAtomic } from './atomic';
import {
  DEFAULT_SCRYPT,
  KEY_BYTES,
  SALT_BYTES,
  checkPassphraseStrength,
  decrypt,
  deriveKey,
  encrypt,
  isBase64,
  scryptParamsValid,
  type ScryptParams,
  type Sealed,
} from './crypto';
import { VaultError } from './errors';

export { VaultError, MIN_PASSPHRASE_LENGTH, type VaultErrorCode } from './errors';

/** Electron's safeStorage, passed in by electron/main (after the app is ready). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no real keyring (a hard-coded key), which we do not accept. */
  getSelectedStorageBackend?(): string;
}

export type VaultMethod = 'safeStorage' | 'passphrase';

export interface VaultStatus {
  state: 'uninitialized' | 'locked' | 'unlocked';
  /** The file's method; when uninitialized, the method `initialize()` without a passphrase would use. */
  method: VaultMethod;
  /**
   * Set when the vault is locked and cannot be unlocked as things stand: a safeStorage vault while
   * safeStorage is unusable (serve mode, no keyring, Linux backend 'basic_text'). Show the message.
   */
  problem?: { code: 'safe_storage_unavailable'; message: Localized };
}

export interface VaultOptions {
  safeStorage?: SafeStorageLike;
  /** Called with every secret value read or written (and every passphrase), for the log redactor. */
  onSecret?: (value: string) => void;
  /** scrypt cost for new wrappings (initialize, changePassphrase, switchToPassphrase). Default N = 2^17, r = 8, p = 1; N may not go below 2^15. */
  kdf?: Partial<ScryptParams>;
}

export const VAULT_FORMAT = 'harbor-ha-deployer/vault';
export const VAULT_VERSION = 1;
const DEK_AAD = `${VAULT_FORMAT}/v${VAULT_VERSION}/data-key`;
const entryAad = (key: string) => `${VAULT_FORMAT}/v${VAULT_VERSION}/entry/${key}`;
const MAX_KEY_LENGTH = 1024;

// ---- the file ----------------------------------------------------------------------------------

const b64 = z.string().refine(isBase64, 'not base64');
const sealedSchema = z.object({ iv: b64, tag: b64, data: b64 }).strict();
const kdfSchema = z
  .object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: b64 })
  .strict()
  .refine(scryptParamsValid, 'scrypt parameters out of range');

const headerSchema = z.discriminatedUnion('method', [
  z.object({
    format: z.literal(VAULT_FORMAT),
    version: z.literal(VAULT_VERSION),
    method: z.literal('passphrase'),
    kdf: kdfSchema,
    dataKey: sealedSchema,
    entries: z.unknown(),
  }),
  z.object({
    format: z.literal(VAULT_FORMAT),
    version: z.literal(VAULT_VERSION),
    method: z.literal('safeStorage'),
    /** base64 of safeStorage.encryptString(base64 of the DEK). */
    dataKey: z.object({ safeStorage: b64 }).strict(),
    entries: z.unknown(),
  }),
]);

type Wrapping =
  | { method: 'passphrase'; kdf: ScryptParams & { name: 'scrypt'; salt: string }; dataKey: Sealed }
  | { method: 'safeStorage'; dataKey: { safeStorage: string } };

interface Doc {
  readonly wrapping: Wrapping;
  /** A Map, so keys such as `__proto__` are plain data. */
  readonly entries: ReadonlyMap<string, Sealed>;
}

function serialize(doc: Doc): string {
  const w = doc.wrapping;
  const out = {
    format: VAULT_FORMAT,
    version: VAULT_VERSION,
    method: w.method,
    ...(w.method === 'passphrase' ? { kdf: w.kdf } : {}),
    dataKey: w.dataKey,
    // Object.fromEntries defines own properties, so `__proto__` stays a key.
    entries: Object.fromEntries([...doc.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function parse(text: string, file: string): Doc {
  const corrupt = (detail: string) => new VaultError('corrupt', { file, detail });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt('not JSON');
  }
  if (raw && typeof raw === 'object' && (raw as { format?: unknown }).format === VAULT_FORMAT) {
    const version = (raw as { version?: unknown }).version;
    if (typeof version === 'number' && version > VAULT_VERSION) {
      throw corrupt(`format version ${version}, written by a newer version of the app`);
    }
  }
  const header = headerSchema.safeParse(raw);
  if (!header.success) throw corrupt(`bad header: ${header.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`);
  const h = header.data;
  const rawEntries = h.entries;
  if (!rawEntries || typeof rawEntries !== 'object' || Array.isArray(rawEntries)) throw corrupt('bad entries');
  const entries = new Map<string, Sealed>();
  for (const [key, value] of Object.entries(rawEntries)) {
    const e = sealedSchema.safeParse(value);
    if (!e.success || !validKey(key)) throw corrupt(`bad entry "${printable(key)}"`);
    entries.set(key, e.data);
  }
  const wrapping: Wrapping =
    h.method === 'passphrase'
      ? { method: 'passphrase', kdf: h.kdf, dataKey: h.dataKey }
      : { method: 'safeStorage', dataKey: h.dataKey };
  return { wrapping, entries };
}

// ---- keys ----------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const validKey = (key: unknown): key is string =>
  typeof key === 'string' && key.length > 0 && key.length <= MAX_KEY_LENGTH && !CONTROL.test(key);
const printable = (key: string) => key.slice(0, 80).replace(/[\u0000-\u001f\u007f]/g, '?'); // eslint-disable-line no-control-regex

function checkKey(key: unknown, what = 'key'): asserts key is string {
  if (!validKey(key)) throw new TypeError(`vault ${what} must be 1..${MAX_KEY_LENGTH} characters without control characters`);
}

// ---- safeStorage ---------------------------------------------------------------------------------

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

// ---- the vault -----------------------------------------------------------------------------------

export class Vault {
  readonly #file: string;
  readonly #safeStorage: SafeStorageLike | undefined;
  readonly #onSecret: (value: string) => void;
  readonly #kdf: ScryptParams;
  #doc: Doc | null;
  #dek: Buffer | null = null;
  /** Why the last attempt to unwrap a safeStorage data key failed, when it did. */
  #unwrapFailure: VaultError | null = null;
  /** Every operation that reads or replaces #doc/#dek asynchronously runs here, one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, doc: Doc | null, options: VaultOptions) {
    this.#file = file;
    this.#doc = doc;
    this.#safeStorage = options.safeStorage;
    this.#onSecret = options.onSecret ?? (() => undefined);
    const kdf = { ...DEFAULT_SCRYPT, ...options.kdf };
    if (!scryptParamsValid(kdf)) throw new TypeError('vault kdf parameters out of range (N must be a power of two, 2^15..2^20)');
    this.#kdf = kdf;
  }

  /**
   * Reads the vault file if it exists (throws VaultError 'corrupt' if it is not a valid vault file),
   * removes temporary files left by a writer that was killed, and, for a safeStorage vault whose
   * keyring is usable, unlocks it at once.
   */
  static open(file: string, options: VaultOptions = {}): Vault {
    removeStaleTemps(file);
    let doc: Doc | null = null;
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text !== null) doc = parse(text, file);
    const vault = new Vault(file, doc, options);
    if (doc?.wrapping.method === 'safeStorage') {
      try {
        vault.#dek = vault.#unwrapWithSafeStorage(doc.wrapping);
      } catch (e) {
        if (!(e instanceof VaultError && e.code === 'safe_storage_unavailable')) throw e;
        // stays locked; status().problem explains why
      }
    }
    return vault;
  }

  get file(): string {
    return this.#file;
  }

  status(): VaultStatus {
    const doc = this.#doc;
    if (!doc) {
      return { state: 'uninitialized', method: safeStorageProblem(this.#safeStorage) === null ? 'safeStorage' : 'passphrase' };
    }
    const method = doc.wrapping.method;
    if (this.#dek) return { state: 'unlocked', method };
    if (method === 'safeStorage') {
      const problem = this.#safeStorageError();
      if (problem) return { state: 'locked', method, problem: { code: 'safe_storage_unavailable', message: problem.localized } };
    }
    return { state: 'locked', method };
  }

  /**
   * First use. Without a passphrase, and with safeStorage usable (available, backend not
   * 'basic_text'), the data key is wrapped by safeStorage. Otherwise a passphrase of at least 8
   * characters is required ('weak_passphrase'); given one, the passphrase method is used even when
   * safeStorage is usable. Leaves the vault unlocked.
   */
  initialize(passphrase?: string): Promise<void> {
    this.#report(passphrase);
    return this.#serial(async () => {
      if (this.#doc || existsSync(this.#file)) throw new VaultError('already_initialized', { file: this.#file });
      const useSafeStorage = passphrase === undefined && safeStorageProblem(this.#safeStorage) === null;
      if (!useSafeStorage) checkPassphraseStrength(passphrase);
      const dek = randomBytes(KEY_BYTES);
      const wrapping = useSafeStorage ? this.#wrapWithSafeStorage(dek) : await this.#wrapWithPassphrase(dek, passphrase!);
      const doc: Doc = { wrapping, entries: new Map() };
      await writeFileAtomic(this.#file, serialize(doc));
      this.#doc = doc;
      this.#dek = dek;
    });
  }

  /**
   * Unlocks with the passphrase ('wrong_passphrase' if it is wrong; nothing is written either way).
   * For a safeStorage vault the passphrase is ignored and the keyring is asked again
   * ('safe_storage_unavailable' if it cannot be used). Already unlocked: the passphrase is still checked.
   */
  unlock(passphrase: string): Promise<void> {
    this.#report(passphrase);
    return this.#serial(async () => {
      const doc = this.#requireDoc();
      const w = doc.wrapping;
      if (w.method === 'safeStorage') {
        this.#dek ??= this.#unwrapWithSafeStorage(w);
        return;
      }
      const dek = await this.#unwrapWithPassphrase(w, passphrase);
      if (this.#doc !== doc) return; // cannot happen inside the queue; kept as a guard
      this.#dek?.fill(0);
      this.#dek = dek;
    });
  }

  /** Forgets the data key. Changes still queued afterwards fail with 'locked'. */
  lock(): void {
    this.#dek?.fill(0);
    this.#dek = null;
  }

  /**
   * Re-wraps the data key under a new passphrase (new salt); entries are not touched. One atomic
   * write: a crash leaves either the old or the new passphrase valid. Leaves the vault unlocked.
   */
  changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    this.#report(oldPassphrase);
    this.#report(newPassphrase);
    return this.#serial(async () => {
      const doc = this.#requireDoc();
      const w = doc.wrapping;
      if (w.method !== 'passphrase') throw new VaultError('wrong_method', { method: w.method });
      checkPassphraseStrength(newPassphrase);
      const dek = await this.#unwrapWithPassphrase(w, oldPassphrase);
      const next: Doc = { wrapping: await this.#wrapWithPassphrase(dek, newPassphrase), entries: doc.entries };
      await writeFileAtomic(this.#file, serialize(next));
      this.#doc = next;
      if (this.#dek !== dek) this.#dek?.fill(0);
      this.#dek = dek;
    });
  }

  /**
   * While unlocked, moves a safeStorage vault to a master passphrase (e.g. before the keyring goes
   * away, or to use the same data folder in serve mode). Entries are not touched.
   */
  switchToPassphrase(passphrase: string): Promise<void> {
    this.#report(passphrase);
    return this.#serial(async () => {
      const doc = this.#requireDoc();
      if (doc.wrapping.method !== 'safeStorage') throw new VaultError('wrong_method', { method: doc.wrapping.method });
      checkPassphraseStrength(passphrase);
      // A copy: lock() zeroes the live key, and may be called while scrypt runs.
      const dek = Buffer.from(this.#requireDek());
      try {
        const next: Doc = { wrapping: await this.#wrapWithPassphrase(dek, passphrase), entries: doc.entries };
        await writeFileAtomic(this.#file, serialize(next));
        this.#doc = next;
      } finally {
        dek.fill(0);
      }
    });
  }

  /** While unlocked, moves a passphrase vault to safeStorage ('safe_storage_unavailable' if it is not usable). */
  switchToSafeStorage(): Promise<void> {
    return this.#serial(async () => {
      const doc = this.#requireDoc();
      if (doc.wrapping.method !== 'passphrase') throw new VaultError('wrong_method', { method: doc.wrapping.method });
      const dek = this.#requireDek();
      const next: Doc = { wrapping: this.#wrapWithSafeStorage(dek), entries: doc.entries };
      await writeFileAtomic(this.#file, serialize(next));
      this.#doc = next;
    });
  }

  /**
   * The secret stored under `key`, or undefined. Throws 'locked' (or 'safe_storage_unavailable')
   * while locked, 'corrupt' if the entry fails authentication. Uninitialized: undefined.
   */
  get(key: string): string | undefined {
    checkKey(key);
    const doc = this.#doc;
    if (!doc) return undefined;
    const dek = this.#requireDek();
    const sealed = doc.entries.get(key);
    if (!sealed) return undefined;
    const value = this.#open(dek, key, sealed);
    this.#onSecret(value);
    return value;
  }

  /** Whether a secret is stored under `key`. Works while locked: keys are not secret. */
  has(key: string): boolean {
    return this.#doc?.entries.has(key) ?? false;
  }

  /** Stored keys, sorted, optionally only those starting with `prefix`. Works while locked. */
  keys(prefix = ''): string[] {
    return [...(this.#doc?.entries.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
  }

  set(key: string, value: string): Promise<void> {
    checkKey(key);
    if (typeof value !== 'string') throw new TypeError('vault values must be strings');
    this.#onSecret(value);
    return this.#serial(async () => {
      const doc = this.#requireDoc();
      const dek = this.#requireDek();
      const entries = new Map(doc.entries);
      entries.set(key, encrypt(dek, Buffer.from(value, 'utf8'), entryAad(key)));
      await this.#commit({ wrapping: doc.wrapping, entries });
    });
  }

  /**
   * Several sets and deletes in one atomic write, all or nothing (e.g. saving a profile's secrets and
   * dropping the ones it no longer uses). Deletes apply after sets. Needs the vault unlocked when
   * there is anything to set; deletes alone are allowed while locked, like delete().
   */
  apply(changes: { set?: ReadonlyArray<readonly [string, string]>; delete?: readonly string[] }): Promise<void> {
    const sets = [...(changes.set ?? [])];
    const deletes = [...(changes.delete ?? [])];
    for (const [key, value] of sets) {
      checkKey(key);
      if (typeof value !== 'string') throw new TypeError('vault values must be strings');
    }
    for (const key of deletes) checkKey(key);
    for (const [, value] of sets) this.#onSecret(value);
    return this.#serial(async () => {
      if (sets.length === 0 && deletes.length === 0) return;
      const doc = this.#requireDoc();
      const entries = new Map(doc.entries);
      if (sets.length > 0) {
        const dek = this.#requireDek();
        for (const [key, value] of sets) entries.set(key, encrypt(dek, Buffer.from(value, 'utf8'), entryAad(key)));
      }
      for (const key of deletes) entries.delete(key);
      if (sets.length === 0 && entries.size === doc.entries.size) return;
      await this.#commit({ wrapping: doc.wrapping, entries });
    });
  }

  /** Removes one secret. Allowed while locked (nothing is revealed); a no-op if absent or uninitialized. */
  delete(key: string): Promise<void> {
    checkKey(key);
    return this.#serial(async () => {
      const doc = this.#doc;
      if (!doc || !doc.entries.has(key)) return;
      const entries = new Map(doc.entries);
      entries.delete(key);
      await this.#commit({ wrapping: doc.wrapping, entries });
    });
  }

  /** Removes every secret whose key starts with `prefix` (not empty), in one write. Allowed while locked. */
  deletePrefix(prefix: string): Promise<void> {
    checkKey(prefix, 'prefix');
    return this.#serial(async () => {
      const doc = this.#doc;
      if (!doc) return;
      const entries = new Map([...doc.entries].filter(([k]) => !k.startsWith(prefix)));
      if (entries.size === doc.entries.size) return;
      await this.#commit({ wrapping: doc.wrapping, entries });
    });
  }

  /**
   * Copies every secret under `from` to the same key with `to` in place of the prefix, in one write
   * (re-encrypted: the key is part of the authenticated data). Existing keys under `to` with the same
   * suffix are overwritten; others under `to` are kept. Requires the vault unlocked.
   */
  copyPrefix(from: string, to: string): Promise<void> {
    checkKey(from, 'prefix');
    checkKey(to, 'prefix');
    return this.#serial(async () => {
      const doc = this.#requireDoc();
      const dek = this.#requireDek();
      if (from === to) return;
      const sources = [...doc.entries].filter(([k]) => k.startsWith(from));
      if (sources.length === 0) return;
      const entries = new Map(doc.entries);
      for (const [key, sealed] of sources) {
        const value = this.#open(dek, key, sealed);
        this.#onSecret(value);
        const target = to + key.slice(from.length);
        checkKey(target);
        entries.set(target, encrypt(dek, Buffer.from(value, 'utf8'), entryAad(target)));
      }
      await this.#commit({ wrapping: doc.wrapping, entries });
    });
  }

  /** Resolves when every operation queued so far has finished (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** Tells the redactor about a passphrase or value before anything else happens with it. */
  #report(value: unknown): void {
    if (typeof value === 'string' && value.length > 0) this.#onSecret(value);
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commit(doc: Doc): Promise<void> {
    await writeFileAtomic(this.#file, serialize(doc));
    this.#doc = doc; // only after the file holds it: a failed write changes nothing in memory either
  }

  #requireDoc(): Doc {
    if (!this.#doc) throw new VaultError('uninitialized', { file: this.#file });
    return this.#doc;
  }

  #requireDek(): Buffer {
    const doc = this.#requireDoc();
    if (this.#dek) return this.#dek;
    if (doc.wrapping.method === 'safeStorage') {
      const problem = this.#safeStorageError();
      if (problem) throw problem;
    }
    throw new VaultError('locked', { file: this.#file });
  }

  #open(dek: Buffer, key: string, sealed: Sealed): string {
    const plain = decrypt(dek, sealed, entryAad(key));
    if (!plain) throw new VaultError('corrupt', { file: this.#file, detail: `entry "${printable(key)}" fails authentication` });
    return plain.toString('utf8');
  }

  #safeStorageError(): VaultError | null {
    const problem = safeStorageProblem(this.#safeStorage);
    return problem ? new VaultError('safe_storage_unavailable', { file: this.#file, detail: problem }) : this.#unwrapFailure;
  }

  #wrapWithSafeStorage(dek: Buffer): Wrapping {
    const problem = safeStorageProblem(this.#safeStorage);
    if (problem) throw new VaultError('safe_storage_unavailable', { file: this.#file, detail: problem });
    const blob = this.#safeStorage!.encryptString(dek.toString('base64'));
    return { method: 'safeStorage', dataKey: { safeStorage: Buffer.from(blob).toString('base64') } };
  }

  /** Asks safeStorage for the data key now (not from a remembered failure). */
  #unwrapWithSafeStorage(w: Extract<Wrapping, { method: 'safeStorage' }>): Buffer {
    const problem = safeStorageProblem(this.#safeStorage);
    if (problem) throw new VaultError('safe_storage_unavailable', { file: this.#file, detail: problem });
    const fail = (detail: string) => {
      this.#unwrapFailure = new VaultError('safe_storage_unavailable', { file: this.#file, detail });
      return this.#unwrapFailure;
    };
    let b64dek: string;
    try {
      b64dek = this.#safeStorage!.decryptString(Buffer.from(w.dataKey.safeStorage, 'base64'));
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

  async #wrapWithPassphrase(dek: Buffer, passphrase: string): Promise<Wrapping> {
    const salt = randomBytes(SALT_BYTES);
    const kek = await deriveKey(passphrase, salt, this.#kdf);
    try {
      return {
        method: 'passphrase',
        kdf: { name: 'scrypt', ...this.#kdf, salt: salt.toString('base64') },
        dataKey: encrypt(kek, dek, DEK_AAD),
      };
    } finally {
      kek.fill(0);
    }
  }

  async #unwrapWithPassphrase(w: Extract<Wrapping, { method: 'passphrase' }>, passphrase: string): Promise<Buffer> {
    if (typeof passphrase !== 'string' || passphrase.length === 0) throw new VaultError('wrong_passphrase', { file: this.#file });
    const kek = await deriveKey(passphrase, Buffer.from(w.kdf.salt, 'base64'), w.kdf);
    try {
      const dek = decrypt(kek, w.dataKey, DEK_AAD);
      if (!dek) throw new VaultError('wrong_passphrase', { file: this.#file });
      if (dek.length !== KEY_BYTES) throw new VaultError('corrupt', { file: this.#file, detail: 'the vault key has the wrong length' });
      return dek;
    } finally {
      kek.fill(0);
    }
  }
}
