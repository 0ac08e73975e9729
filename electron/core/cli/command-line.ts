/** harbor-ha's command line: the commands and options it takes, read and checked (readArgs in args.ts does the reading). */
import { fill, localeFromTag, type Locale, type Localized } from '../../../shared/i18n/localized';
import { localeFromEnv, readArgs, unexpectedArgument, UsageError, type OptionSpec } from './args';

export interface CliArgs {
  readonly command: 'render' | 'plan' | 'deploy' | 'verify' | 'backup' | 'restore' | 'upgrade' | 'rollback' | 'rotate-cert' | 'help';
  readonly profile?: string;
  readonly dataDir?: string;
  readonly resume?: string;
  readonly only?: string[];
  readonly nodes?: string[];
  readonly existingDatabase?: 'refuse' | 'adopt' | 'reset';
  readonly confirmReset?: string;
  /** The serving nodes the operator agrees the run may reinstall (deploy.start's confirmDisruption). */
  readonly confirmDisruption?: string[];
  readonly installRuntime: boolean;
  /** backup: the folder the archive goes to, and how many of the profile's archives stay there. */
  readonly to?: string;
  readonly keep?: number;
  /** rotate-cert: the new certificate's file, and its key's (TLS on the nodes); without them, the profile's own. */
  readonly cert?: string;
  readonly key?: string;
  /** restore: the archive, and the database host typed again (a restore replaces the database and stops the nodes). */
  readonly from?: string;
  readonly confirmRestore?: string;
  /** upgrade: the version to go to and its installer; without --to, the reason the backup is skipped. */
  readonly harborVersion?: string;
  readonly installer?: string;
  readonly skipBackup?: string;
  readonly json: boolean;
  /** Of messages: --lang, else what the environment asks for. */
  readonly lang: Locale;
}

const COMMANDS = ['render', 'plan', 'deploy', 'verify', 'backup', 'restore', 'upgrade', 'rollback', 'rotate-cert'] as const;

