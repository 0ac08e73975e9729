/**
 * `harbor-ha`: the deployment engine for pipelines, without the UI.
 *
 *   harbor-ha render  --profile FILE          config files rendered from the installer (secrets masked)
 *   harbor-ha plan    --profile FILE          every step with what it would do on each node
 *   harbor-ha deploy  --profile FILE [...]    run (or --resume RUN_ID) and stream the log
 *   harbor-ha verify  --profile FILE          only the verification step
 *   harbor-ha backup  --profile FILE --to DIR an encrypted backup archive of the cluster (docs/maintenance.md)
 *   harbor-ha rotate-cert --profile FILE [--cert FILE --key FILE]  a new TLS certificate, one node at a time
 *   harbor-ha restore --profile FILE --from ARCHIVE  the cluster put back as the archive holds it
 *   harbor-ha upgrade --profile FILE --harbor-version X --installer FILE (--to DIR | --skip-backup REASON)
 *   harbor-ha rollback --resume UPGRADE_RUN --confirm-restore HOST  a failed upgrade's backup restored
 *
 * Non-interactive: secrets come from the profile file (an export sealed with a passphrase given in
 * HARBOR_HA_PROFILE_PASSPHRASE, or a plain profile file), the CLI's own vault is opened with
 * HARBOR_HA_VAULT_PASSPHRASE, host keys must be pinned in the profile or known already. Exit codes:
 * 0 success, 1 a step failed, 2 bad usage or input.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunEvent } from '../../../shared/api/contracts/deploy';
import { ApiError } from '../../../shared/errors';
import { fill, localeFromTag, type Locale, type Localized, L } from '../../../shared/i18n/localized';
import { profileSchema, type Profile } from '../../../shared/profile';
import { logsDir } from '../app/logs';
import { createCore, type Core } from '../core';
import type { DeployOptions } from '../deploy/context';
import { renderV1Config } from '../harbor/v1/config';
import { renderHarborYml } from '../harbor/v2/config';
import { createLog, Redactor } from '../log';
import { defaultDataDir } from '../paths';
import { parseJson, parseYaml, TextSyntaxError } from '../text-syntax';
import { YamlLimitError } from '../yaml-input';
import { localeFromEnv, readArgs, unexpectedArgument, UsageError, type OptionSpec } from './args';
import { secretPrefix } from '../profiles/secrets';
import { readCertificateFile, readPrivateKeyFile } from '../files/local';

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

export const USAGE: Localized = {
  en: `Usage: harbor-ha <render|plan|deploy|verify|backup|restore|upgrade|rollback|rotate-cert> --profile FILE [options]

  render    print the Harbor configuration rendered from the installer, secrets masked
  plan      print every step and what it would do on each node (changes nothing)
  deploy    run the deployment; a second run reports "unchanged" everywhere
  verify    run only the verification (containers, health, realm, push and pull)
  backup    write an encrypted backup archive (database, key material, configuration, profile)
            into --to DIR; age -d and tar open it without the app
  rotate-cert  put the certificate of --cert FILE and its --key FILE (or the profile's own) on
            every node, one at a time, restarting only Harbor's proxy; with TLS at the load
            balancer, update the pinned certificate and check the load balancer presents it
  restore   restore the archive --from FILE into the profile's cluster (the same one, or fresh
            nodes): Harbor stopped everywhere, database replaced, keys put back, installed again
  upgrade   upgrade the cluster to --harbor-version X from its --installer FILE: a backup into
            --to DIR first (or --skip-backup REASON), every node stopped, node 1 installed first
            (its core migrates the schema), then the others; the profile keeps the new version
  rollback  roll back the failed upgrade run --resume RUN_ID: the profile set back to the version
            it came from and that upgrade's backup restored (--confirm-restore HOST)

Options:
  --profile FILE              a profile exported by the app (.harbor-profile.json) or a profile as JSON/YAML
  --data-dir DIR              where the CLI keeps its vault, known hosts and run journals
                              (default: <app data>/cli, or $HARBOR_HA_DATA_DIR/cli)
  --resume RUN_ID             continue a run that stopped (same journal)
  --only STEP[,STEP]          run only these steps
  --nodes ID[,ID]             run only these nodes (retry failed nodes)
  --existing-database MODE    refuse (default) | adopt (it is this cluster's) | reset (drops it)
  --confirm-reset HOST        required with reset: the database host, typed again
  --confirm-disruption ID[,ID]  the serving nodes this run may reinstall (stopping each in turn);
                              a run that would stop others is refused and names them
  --install-runtime           install missing docker/docker-compose/Python 2 with yum or apt
  --to DIR                    backup: the folder the archive is written to
  --keep N                    backup: keep the newest N archives of the profile there (default 7)
  --cert FILE                 rotate-cert: the new certificate (PEM, the chain after it)
  --key FILE                  rotate-cert: its private key (TLS on the nodes)
  --from FILE                 restore: the backup archive (.tar.age)
  --confirm-restore HOST      restore: the database host, typed again, when the database holds
                              Harbor data or the cluster serves; rollback: always
  --harbor-version X          upgrade: the version to go to (e.g. 2.15.2)
  --installer FILE            upgrade: its offline installer
  --skip-backup REASON        upgrade: go without a backup (no rollback then); the reason is recorded
  --json                      one JSON event per line instead of text
  --lang en|zh-CN             language of messages (default from LC_ALL, LC_MESSAGES or LANG)

Environment:
  HARBOR_HA_VAULT_PASSPHRASE   opens (or creates) the CLI's vault; required
  HARBOR_HA_PROFILE_PASSPHRASE opens the secrets of an exported profile file
  HARBOR_HA_BACKUP_PASSPHRASE  backup: encrypts the archive (at least 8 characters); keep it safe;
                               restore, rollback: opens it; upgrade: encrypts its backup

Exit status: 0 success, 1 a step failed, 2 bad usage or input.`,
  'zh-CN': `用法：harbor-ha <render|plan|deploy|verify|backup|restore|upgrade|rollback|rotate-cert> --profile FILE [选项]

  render    打印由安装包渲染出的 Harbor 配置，密钥已遮盖
  plan      打印每个步骤及其在各节点上将执行的操作（不做任何更改）
  deploy    执行部署；再次运行时各处均报告 "unchanged"
  verify    只执行验证（容器、健康状态、realm、推送与拉取）
  backup    将加密的备份归档（数据库、密钥材料、配置、集群配置）写入 --to DIR；
            无需本应用，age -d 与 tar 即可打开
  rotate-cert  把 --cert FILE 的证书及其 --key FILE 私钥（或集群配置中的证书）逐个节点放到
            每个节点上，只重启 Harbor 的代理；TLS 在负载均衡终止时，更新固定的证书并检查
            负载均衡是否提供该证书
  restore   将 --from FILE 指定的归档恢复到集群配置所指的集群（原集群或全新节点）：
            停止各节点上的 Harbor、替换数据库、放回密钥、重新安装
  upgrade   用 --installer FILE 将集群升级到 --harbor-version X：先备份到 --to DIR（或用
            --skip-backup 原因 跳过），停止所有节点，先安装节点 1（其 core 迁移数据库结构），
            再安装其他节点；集群配置保存新版本
  rollback  回滚失败的升级运行 --resume RUN_ID：集群配置改回升级前的版本，并恢复该次升级的备份
            （--confirm-restore HOST）

选项：
  --profile FILE              应用导出的集群配置（.harbor-profile.json），或 JSON/YAML 格式的集群配置
  --data-dir DIR              CLI 存放其保险库、已知主机和运行记录的目录
                              （默认：<应用数据>/cli，或 $HARBOR_HA_DATA_DIR/cli）
  --resume RUN_ID             继续一次中断的运行（沿用同一运行记录）
  --only STEP[,STEP]          只运行这些步骤
  --nodes ID[,ID]             只在这些节点上运行（重试失败的节点）
  --existing-database MODE    refuse（默认）| adopt（它属于本集群）| reset（删除它）
  --confirm-reset HOST        与 reset 一起使用：再次输入数据库主机
  --confirm-disruption ID[,ID]  允许此次运行重新安装的正在服务的节点（逐个停止）；
                              会停止其他节点的运行将被拒绝，并列出这些节点
  --install-runtime           用 yum 或 apt 安装缺失的 docker/docker-compose/Python 2
  --to DIR                    backup：归档写入的文件夹
  --keep N                    backup：在该处保留该集群配置最新的 N 个归档（默认 7）
  --cert FILE                 rotate-cert：新证书（PEM，证书链在其后）
  --key FILE                  rotate-cert：其私钥（TLS 在节点上终止时）
  --from FILE                 restore：备份归档（.tar.age）
  --confirm-restore HOST      restore：数据库已有 Harbor 数据或集群正在服务时，再次输入数据库主机；rollback：必需
  --harbor-version X          upgrade：目标版本（例如 2.15.2）
  --installer FILE            upgrade：目标版本的离线安装包
  --skip-backup REASON        upgrade：不备份直接升级（之后无法回滚）；原因会被记录
  --json                      每行输出一个 JSON 事件，而不是文本
  --lang en|zh-CN             消息语言（默认取自 LC_ALL、LC_MESSAGES 或 LANG）

环境变量：
  HARBOR_HA_VAULT_PASSPHRASE   打开（或创建）CLI 的保险库；必需
  HARBOR_HA_PROFILE_PASSPHRASE 打开导出的集群配置文件中的密钥
  HARBOR_HA_BACKUP_PASSPHRASE  backup：加密归档的口令（至少 8 个字符）；请妥善保管；
                               restore、rollback：用它打开归档；upgrade：加密其备份

退出状态：0 成功，1 某个步骤失败，2 用法或输入有误。`,
};

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

const RUN_TEXT = {
  noPassphrase: L(
    "set HARBOR_HA_VAULT_PASSPHRASE: it opens (or creates) the vault where the CLI keeps the profile's secrets",
    '请设置 HARBOR_HA_VAULT_PASSPHRASE：它用于打开（或创建）CLI 存放集群配置密钥的保险库',
  ),
  noBackupPassphrase: L(
    'set HARBOR_HA_BACKUP_PASSPHRASE: the archive is encrypted with it, and it opens the archive again (age -d)',
    '请设置 HARBOR_HA_BACKUP_PASSPHRASE：归档用它加密，之后也用它打开（age -d）',
  ),
  readableByOthers: L(
    'warning: {file} holds secrets and can be read by other users (chmod 600 it)',
    '警告：{file} 含有密钥，且其他用户可以读取（请执行 chmod 600）',
  ),
} as const;

/** Reads the profile file into the CLI's store (replacing the same id) and answers its id. */
async function loadProfile(core: Core, file: string, args: CliArgs): Promise<string> {
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = file.endsWith('.yaml') || file.endsWith('.yml') ? parseYaml(text) : parseJson(text);
  } catch (error) {
    // Line and column only: the parsers' own messages quote the file, secrets included.
    if (error instanceof TextSyntaxError || error instanceof YamlLimitError)
      throw new ApiError({ code: 'invalid_input', message: error.describe(file) });
    throw error;
  }
  let profile: Profile;
  if (data && typeof data === 'object' && (data as { format?: string }).format === 'harbor-ha-deployer/profile') {
    const draft = await core.profiles.importProfile(text, process.env.HARBOR_HA_PROFILE_PASSPHRASE);
    const id = (data as { profile?: { id?: string } }).profile?.id;
    profile = profileSchema.parse({ ...(draft.draft as object), id });
  } else {
    const mode = statSync(file).mode;
    if (mode & 0o077) process.stderr.write(`harbor-ha: ${say(args, fill(RUN_TEXT.readableByOthers, { file }))}\n`);
    const parsed = profileSchema.safeParse(data);
    if (!parsed.success) {
      throw new ApiError({
        code: 'invalid_input',
        message: L(
          `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          `${file}：${parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；')}`,
        ),
      });
    }
    profile = parsed.data;
  }
  const existing = core.profiles.list().find((p) => p.id === profile.id);
  await core.profiles.save(profile, existing?.revision);
  return profile.id;
}

