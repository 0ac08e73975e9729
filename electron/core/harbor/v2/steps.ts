/**
 * The Harbor 2.x HA adapter (no official multi-VM recipe exists, goharbor/harbor#7162): every step
 * the 1.x plan shares, plus what 2.x needs (facts §4, §6, §7, "Things the app must get right"):
 * the PostgreSQL database created beforehand and owned by the Harbor account; harbor.yml rendered
 * from the installer's own template; the shared secrets pre-seeded under `<data_volume>/secret`
 * before any install; node 1 installed first and healthy (it runs the migrations) before the
 * others; one CSRF_KEY on every core after every install.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Localized } from '../../../../shared/i18n/localized';
import type { Profile } from '../../../../shared/profile';
import type { HarborEnv } from '../env';
import { deployError, type NodeShell } from '../../deploy/remote';
import { EMPTY_PREVIEW, type NodeRef, type Step, type StepContext } from '../../deploy/step';
import { httpRequest } from '../../probe/http';
import { probeTcp } from '../../probe/probes';
import { commandLine } from '../../ssh/quote';
import { underUtf8 } from '../common/locale';
import { findingsError, V2_NEEDS, type Finding } from '../common/preflight';
import { CORE_ENV } from '../common/paths';
import { containerStates, firewallStep, HARBOR_DIR, installerStep, keysVerifyStep, renderedFilesStep, nodeOf, preflightStep, pristineFile, runtimeStep, shellFor, unpackStep } from '../common/steps';
import { parseV2Health, v2Containers, v2SecretFiles, type SharedSecret } from '../node';
import { verifyStep } from '../common/verify';
import { renderHarborYml, v2TlsPaths, type V2Secrets } from './config';
import { alterOwnerSql, createDatabaseSql, dirtyMigrationFinding, dropDatabaseSql, foreignTablesFinding, foreignTablesFix, harborDbState, liveHarborDatabase, ownerPrivilegeHint, pgFromNode, type HarborDbState } from './database';
import { CSRF_KEY_RE, csrfKeyOf, newCsrfKey, newSecretKey, newTokenKeyPair, pemSecrets, withCsrfKey } from './secrets';

type Ctx = HarborEnv & StepContext;
const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

const TEMPLATE = 'harbor.yml.tmpl';
const HARBOR_YML = `${HARBOR_DIR}/harbor.yml`;
/** Written after a successful install: the sha256 of what it was installed from. */
const INSTALL_STAMP = `${HARBOR_DIR}/.harbor-ha-deployer-installed`;
/** Harbor's containers run as this user; prepare re-owns the secret files to it. */
const HARBOR_UID = '10000:10000';
const HEALTH_TIMEOUT_MS = 600_000;
/** How long core may keep failing with a fatal error before the wait gives up (a restart or two by docker). */
const CORE_FATAL_GRACE_MS = 20_000;
/** Harbor core's log on a node. */
const CORE_LOG = '/var/log/harbor/core.log';

const first = (ctx: Ctx) => ctx.nodes.find((n) => n.index === 0)!;
const tlsOnNodes = (p: Profile) => p.access.protocol === 'https' && p.access.tlsTermination === 'nodes';
const trivyOn = (p: Profile) => p.options.scanner === 'trivy';

/** install.sh accepts only --with-trivy (facts §4.5). */
export const v2InstallArgs = (p: Profile): string[] => (trivyOn(p) ? ['--with-trivy'] : []);

/** Why a MySQL profile cannot become Harbor 2.x (the profile rules refuse it too; this is the adapter's own guard). */
export function mysqlRefusal(p: Profile): Localized | null {
  if (p.database.engine !== 'mysql') return null;
  return L(
    `The profile still uses MySQL (${p.database.host}). Harbor 1.6 and later store their data only in PostgreSQL, and Harbor 2.x has no MySQL support at all: create an RDS for PostgreSQL instance, put it in the profile's database section, and run again. MySQL is only for the Harbor 1.5 walkthrough.`,
    `该集群配置仍在使用 MySQL（${p.database.host}）。Harbor 1.6 及以后版本只把数据存放在 PostgreSQL 中，Harbor 2.x 完全不支持 MySQL：请创建 RDS PostgreSQL 实例，填入集群配置的数据库部分后重新运行。MySQL 只用于 Harbor 1.5 向导。`,
  );
}

function secrets(env: HarborEnv): V2Secrets {
  const p = env.profile;
  return {
    adminPassword: env.requireSecret('harbor.adminPassword', L('Harbor admin password', 'Harbor 管理员密码')),
    dbPassword: env.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码')),
    ...(p.redis.auth === 'none' ? {} : { redisPassword: env.requireSecret('redis.password', L('Redis password', 'Redis 密码')) }),
    ossSecret: env.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret')),
  };
}

function refuseMysql(ctx: Ctx): void {
  const why = mysqlRefusal(ctx.profile);
  if (why) throw deployError(ctx.profile.database.host, why);
}

// ───────────────────────────── Harbor's answers on a node ─────────────────────────────

interface Health {
  readonly healthy: boolean;
  /** Nothing behind nginx answers (or nothing answers at all): core is starting or has stopped. */
  readonly coreDown?: boolean;
  readonly detail: string;
}

/** /api/v2.0/health asked by the node itself (its HTTP status is always 200: the body decides). */
async function nodeHealth(ctx: Ctx, node: NodeRef, stepId: string): Promise<Health> {
  const p = ctx.profile;
  const n = nodeOf(ctx, node);
  const tls = tlsOnNodes(p);
  const host = p.access.domain.replace(/:\d+$/, '');
  try {
    const { client } = await ctx.shell(node, stepId, ctx).connection();
    const r = await httpRequest(`${tls ? 'https' : 'http'}://${host}/api/v2.0/health`, { via: { client, from: node.label }, connectTo: { host: n.privateAddress ?? n.host, port: tls ? 443 : 80 }, insecure: true, timeoutMs: 10_000 });
    // nginx answers 502/503 while core is not running (starting, or stopped by a fatal error)
    if (r.status >= 500) return { healthy: false, coreDown: true, detail: `HTTP ${r.status}: core is not answering` };
    const h = parseV2Health(r.body.toString());
    if (!h) return { healthy: false, detail: `HTTP ${r.status}: no health answer` };
    return { healthy: h.healthy, detail: h.detail };
  } catch (error) {
    return { healthy: false, coreDown: true, detail: `no answer (${(error as Error).message})` };
  }
}

/** The size of core's log before a (re)start: the wait then reads only what that start wrote. */
async function coreLogSize(shell: NodeShell): Promise<number> {
  const r = await shell.run(['sh', '-c', 'stat -c %s "$1" 2>/dev/null || echo 0', 'sh', CORE_LOG]);
  return Number.parseInt(r.stdout.trim(), 10) || 0;
}

