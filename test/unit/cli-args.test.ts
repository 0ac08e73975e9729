/**
 * The command lines of harbor-ha and serve (node:util's parseArgs, electron/core/cli/args.ts): what
 * they accept, and what they say when one is wrong: the option by name, never a value typed with
 * it, in the language --lang or the environment asks for.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/core/cli/args';
import { parseCliArgs } from '../../electron/core/cli/command-line';
import { parseServeArgs } from '../../electron/core/serve/cli';

/** Random-looking, so it occurs in no message by chance. */
const SECRET = 'Qz8Vw2Lk5Tn7Bx4R';
const EN = { LANG: 'en_US.UTF-8' };
const ZH = { LANG: 'zh_CN.UTF-8' };

/** The UsageError a command line gets, as printed: in the language it chose. */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return error.localized[error.locale];
  }
  throw new Error('the command line was accepted');
}

describe('harbor-ha command line', () => {
  it('reads every option, inline or as the next word', () => {
    expect(
      parseCliArgs(
        [
          'deploy',
          '--profile',
          'p.yaml',
          '--data-dir=/d',
          '--only',
          'config, install,,',
          '--nodes=n1,n2',
          '--existing-database',
          'reset',
          '--confirm-reset',
          'db.example',
          '--install-runtime',
          '--json',
          '--lang',
          'zh-CN',
        ],
        EN,
      ),
    ).toEqual({
      command: 'deploy',
      profile: 'p.yaml',
      dataDir: '/d',
      only: ['config', 'install'],
      nodes: ['n1', 'n2'],
      existingDatabase: 'reset',
      confirmReset: 'db.example',
      installRuntime: true,
      json: true,
      lang: 'zh-CN',
    });
    expect(parseCliArgs(['--resume', 'run-1', 'deploy'], EN)).toEqual({
      command: 'deploy',
      resume: 'run-1',
      installRuntime: false,
      json: false,
      lang: 'en',
    });
  });

  it.each([[], ['help'], ['--help'], ['plan', '-h'], ['plan', '--bogus', '--help']].map((argv) => ({ argv })))(
    'answers help for $argv',
    ({ argv }) => {
      expect(parseCliArgs(argv, EN)).toMatchObject({ command: 'help', lang: 'en' });
    },
  );

  it('answers help in the language asked for', () => {
    expect(parseCliArgs(['--help'], ZH).lang).toBe('zh-CN');
    expect(parseCliArgs(['--help', '--lang', 'en'], ZH).lang).toBe('en');
  });

  const UPGRADE = ['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz'];

  it.each<[string, string[], Record<string, unknown>]>([
    [
      'a backup folder and a retention count',
      ['backup', '--profile', 'p.yaml', '--to', '/backups', '--keep', '3'],
      { command: 'backup', to: '/backups', keep: 3 },
    ],
    [
      'the archive and the typed database host of a restore',
      ['restore', '--profile', 'p.yaml', '--from', '/b/a.tar.age', '--confirm-restore', 'rds.example'],
      { command: 'restore', from: '/b/a.tar.age', confirmRestore: 'rds.example' },
    ],
    [
      'an upgrade with its backup',
      [...UPGRADE, '--to', '/b'],
      { command: 'upgrade', harborVersion: '2.15.2', installer: 'i.tgz', to: '/b' },
    ],
    [
      'an upgrade with the reason to skip its backup',
      [...UPGRADE, '--skip-backup', 'taken an hour ago'],
      { skipBackup: 'taken an hour ago' },
    ],
    [
      'a rollback with the typed host',
      ['rollback', '--resume', 'RUN', '--confirm-restore', 'rds.example'],
      { command: 'rollback', resume: 'RUN', confirmRestore: 'rds.example' },
    ],
  ])('takes %s', (_, argv, expected) => {
    expect(parseCliArgs(argv, EN)).toMatchObject(expected);
  });

  const UNKNOWN_VAULT_PASSWORD = 'unknown option "--vault-password" (try --help)';
  const UPGRADE_NEEDS = 'upgrade needs --harbor-version X, --installer FILE, and --to DIR (the backup first) or --skip-backup REASON';

  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    // An unknown option is named, never the value typed with it.
    ['an unknown option with an inline value', ['plan', '--profile', 'p.yaml', `--vault-password=${SECRET}`], EN, UNKNOWN_VAULT_PASSWORD],
    ['an unknown option with the next word', ['plan', '--profile', 'p.yaml', '--vault-password', SECRET], EN, UNKNOWN_VAULT_PASSWORD],
    ['an unknown option before the command', ['--vault-password', SECRET, 'plan'], EN, UNKNOWN_VAULT_PASSWORD],
    ['an unknown short option', ['plan', '--profile', 'p.yaml', '-p'], EN, 'unknown option "-p" (try --help)'],
    // Which option lacks its value; an option is no value.
    ['an option at the end', ['plan', '--profile'], EN, '--profile needs a value'],
    ['an empty inline value', ['plan', '--profile='], EN, '--profile needs a value'],
    ['an option for a value', ['plan', '--profile', '--json'], EN, '--profile needs a value'],
    ['another option at the end', ['plan', '--profile', 'p.yaml', '--only'], EN, '--only needs a value'],
    // A value given to a flag, or a word nothing takes, is not printed.
    ['a value given to a flag', ['plan', '--profile', 'p.yaml', `--json=${SECRET}`], EN, '--json takes no value'],
    [
      'a word nothing takes',
      ['plan', '--profile', 'p.yaml', '--install-runtime', SECRET],
      EN,
      'unexpected argument at position 5 (options start with --, and a value follows its option; try --help)',
    ],
    // Its own checks: the command, the database mode, the profile.
    [
      'an unknown command',
      ['launch', '--profile', 'p.yaml'],
      EN,
      'unknown command "launch" (render, plan, deploy, verify, backup, restore, upgrade, rollback or rotate-cert)',
    ],
    [
      'no command',
      ['--profile', 'p.yaml'],
      EN,
      'which command? render, plan, deploy, verify, backup, restore, upgrade, rollback or rotate-cert (try --help)',
    ],
    [
      'an unknown database mode',
      ['deploy', '--profile', 'p.yaml', '--existing-database', 'drop'],
      EN,
      '--existing-database is refuse, adopt or reset, not "drop"',
    ],
    ['no profile', ['deploy'], EN, '--profile FILE is required'],
    // The maintenance commands' own options.
    ['a backup without its folder', ['backup', '--profile', 'p.yaml'], EN, 'backup needs --to DIR: the folder the archive is written to'],
    ...['0', '1001', '2.5', 'seven'].map((bad): [string, string[], NodeJS.ProcessEnv, string] => [
      `a retention count of ${bad}`,
      ['backup', '--profile', 'p.yaml', '--to', '/b', '--keep', bad],
      EN,
      `--keep is a whole number from 1 to 1000, not "${bad}"`,
    ]),
    ['a restore without its archive', ['restore', '--profile', 'p.yaml'], EN, 'restore needs --from FILE: the backup archive to restore'],
    ['an upgrade without a backup or the reason to skip it', UPGRADE, EN, UPGRADE_NEEDS],
    ['an upgrade with a backup and the reason to skip it', [...UPGRADE, '--to', '/b', '--skip-backup', 'both'], EN, UPGRADE_NEEDS],
    [
      'a rollback without the typed host',
      ['rollback', '--resume', 'RUN'],
      EN,
      'rollback needs --resume UPGRADE_RUN_ID and --confirm-restore HOST (the database host, typed again)',
    ],
    // In Chinese when --lang or the environment asks (LC_ALL before LC_MESSAGES before LANG).
    ['an unknown option, in Chinese', ['plan', `--vault-password=${SECRET}`], ZH, '未知选项“--vault-password”（参见 --help）'],
    ['LC_ALL before LANG', ['plan', '--profile'], { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }, '--profile 需要一个值'],
    ['LC_MESSAGES before LANG', ['plan', '--profile'], { LC_MESSAGES: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }, '--profile needs a value'],
    ['--lang before the environment', ['deploy', '--lang', 'zh-CN'], EN, '需要 --profile FILE'],
    [
      'an unknown command, in the language of --lang=',
      ['launch', '--lang=zh-CN'],
      EN,
      '未知命令“launch”（可用：render、plan、deploy、verify、backup、restore、upgrade、rollback、rotate-cert）',
    ],
  ])('refuses %s', (_, argv, env, message) => {
    expect(refusal(() => parseCliArgs(argv, env))).toBe(message);
  });
});

