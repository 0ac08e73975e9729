/**
 * Sealed boxes: a string encrypted under a passphrase, independent of the vault's own key. Used for
 * profile exports that carry secrets. scrypt (N = 2^17, r = 8, p = 1 by default) → AES-256-GCM.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  DEFAULT_SCRYPT,
  SALT_BYTES,
  checkPassphraseStrength,
  decrypt,
  deriveKey,
  encrypt,
  isBase64,
  scryptParamsValid,
  scryptWithinAppCost,
  type ScryptParams,
} from './crypto';
import { VaultError } from './errors';

export interface SealedBox {
  v: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64, 12 bytes */
  iv: string;
  /** base64, 16 bytes */
  tag: string;
  /** base64 */
  data: string;
}

/** The header fields are authenticated too, so a box cannot be altered without detection. */
const aad = (box: Pick<SealedBox, 'v' | 'kdf' | 'N' | 'r' | 'p' | 'salt'>) =>
  `harbor-ha-deployer/sealed/v${box.v}/${box.kdf}/${box.N}/${box.r}/${box.p}/${box.salt}`;

const b64 = z.string().refine(isBase64);
const boxSchema = z.object({
  v: z.literal(1),
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: b64,
  iv: b64,
  tag: b64,
  data: b64,
});

/**
 * Encrypts `plaintext` under `passphrase` (at least 8 characters, else 'weak_passphrase').
 * `kdf` is for tests; N may not go below 2^15, nor any parameter above the default (what we seal,
 * unseal must accept).
 */
export async function seal(plaintext: string, passphrase: string, kdf: Partial<ScryptParams> = {}): Promise<SealedBox> {
  if (typeof plaintext !== 'string') throw new TypeError('seal: plaintext must be a string');
  checkPassphraseStrength(passphrase);
  const params = { ...DEFAULT_SCRYPT, ...kdf };
  if (!scryptParamsValid(params) || !scryptWithinAppCost(params)) throw new TypeError('seal: kdf parameters out of range');
  const salt = randomBytes(SALT_BYTES).toString('base64');
  const header = { v: 1 as const, kdf: 'scrypt' as const, N: params.N, r: params.r, p: params.p, salt };
  const key = await deriveKey(passphrase, Buffer.from(salt, 'base64'), params);
  // Stryker disable BlockStatement: equivalent, the finally block only zeroes the key after use, memory hygiene nothing can observe
  try {
    // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name is UTF-8
    return { ...header, ...encrypt(key, Buffer.from(plaintext, 'utf8'), aad(header)) };
  } finally {
    key.fill(0);
  }
}

// Stryker restore BlockStatement
/**
 * Decrypts a box. Malformed → 'corrupt'; scrypt costlier than the app's own in N, r or p →
 * 'kdf_too_costly', before anything is derived; authentication fails → 'wrong_passphrase'.
 */
export async function unseal(box: unknown, passphrase: string): Promise<string> {
  const parsed = boxSchema.safeParse(box);
  if (parsed.success && !scryptWithinAppCost(parsed.data)) {
    const { N, r, p } = parsed.data;
    throw new VaultError('kdf_too_costly', {
      sealed: true,
      detail: `N = ${N}, r = ${r}, p = ${p}`,
      limit: `N = ${DEFAULT_SCRYPT.N}, r = ${DEFAULT_SCRYPT.r}, p = ${DEFAULT_SCRYPT.p}`,
    });
  }
  if (!parsed.success || !scryptParamsValid(parsed.data)) {
    throw new VaultError('corrupt', { sealed: true, detail: 'not a sealed box this app can read' });
  }
  const b = parsed.data;
  // Stryker disable next-line ConditionalExpression: equivalent for '', which derives a key that fails authentication with the same error
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new VaultError('wrong_passphrase', { sealed: true });
  const key = await deriveKey(passphrase, Buffer.from(b.salt, 'base64'), b);
  // Stryker disable BlockStatement: equivalent, the finally block only zeroes the key after use, memory hygiene nothing can observe
  try {
    const plain = decrypt(key, b, aad(b));
    if (!plain) throw new VaultError('wrong_passphrase', { sealed: true });
    return plain.toString('utf8');
  } finally {
    key.fill(0);
  }
}
