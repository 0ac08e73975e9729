/**
 * The command lines of harbor-ha and serve (node:util's parseArgs, electron/core/cli/args.ts): what
 * they accept, and what they say when one is wrong: the option by name, never a value typed with
 * it, in the language --lang or the environment asks for.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/core/cli/args';
import { parseCliArgs } from '../../electron/core/cli/harbor-ha';
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

  it('answers help for nothing, help, --help and -h, in the language asked for', () => {
    for (const argv of [[], ['help'], ['--help'], ['plan', '-h'], ['plan', '--bogus', '--help']]) {
      expect(parseCliArgs(argv, EN), argv.join(' ')).toMatchObject({ command: 'help', lang: 'en' });
    }
    expect(parseCliArgs(['--help'], ZH).lang).toBe('zh-CN');
    expect(parseCliArgs(['--help', '--lang', 'en'], ZH).lang).toBe('en');
  });

  it('names an unknown option, never the value typed with it', () => {
    expect(refusal(() => parseCliArgs(['plan', '--profile', 'p.yaml', `--vault-password=${SECRET}`], EN))).toBe(
      'unknown option "--vault-password" (try --help)',
    );
    expect(refusal(() => parseCliArgs(['plan', '--profile', 'p.yaml', '--vault-password', SECRET], EN))).toBe(
      'unknown option "--vault-password" (try --help)',
    );
    expect(refusal(() => parseCliArgs(['--vault-password', SECRET, 'plan'], EN))).toBe('unknown option "--vault-password" (try --help)');
    expect(refusal(() => parseCliArgs(['plan', '--profile', 'p.yaml', '-p'], EN))).toBe('unknown option "-p" (try --help)');
  });

  it('says which option lacks its value, and takes no option for a value', () => {
    for (const argv of [
      ['plan', '--profile'],
      ['plan', '--profile='],
      ['plan', '--profile', '--json'],
    ]) {
      expect(
        refusal(() => parseCliArgs(argv, EN)),
        argv.join(' '),
      ).toBe('--profile needs a value');
    }
    expect(refusal(() => parseCliArgs(['plan', '--profile', 'p.yaml', '--only'], EN))).toBe('--only needs a value');
  });

  it('refuses a value given to a flag, or a word nothing takes, without printing it', () => {
    expect(refusal(() => parseCliArgs(['plan', '--profile', 'p.yaml', `--json=${SECRET}`], EN))).toBe('--json takes no value');
    const extra = refusal(() => parseCliArgs(['plan', '--profile', 'p.yaml', '--install-runtime', SECRET], EN));
    expect(extra).toBe('unexpected argument at position 5 (options start with --, and a value follows its option; try --help)');
  });

  it('keeps its own checks: the command, the database mode, the profile', () => {
    expect(refusal(() => parseCliArgs(['launch', '--profile', 'p.yaml'], EN))).toBe(
      'unknown command "launch" (render, plan, deploy, verify, backup, restore, upgrade, rollback or rotate-cert)',
    );
    expect(refusal(() => parseCliArgs(['--profile', 'p.yaml'], EN))).toBe(
      'which command? render, plan, deploy, verify, backup, restore, upgrade, rollback or rotate-cert (try --help)',
    );
    expect(refusal(() => parseCliArgs(['deploy', '--profile', 'p.yaml', '--existing-database', 'drop'], EN))).toBe(
      '--existing-database is refuse, adopt or reset, not "drop"',
    );
    expect(refusal(() => parseCliArgs(['deploy'], EN))).toBe('--profile FILE is required');
  });

  it('takes a backup folder and a retention count, refusing a count that is no whole number in range', () => {
    expect(parseCliArgs(['backup', '--profile', 'p.yaml', '--to', '/backups', '--keep', '3'], EN)).toMatchObject({
      command: 'backup',
      to: '/backups',
      keep: 3,
    });
    expect(refusal(() => parseCliArgs(['backup', '--profile', 'p.yaml'], EN))).toBe(
      'backup needs --to DIR: the folder the archive is written to',
    );
    for (const bad of ['0', '1001', '2.5', 'seven'])
      expect(refusal(() => parseCliArgs(['backup', '--profile', 'p.yaml', '--to', '/b', '--keep', bad], EN))).toBe(
        `--keep is a whole number from 1 to 1000, not "${bad}"`,
      );
  });

  it('takes the archive and the typed database host of a restore, and needs the archive', () => {
    expect(
      parseCliArgs(['restore', '--profile', 'p.yaml', '--from', '/b/a.tar.age', '--confirm-restore', 'rds.example'], EN),
    ).toMatchObject({
      command: 'restore',
      from: '/b/a.tar.age',
      confirmRestore: 'rds.example',
    });
    expect(refusal(() => parseCliArgs(['restore', '--profile', 'p.yaml'], EN))).toBe(
      'restore needs --from FILE: the backup archive to restore',
    );
  });

  it('takes an upgrade with its backup or the reason to skip it, and a rollback with the typed host', () => {
    expect(
      parseCliArgs(['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz', '--to', '/b'], EN),
    ).toMatchObject({ command: 'upgrade', harborVersion: '2.15.2', installer: 'i.tgz', to: '/b' });
    expect(
      parseCliArgs(
        ['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz', '--skip-backup', 'taken an hour ago'],
        EN,
      ),
    ).toMatchObject({ skipBackup: 'taken an hour ago' });
    const needs = 'upgrade needs --harbor-version X, --installer FILE, and --to DIR (the backup first) or --skip-backup REASON';
    expect(refusal(() => parseCliArgs(['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz'], EN))).toBe(
      needs,
    );
    expect(
      refusal(() =>
        parseCliArgs(
          ['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz', '--to', '/b', '--skip-backup', 'both'],
          EN,
        ),
      ),
    ).toBe(needs);
    expect(parseCliArgs(['rollback', '--resume', 'RUN', '--confirm-restore', 'rds.example'], EN)).toMatchObject({
      command: 'rollback',
      resume: 'RUN',
      confirmRestore: 'rds.example',
    });
    expect(refusal(() => parseCliArgs(['rollback', '--resume', 'RUN'], EN))).toBe(
      'rollback needs --resume UPGRADE_RUN_ID and --confirm-restore HOST (the database host, typed again)',
    );
  });

  it('says it in Chinese when --lang or the environment asks (LC_ALL before LC_MESSAGES before LANG)', () => {
    expect(refusal(() => parseCliArgs(['plan', `--vault-password=${SECRET}`], ZH))).toBe('未知选项“--vault-password”（参见 --help）');
    expect(refusal(() => parseCliArgs(['plan', '--profile'], { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }))).toBe('--profile 需要一个值');
    expect(refusal(() => parseCliArgs(['plan', '--profile'], { LC_MESSAGES: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }))).toBe(
      '--profile needs a value',
    );
    expect(refusal(() => parseCliArgs(['deploy', '--lang', 'zh-CN'], EN))).toBe('需要 --profile FILE');
    expect(refusal(() => parseCliArgs(['launch', '--lang=zh-CN'], EN))).toBe(
      '未知命令“launch”（可用：render、plan、deploy、verify、backup、restore、upgrade、rollback、rotate-cert）',
    );
  });
});

describe('serve command line', () => {
  it('reads --port and --host, inline or as the next word', () => {
    expect(parseServeArgs([], EN)).toEqual({ port: 0, host: '127.0.0.1', help: false });
    expect(parseServeArgs(['--port', '8080', '--host=::1'], EN)).toEqual({ port: 8080, host: '::1', help: false });
    expect(parseServeArgs(['-h'], EN).help).toBe(true);
  });

  it('names an unknown option, never its value, and says what is wrong with a value', () => {
    expect(refusal(() => parseServeArgs([`--token=${SECRET}`], EN))).toBe('unknown option "--token" (try --help)');
    expect(refusal(() => parseServeArgs(['--host'], EN))).toBe('--host needs a value');
    expect(refusal(() => parseServeArgs(['--port', '70000'], EN))).toBe('--port must be a number from 0 to 65535, not "70000"');
    expect(refusal(() => parseServeArgs(['--port=-1'], EN))).toBe('--port must be a number from 0 to 65535, not "-1"');
    expect(refusal(() => parseServeArgs([SECRET], EN))).toBe(
      'unexpected argument at position 1 (options start with --, and a value follows its option; try --help)',
    );
  });

  it('takes the archive and the typed database host of a restore, and needs the archive', () => {
    expect(
      parseCliArgs(['restore', '--profile', 'p.yaml', '--from', '/b/a.tar.age', '--confirm-restore', 'rds.example'], EN),
    ).toMatchObject({
      command: 'restore',
      from: '/b/a.tar.age',
      confirmRestore: 'rds.example',
    });
    expect(refusal(() => parseCliArgs(['restore', '--profile', 'p.yaml'], EN))).toBe(
      'restore needs --from FILE: the backup archive to restore',
    );
  });

  it('takes an upgrade with its backup or the reason to skip it, and a rollback with the typed host', () => {
    expect(
      parseCliArgs(['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz', '--to', '/b'], EN),
    ).toMatchObject({ command: 'upgrade', harborVersion: '2.15.2', installer: 'i.tgz', to: '/b' });
    expect(
      parseCliArgs(
        ['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz', '--skip-backup', 'taken an hour ago'],
        EN,
      ),
    ).toMatchObject({ skipBackup: 'taken an hour ago' });
    const needs = 'upgrade needs --harbor-version X, --installer FILE, and --to DIR (the backup first) or --skip-backup REASON';
    expect(refusal(() => parseCliArgs(['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz'], EN))).toBe(
      needs,
    );
    expect(
      refusal(() =>
        parseCliArgs(
          ['upgrade', '--profile', 'p.yaml', '--harbor-version', '2.15.2', '--installer', 'i.tgz', '--to', '/b', '--skip-backup', 'both'],
          EN,
        ),
      ),
    ).toBe(needs);
    expect(parseCliArgs(['rollback', '--resume', 'RUN', '--confirm-restore', 'rds.example'], EN)).toMatchObject({
      command: 'rollback',
      resume: 'RUN',
      confirmRestore: 'rds.example',
    });
    expect(refusal(() => parseCliArgs(['rollback', '--resume', 'RUN'], EN))).toBe(
      'rollback needs --resume UPGRADE_RUN_ID and --confirm-restore HOST (the database host, typed again)',
    );
  });

  it('says it in Chinese when the environment asks', () => {
    expect(refusal(() => parseServeArgs(['--bogus'], ZH))).toBe('未知选项“--bogus”（参见 --help）');
    expect(refusal(() => parseServeArgs(['--port', 'x'], ZH))).toBe('--port 必须是 0 到 65535 之间的数字，而不是“x”');
  });
});
