/**
 * harbor-ha (the built bundle, as a pipeline runs it) given a broken profile file that holds a
 * secret: it reports the line and column, exits 2, and prints no part of the secret — not in the
 * YAML parser's excerpt, not in V8's JSON.parse excerpt, not in a yaml warning on stderr, not in an
 * unknown option's value. Its usage messages are in the language the environment asks for.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'harbor-ha-cli-input-'));
/** Random-looking, so none of its 4-character pieces occurs in English text or a temp path. */
const SECRET = 'Xq7Zk9Wv3Jp5Rt8M';

const run = (args: string[]) =>
  runCli(args, { ...process.env, HARBOR_HA_VAULT_PASSPHRASE: 'cli input vault passphrase', LANG: 'en_US.UTF-8' });

function profileFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o600);
  return file;
}

/** No piece of the secret of 4 characters or more, in any case. */
function expectNoPartOfSecret(output: string): void {
  for (let i = 0; i + 4 <= SECRET.length; i++) expect(output, `"${SECRET.slice(i, i + 4)}" printed`).not.toContain(SECRET.slice(i, i + 4));
}

const plan = (file: string, ...more: string[]) => run(['plan', '--profile', file, '--data-dir', join(dir, 'data'), ...more]);

describe('harbor-ha with a broken profile file', () => {
  it.each([
    [
      'an unterminated quote',
      `name: lab\nharbor:\n  adminPassword:\n    value: "${SECRET}\n  version: 2.15.2\n`,
      /line 6, column 1 \(MISSING_CHAR\)/,
    ],
    ['a password read as an alias', `name: lab\nharbor:\n  adminPassword:\n    value: *${SECRET}\n`, /line 4, column 12 \(BAD_ALIAS\)/],
    [
      'a password read as a tag (a yaml warning)',
      `name: lab\nharbor:\n  adminPassword:\n    value: !${SECRET} x\n`,
      /line 4, column 12 \(TAG_RESOLVE_FAILED\)/,
    ],
    ['a reserved first character', `name: lab\nredis:\n  password: { value: @${SECRET} }\n`, /line 3, column 22 \(BAD_SCALAR_START\)/],
    [
      'a compact mapping in the value',
      `name: lab\nredis:\n  password:\n    value: ${SECRET}: ${SECRET}\n`,
      /line 4, column 12 \(BLOCK_AS_IMPLICIT_KEY\)/,
    ],
  ])('YAML with %s: line and column only', async (_what, text, where) => {
    const r = await plan(profileFile('bad.yaml', text));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^harbor-ha: .*bad\.yaml is not valid YAML at /);
    expect(r.stderr).toMatch(where);
    expectNoPartOfSecret(r.stdout + r.stderr);
  });

  it('JSON: line and column only (V8 quotes the text around the fault)', async () => {
    const text = `{\n  "name": "lab",\n  "redis": { "password": { "value": ${SECRET} } }\n}\n`;
    expect(() => JSON.parse(text)).toThrow(SECRET.slice(0, 4));
    const r = await plan(profileFile('bad.json', text));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json is not valid JSON at line 3, column 37\. The text there is not shown/);
    expectNoPartOfSecret(r.stdout + r.stderr);
  });

  it('says it in Chinese too', async () => {
    const r = await plan(profileFile('bad.yaml', `name: lab\nredis:\n  password: { value: @${SECRET} }\n`), '--lang', 'zh-CN');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml 不是有效的 YAML：第 3 行第 22 列有误（BAD_SCALAR_START）。为免泄露密钥，不显示该处内容。/);
    expectNoPartOfSecret(r.stderr);
  });

  it('names an unknown option without its value', async () => {
    const r = await plan(profileFile('p.yaml', 'name: lab\n'), `--vault-password=${SECRET}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('harbor-ha: unknown option "--vault-password" (try --help)\n');
  });

  it('speaks the language the environment asks for: usage errors and help', async () => {
    const zh = {
      ...process.env,
      HARBOR_HA_VAULT_PASSPHRASE: 'cli input vault passphrase',
      LC_ALL: '',
      LC_MESSAGES: '',
      LANG: 'zh_CN.UTF-8',
    };
    const bad = await runCli(['plan', '--profile', profileFile('p.yaml', 'name: lab\n'), '--vault-password', SECRET], zh);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('harbor-ha: 未知选项“--vault-password”（参见 --help）\n');
    const help = await runCli(['--help'], zh);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^用法：harbor-ha <render\|plan\|deploy\|verify\|backup\|restore\|upgrade\|rollback\|rotate-cert> --profile FILE/,
    );
  });
});
