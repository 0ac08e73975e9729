import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSshConfig, splitConfigLine } from '../../electron/core/profiles/import-ssh-config';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/import/ssh/${name}`, import.meta.url)), 'utf8');
const CONFIG = fixture('config');
const LAB = fixture('conf.d/lab.conf');
const HOME = '/home/alice';

/** 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line with ${needle}`);
  return i + 1;
}

const readInclude = (path: string) => (path === `${HOME}/.ssh/conf.d/*.conf` ? LAB : undefined);

describe('parseSshConfig on a realistic ~/.ssh/config', () => {
  const result = parseSshConfig(CONFIG, { home: HOME, readInclude });
  const byAlias = (alias: string) => result.hosts.find((h) => h.alias === alias);

  it('offers one candidate per concrete alias, in file order, never wildcard or negated patterns', () => {
    expect(result.hosts.map((h) => h.alias)).toEqual([
      'lab-1',
      'bastion-bj',
      'harbor-1',
      'harbor-2',
      'harbor-3',
      'stg-node1',
      'stg-node2',
      'inner-jump',
      'legacy',
      'direct',
    ]);
  });

  it('reads an included file (relative to ~/.ssh) with Host * settings from the including file', () => {
    expect(byAlias('lab-1')).toEqual({
      alias: 'lab-1',
      host: '172.16.0.11',
      port: 2201,
      user: 'root',
      identityFile: `${HOME}/.ssh/id_rsa`,
      line: lineOf(CONFIG, 'Include conf.d'),
    });
  });

  it('keeps the first obtained value: a host block before Host * wins over it', () => {
    expect(byAlias('bastion-bj')).toEqual({
      alias: 'bastion-bj',
      host: '47.95.10.20',
      port: 2222,
      user: 'ops',
      identityFile: `${HOME}/.ssh/id_ed25519_bastion`,
      line: lineOf(CONFIG, 'Host bastion-bj'),
    });
  });

  it('merges a multi-pattern block, per-host blocks, Host * before and after, a quoted IdentityFile with spaces and ProxyJump through an alias', () => {
    const jump = [{ host: '47.95.10.20', port: 2222, user: 'ops' }];
    const key = `${HOME}/Keys/Harbor Prod/id_rsa`;
    const line = lineOf(CONFIG, 'Host harbor-1 harbor-2');
    expect(byAlias('harbor-1')).toEqual({
      alias: 'harbor-1',
      host: '192.168.10.10',
      port: 22,
      user: 'root',
      identityFile: key,
      proxyJump: jump,
      line,
    });
    expect(byAlias('harbor-2')).toEqual({
      alias: 'harbor-2',
      host: '192.168.10.11',
      port: 22,
      user: 'root',
      identityFile: key,
      proxyJump: jump,
      line,
    });
    expect(byAlias('harbor-3')).toEqual({
      alias: 'harbor-3',
      host: '192.168.10.12',
      port: 2200,
      user: 'root',
      identityFile: key,
      proxyJump: jump,
      line,
    });
  });

  it('resolves a ProxyJump chain hop by hop (explicit user and port win; each hop through the config), and %h in HostName', () => {
    const line = lineOf(CONFIG, 'Host stg-node1 stg-node2');
    const expected = (alias: string) => ({
      alias,
      host: `${alias}.stg.internal.example.com`,
      port: 22,
      // "Host *" came first, so its User wins over the later "User deploy".
      user: 'root',
      identityFile: `${HOME}/.ssh/id_rsa`,
      proxyJump: [
        { host: '47.95.10.20', port: 2222, user: 'admin' },
        { host: '10.0.0.5', port: 2022, user: 'root' },
      ],
      line,
    });
    expect(byAlias('stg-node1')).toEqual(expected('stg-node1'));
    expect(byAlias('stg-node2')).toEqual(expected('stg-node2'));
  });

  it('expands %d, %u and %h in IdentityFile, reads keywords case-insensitively, Key=value, and drops trailing comments', () => {
    expect(byAlias('direct')).toEqual({
      alias: 'direct',
      host: '10.1.2.3',
      port: 22,
      user: 'root',
      identityFile: `${HOME}/.ssh/id_alice_10.1.2.3`,
      line: lineOf(CONFIG, 'Host direct'),
    });
  });

  it('imports a ProxyCommand host without a jump host and warns', () => {
    expect(byAlias('legacy')).toMatchObject({ host: 'legacy.example.com', port: 22, user: 'root' });
    expect(byAlias('legacy')?.proxyJump).toBeUndefined();
    const w = result.warnings.find((x) => x.line === lineOf(CONFIG, 'ProxyCommand'));
    expect(w?.message.en).toMatch(/ProxyCommand is not supported.*ProxyJump/);
    expect(w?.message['zh-CN']).toMatch(/ProxyCommand/);
  });

  it('skips Match blocks with a warning: their settings apply to nobody', () => {
    expect(result.hosts.some((h) => h.user === 'matched' || h.port === 9999)).toBe(false);
    const w = result.warnings.find((x) => x.line === lineOf(CONFIG, 'Match host'));
    expect(w?.message.en).toMatch(/Match/);
  });

  it('turns an invalid HostName into a warning instead of a candidate', () => {
    const w = result.warnings.find((x) => x.line === lineOf(CONFIG, 'Host weird'));
    expect(w?.message.en).toContain('under_score.example.com');
    expect(w?.message['zh-CN']).toContain('未导入');
  });

  it('warns about an Include that cannot be read', () => {
    const w = result.warnings.find((x) => x.line === lineOf(CONFIG, 'missing.conf'));
    expect(w?.message.en).toContain(`${HOME}/.ssh/missing.conf`);
  });

  it('produces exactly these warnings', () => {
    expect(result.warnings.map((w) => w.line).sort((a, b) => a - b)).toEqual(
      [lineOf(CONFIG, 'missing.conf'), lineOf(CONFIG, 'ProxyCommand'), lineOf(CONFIG, 'Match host'), lineOf(CONFIG, 'Host weird')].sort(
        (a, b) => a - b,
      ),
    );
  });
});