/** The configuration files rendered locally from the installer archive, secrets masked. */
async function render(core: Core, profileId: string, redactor: Redactor): Promise<string> {
  const p = core.profiles.get(profileId).profile;
  const i = p.harbor.installer;
  if (i.kind !== 'local')
    throw new ApiError({
      code: 'invalid_input',
      message: L(
        'render reads the installer on this computer; this profile downloads it on the nodes. Use "plan" instead.',
        'render 读取本机上的安装包；该集群配置由节点下载安装包。请改用“plan”。',
      ),
    });
  const member = (name: string) => execFileSync('tar', ['-xzOf', i.path, name], { maxBuffer: 64 << 20 }).toString('utf8');
  const secret = (key: string) => {
    const v = core.vault.has(`${secretPrefix(p.id)}${key}`) ? core.vault.get(`${secretPrefix(p.id)}${key}`) : undefined;
    if (v) redactor.add(v);
    return v ?? '';
  };
  const common = {
    adminPassword: secret('harbor.adminPassword'),
    dbPassword: secret('database.harbor.password'),
    redisPassword: secret('redis.password'),
    ossSecret: secret('oss.accessKeySecret'),
  };
  if (p.harbor.generation === 'v1') {
    const files = await renderV1Config(p, { ...common, clairPassword: secret('clair.password') }, async (relative) =>
      member(`harbor/${relative}`),
    );
    return redactor.redact(files.map((f) => `# /opt/harbor/${f.relative}\n${f.text}\n`).join(''));
  }
  return redactor.redact(`# /opt/harbor/harbor.yml\n${renderHarborYml(member('harbor/harbor.yml.tmpl'), p, common)}\n`);
}

