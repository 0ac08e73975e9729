/**
 * OpenSSH known_hosts files: the app's own (written by us) and the user's ~/.ssh/known_hosts (read
 * only). Supports hashed entries (|1|salt|hash), [host]:port, comma-separated and wildcard patterns
 * with negation, @revoked and @cert-authority markers (CA lines are ignored: we verify plain keys).
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KnownHostLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly marker: 'revoked' | 'cert-authority' | null;
  readonly patterns: string;
  readonly keyType: string;
  /** base64 of the key blob. */
  readonly key: string;
}

export type HostKeyVerdict =
  | { readonly kind: 'match'; readonly entry: KnownHostLine }
  | { readonly kind: 'revoked'; readonly entry: KnownHostLine }
  /** Known under another key of the same type (or any type when no entry of this type exists). */
  | { readonly kind: 'mismatch'; readonly entries: readonly KnownHostLine[] }
  | { readonly kind: 'unknown' };

/** SHA256 fingerprint as `ssh-keygen -lf` prints it: `SHA256:` + unpadded base64. */
export function fingerprint(keyBlob: Buffer): string {
  // Stryker disable next-line Regex: equivalent, a SHA-256 digest in base64 ends in exactly one '=' and has none elsewhere
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type stored inside an SSH public key blob (e.g. ssh-ed25519). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** How a host appears in known_hosts: `host`, or `[host]:port` when the port is not 22. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostLine['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [patterns, keyType, key] = fields;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent on the first two, the fields are positional: no key type means no key either
    if (!patterns || !keyType || !key) return;
    out.push({ file, line: i + 1, text: raw, marker, patterns, keyType, key });
  });
  return out;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|\\[\]]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Does the pattern field of a line name this host token? Hashed entries are HMAC-SHA1 of the token. */
export function patternsMatch(patterns: string, token: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(token)) return false;
    } else if (globToRegExp(p).test(token)) matched = true;
  }
  return matched;
}

/** Judges a presented key against the lines of every known_hosts file, as OpenSSH does. */
export function verifyHostKey(lines: readonly KnownHostLine[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const token = hostToken(host, port);
  const key = keyBlob.toString('base64');
  const type = keyTypeOf(keyBlob);
  const revoked = lines.find((l) => l.marker === 'revoked' && l.key === key);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = lines.filter((l) => l.marker === null && patternsMatch(l.patterns, token));
  const match = forHost.find((l) => l.key === key);
  if (match) return { kind: 'match', entry: match };
  if (forHost.length === 0) return { kind: 'unknown' };
  // A different key for this host: the same type means it changed; another type alone is also refused
  // (we cannot tell a new key type from a man in the middle).
  const sameType = forHost.filter((l) => l.keyType === type);
  return { kind: 'mismatch', entries: sameType.length ? sameType : forHost };
}

/** The known_hosts files the app consults: its own, then the user's (read only). */
export class KnownHosts {
  constructor(
    readonly appFile: string,
    // Stryker disable next-line ArrayDeclaration: equivalent, a file that does not exist is skipped
    readonly userFiles: readonly string[] = [],
  ) {}

  lines(): KnownHostLine[] {
    const out: KnownHostLine[] = [];
    for (const file of [this.appFile, ...this.userFiles]) {
      if (existsSync(file)) out.push(...parseKnownHosts(readFileSync(file, 'utf8'), file));
    }
    return out;
  }

  verify(host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
    return verifyHostKey(this.lines(), host, port, keyBlob);
  }

  /** Records a key the operator accepted, in the app's own file (OpenSSH format). */
  add(host: string, port: number, keyBlob: Buffer): void {
    mkdirSync(dirname(this.appFile), { recursive: true, mode: 0o700 });
    appendFileSync(this.appFile, `${hostToken(host, port)} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
  }
}