describe('parseSshConfig details', () => {
  const parse = (text: string, readInclude?: (p: string) => string | undefined) =>
    parseSshConfig(text, { home: '/root', ...(readInclude ? { readInclude } : {}) });

  it('splits lines as ssh does', () => {
    expect(splitConfigLine('  HostName = "a b" c # note')).toEqual({ key: 'hostname', args: ['a b', 'c'] });
    expect(splitConfigLine('Port=2222')).toEqual({ key: 'port', args: ['2222'] });
    expect(splitConfigLine('   # only a comment')).toBeUndefined();
    expect(splitConfigLine('')).toBeUndefined();
  });

  it('applies global settings before any Host line and settings of Host * placed first', () => {
    const r = parse('User admin\nPort 2022\nHost a\n  User other\n  HostName 10.0.0.1\n');
    expect(r.hosts).toEqual([{ alias: 'a', host: '10.0.0.1', port: 2022, user: 'admin', line: 3 }]);
  });

  it('honours negated patterns', () => {
    const r = parse('Host * !b\n  User u1\nHost a b\n');
    expect(r.hosts.map((h) => [h.alias, h.user])).toEqual([
      ['a', 'u1'],
      ['b', undefined],
    ]);
  });

  it('treats ProxyJump none as no jump host, and the first of ProxyJump/ProxyCommand wins', () => {
    const r = parse(
      'Host a\n  HostName 10.0.0.1\n  ProxyJump none\nHost b\n  HostName 10.0.0.2\n  ProxyJump a\n  ProxyCommand nc %h %p\nHost *\n  ProxyJump j.example.com\n',
    );
    expect(r.hosts[0]?.proxyJump).toBeUndefined();
    expect(r.hosts[1]?.proxyJump).toEqual([{ host: '10.0.0.1', port: 22 }]);
    expect(r.warnings).toEqual([]);
  });

  it('follows a jump host that itself has a ProxyJump, and reports loops', () => {
    const r = parse(
      'Host a\n  HostName 10.0.0.1\n  ProxyJump b\nHost b\n  HostName 10.0.0.2\n  ProxyJump c\nHost c\n  HostName 10.0.0.3\n  User j\n',
    );
    expect(r.hosts[0]?.proxyJump).toEqual([
      { host: '10.0.0.3', port: 22, user: 'j' },
      { host: '10.0.0.2', port: 22 },
    ]);
    const loop = parse('Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n');
    expect(loop.hosts).toEqual([]);
    expect(loop.warnings.map((w) => w.message.en).join('\n')).toMatch(/loop/);
  });

  it('parses ssh:// and bracketed IPv6 hops', () => {
    const r = parse('Host a\n  HostName 10.0.0.1\n  ProxyJump ssh://ops@jump.example.com:2200,[fd00::1]:2022\n');
    expect(r.hosts[0]?.proxyJump).toEqual([
      { host: 'jump.example.com', port: 2200, user: 'ops' },
      { host: 'fd00::1', port: 2022 },
    ]);
  });

  it('warns about a bad port and a bad ProxyJump', () => {
    const r = parse('Host a\n  HostName 10.0.0.1\n  Port http\nHost b\n  HostName 10.0.0.2\n  ProxyJump user@:22\n');
    expect(r.hosts).toEqual([{ alias: 'a', host: '10.0.0.1', port: 22, line: 1 }]);
    expect(r.warnings.map((w) => w.line)).toEqual([3, 6, 4]);
  });

  it('keeps an Include inside a Host block conditional on that block, and restores it afterwards', () => {
    const included = 'User inc\nHost z\n  HostName 10.9.9.9\n';
    const r = parse('Host a\n  Include extra\n  HostName 10.0.0.1\nHost b\n  HostName 10.0.0.2\n', (p) =>
      p === '/root/.ssh/extra' ? included : undefined,
    );
    expect(r.hosts).toEqual([
      { alias: 'a', host: '10.0.0.1', port: 22, user: 'inc', line: 1 },
      { alias: 'b', host: '10.0.0.2', port: 22, line: 4 },
    ]);
    // "Host z" inside the file included from "Host a" can never match z (ssh's own rule).
    expect(r.warnings.map((w) => [w.line, /never applies/.test(w.message.en)])).toEqual([[2, true]]);
  });

  it('does not loop on a file that includes itself', () => {
    const r = parse('Include self\nHost a\n  HostName 10.0.0.1\n', () => 'Include self\n');
    expect(r.warnings.some((w) => /too deeply/.test(w.message.en))).toBe(true);
    expect(r.hosts).toHaveLength(1);
  });
});

