/** Pure parts of SSH: quoting and known_hosts parsing. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commandLine, quote } from '../../electron/core/ssh/quote';
import { fingerprint, hostToken, parseKnownHosts, patternsMatch, verifyHostKey } from '../../electron/core/ssh/known-hosts';

describe('quote', () => {
  it('leaves plain words and single-quotes the rest', () => {
    expect(quote('docker')).toBe('docker');
    expect(quote('/opt/harbor/install.sh')).toBe('/opt/harbor/install.sh');
    expect(quote('')).toBe("''");
    expect(quote("it's")).toBe(`'it'\\''s'`);
    expect(quote('A=B')).toBe("'A=B'");
    expect(quote('$(x)')).toBe("'$(x)'");
    expect(commandLine(['echo', 'a b', '--ha'])).toBe("echo 'a b' --ha");
    expect(() => commandLine([])).toThrow();
  });
});

describe('known_hosts', () => {
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
  const other = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 9)]);
  const b64 = blob.toString('base64');

  it('formats host tokens and fingerprints like OpenSSH', () => {
    expect(hostToken('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(hostToken('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
    expect(fingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('matches patterns, negations, wildcards and hashed entries', () => {
    expect(patternsMatch('a.example,10.0.0.1', '10.0.0.1')).toBe(true);
    expect(patternsMatch('*.example,!bad.example', 'bad.example')).toBe(false);
    expect(patternsMatch('*.example', 'good.example')).toBe(true);
    expect(patternsMatch('10.0.0.?', '10.0.0.7')).toBe(true);
    // A non-standard port is written [host]:port; the brackets are literal, not a character class.
    expect(patternsMatch('[10.0.0.1]:2222', '[10.0.0.1]:2222')).toBe(true);
    expect(patternsMatch('[10.0.0.1]:2222', '1:2222')).toBe(false);
    expect(patternsMatch('[10.0.0.1]:2222', '10.0.0.1')).toBe(false);
    expect(patternsMatch('[10.0.0.*]:2222', '[10.0.0.9]:2222')).toBe(true);
    const salt = Buffer.alloc(20, 1);
    const hash = createHmac('sha1', salt).update('[10.0.0.1]:2222').digest('base64');
    expect(patternsMatch(`|1|${salt.toString('base64')}|${hash}`, '[10.0.0.1]:2222')).toBe(true);
    expect(patternsMatch(`|1|${salt.toString('base64')}|${hash}`, '10.0.0.1')).toBe(false);
  });

  it('judges match, mismatch, unknown and revoked', () => {
    const lines = parseKnownHosts(`10.0.0.1 ssh-ed25519 ${b64}\n# c\n@cert-authority *.example ssh-ed25519 ${b64}\n`, 'f');
    expect(lines).toHaveLength(2);
    expect(verifyHostKey(lines, '10.0.0.1', 22, blob).kind).toBe('match');
    expect(verifyHostKey(lines, '10.0.0.1', 2222, blob).kind).toBe('unknown');
    const mismatch = verifyHostKey(lines, '10.0.0.1', 22, other);
    expect(mismatch.kind).toBe('mismatch');
    expect(mismatch.kind === 'mismatch' && mismatch.entries[0]!.line).toBe(1);
    const revoked = parseKnownHosts(`@revoked * ssh-ed25519 ${b64}\n10.0.0.1 ssh-ed25519 ${b64}\n`, 'f');
    expect(verifyHostKey(revoked, '10.0.0.1', 22, blob).kind).toBe('revoked');
  });
});
