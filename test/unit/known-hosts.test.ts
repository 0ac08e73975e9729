/**
 * known_hosts as OpenSSH reads it, on real files: what a line is, how patterns match (escaping, case, negation,
 * hashes), which entries a verdict names, and the app's own file (created private, appended in OpenSSH's format,
 * the user's files consulted but never written).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, keyTypeOf, KnownHosts, parseKnownHosts, patternsMatch, verifyHostKey } from '../../electron/core/ssh/known-hosts';

const dir = mkdtempSync(join(tmpdir(), 'known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const blob = (type: string, fill: number) =>
  Buffer.concat([Buffer.from([0, 0, 0, type.length]), Buffer.from(type), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, fill)]);
const ed = blob('ssh-ed25519', 1);
const ed2 = blob('ssh-ed25519', 2);
const ecdsa = blob('ecdsa-sha2-nistp256', 3);
const b64 = (b: Buffer) => b.toString('base64');

describe('known_hosts lines', () => {
  it('skips blank lines, comments and lines without pattern, type and key, numbers lines from 1 and keeps the text', () => {
    const text = `\n# a comment\n   # indented comment\nonly-a-host\nhost ssh-ed25519\n\thost-a,host-b\tssh-ed25519   ${b64(ed)} a comment\n`;
    const lines = parseKnownHosts(text, '/f');
    expect(lines).toEqual([
      {
        file: '/f',
        line: 6,
        text: `\thost-a,host-b\tssh-ed25519   ${b64(ed)} a comment`,
        marker: null,
        patterns: 'host-a,host-b',
        keyType: 'ssh-ed25519',
        key: b64(ed),
      },
    ]);
  });

  it('reads the @revoked and @cert-authority markers, and no other word as one', () => {
    const lines = parseKnownHosts(
      `@revoked * ssh-ed25519 ${b64(ed)}\n@cert-authority *.example ssh-ed25519 ${b64(ed)}\n@other h ssh-ed25519 ${b64(ed)}\n`,
      'f',
    );
    expect(lines.map((l) => [l.marker, l.patterns])).toEqual([
      ['revoked', '*'],
      ['cert-authority', '*.example'],
      [null, '@other'],
    ]);
  });

  it('names key types from the blob, and a blob too short to hold one as unknown', () => {
    expect(keyTypeOf(ed)).toBe('ssh-ed25519');
    expect(keyTypeOf(ecdsa)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOf(Buffer.from([0, 0, 0]))).toBe('unknown');
    expect(keyTypeOf(Buffer.from([0, 0, 0, 0]))).toBe('');
    expect(fingerprint(ed)).not.toContain('=');
    expect(fingerprint(ed)).not.toBe(fingerprint(ed2));
  });
});

describe('host patterns', () => {
  it('takes pattern characters literally except * and ?, case-insensitively', () => {
    expect(patternsMatch('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(patternsMatch('10.0.0.1', '10a0b0c1')).toBe(false);
    expect(patternsMatch('10.0.0.1', '10.0.0.10')).toBe(false);
    expect(patternsMatch('10.0.0.1', 'x10.0.0.1')).toBe(false);
    expect(patternsMatch('Node-1.Example', 'node-1.example')).toBe(true);
    expect(patternsMatch('a+b', 'aab')).toBe(false);
    expect(patternsMatch('a+b', 'a+b')).toBe(true);
    expect(patternsMatch('(a|b)', 'a')).toBe(false);
    expect(patternsMatch('a$', 'a$')).toBe(true);
    expect(patternsMatch('^a', '^a')).toBe(true);
    expect(patternsMatch('a{2}', 'a{2}')).toBe(true);
    expect(patternsMatch('a\\d', 'a\\d')).toBe(true);
    expect(patternsMatch('a\\d', 'a1')).toBe(false);
    expect(patternsMatch('node-?', 'node-12')).toBe(false);
    expect(patternsMatch('node-*', 'node-12')).toBe(true);
    expect(patternsMatch('*', '')).toBe(true);
  });

  it('a negated pattern excludes even when another names the host; alone it names nothing', () => {
    expect(patternsMatch('!10.0.0.1', '10.0.0.1')).toBe(false);
    expect(patternsMatch('!10.0.0.1', '10.0.0.2')).toBe(false);
    expect(patternsMatch('10.0.0.*,!10.0.0.1', '10.0.0.2')).toBe(true);
    expect(patternsMatch('!10.0.0.1,10.0.0.*', '10.0.0.1')).toBe(false);
  });

  it('a hashed entry names exactly the host it was hashed from; a malformed one names nothing', () => {
    const salt = Buffer.alloc(20, 5);
    const hash = createHmac('sha1', salt).update('10.0.0.1').digest('base64');
    expect(patternsMatch(`|1|${b64(salt)}|${hash}`, '10.0.0.1')).toBe(true);
    expect(patternsMatch(`|1|${b64(salt)}|${hash}`, '10.0.0.2')).toBe(false);
    expect(patternsMatch(`|1|${b64(Buffer.alloc(20, 6))}|${hash}`, '10.0.0.1')).toBe(false);
    expect(patternsMatch(`|1|${b64(salt)}|`, '10.0.0.1')).toBe(false);
    expect(patternsMatch(`|1||${hash}`, '10.0.0.1')).toBe(false);
    expect(patternsMatch('|1|', '10.0.0.1')).toBe(false);
    // Without a salt there is no hashed entry, even when the hash is that of the host under an empty key.
    const unsalted = createHmac('sha1', Buffer.alloc(0)).update('10.0.0.1').digest('base64');
    expect(patternsMatch(`|1||${unsalted}`, '10.0.0.1')).toBe(false);
  });
});

describe('verdicts', () => {
  it('a revoked key is revoked for every host, before any match', () => {
    const lines = parseKnownHosts(`10.0.0.1 ssh-ed25519 ${b64(ed)}\n@revoked other.example ssh-ed25519 ${b64(ed)}\n`, 'f');
    const v = verifyHostKey(lines, '10.0.0.1', 22, ed);
    expect(v).toEqual({ kind: 'revoked', entry: lines[1] });
  });

  it('a revoked line revokes its own key only', () => {
    const lines = parseKnownHosts(`@revoked * ssh-ed25519 ${b64(ed2)}\n10.0.0.1 ssh-ed25519 ${b64(ed)}\n`, 'f');
    expect(verifyHostKey(lines, '10.0.0.1', 22, ed)).toEqual({ kind: 'match', entry: lines[1] });
  });

  it('a CA line is not a key of the host: alone it leaves the host unknown', () => {
    const lines = parseKnownHosts(`@cert-authority 10.0.0.1 ssh-ed25519 ${b64(ed2)}\n`, 'f');
    expect(verifyHostKey(lines, '10.0.0.1', 22, ed).kind).toBe('unknown');
  });

  it('names the lines of the same key type when the key changed, and every line of the host when only other types are known', () => {
    const lines = parseKnownHosts(
      `10.0.0.1 ecdsa-sha2-nistp256 ${b64(ecdsa)}\n10.0.0.1 ssh-ed25519 ${b64(ed2)}\nother ssh-ed25519 ${b64(ed)}\n`,
      'f',
    );
    expect(verifyHostKey(lines, '10.0.0.1', 22, ed)).toEqual({ kind: 'mismatch', entries: [lines[1]] });
    const onlyEcdsa = lines.slice(0, 1);
    expect(verifyHostKey(onlyEcdsa, '10.0.0.1', 22, ed)).toEqual({ kind: 'mismatch', entries: onlyEcdsa });
    expect(verifyHostKey(lines, '10.0.0.1', 22, ecdsa)).toEqual({ kind: 'match', entry: lines[0] });
  });

  it('a host on another port is another host', () => {
    const lines = parseKnownHosts(`[10.0.0.1]:2222 ssh-ed25519 ${b64(ed2)}\n`, 'f');
    expect(verifyHostKey(lines, '10.0.0.1', 22, ed).kind).toBe('unknown');
    expect(verifyHostKey(lines, '10.0.0.1', 2222, ed).kind).toBe('mismatch');
  });
});

describe("the app's known_hosts file and the user's", () => {
  it('records an accepted key in a private file in OpenSSH format, and then matches it', () => {
    const app = join(dir, 'new', 'data', 'known_hosts');
    const kh = new KnownHosts(app);
    expect(kh.lines()).toEqual([]);
    expect(kh.verify('10.0.0.1', 2222, ed).kind).toBe('unknown');
    kh.add('10.0.0.1', 2222, ed);
    kh.add('node.example', 22, ecdsa);
    expect(readFileSync(app, 'utf8')).toBe(`[10.0.0.1]:2222 ssh-ed25519 ${b64(ed)}\nnode.example ecdsa-sha2-nistp256 ${b64(ecdsa)}\n`);
    expect(statSync(app).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new', 'data')).mode & 0o777).toBe(0o700);
    expect(kh.verify('10.0.0.1', 2222, ed).kind).toBe('match');
    expect(kh.verify('node.example', 22, ecdsa).kind).toBe('match');
  });

  it("consults the user's files after its own, never writing them, and skips files that do not exist", () => {
    const app = join(dir, 'app_known_hosts');
    const user = join(dir, 'user_known_hosts');
    writeFileSync(user, `10.0.0.9 ssh-ed25519 ${b64(ed)}\n`);
    const kh = new KnownHosts(app, [join(dir, 'missing'), user]);
    expect(kh.lines().map((l) => l.file)).toEqual([user]);
    expect(kh.verify('10.0.0.9', 22, ed).kind).toBe('match');
    kh.add('10.0.0.8', 22, ed2);
    expect(kh.lines().map((l) => l.file)).toEqual([app, user]);
    expect(readFileSync(user, 'utf8')).toBe(`10.0.0.9 ssh-ed25519 ${b64(ed)}\n`);
  });
});
