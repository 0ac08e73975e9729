/** Include with a glob, read from real folders the way ssh reads them (profiles.importSshConfig on the core's machine). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSshConfig } from '../../electron/core/profiles/config-imports';
import { expandIncludePattern } from '../../electron/core/profiles/ssh-include-files';

let home: string;
const host = (alias: string, address: string) => `Host ${alias}\n  HostName ${address}\n`;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'harbor-include-'));
  const d = join(home, '.ssh', 'config.d');
  mkdirSync(join(d, 'sub.conf'), { recursive: true });
  writeFileSync(join(d, 'b.conf'), host('beta', '10.0.0.2'));
  writeFileSync(join(d, 'a.conf'), host('alpha', '10.0.0.1'));
  writeFileSync(join(d, '.hidden.conf'), host('hidden', '10.0.0.9'));
  writeFileSync(join(d, 'notes.txt'), host('notes', '10.0.0.8'));
  mkdirSync(join(home, '.ssh', 'teams', 'ops'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'teams', 'ops', 'hosts'), host('ops-1', '10.0.1.1'));
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('Include with a glob in ~/.ssh/config', () => {
  it('reads every matching file in lexical order, skipping hidden files, folders and non-matching names', () => {
    const r = importSshConfig('Include config.d/*.conf\nHost *\n  User ops\n', home);
    expect(r.hosts.map((h) => [h.alias, h.host, h.user])).toEqual([
      ['alpha', '10.0.0.1', 'ops'],
      ['beta', '10.0.0.2', 'ops'],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('matches ?, [...] and [!...], and wildcards in a folder name', () => {
    expect(expandIncludePattern(join(home, '.ssh', 'config.d', '?.conf')).map((p) => p.slice(home.length))).toEqual([
      '/.ssh/config.d/a.conf',
      '/.ssh/config.d/b.conf',
    ]);
    expect(expandIncludePattern(join(home, '.ssh', 'config.d', '[!a]*')).map((p) => p.slice(home.length))).toEqual([
      '/.ssh/config.d/b.conf',
      '/.ssh/config.d/notes.txt',
    ]);
    expect(expandIncludePattern(join(home, '.ssh', 'config.d', '.*.conf')).map((p) => p.slice(home.length))).toEqual([
      '/.ssh/config.d/.hidden.conf',
    ]);
    const r = importSshConfig('Include ~/.ssh/teams/*/hosts\n', home);
    expect(r.hosts.map((h) => h.alias)).toEqual(['ops-1']);
  });

  it('still reports a glob that matches nothing', () => {
    const r = importSshConfig('Include config.d/*.yaml\nHost x\n  HostName 10.0.0.3\n', home);
    expect(r.hosts.map((h) => h.alias)).toEqual(['x']);
    expect(r.warnings.map((w) => [w.line, w.message.en])).toEqual([
      [1, `Include ${home}/.ssh/config.d/*.yaml: no file matched (or globs cannot be expanded here); skipped`],
    ]);
  });
});
