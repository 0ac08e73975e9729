/**
 * The redactor masks a secret in every form it takes in what the app writes: as is, percent-encoded
 * (URL queries as ali-oss and URLSearchParams write them), JSON-escaped (log lines, journals),
 * single-quoted on a command line, and base64 at any alignment (Basic auth headers, `echo … | base64`).
 * Every occurrence, overlapping secrets whole. The real audit/run-log/transcript/CLI paths are in
 * test/ssh/redaction.test.ts and test/unit/cli-input.test.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as querystring } from 'node:querystring';
import { describe, expect, it } from 'vitest';
import { createLog, Redactor } from '../../electron/core/log';
import { commandLine } from '../../electron/core/ssh/quote';
import { StringMasker } from '../../electron/core/string-masker';

const MASK = '******';
/** Every character that some encoding changes: + / = space, quotes, backslash, %, &, non-ASCII, a line break. */
const HOSTILE = `Pw+/= "q'x\\y%&é\n9`;

function redactorWith(...secrets: (string | null | undefined)[]): Redactor {
  const r = new Redactor();
  for (const s of secrets) r.add(s);
  return r;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('Redactor', () => {
  it('masks every occurrence, not only the first', () => {
    const r = redactorWith('Sekr1t-Value');
    expect(r.redact('a Sekr1t-Value b Sekr1t-Value c Sekr1t-Value')).toBe(`a ${MASK} b ${MASK} c ${MASK}`);
    expect(r.redact('Sekr1t-ValueSekr1t-Value')).toBe(MASK + MASK);
    const enc = encodeURIComponent(HOSTILE);
    expect(redactorWith(HOSTILE).redact(`x=${enc}&y=${enc}&z=${enc}`)).toBe(`x=${MASK}&y=${MASK}&z=${MASK}`);
  });

  it('masks the percent-encoded forms: a query string as Node/ali-oss and as URLSearchParams write it', () => {
    const signature = 'k2Z+/abc9Qz8vWm1nT0pXyR7u4E=';
    const r = redactorWith(signature);
    // ali-oss builds the signed URL with Node's querystring (encodeURIComponent's set).
    const oss = `http://b.oss-cn-x-internal.aliyuncs.com/i.tgz?${querystring({ OSSAccessKeyId: 'AK', Expires: 1, Signature: signature })}`;
    expect(oss).not.toContain(signature);
    expect(r.redact(`curl -fsSL -o /tmp/i '${oss}'`)).toBe(
      `curl -fsSL -o /tmp/i 'http://b.oss-cn-x-internal.aliyuncs.com/i.tgz?OSSAccessKeyId=AK&Expires=1&Signature=${MASK}'`,
    );
    const url = new URL('https://h.example/p');
    url.searchParams.set('password', HOSTILE);
    url.searchParams.set('again', HOSTILE);
    expect(redactorWith(HOSTILE).redact(url.href)).toBe(`https://h.example/p?password=${MASK}&again=${MASK}`);
    expect(redactorWith(HOSTILE).redact(`redis://:${encodeURIComponent(HOSTILE)}@r:6379/0`)).toBe(`redis://:${MASK}@r:6379/0`);
  });

  it('masks the JSON-escaped form, as in a JSON log line or a journal', () => {
    const line = JSON.stringify({ message: `login with ${HOSTILE} failed`, again: HOSTILE });
    const out = redactorWith(HOSTILE).redact(line);
    expect(JSON.parse(out)).toEqual({ message: `login with ${MASK} failed`, again: MASK });
    expect(out).not.toContain("q'x");
  });

  it('masks the form a secret takes inside a single-quoted word of a command line', () => {
    const line = commandLine(['mysql', '-uroot', `--password=${HOSTILE}`, '-e', 'select 1']);
    expect(line).not.toContain(HOSTILE);
    expect(redactorWith(HOSTILE).redact(line)).toBe(`mysql -uroot '--password=${MASK}' -e 'select 1'`);
    // percent-encoded in a URL: encodeURIComponent keeps ' as it is, and the shell quoting escapes it
    const curl = commandLine(['curl', `https://h.example/?p=${encodeURIComponent(HOSTILE)}`]);
    expect(redactorWith(HOSTILE).redact(curl)).toBe(`curl 'https://h.example/?p=${MASK}'`);
    // and that command line inside a JSON audit entry
    expect(redactorWith(HOSTILE).redact(JSON.stringify({ command: line }))).toBe(
      JSON.stringify({ command: `mysql -uroot '--password=${MASK}' -e 'select 1'` }),
    );
  });

  it('masks base64 at every alignment, leaving at most the boundary characters', () => {
    for (const secret of [HOSTILE, 'Redis-Pw-2024!', 'abcd']) {
      const r = redactorWith(secret);
      // Basic auth (user:password), `echo user:password | base64` (a line break after), the secret alone.
      for (const prefix of ['', ':', 'a:', 'ab:', 'abc:', 'admin:', 'robot$ci+deploy:'])
        for (const suffix of ['', '\n', 'more after it']) {
          const encoded = b64(prefix + secret + suffix);
          const out = r.redact(`Authorization: Basic ${encoded}`);
          expect(out, `${JSON.stringify(prefix)} ${JSON.stringify(suffix)}`).toContain(MASK);
          const [left, right] = out.slice('Authorization: Basic '.length).split(MASK) as [string, string];
          // What stays visible holds the prefix's and suffix's bits and at most one character mixing them with the secret's.
          expect(left.length).toBeLessThanOrEqual(Math.ceil((Buffer.byteLength(prefix) * 4) / 3));
          expect(right.replace(/=+$/, '').length).toBeLessThanOrEqual(1 + Math.ceil((Buffer.byteLength(suffix) * 4) / 3));
        }
      expect(r.redact(Buffer.from(`x${secret}`).toString('base64url'))).toContain(MASK);
      expect(r.redact(Buffer.from(secret).toString('base64url'))).toBe(MASK);
      expect(r.redact(b64(secret))).toBe(MASK);
    }
  });

  it('masks overlapping secrets whole, and forgets a deleted one', () => {
    const r = redactorWith('abcdefgh', 'efghijkl', 'cdef');
    expect(r.redact('..abcdefghijkl..')).toBe(`..${MASK}..`);
    expect(r.redact('..cdef..abcdefgh..')).toBe(`..${MASK}..${MASK}..`);
    r.delete('cdef');
    expect(r.redact('..cdef..')).toBe('..cdef..');
  });

  it('leaves values shorter than 4 characters alone and survives any input', () => {
    const r = redactorWith('abc', '', null, undefined);
    expect(r.redact('abc abc')).toBe('abc abc');
    const lone = '\ud800lone-surrogate';
    r.add(lone);
    expect(r.redact(`x${lone}x`)).toBe(`x${MASK}x`);
    expect(r.redact('')).toBe('');
    expect(r.redact('abc')).toBe('abc');
  });

  it('writes no form of a secret to the app log (each line is JSON)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'redactor-')), 'logs', 'app.log');
    const redactor = redactorWith(HOSTILE);
    const log = createLog({ file, redactor });
    log.error(
      `connect failed for ${HOSTILE}`,
      new Error(`auth ${HOSTILE} refused; url ${encodeURIComponent(HOSTILE)}; basic ${b64(`admin:${HOSTILE}`)}`),
    );
    log.warn('detail object', { password: HOSTILE });
    const text = readFileSync(file, 'utf8');
    for (const form of [HOSTILE, JSON.stringify(HOSTILE).slice(1, -1), encodeURIComponent(HOSTILE), "q'x", "q\\\\'x"])
      expect(text).not.toContain(form);
    const [first, second] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string; detail: string });
    expect(first!.message).toBe(`connect failed for ${MASK}`);
    expect(first!.detail).toMatch(/^Error: auth \*{6} refused; url \*{6}; basic YWRtaW46\*{6}/);
    // util.inspect quotes and escapes a string its own way
    expect(second!.detail).toMatch(/^\{ password: (.)\*{6}\1 \}$/);
  });
});

