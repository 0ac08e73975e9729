/**
 * Short-lived ed25519 key pairs in OpenSSH format (the relay's temporary key).
 *
 * ssh2's `generateKeyPairSync('ed25519')` strips every leading zero byte of the public key's BIT
 * STRING, not only the "unused bits" byte, so one key in 256 whose public key starts with 0x00
 * comes out 31 bytes long (mscdex/ssh2#1390, #1513, open in 1.17.0). OpenSSH refuses such a file
 * with `Load key …: error in libcrypto`, and the relay's copy then failed with "Permission denied"
 * about once in 256 transfers. We keep ssh2's encoder and only hand out pairs whose public key is
 * the 32 bytes RFC 8709 requires, generating again otherwise (on average 1.004 attempts).
 */
// Default import: ssh2 is CommonJS and its `utils` is not a named export Node's ESM loader detects.
import ssh2 from 'ssh2';

/** RFC 8709 §4: an ed25519 public key is exactly 32 bytes. */
const ED25519_PUBLIC_KEY_BYTES = 32;
/** `string "ssh-ed25519"` + `string key`: the SSH wire encoding of a whole public key. */
const ED25519_PUBLIC_BLOB_BYTES = 4 + 'ssh-ed25519'.length + 4 + ED25519_PUBLIC_KEY_BYTES;
/** A well-formed pair is all but certain within a few attempts; this bound only guards a broken library. */
const MAX_ATTEMPTS = 16;

export interface OpenSshKeyPair {
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` … with a trailing newline. */
  readonly private: string;
  /** `ssh-ed25519 AAAA… comment` */
  readonly public: string;
}

/** Does OpenSSH accept this pair: both halves parse and the public key is 32 bytes? */
export function isWellFormedEd25519(pair: OpenSshKeyPair): boolean {
  const pub = ssh2.utils.parseKey(pair.public);
  const priv = ssh2.utils.parseKey(pair.private);
  if (pub instanceof Error || priv instanceof Error || Array.isArray(pub) || Array.isArray(priv)) return false;
  return (
    pub.type === 'ssh-ed25519' && pub.getPublicSSH().length === ED25519_PUBLIC_BLOB_BYTES && priv.getPublicSSH().equals(pub.getPublicSSH())
  );
}

export function generateEd25519KeyPair(comment: string): OpenSshKeyPair {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    if (isWellFormedEd25519(pair)) return pair;
  }
  throw new Error(`ssh2 produced no well-formed ed25519 key in ${MAX_ATTEMPTS} attempts`);
}