/** The last fatal errors core logged since `from` (it logs one and stops, and docker starts it again). */
async function coreFatal(shell: NodeShell, from: number): Promise<string | null> {
  const r = await shell.run(['sh', '-c', 'tail -c +"$2" "$1" 2>/dev/null | grep -a "\\[FATAL\\]" | tail -n 1', 'sh', CORE_LOG, String(from + 1)]);
  const line = r.stdout.trim();
  return line ? line.replace(/^.*?\[FATAL\]\s*(\[[^\]]*\]:?\s*)?/, '') : null;
}

/**
 * Waits until Harbor's health reports every component healthy. When core keeps not answering while its log shows a
 * fatal error written since `coreLogFrom` for longer than a restart or two, the wait ends at once with that error
 * instead of running out its time (a core that cannot start never gets healthy).
 */
async function waitHealthy(ctx: Ctx, node: NodeRef, stepId: string, coreLogFrom: number, timeoutMs = HEALTH_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const shell = ctx.shell(node, stepId, ctx);
  let last = '';
  let fatalSince: number | null = null;
  for (;;) {
    const h = await nodeHealth(ctx, node, stepId);
    if (h.healthy) {
      ctx.log.line(`${node.label}: /api/v2.0/health: every component healthy`);
      return;
    }
    if (h.detail !== last) ctx.log.line(`${node.label}: waiting for Harbor to be healthy: ${h.detail}`);
    last = h.detail;
    const fatal = h.coreDown ? await coreFatal(shell, coreLogFrom) : null;
    fatalSince = fatal ? (fatalSince ?? Date.now()) : null;
    if (fatal && Date.now() - fatalSince! >= CORE_FATAL_GRACE_MS) {
      throw deployError(
        node.label,
        L(`${node.label}: Harbor's core stops at start: ${fatal} (${CORE_LOG} on the node). Fix the cause, then run this step again.`, `${node.label}：Harbor core 启动时停止：${fatal}（见节点上的 ${CORE_LOG}）。请修复原因后重新运行此步骤。`),
      );
    }
    if (Date.now() > deadline || ctx.signal.aborted) {
      throw deployError(node.label, L(`${node.label}: Harbor did not become healthy within ${Math.round(timeoutMs / 1000)} s: ${h.detail}. Look at /var/log/harbor/core.log on the node.`, `${node.label}：Harbor 在 ${Math.round(timeoutMs / 1000)} 秒内未恢复健康：${h.detail}。请查看节点上的 /var/log/harbor/core.log。`));
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// ───────────────────────────── preflight ─────────────────────────────

/** An admin connection to PostgreSQL opened by node 1. */
async function adminOpener(ctx: Ctx, stepId: string) {
  const p = ctx.profile;
  const node = first(ctx);
  const { client } = await ctx.shell(node, stepId, ctx).connection();
  const account = { host: p.database.host, port: p.database.port, user: p.database.admin.user, password: ctx.requireSecret('database.admin.password', L('database administrator password', '数据库管理员密码')) };
  return (database: string) => pgFromNode(client, node.label, account, database);
}

function harborDbName(p: Profile): string {
  return p.database.engine === 'postgresql' ? p.database.harbor.database : 'registry';
}

function isOurs(ctx: HarborEnv): boolean {
  const p = ctx.profile;
  const r = ctx.harborRecords.load().registryDatabase;
  return !!r && r.host === p.database.host && r.port === p.database.port && r.database === harborDbName(p);
}

const bad = (id: string, message: Localized, fix?: Localized): Finding => ({ id, ok: false, severity: 'error', message, ...(fix ? { fix } : {}) });
const good = (id: string, message: Localized): Finding => ({ id, ok: true, severity: 'error', message });

/** Node 1: the Harbor account, the database and what the database step will do with it. */
async function databaseFindings(ctx: Ctx, label: string): Promise<Finding[]> {
  const p = ctx.profile;
  const why = mysqlRefusal(p);
  if (why) return [bad('database.mysql', why)];
  const db = p.database;
  const name = harborDbName(p);
  const { client } = await ctx.shell(ctx.node!, 'preflight', ctx).connection();
  // An unreachable database is reported by the shared checks already.
  if (!(await probeTcp(client, label, db.host, db.port)).ok) return [];
  let state: HarborDbState;
  try {
    state = await harborDbState(await adminOpener(ctx, 'preflight'), name, db.harbor.user);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '28P01' || code === '28000') return []; // the admin login finding says it
    return [bad('postgresql.state', L(`${label}: cannot read the databases on ${db.host} as ${db.admin.user}: ${(error as Error).message}`, `${label}：无法以 ${db.admin.user} 读取 ${db.host} 上的数据库：${(error as Error).message}`))];
  }
  const out: Finding[] = [];
  const pg15 = state.serverVersion >= 150000;
  if (!state.roleExists) {
    out.push(
      bad(
        'postgresql.harbor.role',
        L(`The PostgreSQL account "${db.harbor.user}" that Harbor connects with does not exist on ${db.host}.`, `Harbor 连接使用的 PostgreSQL 账号“${db.harbor.user}”在 ${db.host} 上不存在。`),
        L(`Create it in the RDS console (Accounts → Create account, a standard account) with the password stored in the profile, or as an administrator: CREATE ROLE "${db.harbor.user}" LOGIN PASSWORD '…'; then run the preflight again.`, `请在 RDS 控制台创建该账号（账号管理 → 创建账号，普通账号），密码与集群配置中保存的一致；或以管理员执行：CREATE ROLE "${db.harbor.user}" LOGIN PASSWORD '…';，然后重新运行预检。`),
      ),
    );
    return out;
  }
  // The Harbor account's own login: errors after authentication (no such database, no CONNECT) still prove the password.
  const harborPassword = ctx.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码'));
  try {
    const c = await pgFromNode(client, label, { host: db.host, port: db.port, user: db.harbor.user, password: harborPassword }, state.exists ? name : 'postgres');
    await c.end().catch(() => undefined);
    out.push(good('postgresql.harbor', L(`PostgreSQL login as ${db.harbor.user}`, `PostgreSQL 以 ${db.harbor.user} 登录`)));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '28P01' || code === '28000') {
      out.push(bad('postgresql.harbor', L(`PostgreSQL at ${db.host} refused the login of "${db.harbor.user}" from ${label}: Harbor could not connect with the password in the profile.`, `${db.host} 上的 PostgreSQL 拒绝了来自 ${label} 的账号“${db.harbor.user}”登录：Harbor 无法用集群配置中的密码连接。`), L('Correct the Harbor database password in the profile (or reset it in the RDS console).', '请在集群配置中更正 Harbor 数据库密码（或在 RDS 控制台重置）。')));
    } else if (code !== '3D000' && code !== '42501') {
      out.push(bad('postgresql.harbor', L(`${label}: login as ${db.harbor.user} failed: ${(error as Error).message}`, `${label}：以 ${db.harbor.user} 登录失败：${(error as Error).message}`)));
    } else out.push(good('postgresql.harbor', L(`PostgreSQL login as ${db.harbor.user}`, `PostgreSQL 以 ${db.harbor.user} 登录`)));
  }
  const ours = isOurs(ctx);
  const mode = ctx.options.existingDatabase ?? 'refuse';
  if (state.exists && state.harborSchema && !ours && mode === 'refuse') {
    out.push(bad('postgresql.existing', liveHarborDatabase(db.host, name, state).localized));
  } else if (state.exists && !state.harborCanCreate && state.tables > 0 && !(state.harborSchema && mode === 'reset')) {
    out.push(
      bad(
        'postgresql.owner',
        L(`${db.harbor.user} may not create tables in the public schema of "${name}" (owner ${state.owner ?? '?'}${pg15 ? '; PostgreSQL 15 and later no longer let every account create in public' : ''}), and the database already has ${state.tables} tables, so the app does not change its owner.`, `${db.harbor.user} 无权在“${name}”的 public 模式中建表（所有者 ${state.owner ?? '?'}${pg15 ? '；PostgreSQL 15 起不再允许所有账号在 public 中建表' : ''}），且该库已有 ${state.tables} 张表，因此应用不会更改其所有者。`),
        L(`As an administrator run: ${alterOwnerSql(name, db.harbor.user)}; (or GRANT CREATE ON SCHEMA public TO "${db.harbor.user}"; inside it).`, `请以管理员执行：${alterOwnerSql(name, db.harbor.user)};（或在该库中执行 GRANT CREATE ON SCHEMA public TO "${db.harbor.user}";）。`),
      ),
    );
  } else if (state.dirtyVersion !== undefined && !(state.harborSchema && !ours && mode === 'reset')) {
    const d = dirtyMigrationFinding(db.host, name, state.dirtyVersion);
    out.push(bad('postgresql.dirty', d.message, d.fix));
  } else if (state.exists && state.foreignTableCount > 0 && !(state.harborSchema && !ours && mode === 'reset')) {
    out.push(bad('postgresql.table-owner', foreignTablesFinding(db.host, name, db.harbor.user, state), foreignTablesFix(name, db.harbor.user)));
  } else {
    const plan = !state.exists
      ? L(`the database step creates "${name}" owned by ${db.harbor.user}`, `数据库步骤将创建归 ${db.harbor.user} 所有的“${name}”`)
      : state.harborSchema && !ours && mode === 'reset'
        ? L(`the database step drops "${name}" and creates it again, empty (you confirmed a reset)`, `数据库步骤将删除“${name}”并重新创建空库（您已确认重置）`)
        : !state.harborCanCreate
          ? L(`"${name}" is empty: the database step makes ${db.harbor.user} its owner`, `“${name}”为空：数据库步骤会把其所有者改为 ${db.harbor.user}`)
          : L(`"${name}" exists (owner ${state.owner}, ${state.tables} tables)${state.harborSchema ? ' and holds Harbor data' : ''}`, `“${name}”已存在（所有者 ${state.owner}，${state.tables} 张表）${state.harborSchema ? '，且包含 Harbor 数据' : ''}`);
    out.push(good('postgresql.database', L(`PostgreSQL ${Math.floor(state.serverVersion / 10000)}: ${plan.en}`, `PostgreSQL ${Math.floor(state.serverVersion / 10000)}：${plan['zh-CN']}`)));
  }
  return out;
}

/** Paths that prove this app installed Harbor on the node (also in the folder an unpack moved aside). */
const OURS_STAMPS = 'ls -d /opt/harbor/.harbor-ha-deployer-installed /opt/harbor.before-*/.harbor-ha-deployer-installed 2>/dev/null | head -n 1';

/** Harbor running on the node that this app did not install: refused without consent, saying what would change. */
async function existingHarborFinding(ctx: Ctx, shell: NodeShell, label: string): Promise<Finding | null> {
  const all = await containerStates(shell);
  const harbor = [...all.entries()].filter(([, c]) => /^(goharbor|vmware)\//.test(c.image) || /^harbor-/.test(c.image));
  if (!harbor.length) return null;
  if ((await shell.run(['sh', '-c', OURS_STAMPS])).stdout.trim()) return null;
  if (ctx.options.existingDatabase === 'adopt' || ctx.options.existingDatabase === 'reset') return null;
  const core = harbor.find(([name]) => name === 'harbor-core' || name === 'harbor-ui')?.[1];
  const version = core?.image.split(':').pop() ?? '?';
  const running = harbor.filter(([, c]) => c.state === 'running').map(([n]) => n);
  const data = v2SecretFiles(ctx.profile)[0]!.path;
  const hasData = await shell.exists(data);
  return bad(
    'harbor.existing',
    L(
      `${label}: Harbor ${version} is already on this node and was not installed by this app (${running.length ? `running: ${running.join(', ')}` : 'containers stopped'}${hasData ? `; data in ${ctx.profile.options.dataVolume}` : ''}). Deploying would move ${HARBOR_DIR} aside, write a new harbor.yml, ${ctx.node!.index === 0 ? 'keep its secret key and token keys' : "replace its secret key and token keys with node 1's"}, and run install.sh, which stops and removes these containers (docker compose down -v) before starting the new ones.`,
      `${label}：该节点上已有 Harbor ${version}，且不是本应用安装的（${running.length ? `运行中：${running.join('、')}` : '容器已停止'}${hasData ? `；数据位于 ${ctx.profile.options.dataVolume}` : ''}）。部署会把 ${HARBOR_DIR} 移到一旁、写入新的 harbor.yml、${ctx.node!.index === 0 ? '保留其 secretkey 与令牌密钥' : '用节点 1 的 secretkey 与令牌密钥替换它的'}，并运行 install.sh（它会先停止并删除这些容器：docker compose down -v，再启动新的容器）。`,
    ),
    L('If this Harbor belongs to this cluster, choose "Use it" for the existing Harbor database to take it over; otherwise use other nodes.', '如果这个 Harbor 属于本集群，请对“已存在的 Harbor 数据库”选择“沿用”以接管它；否则请换用其他节点。'),
  );
}

function v2PreflightStep(): Step<HarborEnv> {
  const base = preflightStep(V2_NEEDS);
  const reasons = new Map<string, Localized>();
  return {
    ...base,
    explain: L(
      'Changes nothing. From every node: docker ≥ 20.10.10 and the compose plugin (or docker-compose ≥ 1.27), free space, and PostgreSQL, Redis (the password, Aliyun\'s account:password, or user and password) and OSS as that node reaches them. On node 1 also: the Harbor account logs in, and the Harbor database exists or can be created owned by it (PostgreSQL 15 no longer lets every account create tables in "public"). A profile still on MySQL is refused (Harbor 2.x runs only on PostgreSQL), and Harbor found running on a node that this app did not install is not overwritten without your consent.',
      '不做任何更改。从每个节点检查：docker ≥ 20.10.10 与 compose 插件（或 docker-compose ≥ 1.27）、磁盘空间，以及该节点能否访问 PostgreSQL、Redis（密码、阿里云的 账号:密码，或用户名加密码）和 OSS。在节点 1 上还检查：Harbor 账号能否登录，Harbor 数据库是否存在或能否创建为归该账号所有（PostgreSQL 15 起不再允许所有账号在 public 中建表）。仍使用 MySQL 的集群配置会被拒绝（Harbor 2.x 只支持 PostgreSQL）；节点上已运行、但不是本应用安装的 Harbor，未经您同意不会被覆盖。',
    ),
    async check(ctx) {
      let r = await base.check(ctx);
      const label = ctx.node!.label;
      const shell = shellFor(ctx, 'preflight');
      const extra: Finding[] = [];
      const existing = await existingHarborFinding(ctx, shell, label).catch(() => null);
      if (existing) extra.push(existing);
      if (ctx.node!.index === 0) extra.push(...(await databaseFindings(ctx, label)));
      else {
        const why = mysqlRefusal(ctx.profile);
        if (why) extra.push(bad('database.mysql', why));
      }
      for (const f of extra) ctx.log.line(`${f.ok ? '✔' : '✖'} ${f.message.en}${!f.ok && f.fix ? ` → ${f.fix.en}` : ''}`);
      const failed = extra.filter((f) => !f.ok && f.severity === 'error');
      if (failed.length) {
        if (r.done) r = { done: false, reason: findingsError(failed) };
        else {
          const lines = (lang: 'en' | 'zh-CN') => failed.map((f) => `✖ ${f.message[lang]}${f.fix ? `\n  → ${f.fix[lang]}` : ''}`).join('\n');
          r = { done: false, reason: L(`${r.reason!.en}\n${lines('en')}`, `${r.reason!['zh-CN']}\n${lines('zh-CN')}`) };
        }
      }
      if (!r.done && r.reason) reasons.set(ctx.node!.id, r.reason);
      return r;
    },
    async apply(ctx) {
      throw deployError(ctx.node!.label, reasons.get(ctx.node!.id) ?? L('preflight failed', '预检未通过'), 'preflight');
    },
  };
}

// ───────────────────────────── database ─────────────────────────────

function databaseStep(): Step<HarborEnv> {
  const read = async (ctx: Ctx) => {
    refuseMysql(ctx);
    const p = ctx.profile;
    const open = await adminOpener(ctx, 'database');
    return { open, state: await harborDbState(open, harborDbName(p), p.database.harbor.user), ours: isOurs(ctx) };
  };
  const record = (ctx: Ctx, by: 'create' | 'adopt') =>
    ctx.harborRecords.update((r) => (r.registryDatabase = { host: ctx.profile.database.host, port: ctx.profile.database.port, database: harborDbName(ctx.profile), by, runId: ctx.runId, at: new Date().toISOString() }));
  return {
    id: 'database',
    title: L('Harbor database (PostgreSQL)', 'Harbor 数据库（PostgreSQL）'),
    explain: L(
      "Harbor 2.x does not create its database: it must exist before the first start, and core then creates and migrates the tables itself (there is no SQL to import, unlike 1.x). From node 1, with the admin account, this step creates the database owned by the Harbor account when it is missing: on PostgreSQL 15 and later only the owner (or an explicit grant) may create tables in \"public\". An empty database you created beforehand is kept (and given to the Harbor account when it cannot create tables there). A database that already holds Harbor data this app did not create is used only if you chose \"Use it\", or dropped and created again only if you confirmed a reset.",
      'Harbor 2.x 不会自行创建数据库：数据库必须在首次启动前存在，之后由 core 自己建表并迁移（与 1.x 不同，没有要导入的 SQL）。此步骤从节点 1 使用管理账号，在数据库不存在时创建它，并归 Harbor 账号所有：PostgreSQL 15 起只有所有者（或显式授权）才能在 public 中建表。您事先创建的空库会被保留（若 Harbor 账号无法在其中建表，则把它交给 Harbor 账号）。已包含 Harbor 数据、但不是本应用创建的数据库，只有在您选择“沿用”时才会使用，只有在您确认重置时才会删除重建。',
    ),
    scope: 'cluster',
    async check(ctx) {
      const { state, ours } = await read(ctx);
      const p = ctx.profile;
      const name = harborDbName(p);
      const user = p.database.harbor.user;
      if (!state.roleExists) return { done: false, reason: L(`the account ${user} does not exist`, `账号 ${user} 不存在`) };
      if (!state.exists) return { done: false, reason: L(`"${name}" does not exist yet`, `“${name}”尚不存在`) };
      if (state.harborSchema && !ours) return { done: false, reason: L(`"${name}" holds Harbor data this app did not create`, `“${name}”包含不是本应用创建的 Harbor 数据`) };
      if (!state.harborCanCreate) return { done: false, reason: L(`${user} may not create tables in "${name}"`, `${user} 无权在“${name}”中建表`) };
      if (!ours) return { done: false, reason: L(`"${name}" exists; it is recorded as this cluster's`, `“${name}”已存在；将记录为本集群的数据库`) };
      return { done: true, reason: L(`"${name}" owned by ${state.owner} (${state.tables} tables)`, `“${name}”归 ${state.owner} 所有（${state.tables} 张表）`) };
    },
    async preview(ctx) {
      const p = ctx.profile;
      if (p.database.engine !== 'postgresql') return { ...EMPTY_PREVIEW, notes: [mysqlRefusal(p)!] };
      const name = harborDbName(p);
      const user = p.database.harbor.user;
      let sql: string[] = [`${createDatabaseSql(name, user)};  -- only when missing`];
      try {
        const { state, ours } = await read(ctx);
        if (!state.exists) sql = [`${createDatabaseSql(name, user)};`];
        else if (state.harborSchema && !ours && ctx.options.existingDatabase === 'reset') sql = [`${dropDatabaseSql(name, state.serverVersion)};`, `${createDatabaseSql(name, user)};`];
        else if (!state.harborCanCreate && state.tables === 0) sql = [`${alterOwnerSql(name, user)};`];
        else sql = [`-- "${name}" exists (owner ${state.owner}, ${state.tables} tables): nothing to run`];
      } catch {
        // the preview still shows the statement when the database cannot be read now
      }
      return { ...EMPTY_PREVIEW, sql, notes: [L(`Run from ${first(ctx).label} as ${p.database.admin.user}. Harbor's core creates and migrates the tables at its first start.`, `从 ${first(ctx).label} 以 ${p.database.admin.user} 执行。表由 Harbor core 在首次启动时创建并迁移。`)] };
    },
    async apply(ctx) {
      const p = ctx.profile;
      if (p.database.engine !== 'postgresql') return refuseMysql(ctx);
      const db = p.database;
      const name = harborDbName(p);
      const { open, state: before, ours } = await read(ctx);
      let state = before;
      if (!state.roleExists) {
        throw deployError(db.host, L(`The account ${db.harbor.user} does not exist on ${db.host}. Create it in the RDS console (a standard account) with the password in the profile, then run this step again.`, `${db.host} 上不存在账号 ${db.harbor.user}。请在 RDS 控制台创建该账号（普通账号），密码与集群配置一致，然后重新运行此步骤。`));
      }
      const mode = ctx.options.existingDatabase ?? 'refuse';
      const admin = await open('postgres');
      try {
        const run = async (sql: string) => {
          try {
            await admin.query(sql);
          } catch (error) {
            if ((error as { code?: string }).code === '42501') throw deployError(db.host, ownerPrivilegeHint(db.admin.user, db.harbor.user, name));
            throw error;
          }
          ctx.log.line(`${sql};`);
        };
        let adopted = false;
        if (state.exists && state.harborSchema && !ours) {
          if (mode === 'refuse') throw liveHarborDatabase(db.host, name, state);
          if (mode === 'reset') {
            await run(dropDatabaseSql(name, state.serverVersion));
            state = { ...state, exists: false, tables: 0, harborSchema: false };
          } else adopted = true;
        }
        if (!state.exists) {
          await run(createDatabaseSql(name, db.harbor.user));
          await record(ctx, 'create');
          return;
        }
        if (!state.harborCanCreate) {
          if (state.tables > 0) {
            throw deployError(db.host, L(`${db.harbor.user} may not create tables in "${name}", which already has ${state.tables} tables. As an administrator run: ${alterOwnerSql(name, db.harbor.user)};`, `${db.harbor.user} 无权在已有 ${state.tables} 张表的“${name}”中建表。请以管理员执行：${alterOwnerSql(name, db.harbor.user)};`));
          }
          await run(alterOwnerSql(name, db.harbor.user));
        }
        if (!ours) {
          await record(ctx, 'adopt');
          ctx.log.line(adopted ? `using the existing Harbor database "${name}" as you chose` : `using the existing empty database "${name}"`);
        }
      } finally {
        await admin.end().catch(() => undefined);
      }
    },
  };
}

// ───────────────────────────── harbor.yml ─────────────────────────────

async function renderedFiles(ctx: Ctx, shell: NodeShell): Promise<{ path: string; text: string; mode: number }[]> {
  refuseMysql(ctx);
  const p = ctx.profile;
  const yml = renderHarborYml(await pristineFile(shell, TEMPLATE, ctx.node!.label), p, secrets(ctx));
  const files = [{ path: HARBOR_YML, text: yml, mode: 0o600 }];
  if (tlsOnNodes(p) && p.access.certificate) {
    const tls = v2TlsPaths(p);
    files.push({ path: tls.certificate, text: p.access.certificate.endsWith('\n') ? p.access.certificate : `${p.access.certificate}\n`, mode: 0o644 });
    files.push({ path: tls.privateKey, text: ctx.requireSecret('access.privateKey', L('TLS private key', 'TLS 私钥')), mode: 0o600 });
  }
  return files;
}

function configStep(): Step<HarborEnv> {
  return renderedFilesStep({
    id: 'config',
    title: L('harbor.yml', 'harbor.yml'),
    explain: L(
      "Writes harbor.yml from the installer's own harbor.yml.tmpl, comments kept: hostname (and external_url when TLS ends at the load balancer or clients use another port), the external PostgreSQL, the external Redis with its database indexes (never 0: Harbor drops falsy values), OSS storage with redirects disabled when the internal endpoint is used, job logs in the database ([STD_OUTPUT, DB], since file logs live on one node only), and the internal database/redis blocks removed so they cannot win over the external ones. Every node gets the same file. With TLS on the nodes, the certificate and key go to the data volume. The preview shows the diff against the node, secrets masked.",
      '基于安装包自带的 harbor.yml.tmpl 生成 harbor.yml，保留注释：hostname（TLS 在负载均衡终止或客户端使用其他端口时加 external_url）、外部 PostgreSQL、外部 Redis 及其库编号（不能为 0：Harbor 会丢弃假值）、OSS 存储（使用内网地址时禁用重定向）、任务日志写入数据库（[STD_OUTPUT, DB]，因为文件日志只存在于一个节点上），并删除内置的 database/redis 配置块，避免它们覆盖外部服务。每个节点得到相同的文件。TLS 在节点上终止时，证书和私钥写入数据卷。预览以差异形式显示相对节点现状的变化，密钥已遮盖。',
    ),
    files: renderedFiles,
  });
}

// ───────────────────────────── shared secrets ─────────────────────────────

interface Material {
  readonly files: readonly { id: SharedSecret; path: string; content: string; sha256: string }[];
  /** Where they came from, for the log. */
  readonly origin: string;
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The cluster's secrets: node 1's when it has them, otherwise made once for this run on this computer. */
function material(ctx: Ctx): Promise<Material> {
  return ctx.once('v2-shared-secrets', async () => {
    const p = ctx.profile;
    const node = first(ctx);
    const shell = ctx.shell(node, 'secrets', ctx);
    const list = v2SecretFiles(p);
    const legacy = posix.join(p.options.dataVolume, 'secretkey');
    const [secretkey, legacyKey, privateKey, rootCrt] = await Promise.all([shell.read(list[0]!.path), shell.read(legacy), shell.read(list[1]!.path), shell.read(list[2]!.path)]);
    const origin: string[] = [];
    let key = secretkey ?? legacyKey;
    if (key === null) {
      key = newSecretKey();
      origin.push('secretkey generated');
    } else origin.push(`secretkey from ${node.label}${secretkey === null ? ` (${legacy})` : ''}`);
    let pair: { privateKeyPem: string; certificatePem: string };
    // prepare makes a new pair unless both files exist, so a lone half is replaced too.
    if (privateKey !== null && rootCrt !== null) {
      pair = { privateKeyPem: privateKey, certificatePem: rootCrt };
      origin.push(`token key pair from ${node.label}`);
    } else {
      pair = await newTokenKeyPair();
      origin.push('token key pair generated (RSA 4096)');
    }
    ctx.redactor.add(key);
    for (const s of pemSecrets(pair.privateKeyPem)) ctx.redactor.add(s);
    const content: Record<SharedSecret, string> = { secretkey: key, privateKey: pair.privateKeyPem, rootCrt: pair.certificatePem };
    return { files: list.map((f) => ({ id: f.id, path: f.path, content: content[f.id], sha256: sha(content[f.id]) })), origin: origin.join(', ') };
  });
}

interface SecretsState {
  readonly differ: string[];
  readonly owners: string[];
  /** A legacy <data_volume>/secretkey that prepare would move over the shared one. */
  readonly legacyConflict: boolean;
}

async function secretsState(ctx: Ctx, shell: NodeShell, m: Material): Promise<SecretsState> {
  const paths = m.files.map((f) => f.path);
  const legacy = posix.join(ctx.profile.options.dataVolume, 'secretkey');
  const [sums, stat, legacySum] = await Promise.all([shell.sha256(paths), shell.run(['sh', '-c', 'for f in "$@"; do stat -c "%u:%g %a" -- "$f" 2>/dev/null || echo missing; done', 'sh', ...paths]), shell.sha256([legacy])]);
  const modes = stat.stdout.trim().split('\n');
  const differ = m.files.filter((f, i) => sums[i] !== f.sha256).map((f) => f.path);
  const owners = m.files.filter((f, i) => !differ.includes(f.path) && modes[i] !== `${HARBOR_UID} 600`).map((f) => f.path);
  return { differ, owners, legacyConflict: !!legacySum[0] && legacySum[0] !== m.files[0]!.sha256 };
}

function secretsStep(): Step<HarborEnv> {
  return {
    id: 'secrets',
    title: L('Shared secrets', '共享密钥'),
    explain: L(
      "Every node must have the same secret key (it encrypts the passwords Harbor stores in the shared database) and the same token key pair (core checks /v2/ tokens with this key, so a token signed by one node's core must be accepted by every node's core, or a push through the load balancer fails with 401). Harbor's prepare keeps these files when they exist, so they are written before any install: taken from node 1 when it has them (a running cluster, or adding nodes), otherwise made once on this computer the way prepare makes them (16-character secret key; RSA 4096 key and a self-signed certificate). They go to <data_volume>/secret/keys/secretkey, secret/core/private_key.pem and secret/registry/root.crt with mode 600 and owner 10000. They are never shown or logged.",
      '所有节点必须使用相同的 secretkey（它加密 Harbor 存放在共享数据库中的密码）和相同的令牌密钥对（core 用此密钥校验 /v2/ 令牌，一个节点的 core 签发的令牌必须被每个节点的 core 接受，否则经负载均衡推送会返回 401）。Harbor 的 prepare 会保留已存在的这些文件，因此在任何安装之前写入：节点 1 已有时取自节点 1（运行中的集群或扩容），否则按 prepare 的方式在本机生成一次（16 位 secretkey；RSA 4096 私钥及自签名证书）。文件写入 <data_volume>/secret/keys/secretkey、secret/core/private_key.pem 与 secret/registry/root.crt，权限 600，属主 10000。它们不会被显示或写入日志。',
    ),
    scope: 'each-node',
    async check(ctx) {
      const m = await material(ctx);
      const s = await secretsState(ctx, shellFor(ctx, 'secrets'), m);
      if (s.differ.length) return { done: false, reason: L(`to write: ${s.differ.join(', ')}`, `需要写入：${s.differ.join('、')}`) };
      if (s.owners.length) return { done: false, reason: L(`not owned by 10000 with mode 600: ${s.owners.join(', ')}`, `属主不是 10000 或权限不是 600：${s.owners.join('、')}`) };
      if (s.legacyConflict) return { done: false, reason: L(`${posix.join(ctx.profile.options.dataVolume, 'secretkey')} differs; prepare would move it over the shared secret key`, `${posix.join(ctx.profile.options.dataVolume, 'secretkey')} 不同；prepare 会用它覆盖共享的 secretkey`) };
      return { done: true, reason: L(`${m.files.length} files identical to ${first(ctx).label}'s`, `${m.files.length} 个文件与 ${first(ctx).label} 一致`) };
    },
    async preview(ctx) {
      const list = v2SecretFiles(ctx.profile);
      const node = ctx.node!;
      const source = node.index === 0 ? L('kept when the node has them, otherwise generated on this computer', '节点已有则保留，否则在本机生成') : L(`copied from ${first(ctx).label}`, `从 ${first(ctx).label} 复制`);
      return {
        ...EMPTY_PREVIEW,
        commands: [...list.map((f) => `# write ${f.path} (mode 600)`), commandLine(['chown', HARBOR_UID, ...list.map((f) => f.path)])],
        notes: [L(`${source.en}. The contents are never shown.`, `${source['zh-CN']}。内容不会显示。`)],
      };
    },
    async apply(ctx) {
      const m = await material(ctx);
      const shell = shellFor(ctx, 'secrets');
      const s = await secretsState(ctx, shell, m);
      const dirs = [...new Set(m.files.map((f) => posix.dirname(f.path)))];
      await shell.ok(['sh', '-c', 'umask 022; mkdir -p -- "$@"', 'sh', ...dirs]);
      for (const f of m.files) {
        if (!s.differ.includes(f.path)) continue;
        await shell.write(f.path, f.content, 0o600);
        ctx.log.line(`wrote ${f.path}`);
      }
      const paths = m.files.map((f) => f.path);
      await shell.ok(['chown', HARBOR_UID, ...paths]);
      await shell.ok(['chmod', '600', ...paths]);
      if (s.legacyConflict) {
        const legacy = posix.join(ctx.profile.options.dataVolume, 'secretkey');
        await shell.ok(['mv', '-f', '--', legacy, `${legacy}.before-harbor-ha-${ctx.runId}`]);
        ctx.log.line(`moved ${legacy} aside: prepare would have moved it over the shared secret key`);
      }
      if (ctx.node!.index === 0) ctx.log.line(`shared secrets: ${m.origin}`);
    },
  };
}

// ───────────────────────────── install ─────────────────────────────

const stampInputs = (p: Profile) => [HARBOR_YML, ...v2SecretFiles(p).map((f) => f.path), ...(tlsOnNodes(p) ? [v2TlsPaths(p).certificate, v2TlsPaths(p).privateKey] : [])];

async function stampOf(shell: NodeShell, p: Profile): Promise<string> {
  const sums = await shell.sha256(stampInputs(p));
  return `${sums.map((s) => s ?? 'missing').join(' ')} args=${v2InstallArgs(p).join(',')}`;
}

/**
 * Files the running core holds through file bind mounts (the shared secrets and the TLS files) that were replaced
 * after harbor-core started. The app writes files by renaming a new one over the old, and a file bind mount keeps
 * the inode it was started with: such a core still uses the previous key until its containers are recreated, even
 * though the files on disk (and the install stamp) are right. Seconds resolution: `stat -c %Y` is what CentOS 7 has.
 */
async function replacedSinceCoreStarted(shell: NodeShell, p: Profile): Promise<string[]> {
  const started = await shell.run(['docker', 'inspect', '-f', '{{.State.StartedAt}}', 'harbor-core']);
  const startedAt = Date.parse(started.stdout.trim());
  if (started.code !== 0 || Number.isNaN(startedAt)) return [];
  const paths = stampInputs(p).filter((f) => f !== HARBOR_YML);
  const r = await shell.run(['sh', '-c', 'for f in "$@"; do stat -c %Y -- "$f" 2>/dev/null || echo 0; done', 'sh', ...paths]);
  const mtimes = r.stdout.trim().split('\n').map(Number);
  return paths.filter((_, i) => (mtimes[i] ?? 0) > Math.floor(startedAt / 1000));
}

function installStep(): Step<HarborEnv> {
  return {
    id: 'install',
    title: L('Install Harbor (node 1 first)', '安装 Harbor（先节点 1）'),
    explain: L(
      `Runs install.sh (with --with-trivy when Trivy is on) on node 1 first and waits until /api/v2.0/health reports every component healthy: node 1's core creates and migrates the database tables, and cores that start at the same time fight over the migration lock. Then the other nodes install at once; on a cluster that is serving, nodes are reinstalled one at a time, each healthy again before the next goes down, so the load balancer always has the others. install.sh always stops the node's containers first (docker compose down -v), so a node is installed again only when its harbor.yml, shared secrets or TLS files changed since its last install, when secrets or TLS files were replaced after its core started (a running container keeps the files it was started with), or Harbor is not running or not healthy there.`,
      '先在节点 1 上运行 install.sh（启用 Trivy 时加 --with-trivy），并等待 /api/v2.0/health 报告所有组件健康：节点 1 的 core 会创建并迁移数据库表，同时启动的多个 core 会争抢迁移锁。之后其他节点同时安装；集群正在提供服务时，节点逐个重新安装，每个节点恢复健康之后下一个才停止，因此负载均衡始终有其他节点可用。install.sh 总是先停止节点上的容器（docker compose down -v），因此只有当节点的 harbor.yml、共享密钥或 TLS 文件自上次安装后有变化，密钥或 TLS 文件在 core 启动之后被替换（运行中的容器保留启动时的文件），或 Harbor 未运行、不健康时，才会重新安装。',
    ),
    scope: 'first-then-rest',
    async check(ctx) {
      const shell = shellFor(ctx, 'install');
      const p = ctx.profile;
      const [stamp, current, states] = await Promise.all([shell.read(INSTALL_STAMP), stampOf(shell, p), containerStates(shell)]);
      const down = v2Containers(p).filter((c) => states.get(c)?.state !== 'running');
      if (stamp?.trim() !== current) {
        // Serving now: reinstalled one node at a time (CheckResult.disruptive).
        return { done: false, disruptive: !!stamp && down.length === 0, reason: L(stamp ? 'harbor.yml, the shared secrets or the TLS files changed since the last install' : 'not installed by this app yet', stamp ? '自上次安装以来 harbor.yml、共享密钥或 TLS 文件已变化' : '尚未由本应用安装') };
      }
      if (down.length) return { done: false, reason: L(`not running: ${down.join(', ')}`, `未运行：${down.join('、')}`) };
      const replaced = await replacedSinceCoreStarted(shell, p);
      if (replaced.length) {
        return {
          done: false,
          disruptive: true,
          reason: L(
            `${replaced.join(', ')} replaced after Harbor started here: its running core still holds the previous files until its containers are recreated`,
            `${replaced.join('、')} 在 Harbor 启动之后被替换：正在运行的 core 在容器重建之前仍使用之前的文件`,
          ),
        };
      }
      const h = await nodeHealth(ctx, ctx.node!, 'install');
      if (!h.healthy) return { done: false, reason: L(`not healthy: ${h.detail}`, `不健康：${h.detail}`) };
      return { done: true, reason: L(`${v2Containers(p).length} containers up, every component healthy`, `${v2Containers(p).length} 个容器运行中，所有组件健康`) };
    },
    async preview(ctx) {
      const p = ctx.profile;
      return {
        ...EMPTY_PREVIEW,
        commands: [`cd ${HARBOR_DIR} && ${commandLine(['./install.sh', ...v2InstallArgs(p)])}`, 'GET /api/v2.0/health   # until every component is healthy'],
        notes: [
          L('install.sh stops and removes the Harbor containers on this node (docker compose down -v) before starting new ones; data stays in the data volume, the database and OSS.', 'install.sh 会先停止并删除此节点上的 Harbor 容器（docker compose down -v），再启动新的容器；数据保留在数据卷、数据库和 OSS 中。'),
          ...(ctx.node && ctx.node.index !== 0 ? [L(`Runs after ${first(ctx).label} has installed and is healthy.`, `在 ${first(ctx).label} 安装完成并健康之后运行。`)] : []),
        ],
      };
    },
    async apply(ctx) {
      const p = ctx.profile;
      const node = ctx.node!;
      const shell = shellFor(ctx, 'install');
      if (!(await shell.exists(HARBOR_YML))) throw deployError(node.label, L(`${node.label}: ${HARBOR_YML} is missing; run the harbor.yml step first.`, `${node.label}：缺少 ${HARBOR_YML}；请先运行 harbor.yml 步骤。`));
      const logFrom = await coreLogSize(shell);
      await shell.ok(underUtf8(['sh', '-c', 'cd "$1" && shift && ./install.sh "$@"', 'sh', HARBOR_DIR, ...v2InstallArgs(p)]), { stream: true, timeoutMs: 1_800_000 });
      await shell.write(INSTALL_STAMP, `${await stampOf(shell, p)}\n`, 0o644);
      await waitHealthy(ctx, node, 'install', logFrom);
    },
  };
}

// ───────────────────────────── CSRF_KEY ─────────────────────────────

/** node 1's CSRF_KEY (or a new one when it has none of 32 characters), the same for every cell of the run. */
function csrfReference(ctx: Ctx): Promise<string> {
  return ctx.once('v2-csrf-key', async () => {
    const node = first(ctx);
    const env = await ctx.shell(node, 'csrf', ctx).read(CORE_ENV);
    if (env === null) throw deployError(node.label, L(`${node.label} has no ${CORE_ENV}: install node 1 first.`, `${node.label} 上没有 ${CORE_ENV}：请先安装节点 1。`));
    const key = csrfKeyOf(env);
    const ref = key && CSRF_KEY_RE.test(key) ? key : newCsrfKey();
    ctx.redactor.add(ref);
    return ref;
  });
}

interface CoreState {
  readonly env: string | null;
  /** core/env's mtime, seconds. */
  readonly envMtime: number;
  /** harbor-core's start, ms; null when it is not running. */
  readonly startedAt: number | null;
}

async function coreState(shell: NodeShell): Promise<CoreState> {
  const [env, mtime, inspect] = await Promise.all([
    shell.read(CORE_ENV),
    shell.run(['stat', '-c', '%Y', CORE_ENV]),
    shell.run(['docker', 'inspect', '-f', '{{.State.Running}} {{.State.StartedAt}}', 'harbor-core']),
  ]);
  const [running, started] = inspect.stdout.trim().split(' ');
  // RFC 3339 with nanoseconds: keep milliseconds.
  const at = started ? Date.parse(started.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  return { env, envMtime: Number.parseInt(mtime.stdout.trim(), 10) || 0, startedAt: inspect.code === 0 && running === 'true' && Number.isFinite(at) ? at : null };
}

function csrfStep(): Step<HarborEnv> {
  return {
    id: 'csrf',
    title: L('One CSRF key on every node', '各节点使用同一 CSRF 密钥'),
    explain: L(
      "Harbor's prepare writes a new random CSRF_KEY into common/config/core/env on every install, so each node's core signs the portal's CSRF cookie with its own key, and behind the load balancer a login or any change made in the web UI fails with \"CSRF token invalid\" as soon as two requests reach different nodes (goharbor/harbor#21060). This step puts node 1's key (32 characters) into every node's core/env and recreates harbor-core where the key changed (docker compose up -d core: a plain docker restart keeps the old environment), then waits until Harbor is healthy again. The key is never shown.",
      'Harbor 的 prepare 每次安装都会在 common/config/core/env 中写入新的随机 CSRF_KEY，于是每个节点的 core 用各自的密钥签署门户的 CSRF cookie；在负载均衡之后，只要两个请求落到不同节点，登录或网页上的任何修改都会失败并提示“CSRF token invalid”（goharbor/harbor#21060）。此步骤把节点 1 的密钥（32 个字符）写入每个节点的 core/env，并在密钥变化的节点上重建 harbor-core（docker compose up -d core；单纯 docker restart 会沿用旧的环境变量），然后等待 Harbor 恢复健康。密钥不会显示。',
    ),
    scope: 'each-node',
    async check(ctx) {
      const ref = await csrfReference(ctx);
      const s = await coreState(shellFor(ctx, 'csrf'));
      if (s.env === null) return { done: false, reason: L(`${CORE_ENV} is missing: Harbor is not installed here`, `缺少 ${CORE_ENV}：此处未安装 Harbor`) };
      if (csrfKeyOf(s.env) !== ref) return { done: false, reason: L(`CSRF_KEY differs from ${first(ctx).label}'s`, `CSRF_KEY 与 ${first(ctx).label} 不同`) };
      if (s.startedAt === null) return { done: false, reason: L('harbor-core is not running', 'harbor-core 未运行') };
      if (s.startedAt < s.envMtime * 1000) return { done: false, reason: L('harbor-core started before core/env was last written, so it still uses the previous key', 'harbor-core 的启动早于 core/env 的最近修改，仍在使用之前的密钥') };
      return { done: true, reason: L(`same CSRF_KEY as ${first(ctx).label}, in use by harbor-core`, `与 ${first(ctx).label} 使用相同的 CSRF_KEY，且 harbor-core 已生效`) };
    },
    async preview(ctx) {
      return {
        ...EMPTY_PREVIEW,
        commands: [`# set CSRF_KEY in ${CORE_ENV} to ${first(ctx).label}'s (only where it differs)`, `cd ${HARBOR_DIR} && docker compose up -d core   # only where the key changed`],
        notes: [L('Without one key, a web UI login through the load balancer fails with "CSRF token invalid" when requests reach different nodes.', '若密钥不一致，经负载均衡的网页登录在请求落到不同节点时会失败，提示“CSRF token invalid”。')],
      };
    },
    async apply(ctx) {
      const ref = await csrfReference(ctx);
      const node = ctx.node!;
      const shell = shellFor(ctx, 'csrf');
      const s = await coreState(shell);
      if (s.env === null) throw deployError(node.label, L(`${node.label}: ${CORE_ENV} is missing; run the install step first.`, `${node.label}：缺少 ${CORE_ENV}；请先运行安装步骤。`));
      if (csrfKeyOf(s.env) !== ref) {
        // Written in place (the file keeps its mode and owner); the content goes through stdin, never a command line.
        await shell.ok(['sh', '-c', 'umask 077; cat > "$1.harbor-ha.tmp" && cat "$1.harbor-ha.tmp" > "$1" && rm -f "$1.harbor-ha.tmp"', 'sh', CORE_ENV], { stdin: withCsrfKey(s.env, ref) });
        ctx.log.line(`set CSRF_KEY in ${CORE_ENV} to ${first(ctx).label}'s`);
      }
      const logFrom = await coreLogSize(shell);
      await shell.ok(underUtf8(['sh', '-c', 'cd "$1" && if docker compose version >/dev/null 2>&1; then docker compose up -d core; else docker-compose up -d core; fi', 'sh', HARBOR_DIR]), { stream: true, timeoutMs: 600_000 });
      ctx.log.line('recreated harbor-core with the shared CSRF_KEY');
      await waitHealthy(ctx, node, 'csrf', logFrom);
    },
  };
}

// ───────────────────────────── the plan ─────────────────────────────

/** The 2.x plan, in order. */
export function v2Steps(): Step<HarborEnv>[] {
  return [
    v2PreflightStep(),
    runtimeStep(V2_NEEDS),
    installerStep(),
    unpackStep([TEMPLATE]),
    databaseStep(),
    configStep(),
    secretsStep(),
    installStep(),
    csrfStep(),
    keysVerifyStep(v2SecretFiles),
    firewallStep(),
    verifyStep({ generation: 'v2' }),
  ];
}