describe('StringMasker', () => {
  /** The obvious algorithm: every occurrence of every string, overlapping ones merged. */
  function naive(text: string, strings: readonly string[], replacement: string): string {
    const spans: [number, number][] = [];
    for (const s of strings)
      if (s.length >= 4) for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) spans.push([i, i + s.length]);
    if (!spans.length) return text;
    spans.sort((a, b) => a[0] - b[0]);
    let out = '';
    let at = 0;
    let [start, end] = spans[0]!;
    for (const [s, e] of spans) {
      if (s < end) end = Math.max(end, e);
      else {
        out += text.slice(at, start) + replacement;
        at = end;
        [start, end] = [s, e];
      }
    }
    return out + text.slice(at, start) + replacement + text.slice(end);
  }

  it('agrees with the obvious algorithm on random texts (overlaps, repeats, strings of every length)', () => {
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = 'ab%2+é';
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let round = 0; round < 2000; round++) {
      const strings = Array.from({ length: 1 + rnd(6) }, () => word(1 + rnd(12)));
      const text = Array.from({ length: rnd(8) }, () => (rnd(2) ? strings[rnd(strings.length)]! : word(rnd(10)))).join('');
      expect(new StringMasker(strings).mask(text, '#'), JSON.stringify({ strings, text })).toBe(naive(text, strings, '#'));
    }
  });

  it('tells apart characters that share their low byte (the scan hashes one byte per UTF-16 unit)', () => {
    let seed = 777;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    // i and ĩ (U+0169) share their low byte, as do - and 中 (U+4E2D); 𝒊 is a surrogate pair.
    const alphabet = ['i', '\u0169', '-', '\u4e2d', '\u{1d48a}'];
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let round = 0; round < 2000; round++) {
      const strings = Array.from({ length: 1 + rnd(4) }, () => word(2 + rnd(8)));
      const text = Array.from({ length: rnd(8) }, () => (rnd(2) ? strings[rnd(strings.length)]! : word(rnd(10)))).join('');
      expect(new StringMasker(strings).mask(text, '#'), JSON.stringify({ strings, text })).toBe(naive(text, strings, '#'));
    }
    expect(new StringMasker(['\u0169\u0169\u0169\u0169']).mask('iiii \u0169\u0169\u0169\u0169', '#')).toBe('iiii #');
  });
});