describe('parseSshConfig reports what is not a node', () => {
  it('lists the wildcard and negated patterns of each Host line, with the Include line for an included file', () => {
    const r = parseSshConfig('Include extra\nHost a b*\n  HostName 10.0.0.1\nHost * !c\n  User u\n', {
      home: '/root',
      readInclude: (p) => (p === '/root/.ssh/extra' ? 'Host ?x\n  Port 2\n' : undefined),
    });
    expect(r.patterns).toEqual([
      { line: 1, patterns: ['?x'] },
      { line: 2, patterns: ['b*'] },
      { line: 4, patterns: ['*', '!c'] },
    ]);
    expect(r.hosts.map((h) => [h.alias, h.user])).toEqual([['a', 'u']]);
  });

  it('reads a config written every way at once: comments, Key=value, quotes, several aliases on one Host line', () => {
    const text = [
      '# a comment line',
      '   # an indented comment',
      'HOST=web1 "web 2" web3 # web4 is a comment',
      '  hostname="10.0.0.%h"',
      "  IdentityFile '~/keys/my key'",
      '  user = "ops"',
      'Host web3',
      '  HostName 10.0.0.3',
      'Match all',
      '  User skipped',
    ].join('\n');
    const r = parseSshConfig(text, { home: '/home/bob' });
    // "web 2" is one (quoted) pattern; %h in its HostName gives no valid address, so it is reported, not imported.
    expect(r.hosts.map((h) => [h.alias, h.host, h.user, h.identityFile])).toEqual([
      ['web1', '10.0.0.web1', 'ops', '/home/bob/keys/my key'],
      ['web3', '10.0.0.web3', 'ops', '/home/bob/keys/my key'],
    ]);
    expect(r.warnings.map((w) => [w.line, w.message.en.split(':')[0]])).toEqual([
      [9, 'Match blocks are not evaluated; the settings up to the next Host or Match line were skipped'],
      [3, 'web 2'],
    ]);
    expect(r.patterns).toEqual([]);
  });
});