function say(args: CliArgs, l: Localized): string {
  return l[args.lang];
}

async function plan(core: Core, profileId: string, args: CliArgs): Promise<string> {
  const out: string[] = [];
  const pl = core.deploy.plan(profileId);
  for (const [k, step] of pl.steps.entries()) {
    out.push(`${k + 1}. ${say(args, step.title)} [${step.id}, ${step.scope}]`, `   ${say(args, step.explain)}`);
    const targets = step.scope === 'cluster' ? [undefined] : pl.nodes.map((n) => n.id);
    for (const nodeId of targets) {
      const where = nodeId ? pl.nodes.find((n) => n.id === nodeId)!.label : 'cluster';
      try {
        const pv = await core.deploy.preview(profileId, step.id, nodeId);
        const lines = [
          ...pv.commands.map((c) => `$ ${c}`),
          ...pv.sql.map((s) => `sql> ${s}`),
          ...pv.files.map((f) => (f.diff ? f.diff.trimEnd() : `${f.path}: unchanged`)),
          ...pv.notes.map((n) => `note: ${say(args, n)}`),
        ];
        if (lines.length) out.push(`   ${where}:`, ...lines.map((l) => `     ${l.replace(/\n/g, '\n     ')}`));
      } catch (error) {
        out.push(`   ${where}: ${error instanceof ApiError ? say(args, error.localized) : (error as Error).message}`);
      }
      if (step.scope === 'first-then-rest' || step.scope === 'each-node') {
        // One node shows what every node gets; the rest differ only by node.
        if (step.id !== 'config') break;
      }
    }
  }
  return out.join('\n');
}

