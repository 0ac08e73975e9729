/**
 * The secrets vault: one JSON file holding every secret of every profile, encrypted at rest.
 *
 * Envelope encryption. A random 32-byte data key (DEK) encrypts each entry with AES-256-GCM (fresh
 * 12-byte IV per write, the entry's key as additional data, so an entry moved under another key no
 * longer decrypts; file-format.ts). The DEK itself is wrapped either by Electron's safeStorage (the
 * OS keyring) or by a key derived with scrypt from a master passphrase (key-wrapping.ts).
 *
 * The file is replaced atomically on every change (see atomic.ts) and all changes made through one
 * Vault are serialised. One Vault per file per process; the desktop app is single-instance.
 *
 * Plain Node: never imports electron. electron/main passes `safeStorage` in.
 * Format and decisions: docs/vault.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Localized } from '../../../shared/i18n/localized';
import { removeStaleTemps, writeFileAtomic } from './atomic';
import { DEFAULT_SCRYPT, KEY_BYTES, checkPassphraseStrength, scryptParamsValid, type ScryptParams } from './crypto';
import { VaultError } from './errors';
import { checkKey, checkValue, openEntry, parse, sealEntry, serialize, type Doc } from './file-format';
import { SafeStorageKeyring, unwrapWithPassphrase, wrapWithPassphrase, type SafeStorageLike } from './key-wrapping';

export { VaultError, MIN_PASSPHRASE_LENGTH, type VaultErrorCode } from './errors';
export { VAULT_FORMAT, VAULT_VERSION } from './file-format';
export type { SafeStorageLike } from './key-wrapping';

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

export class Vault {
  readonly #file: string;
  readonly #keyring: SafeStorageKeyring;
  readonly #onSecret: (value: string) => void;
  readonly #kdf: ScryptParams;
  #doc: Doc | null;
  #dek: Buffer | null = null;
  /** Every operation that reads or replaces #doc/#dek asynchronously runs here, one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, doc: Doc | null, options: VaultOptions) {
    this.#file = file;
    this.#doc = doc;
    this.#keyring = new SafeStorageKeyring(options.safeStorage, file);
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
        vault.#dek = vault.#keyring.unwrap(doc.wrapping);
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
      return { state: 'uninitialized', method: this.#keyring.usable ? 'safeStorage' : 'passphrase' };
    }
    const method = doc.wrapping.method;
    if (this.#dek) return { state: 'unlocked', method };
    if (method === 'safeStorage') {
      const problem = this.#keyring.error();
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
      const useSafeStorage = passphrase === undefined && this.#keyring.usable;
      if (!useSafeStorage) checkPassphraseStrength(passphrase);
      const dek = randomBytes(KEY_BYTES);
      const wrapping = useSafeStorage ? this.#keyring.wrap(dek) : await wrapWithPassphrase(dek, passphrase!, this.#kdf);
      await this.#commit({ wrapping, entries: new Map() });
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
        this.#dek ??= this.#keyring.unwrap(w);
        return;
      }
      const dek = await unwrapWithPassphrase(w, passphrase, this.#file);
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
      const dek = await unwrapWithPassphrase(w, oldPassphrase, this.#file);
      const next: Doc = { wrapping: await wrapWithPassphrase(dek, newPassphrase, this.#kdf), entries: doc.entries };
      await this.#commit(next);
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
        const next: Doc = { wrapping: await wrapWithPassphrase(dek, passphrase, this.#kdf), entries: doc.entries };
        await this.#commit(next);
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
      const next: Doc = { wrapping: this.#keyring.wrap(dek), entries: doc.entries };
      await this.#commit(next);
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
    const value = openEntry(dek, key, sealed, this.#file);
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
    checkValue(value);
    this.#onSecret(value);
    return this.#serial(async () => {
      const doc = this.#requireDoc();
      const dek = this.#requireDek();
      const entries = new Map(doc.entries);
      entries.set(key, sealEntry(dek, key, value));
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
      checkValue(value);
    }
    for (const key of deletes) checkKey(key);
    for (const [, value] of sets) this.#onSecret(value);
    return this.#serial(async () => {
      if (sets.length === 0 && deletes.length === 0) return;
      const doc = this.#requireDoc();
      const entries = new Map(doc.entries);
      if (sets.length > 0) {
        const dek = this.#requireDek();
        for (const [key, value] of sets) entries.set(key, sealEntry(dek, key, value));
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
        const value = openEntry(dek, key, sealed, this.#file);
        this.#onSecret(value);
        const target = to + key.slice(from.length);
        checkKey(target);
        entries.set(target, sealEntry(dek, target, value));
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
      const problem = this.#keyring.error();
      if (problem) throw problem;
    }
    throw new VaultError('locked', { file: this.#file });
  }
}