const OPTIONS = {
  profile: { type: 'string' },
  'data-dir': { type: 'string' },
  resume: { type: 'string' },
  only: { type: 'string' },
  nodes: { type: 'string' },
  'existing-database': { type: 'string' },
  'confirm-reset': { type: 'string' },
  'confirm-disruption': { type: 'string' },
  'install-runtime': { type: 'boolean' },
  to: { type: 'string' },
  keep: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  from: { type: 'string' },
  'confirm-restore': { type: 'string' },
  'harbor-version': { type: 'string' },
  installer: { type: 'string' },
  'skip-backup': { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

const USAGE_TEXT = {
  noCommand: {
    en: 'which command? render, plan, deploy, verify, backup, restore, upgrade, rollback or rotate-cert (try --help)',
    'zh-CN': '请指定命令：render、plan、deploy、verify、backup、restore、upgrade、rollback 或 rotate-cert（参见 --help）',
  },
  unknownCommand: {
    en: 'unknown command "{command}" (render, plan, deploy, verify, backup, restore, upgrade, rollback or rotate-cert)',
    'zh-CN': '未知命令“{command}”（可用：render、plan、deploy、verify、backup、restore、upgrade、rollback、rotate-cert）',
  },
  existingDatabase: {
    en: '--existing-database is refuse, adopt or reset, not "{value}"',
    'zh-CN': '--existing-database 只能是 refuse、adopt 或 reset，而不是“{value}”',
  },
  profileRequired: { en: '--profile FILE is required', 'zh-CN': '需要 --profile FILE' },
  upgradeNeeds: {
    en: 'upgrade needs --harbor-version X, --installer FILE, and --to DIR (the backup first) or --skip-backup REASON',
    'zh-CN': 'upgrade 需要 --harbor-version X、--installer FILE，以及 --to DIR（先备份）或 --skip-backup 原因',
  },
  rollbackNeeds: {
    en: 'rollback needs --resume UPGRADE_RUN_ID and --confirm-restore HOST (the database host, typed again)',
    'zh-CN': 'rollback 需要 --resume 升级运行ID 和 --confirm-restore HOST（再次输入数据库主机）',
  },
  fromRequired: {
    en: 'restore needs --from FILE: the backup archive to restore',
    'zh-CN': 'restore 需要 --from FILE：要恢复的备份归档',
  },
  keyWithoutCert: {
    en: 'rotate-cert takes --key with the --cert it belongs to',
    'zh-CN': 'rotate-cert 的 --key 必须与其对应的 --cert 一起使用',
  },
  toRequired: { en: 'backup needs --to DIR: the folder the archive is written to', 'zh-CN': 'backup 需要 --to DIR：归档写入的文件夹' },
  keepNumber: { en: '--keep is a whole number from 1 to 1000, not "{value}"', 'zh-CN': '--keep 应为 1 到 1000 的整数，而不是“{value}”' },
} as const satisfies Record<string, Localized>;

const isCommand = (word: string): word is (typeof COMMANDS)[number] => (COMMANDS as readonly string[]).includes(word);
const isDatabaseMode = (word: string): word is NonNullable<CliArgs['existingDatabase']> => ['refuse', 'adopt', 'reset'].includes(word);
/** `--only a,b`: the ids, without blanks. */
const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The command line, or a UsageError saying what is wrong with it (in the language it asks for). */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const { values: v, positionals, problem } = readArgs(argv, OPTIONS);
  const lang = v.lang ? localeFromTag(v.lang) : localeFromEnv(env);
  const [first, extra] = positionals;
  if (argv.length === 0 || v.help || first?.value === 'help') return { command: 'help', installRuntime: false, json: false, lang };
  const refused = (text: Localized) => new UsageError(text, lang);
  // Option problems first: the value of a mistyped option is a positional to parseArgs, and may be a secret.
  if (problem) throw refused(problem);
  if (!first) throw refused(USAGE_TEXT.noCommand);
  if (!isCommand(first.value)) throw refused(fill(USAGE_TEXT.unknownCommand, { command: first.value }));
  if (extra) throw refused(unexpectedArgument(extra.position));
  const mode = v['existing-database'];
  if (mode !== undefined && !isDatabaseMode(mode)) throw refused(fill(USAGE_TEXT.existingDatabase, { value: mode }));
  if (!v.profile && !v.resume) throw refused(USAGE_TEXT.profileRequired);
  if (first.value === 'backup' && !v.to) throw refused(USAGE_TEXT.toRequired);
  if (v.key && !v.cert) throw refused(USAGE_TEXT.keyWithoutCert);
  if (first.value === 'restore' && !v.from) throw refused(USAGE_TEXT.fromRequired);
  if (first.value === 'upgrade' && (!v['harbor-version'] || !v.installer || (!v.to && !v['skip-backup']) || (v.to && v['skip-backup'])))
    throw refused(USAGE_TEXT.upgradeNeeds);
  if (first.value === 'rollback' && (!v.resume || !v['confirm-restore'])) throw refused(USAGE_TEXT.rollbackNeeds);
  const keep = v.keep === undefined ? undefined : Number(v.keep);
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1 && keep <= 1000))
    throw refused(fill(USAGE_TEXT.keepNumber, { value: v.keep! }));
  const only = list(v.only);
  const nodes = list(v.nodes);
  const confirmDisruption = list(v['confirm-disruption']);
  return {
    command: first.value,
    ...(v.profile ? { profile: v.profile } : {}),
    ...(v['data-dir'] ? { dataDir: v['data-dir'] } : {}),
    ...(v.resume ? { resume: v.resume } : {}),
    ...(only ? { only } : {}),
    ...(nodes ? { nodes } : {}),
    ...(mode ? { existingDatabase: mode } : {}),
    ...(v['confirm-reset'] ? { confirmReset: v['confirm-reset'] } : {}),
    ...(confirmDisruption ? { confirmDisruption } : {}),
    installRuntime: v['install-runtime'] ?? false,
    ...(v.to ? { to: v.to } : {}),
    ...(keep !== undefined ? { keep } : {}),
    ...(v.cert ? { cert: v.cert } : {}),
    ...(v.key ? { key: v.key } : {}),
    ...(v.from ? { from: v.from } : {}),
    ...(v['confirm-restore'] ? { confirmRestore: v['confirm-restore'] } : {}),
    ...(v['harbor-version'] ? { harborVersion: v['harbor-version'] } : {}),
    ...(v.installer ? { installer: v.installer } : {}),
    ...(v['skip-backup'] ? { skipBackup: v['skip-backup'] } : {}),
    json: v.json ?? false,
    lang,
  };
}