async function deploy(core: Core, profileId: string | undefined, args: CliArgs, verifyOnly: boolean): Promise<number> {
  const options: DeployOptions = {
    ...(args.existingDatabase ? { existingDatabase: args.existingDatabase } : {}),
    ...(args.installRuntime ? { installRuntime: true } : {}),
  };
  const selection = {
    ...(args.only || verifyOnly ? { only: verifyOnly ? ['verify'] : args.only! } : {}),
    ...(args.nodes ? { nodes: args.nodes } : {}),
    options,
    ...(args.confirmReset ? { confirmReset: args.confirmReset } : {}),
    ...(args.confirmDisruption ? { confirmDisruption: args.confirmDisruption } : {}),
  };
  const { runId } = args.resume ? await core.deploy.resume(args.resume, selection) : await core.deploy.start(profileId!, selection);
  return follow(core, runId, args);
}

/** A backup run into --to, the passphrase from the environment; followed like a deployment. */
async function backup(core: Core, profileId: string | undefined, args: CliArgs, passphrase: string): Promise<number> {
  const folder = resolve(args.to!);
  const input = {
    folder,
    keep: args.keep ?? core.maintenance.settings(profileId ?? core.deploy.run(args.resume!).run.profileId).keep,
    passphrase,
  };
  const { runId } = args.resume
    ? await core.maintenance.resumeBackup(args.resume, input)
    : await core.maintenance.backup(profileId!, input);
  return follow(core, runId, args);
}