describe('serve command line', () => {
  it('reads --port and --host, inline or as the next word', () => {
    expect(parseServeArgs([], EN)).toEqual({ port: 0, host: '127.0.0.1', help: false });
    expect(parseServeArgs(['--port', '8080', '--host=::1'], EN)).toEqual({ port: 8080, host: '::1', help: false });
    expect(parseServeArgs(['-h'], EN).help).toBe(true);
  });

  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    ['an unknown option, never its value', [`--token=${SECRET}`], EN, 'unknown option "--token" (try --help)'],
    ['an option without its value', ['--host'], EN, '--host needs a value'],
    ['a port out of range', ['--port', '70000'], EN, '--port must be a number from 0 to 65535, not "70000"'],
    ['a negative port', ['--port=-1'], EN, '--port must be a number from 0 to 65535, not "-1"'],
    [
      'a word nothing takes, without printing it',
      [SECRET],
      EN,
      'unexpected argument at position 1 (options start with --, and a value follows its option; try --help)',
    ],
    ['an unknown option, in Chinese', ['--bogus'], ZH, '未知选项“--bogus”（参见 --help）'],
    ['a port that is no number, in Chinese', ['--port', 'x'], ZH, '--port 必须是 0 到 65535 之间的数字，而不是“x”'],
  ])('refuses %s', (_, argv, env, message) => {
    expect(refusal(() => parseServeArgs(argv, env))).toBe(message);
  });
});
