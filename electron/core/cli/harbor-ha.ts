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
 *
 * This module reads the command line (command-line.ts) and dispatches: render, plan, deploy and verify here, the
 * maintenance commands in maintenance.ts; follow.ts prints the runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import { fill, type Localized, L } from '../../../shared/i18n/localized';
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
import { UsageError } from './args';
import { parseCliArgs, type CliArgs } from './command-line';
import { follow, say } from './follow';
import { isMaintenanceCommand, runMaintenance } from './maintenance';
import { secretPrefix } from '../profiles/secrets';
import { USAGE } from './usage';

const RUN_TEXT = {
  noPassphrase: L(
    "set HARBOR_HA_VAULT_PASSPHRASE: it opens (or creates) the vault where the CLI keeps the profile's secrets",
    '请设置 HARBOR_HA_VAULT_PASSPHRASE：它用于打开（或创建）CLI 存放集群配置密钥的保险库',
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
    if (isMaintenanceCommand(args.command)) return await runMaintenance(args.command, core, profileId, args, redactor);
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