/** A restore run of --from, the passphrase from the environment; followed like a deployment. */
async function restore(core: Core, profileId: string | undefined, args: CliArgs, passphrase: string): Promise<number> {
  const input = { file: resolve(args.from!), passphrase, ...(args.confirmRestore ? { confirmation: args.confirmRestore } : {}) };
  const { runId } = args.resume
    ? await core.maintenance.resumeRestore(args.resume, input)
    : await core.maintenance.restore(profileId!, input);
  return follow(core, runId, args);
}

/**
 * A certificate rotation: the certificate and key of --cert and --key (read here, the key masked in every output), or
 * the profile's own when the profile file already holds the new ones; --resume continues a rotation (its input is in
 * the profile). Followed like a deployment.
 */
async function rotateCert(core: Core, profileId: string | undefined, args: CliArgs, redactor: Redactor): Promise<number> {
  if (args.resume) return follow(core, (await core.deploy.resume(args.resume, {})).runId, args);
  const key = args.key ? readPrivateKeyFile(resolve(args.key)) : undefined;
  if (key) redactor.add(key);
  const { runId } = await core.maintenance.rotateCert(profileId!, {
    ...(args.cert ? { certificate: readCertificateFile(resolve(args.cert)) } : {}),
    ...(key ? { privateKey: { value: key } } : {}),
  });
  return follow(core, runId, args);
}

/** An upgrade run (or its resume), the backup's passphrase from the environment when it backs up; followed. */
async function upgrade(core: Core, profileId: string | undefined, args: CliArgs, passphrase: string | undefined): Promise<number> {
  const backup = args.skipBackup
    ? { skip: args.skipBackup }
    : {
        folder: resolve(args.to!),
        keep: args.keep ?? core.maintenance.settings(profileId ?? core.deploy.run(args.resume!).run.profileId).keep,
        passphrase: passphrase ?? '',
      };
  const { runId } = args.resume
    ? await core.maintenance.resumeUpgrade(args.resume, backup)
    : await core.maintenance.upgrade(profileId!, { version: args.harborVersion!, installer: resolve(args.installer!), backup });
  return follow(core, runId, args);
}

