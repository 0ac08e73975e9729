/**
 * The vault file: its JSON layout (header, wrapped data key, sealed entries), reading it strictly
 * and writing it back, the rules for entry keys, and each entry sealed under the data key with its
 * key as additional data. Format and decisions: docs/vault.md.
 */
import { z } from 'zod';
import { decrypt, encrypt, isBase64, scryptParamsValid, type ScryptParams, type Sealed } from './crypto';
import { VaultError } from './errors';

export const VAULT_FORMAT = 'harbor-ha-deployer/vault';
export const VAULT_VERSION = 1;
export const DEK_AAD = `${VAULT_FORMAT}/v${VAULT_VERSION}/data-key`;
const entryAad = (key: string) => `${VAULT_FORMAT}/v${VAULT_VERSION}/entry/${key}`;
const MAX_KEY_LENGTH = 1024;

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

export type Wrapping =
  | { method: 'passphrase'; kdf: ScryptParams & { name: 'scrypt'; salt: string }; dataKey: Sealed }
  | { method: 'safeStorage'; dataKey: { safeStorage: string } };

export interface Doc {
  readonly wrapping: Wrapping;
  /** A Map, so keys such as `__proto__` are plain data. */
  readonly entries: ReadonlyMap<string, Sealed>;
}

export function serialize(doc: Doc): string {
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

export function parse(text: string, file: string): Doc {
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
    h.method === 'passphrase' ? { method: 'passphrase', kdf: h.kdf, dataKey: h.dataKey } : { method: 'safeStorage', dataKey: h.dataKey };
  return { wrapping, entries };
}

// ---- keys ----------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const validKey = (key: unknown): key is string =>
  typeof key === 'string' && key.length > 0 && key.length <= MAX_KEY_LENGTH && !CONTROL.test(key);
const printable = (key: string) => key.slice(0, 80).replace(/[\u0000-\u001f\u007f]/g, '?'); // eslint-disable-line no-control-regex

export function checkKey(key: unknown, what = 'key'): asserts key is string {
  if (!validKey(key)) throw new TypeError(`vault ${what} must be 1..${MAX_KEY_LENGTH} characters without control characters`);
}

// ---- entries -------------------------------------------------------------------------------------

export function checkValue(value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new TypeError('vault values must be strings');
}

export function sealEntry(dek: Buffer, key: string, value: string): Sealed {
  return encrypt(dek, Buffer.from(value, 'utf8'), entryAad(key));
}

/** The value of the entry `key` of the vault `file`; 'corrupt' if it fails authentication (e.g. moved under another key). */
export function openEntry(dek: Buffer, key: string, sealed: Sealed, file: string): string {
  const plain = decrypt(dek, sealed, entryAad(key));
  if (!plain) throw new VaultError('corrupt', { file, detail: `entry "${printable(key)}" fails authentication` });
  return plain.toString('utf8');
}
