/**
 * Errors about text that may hold secrets say where, never what: importing a broken harbor.yml or
 * harbor.cfg through the API (what the renderer calls) names the line, never the value; the JSON
 * locator that stands in for V8's excerpt agrees with JSON.parse.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { jsonErrorOffset, parseJson, parseYaml, positionAt, TextSyntaxError } from '../../electron/core/text-syntax';
import { testCore } from '../helpers/core';

/** Random-looking, so none of its 4-character pieces occurs in an ordinary message. */
const SECRET = 'Xq7Zk9Wv3Jp5Rt8M';

function expectNoPartOfSecret(text: string): void {
  for (let i = 0; i + 4 <= SECRET.length; i++) expect(text, `"${SECRET.slice(i, i + 4)}" shown`).not.toContain(SECRET.slice(i, i + 4));
}

describe('importing a broken Harbor config (profiles.importHarborConfig)', () => {
  const core = testCore();
  afterAll(() => core.close());
  /** The error exactly as it travels to the renderer. */
  const importError = async (fileName: string, content: string) => {
    const env = await core.dispatcher.call('profiles.importHarborConfig', { fileName, content }, { transport: 'websocket' });
    if (env.ok) throw new Error('imported');
    return env.error;
  };

  it.each([
    [
      'harbor.yml',
      'a password read as an alias',
      `hostname: reg.example.com\nharbor_admin_password: *${SECRET}\n`,
      /harbor\.yml line 2, column 24: not valid YAML \(BAD_ALIAS\)/,
    ],
    [
      'harbor.yml',
      'a password read as a tag',
      `hostname: reg.example.com\nexternal_redis:\n  host: r:6379\n  password: !${SECRET} x\n`,
      /harbor\.yml line 4, column 13: not valid YAML \(TAG_RESOLVE_FAILED\)/,
    ],
    [
      'harbor.yml',
      'a password read as a block scalar header',
      `hostname: reg.example.com\ndatabase:\n  password: |${SECRET}\n`,
      /harbor\.yml line 3, column 14: not valid YAML \(UNEXPECTED_TOKEN\)/,
    ],
    [
      'harbor.cfg',
      'a Redis URL with the password in it',
      `hostname = reg.example.com\nredis_url = redis://:${SECRET}@r.example.com:6379\n`,
      /harbor\.cfg line 2: redis_url must be host:port/,
    ],
    [
      'harbor.cfg',
      'one item too many before the password',
      `hostname = reg.example.com\nredis_url = r.example.com:6379,100,default,${SECRET}\n`,
      /harbor\.cfg line 2: the database index in redis_url/,
    ],
  ])('%s with %s: the line, not the value', async (fileName, _what, content, where) => {
    const error = await importError(fileName, content);
    expect(error.code).toBe('invalid_input');
    expect(error.message.en).toMatch(where);
    expectNoPartOfSecret(JSON.stringify(error));
  });
});

describe('text-syntax', () => {
  it('gives line and column, counting from 1', () => {
    expect(positionAt('ab\ncd\n\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt('ab\ncd\n\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\ncd\n\nef', 7)).toEqual({ line: 4, column: 1 });
    expect(positionAt('ab', 99)).toEqual({ line: 1, column: 3 });
  });

  it('fails without quoting the text, for JSON and YAML', () => {
    const json = `{"a": 1,\n "password": ${SECRET}}`;
    const e = (() => {
      try {
        parseJson(json);
      } catch (x) {
        return x as TextSyntaxError;
      }
      throw new Error('parsed');
    })();
    expect(e).toBeInstanceOf(TextSyntaxError);
    expect(e.at).toEqual({ line: 2, column: 14 });
    expect(e.message).toBe('not valid JSON at line 2, column 14');
    expect(parseJson('{"a": [1, "x"]}')).toEqual({ a: [1, 'x'] });
    expect(() => parseYaml(`a: &x 1\nb: *y${SECRET}\n`)).toThrow(/^not valid YAML at line 2, column 4 \(BAD_ALIAS\)$/);
    expect(parseYaml('a: &x [1]\nb: *x\n')).toEqual({ a: [1], b: [1] });
  });

  it('locates JSON errors where JSON.parse fails, and only there (random edits of random documents)', () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const value = (depth: number): unknown => {
      const k = rnd(depth > 3 ? 4 : 6);
      if (k === 0) return rnd(1000) - 500;
      if (k === 1) return ['a"b', 'x\\y', 'é\n\u0001', 'plain', '\ud83d\ude00'][rnd(5)];
      if (k === 2) return [true, false, null, 1.5e-7, -0.25][rnd(5)];
      if (k === 3) return 'str';
      if (k === 4) return Array.from({ length: rnd(4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, (_, i) => [`k${i}`, value(depth + 1)]));
    };
    const chars = '{}[]",:0-9 e.+\\tunlfaE\u0001\n';
    let located = 0;
    for (let round = 0; round < 5000; round++) {
      let text = JSON.stringify(value(0), null, rnd(2) ? 2 : undefined);
      const at = rnd(text.length + 1);
      const c = chars[rnd(chars.length)]!;
      const edit = rnd(3);
      text =
        edit === 0
          ? text.slice(0, at) + text.slice(at + 1)
          : edit === 1
            ? text.slice(0, at) + c + text.slice(at)
            : text.slice(0, at) + c + text.slice(at + 1);
      let message: string | null = null;
      try {
        JSON.parse(text);
      } catch (error) {
        message = (error as Error).message;
      }
      const offset = jsonErrorOffset(text);
      expect(offset === -1, JSON.stringify(text)).toBe(message === null);
      // Where V8 names a position, ours is the start of the same token, at most a few characters before.
      const v8 = message && / at position (\d+)/.exec(message);
      if (v8) {
        expect(offset, JSON.stringify(text)).toBeLessThanOrEqual(Number(v8[1]));
        expect(Number(v8[1]) - offset, JSON.stringify(text)).toBeLessThanOrEqual(5);
        located++;
      }
    }
    expect(located).toBeGreaterThan(1000);
  });

  it('survives deep nesting', () => {
    expect(jsonErrorOffset('['.repeat(200_000) + ']'.repeat(200_000))).toBe(-1);
    expect(jsonErrorOffset('['.repeat(200_000))).toBe(200_000);
  });
});
