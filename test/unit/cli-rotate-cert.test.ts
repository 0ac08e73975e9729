/** `harbor-ha rotate-cert`: what its command line takes, and what it refuses, in both languages. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/core/cli/args';
import { parseCliArgs } from '../../electron/core/cli/command-line';
import { USAGE } from '../../electron/core/cli/usage';

const EN = { LANG: 'en_US.UTF-8' };
const ZH = { LANG: 'zh_CN.UTF-8' };

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return error.localized[error.locale];
  }
  throw new Error('the command line was accepted');
}

describe('harbor-ha rotate-cert', () => {
  it('takes the new certificate and its key as files, or neither (the profile holds them)', () => {
    expect(parseCliArgs(['rotate-cert', '--profile', 'p.json', '--cert', 'new.crt', '--key', 'new.key'], EN)).toMatchObject({
      command: 'rotate-cert',
      profile: 'p.json',
      cert: 'new.crt',
      key: 'new.key',
    });
    const bare = parseCliArgs(['rotate-cert', '--profile', 'p.json'], EN);
    expect(bare.command).toBe('rotate-cert');
    expect(bare).not.toHaveProperty('cert');
    expect(parseCliArgs(['rotate-cert', '--resume', '20260101T000000Z-abcdef'], EN)).toMatchObject({ resume: '20260101T000000Z-abcdef' });
  });

  it('refuses a key without its certificate, in the language asked for', () => {
    expect(refusal(() => parseCliArgs(['rotate-cert', '--profile', 'p.json', '--key', 'k.pem'], EN))).toBe(
      'rotate-cert takes --key with the --cert it belongs to',
    );
    expect(refusal(() => parseCliArgs(['rotate-cert', '--profile', 'p.json', '--key', 'k.pem'], ZH))).toBe(
      'rotate-cert 的 --key 必须与其对应的 --cert 一起使用',
    );
  });

  it('is in the usage in both languages', () => {
    expect(USAGE.en).toMatch(/\n {2}rotate-cert {2}put the certificate of --cert FILE/);
    expect(USAGE.en).toContain('--key FILE                  rotate-cert: its private key');
    expect(USAGE['zh-CN']).toMatch(/\n {2}rotate-cert {2}把 --cert FILE 的证书/);
  });
});