/** Prints a run's events until it ends; the exit status is whether it finished. */
async function follow(core: Core, runId: string, args: CliArgs): Promise<number> {
  const run = core.deploy.run(runId).run;
  const labels = new Map(core.deploy.plan(run.profileId, run.operation).nodes.map((n) => [n.id, n.label]));
  const where = (nodeId: string) => (nodeId === '*' ? 'cluster' : (labels.get(nodeId) ?? nodeId));
  const print = (e: RunEvent) => {
    if (args.json) return process.stdout.write(`${JSON.stringify(e)}\n`);
    if (e.kind === 'snapshot') return process.stdout.write(`run ${e.run.runId}\n`);
    if (e.kind === 'log') return process.stdout.write(`[${e.entry.stepId} ${where(e.entry.nodeId)}] ${say(args, e.entry.line)}\n`);
    if (e.kind === 'cell' && e.cell.status !== 'running') {
      const why = e.cell.error ?? e.cell.reason;
      return process.stdout.write(`${e.stepId} ${where(e.nodeId)}: ${e.cell.status}${why ? `: ${say(args, why)}` : ''}\n`);
    }
    if (e.kind === 'state' && !e.active) return process.stdout.write(`run ${runId}: ${e.state}\n`);
    return true;
  };
  const stop = core.deploy.subscribe(runId, print);
  const journal = await core.deploy.wait(runId);
  stop();
  return journal.state === 'finished' ? 0 : 1;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`harbor-ha: ${error.localized[error.locale]}\n`);
    return 2;
  }
  if (args.command === 'help') {
    process.stdout.write(`${say(args, USAGE)}\n`);
    return 0;
  }
  const passphrase = process.env.HARBOR_HA_VAULT_PASSPHRASE;
  if (!passphrase) {
    process.stderr.write(`harbor-ha: ${say(args, RUN_TEXT.noPassphrase)}\n`);
    return 2;
  }
  const dataDir = args.dataDir ?? join(defaultDataDir(), 'cli');
  const redactor = new Redactor();
  let core: Core;
  try {
    core = createCore({
      host: { name: 'harbor-ha', version: '0', electron: null, chrome: null, locale: args.lang, dataDir },
      log: createLog({ file: join(logsDir(dataDir), 'cli.log'), redactor, echo: false }),
      redactor,
    });
  } catch (error) {
    // Another harbor-ha on the same data folder, or a damaged file there: say which, change nothing.
    const localized = (error as { localized?: Localized }).localized;
    if (!localized) throw error;
    process.stderr.write(`harbor-ha: ${say(args, localized)}\n`);
    return 1;
  }
  try {
    if (core.vault.status().state === 'uninitialized') await core.vault.initialize(passphrase);
    else await core.vault.unlock(passphrase);
    const profileId = args.profile ? await loadProfile(core, args.profile, args) : undefined;
    if (args.command === 'render') {
      process.stdout.write(await render(core, profileId!, redactor));
      return 0;
    }
    if (args.command === 'plan') {
      process.stdout.write(`${await plan(core, profileId!, args)}\n`);
      return 0;
    }
    if (args.command === 'rotate-cert') return await rotateCert(core, profileId, args, redactor);
    if (args.command === 'upgrade' && args.skipBackup) return await upgrade(core, profileId, args, undefined);
    if (args.command === 'backup' || args.command === 'restore' || args.command === 'upgrade' || args.command === 'rollback') {
      const backupPassphrase = process.env.HARBOR_HA_BACKUP_PASSPHRASE;
      if (!backupPassphrase) {
        process.stderr.write(`harbor-ha: ${say(args, RUN_TEXT.noBackupPassphrase)}\n`);
        return 2;
      }
      redactor.add(backupPassphrase);
      if (args.command === 'upgrade') return await upgrade(core, profileId, args, backupPassphrase);
      if (args.command === 'rollback') {
        const { runId } = await core.maintenance.rollbackUpgrade(args.resume!, {
          passphrase: backupPassphrase,
          confirmation: args.confirmRestore!,
        });
        return await follow(core, runId, args);
      }
      return args.command === 'backup'
        ? await backup(core, profileId, args, backupPassphrase)
        : await restore(core, profileId, args, backupPassphrase);
    }
    return await deploy(core, profileId, args, args.command === 'verify');
  } catch (error) {
    const message =
      error instanceof ApiError
        ? `${say(args, error.localized)}${error.issues?.length ? `\n${error.issues.map((i) => `  ${i.path}: ${say(args, i.message)}`).join('\n')}` : ''}`
        : (error as Error).message;
    process.stderr.write(`harbor-ha: ${redactor.redact(message)}\n`);
    return error instanceof ApiError &&
      ['invalid_input', 'not_found', 'confirmation_required', 'vault', 'vault_locked', 'conflict'].includes(error.code)
      ? 2
      : 1;
  } finally {
    await core.close();
  }
}

// Run when executed directly (the bundle in out/cli, or tsx), not when imported by tests.
if (process.argv[1] && /harbor-ha(\.cjs|\.ts)?$/.test(process.argv[1])) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
