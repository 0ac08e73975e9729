/**
 * The edges of the redactor and of quoting that whole-text tests miss: an occurrence in the text's last window, a
 * secret of one repeated character, overlapping secrets found out of order, a plain-word secret that must not mask
 * less than itself, base64url at each alignment, the app log's levels and files, and quoted arguments read back by a
 * real shell.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createLog, Redactor } from '../../electron/core/log';
import { and, commandLine, quote, shScript } from '../../electron/core/ssh/quote';
import { StringMasker } from '../../electron/core/string-masker';

const MASK = '******';
const dir = mkdtempSync(join(tmpdir(), 'redactor-edges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('StringMasker edges', () => {
  it('finds an occurrence that ends the text, in its last window', () => {
    expect(new StringMasker(['abcd']).mask('xyzabcd', '#')).toBe('xyz#');
    expect(new StringMasker(['abcdefgh']).mask('0123456abcdefgh', '#')).toBe('0123456#');
  });

  it('masks a secret of one repeated character exactly where it is', () => {
    expect(new StringMasker(['aaaaaaaa']).mask('aaaaaaaa', '#')).toBe('#');
    expect(new StringMasker(['aaaaaaaa']).mask('xaaaaaaaay', '#')).toBe('x#y');
    expect(new StringMasker(['aaaaaaaa']).mask('aaaaaaa', '#')).toBe('aaaaaaa');
  });

  it('merges overlapping occurrences that the scan finds out of order', () => {
    // Both are found at the same looked-at window, the later-starting one first (it was given first).
    expect(new StringMasker(['bcdefg', 'abcdef']).mask('xabcdefg', '#')).toBe('x#');
    expect(new StringMasker(['bcdefg', 'abcdef']).mask('xabcdefgy abcdef', '#')).toBe('x#y #');
  });

  it('never masks strings shorter than four characters, also next to longer ones', () => {
    expect(new StringMasker(['ab', 'abc']).mask('ab abc', '#')).toBe('ab abc');
    expect(new StringMasker(['ab', 'abcdef']).mask('ab abcdef', '#')).toBe('ab #');
  });
});

describe('secret forms', () => {
  it('a secret that needs no quoting masks itself, not a part of itself', () => {
    const r = new Redactor();
    r.add('abcdefgh');
    expect(r.redact('bcdefg abcdefg')).toBe('bcdefg abcdefg');
    expect(r.redact("'abcdefgh'")).toBe(`'${MASK}'`);
  });

  it('masks standard base64 at every byte alignment too, with its own + and /', () => {
    const secret = 'ûÿ?>ûÿ?>~~';
    const r = new Redactor();
    r.add(secret);
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}${secret}`, 'utf8').toString('base64');
      expect(encoded).toMatch(/[+/]/);
      expect(r.redact(`Basic ${encoded}`), prefix).toContain(MASK);
    }
  });

  it('masks base64url at every byte alignment, where it differs from base64', () => {
    // 0xfb 0xff bytes encode to "+" and "/" in base64, "-" and "_" in base64url.
    const secret = 'ûÿ?>ûÿ?>~~';
    const r = new Redactor();
    r.add(secret);
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}${secret}`, 'utf8').toString('base64url');
      expect(encoded).toMatch(/[-_]/);
      const out = r.redact(`token=${encoded}`);
      expect(out, prefix).toContain(MASK);
      // at most one character of the secret's bits shows on each side of the mask
      expect(out.replace(/^token=/, '').replace(MASK, '').length, prefix).toBeLessThanOrEqual(
        Buffer.from(prefix).toString('base64url').length + 2,
      );
    }
  });

  it('forgets nothing when the same secret is added twice, and a deleted one is shown again', () => {
    const r = new Redactor();
    r.add('Sekr1t-Value');
    r.add('Sekr1t-Value');
    expect(r.redact('Sekr1t-Value')).toBe(MASK);
    r.delete('Sekr1t-Value');
    expect(r.redact('Sekr1t-Value')).toBe('Sekr1t-Value');
  });
});

describe('the app log', () => {
  afterEach(() => vi.restoreAllMocks());
  const read = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { time: string; level: string; message: string; detail?: string });

  it('writes one JSON line per entry at or above its level, in a private file in a private folder', () => {
    const file = join(dir, 'logs-a', 'app.log');
    const log = createLog({ file, redactor: new Redactor() });
    log.debug('not at info');
    log.info('i');
    log.warn('w', 'a string detail');
    log.error('e', { n: 1, nested: { deep: [1, 2] } });
    const lines = read(file);
    expect(lines.map((l) => [l.level, l.message, l.detail])).toEqual([
      ['info', 'i', undefined],
      ['warn', 'w', 'a string detail'],
      ['error', 'e', '{ n: 1, nested: { deep: [ 1, 2 ] } }'],
    ]);
    expect(Number.isNaN(Date.parse(lines[0]!.time))).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs-a')).mode & 0o777).toBe(0o700);
    // Details are described four levels deep, and a flat one on one line however long.
    log.error('deep', { a: { b: { c: { d: { e: 1 } } } } });
    log.error('long', { n: 1, long: 'y'.repeat(90) });
    const [deep, long] = read(file).slice(-2);
    expect(deep!.detail).toContain('{ d: { e: 1 } }');
    expect(long!.detail).toBe(`{ n: 1, long: '${'y'.repeat(90)}' }`);
  });

  it('honours the minimum level in both directions', () => {
    const file = join(dir, 'logs-b', 'app.log');
    const log = createLog({ file, redactor: new Redactor(), minLevel: 'debug' });
    log.debug('d');
    const warnOnly = createLog({ file, redactor: new Redactor(), minLevel: 'warn' });
    warnOnly.info('dropped');
    warnOnly.warn('kept');
    expect(read(file).map((l) => `${l.level}:${l.message}`)).toEqual(['debug:d', 'warn:kept']);
  });

  it('describes an Error by its stack, or its name and message when it has none; the secret in either is masked', () => {
    const file = join(dir, 'logs-c', 'app.log');
    const redactor = new Redactor();
    redactor.add('Sekr1t-Value');
    const log = createLog({ file, redactor });
    log.error('with stack', new Error('failed with Sekr1t-Value'));
    const bare = new TypeError('bare Sekr1t-Value');
    bare.stack = undefined;
    log.error('without', bare);
    const [a, b] = read(file);
    expect(a!.detail).toMatch(/^Error: failed with \*{6}\n\s+at /);
    expect(b!.detail).toBe(`TypeError: bare ${MASK}`);
    expect(readFileSync(file, 'utf8')).not.toContain('Sekr1t');
  });

  it('writes to stderr without a file, and also with one when asked to echo', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    createLog({ redactor: new Redactor() }).info('to stderr');
    const file = join(dir, 'logs-d', 'app.log');
    createLog({ file, redactor: new Redactor() }).info('file only');
    createLog({ file, redactor: new Redactor(), echo: true }).info('both');
    expect(written.map((w) => (JSON.parse(w) as { message: string }).message)).toEqual(['to stderr', 'both']);
    expect(written.every((w) => w.endsWith('}\n'))).toBe(true);
    expect(read(file).map((l) => l.message)).toEqual(['file only', 'both']);
  });
});

describe('quoting read back by a real shell', () => {
  const hostile = ['', ' ', "it's", '"$HOME"', '$(id)', '`id`', 'a\\b', '*', '-n', 'x\ny', "''", 'é中', 'A=B', '!', ';|&<>'];
  const sh = (line: string) => spawnSync('sh', ['-c', line], { encoding: 'utf8' });

  it('every argument arrives byte for byte, one argument each', () => {
    const r = sh(commandLine(['printf', '%s\\0', ...hostile]));
    expect(r.status).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(hostile);
    for (const a of hostile) expect(sh(`printf %s ${quote(a)}`).stdout).toBe(a);
  });

  it('shScript passes its arguments as positional parameters, and and() runs the second only after the first', () => {
    const r = sh(shScript('printf "%s|" "$@"', hostile));
    expect(r.stdout).toBe(hostile.map((a) => `${a}|`).join(''));
    expect(shScript('true')).toBe('sh -c true sh');
    expect(sh(and('false', 'printf ran')).stdout).toBe('');
    expect(sh(and('true', 'printf ran', 'printf " again"')).stdout).toBe('ran again');
    expect(() => commandLine([])).toThrow('commandLine: empty argument vector');
  });
});
