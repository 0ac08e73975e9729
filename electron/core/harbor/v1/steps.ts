/**
 * The Harbor 1.4/1.5 HA adapter: the seed runbook as steps, with its mistakes fixed (facts §1–3):
 * registry.sql imported as shipped (it creates `registry` itself) and never over a live database;
 * harbor.cfg and config_ha.yml edited from the installer's own copies; node 1 installs first and
 * its `ha/` key material goes to every other node before that node installs.
 */
import { createHash } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import pg from 'pg';
import type { Localized } from '../../../../shared/i18n/localized';
import type { Profile } from '../../../../shared/profile';
import type { HarborEnv } from '../env';
import { deployError, type NodeShell } from '../../deploy/remote';
import { type NodeRef, type Step, type StepContext } from '../../deploy/step';
import { openFromNode } from '../../probe/tunnel';
import { underUtf8 } from '../common/locale';
import { V1_NEEDS } from '../common/preflight/runtime';
import { TIMEOUTS } from '../common/timeouts';
import { planned, readPurpose, readShell, type Action } from '../../deploy/plan';
import { HARBOR_DIR } from '../common/paths';
import { firewallStep } from '../common/steps/firewall';
import { installerStep } from '../common/steps/installer';
import { keysVerifyStep } from '../common/steps/keys-verify';
import { containerStates } from '../common/steps/nodes';
import { preflightStep } from '../common/steps/preflight';
import { renderedFilesStep } from '../common/steps/rendered-files';
import { runtimeStep } from '../common/steps/runtime';
import { pristineFile, unpackStep } from '../common/steps/unpack';
import { v1Containers, v1KeyFiles } from '../node';
import { verifyStep } from '../common/verify';
import { waitServing } from '../common/verify/answers';
import type { VerifySpec } from '../common/verify/check';
import { renderV1Config, V1_TEMPLATES, v1ClientUrl, v1HarborCfgValues } from './config';
import {
  connectFromNode,
  harborAccountCanUseRegistry,
  importRegistrySql,
  liveDatabaseRefusal,
  registryDbState,
  SQL_MODE_PREFIX,
} from './database';

type Ctx = HarborEnv & StepContext;
const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

const HA_KEYS = ['private_key.pem', 'root.crt', 'secretkey'] as const;
/** Written after a successful install: what it was installed from (sha256 of the inputs). */
const INSTALL_STAMP = `${HARBOR_DIR}/.harbor-ha-deployer-installed`;

const clairOn = (p: Profile) => p.options.scanner === 'clair' && !!p.clair;

function secrets(env: HarborEnv) {
  const p = env.profile;
  return {
    adminPassword: env.requireSecret('harbor.adminPassword', L('Harbor admin password', 'Harbor 管理员密码')),
    dbPassword: env.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码')),
    ...(p.redis.auth === 'none' ? {} : { redisPassword: env.requireSecret('redis.password', L('Redis password', 'Redis 密码')) }),
    ossSecret: env.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret')),
    ...(clairOn(p) ? { clairPassword: env.requireSecret('clair.password', L('Clair database password', 'Clair 数据库密码')) } : {}),
  };
}

function tlsOnNodes(p: Profile) {
  return p.access.protocol === 'https' && p.access.tlsTermination === 'nodes';
}

/** The files the config step writes on a node, rendered from the pristine installer copies. */
async function renderedFiles(ctx: Ctx, shell: NodeShell): Promise<{ path: string; text: string; mode: number }[]> {
  const p = ctx.profile;
  const label = ctx.node!.label;
  const rendered = await renderV1Config(p, secrets(ctx), (relative) => pristineFile(shell, relative, label));
  const files = rendered.map((f) => ({ path: `${HARBOR_DIR}/${f.relative}`, text: f.text, mode: 0o600 }));
  if (tlsOnNodes(p) && p.access.certificate) {
    files.push({ path: `${p.options.dataVolume}/cert/server.crt`, text: p.access.certificate, mode: 0o644 });
    files.push({
      path: `${p.options.dataVolume}/cert/server.key`,
      text: ctx.requireSecret('access.privateKey', L('TLS private key', 'TLS 私钥')),
      mode: 0o600,
    });
  }
  return files;
}

function configStep(): Step<HarborEnv> {
  return renderedFilesStep({
    id: 'config',
    title: L('harbor.cfg and config_ha.yml', 'harbor.cfg 与 config_ha.yml'),
    explain: L(
      "Writes harbor.cfg from the installer's own file with every key kept (hostname, protocol, the external MySQL, redis_url, Clair's database, job workers, and OSS as registry_storage_provider_name = oss with its config line, never as a second storage block). Patches config_ha.yml, which `--ha` renders the registry from: the Redis address without the comma format, its password and database, 10 s timeouts instead of 10 ms, and relativeurls when TLS ends at the load balancer. The preview shows each file as a diff against the node, with secrets masked.",
      '基于安装包自带的 harbor.cfg 生成配置，保留所有键（hostname、协议、外部 MySQL、redis_url、Clair 数据库、任务并发数，以及 OSS：使用 registry_storage_provider_name = oss 及其配置行，而不是再写一个存储块）。修改 `--ha` 用来生成 registry 配置的 config_ha.yml：不带逗号格式的 Redis 地址、其密码与库号、10 秒而不是 10 毫秒的超时；TLS 在负载均衡终止时加上 relativeurls。预览以差异形式显示每个文件相对节点现状的变化，密钥已遮盖。',
    ),
    files: renderedFiles,
  });
}

// ───────────────────────────── database ─────────────────────────────

async function withMysql<T>(ctx: Ctx, multipleStatements: boolean, fn: (conn: Connection, label: string) => Promise<T>): Promise<T> {
  const p = ctx.profile;
  if (p.database.engine !== 'mysql') throw new Error('Harbor 1.x needs MySQL');
  const first = ctx.nodes.find((n) => n.index === 0)!;
  const shell = ctx.shell(first, 'database', ctx);
  const { client } = await shell.connection();
  const conn = await connectFromNode(
    client,
    first.label,
    {
      host: p.database.host,
      port: p.database.port,
      user: p.database.admin.user,
      password: ctx.requireSecret('database.admin.password', L('database administrator password', '数据库管理员密码')),
    },
    multipleStatements,
  );
  try {
    return await fn(conn, first.label);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

async function withClair<T>(ctx: Ctx, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = ctx.profile.clair!;
  const first = ctx.nodes.find((n) => n.index === 0)!;
  const { client } = await ctx.shell(first, 'database', ctx).connection();
  const stream = await openFromNode(client, first.label, c.host, c.port);
  const pc = new pg.Client({
    stream: () => stream,
    host: c.host,
    port: c.port,
    user: c.user,
    password: ctx.requireSecret('clair.password', L('Clair database password', 'Clair 数据库密码')),
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
  });
  await pc.connect();
  try {
    return await fn(pc);
  } finally {
    await pc.end().catch(() => undefined);
  }
}

async function databaseState(ctx: Ctx) {
  const p = ctx.profile;
  const db = p.database;
  const record = ctx.harborRecords.load().registryDatabase;
  const ours = !!record && record.host === db.host && record.port === db.port;
  const state = await withMysql(ctx, false, (conn) => registryDbState(conn));
  const harborCanUse = state.exists && db.harbor.user !== db.admin.user ? await harborAccountCanUseRegistryAs(ctx) : true;
  let clair: boolean | null = null;
  if (clairOn(p)) {
    const name = p.clair!.database;
    clair = await withClair(ctx, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
  }
  return { state, ours, harborCanUse, clair };
}

async function harborAccountCanUseRegistryAs(ctx: Ctx): Promise<boolean> {
  const p = ctx.profile;
  if (p.database.engine !== 'mysql') return false;
  const first = ctx.nodes.find((n) => n.index === 0)!;
  const { client } = await ctx.shell(first, 'database', ctx).connection();
  const conn = await connectFromNode(client, first.label, {
    host: p.database.host,
    port: p.database.port,
    user: p.database.harbor.user,
    password: ctx.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码')),
  });
  try {
    return await harborAccountCanUseRegistry(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** A Harbor database this profile did not create, and the operator did not say what to do with it. */
export async function liveDatabaseFinding(ctx: Ctx): Promise<Localized | null> {
  const p = ctx.profile;
  if (p.database.engine !== 'mysql' || (ctx.options.existingDatabase ?? 'refuse') !== 'refuse') return null;
  const record = ctx.harborRecords.load().registryDatabase;
  if (record && record.host === p.database.host && record.port === p.database.port) return null;
  const state = await withMysql(ctx, false, (conn) => registryDbState(conn));
  if (!state.exists) return null;
  const refusal = liveDatabaseRefusal(state, p.database.host).localized;
  return L(
    `${refusal.en} If it is this cluster's database (adding nodes, or reinstalling), choose "use the existing database".`,
    `${refusal['zh-CN']} 如果它就是本集群的数据库（扩容或重装），请选择“使用现有数据库”。`,
  );
}

function databaseStep(readRegistrySql: (ctx: Ctx) => Promise<string>): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'database',
    title: L('Harbor database', 'Harbor 数据库'),
    explain: L(
      "Imports the installer's ha/registry.sql from node 1 (so the RDS whitelist is a node's), with multi-statement support and SET SESSION sql_mode='NO_ENGINE_SUBSTITUTION' first (MySQL 5.7's strict defaults reject its TIMESTAMP columns). The script creates and uses the `registry` database itself: the runbook's \"create database harbor\" is unnecessary, and Harbor 1.x always uses `registry`. It starts with \"drop database if exists registry\", so it is never run over an existing Harbor database unless you confirm a reset. Creates Clair's PostgreSQL database when Clair is on.",
      "从节点 1 导入安装包中的 ha/registry.sql（这样 RDS 白名单按节点生效），开启多语句支持，并先执行 SET SESSION sql_mode='NO_ENGINE_SUBSTITUTION'（MySQL 5.7 的严格模式会拒绝其中的 TIMESTAMP 列）。该脚本会自己创建并使用 `registry` 数据库：手册中的“create database harbor”没有必要，Harbor 1.x 始终使用 `registry`。脚本以“drop database if exists registry”开头，因此除非您确认重置，否则绝不会在已有 Harbor 数据库上执行。启用 Clair 时，在 PostgreSQL 上创建 Clair 的数据库。",
    ),
    scope: 'cluster',
    async check(ctx) {
      const { state, ours, harborCanUse, clair } = await databaseState(ctx);
      const reset = ctx.options.existingDatabase === 'reset' && !ours;
      const problems: Localized[] = [];
      if (!state.exists) problems.push(L('the registry database does not exist yet', 'registry 数据库尚不存在'));
      else if (!ours && ctx.options.existingDatabase !== 'adopt')
        problems.push(
          reset
            ? L('a reset of the existing registry database was confirmed', '已确认重置现有的 registry 数据库')
            : L('an existing registry database was not created by this app', '现有的 registry 数据库不是本应用创建的'),
        );
      if (!harborCanUse)
        problems.push(
          L(
            `the account ${ctx.profile.database.harbor.user} cannot read the registry database`,
            `账号 ${ctx.profile.database.harbor.user} 无法读取 registry 数据库`,
          ),
        );
      if (clair === false)
        problems.push(
          L(`the Clair database ${ctx.profile.clair!.database} does not exist`, `Clair 数据库 ${ctx.profile.clair!.database} 不存在`),
        );
      if (problems.length)
        return { done: false, reason: L(problems.map((x) => x.en).join('; '), problems.map((x) => x['zh-CN']).join('；')) };
      return {
        done: true,
        reason: L(
          `registry (schema ${state.version ?? '?'}, ${state.tables} tables)${clair ? `; Clair database ${ctx.profile.clair!.database}` : ''}`,
          `registry（结构版本 ${state.version ?? '?'}，${state.tables} 张表）${clair ? `；Clair 数据库 ${ctx.profile.clair!.database}` : ''}`,
        ),
      };
    },
    async plan(ctx) {
      const p = ctx.profile;
      const db = p.database;
      const { state, ours, clair } = await databaseState(ctx);
      const mode = ctx.options.existingDatabase ?? 'refuse';
      const via = ctx.nodes.find((n) => n.index === 0)!.label;
      const notes: Localized[] = [
        L(
          'The runbook\'s "create database harbor" is not needed: registry.sql creates the `registry` database itself.',
          '手册中的“create database harbor”不需要：registry.sql 会自己创建 `registry` 数据库。',
        ),
      ];
      const record = (by: 'import' | 'adopt'): Action => ({
        kind: 'record',
        what:
          by === 'import'
            ? L("Records the imported registry database as this cluster's.", '将导入的 registry 数据库记录为本集群的数据库。')
            : L(
                "Records the existing registry database as this cluster's, as you chose.",
                '按您的选择，将现有的 registry 数据库记录为本集群的数据库。',
              ),
        run: () =>
          ctx.harborRecords.update(
            (r) => (r.registryDatabase = { host: db.host, port: db.port, by, runId: ctx.runId, at: new Date().toISOString() }),
          ),
      });
      const actions: Action[] = [];
      if (!state.exists || (!ours && mode === 'reset')) {
        const sql = await readRegistrySql(ctx);
        const statements = sql.split(';').filter((x) => x.trim()).length;
        const opening = sql
          .split('\n')
          .filter((l) => l.trim() && !l.startsWith('--'))
          .slice(0, 3);
        notes.push(L(`registry.sql starts with: ${opening.join(' ')}`, `registry.sql 开头为：${opening.join(' ')}`));
        actions.push(
          {
            kind: 'sql',
            // the script is shown by name and content hash: what runs is exactly that file, after the session's sql_mode
            statement: `${SQL_MODE_PREFIX}\nSOURCE ${HARBOR_DIR}/ha/registry.sql;  -- ${statements} statements, sha256 ${createHash('sha256').update(sql).digest('hex').slice(0, 12)}…`,
            server: `MySQL ${db.host}:${db.port} (from ${via})`,
            async run() {
              const after = await withMysql(ctx, true, (conn, from) =>
                importRegistrySql(conn, sql, `${db.host} (from ${from})`, { reset: mode === 'reset' }),
              );
              ctx.log.line(`imported registry.sql: database registry with ${after.tables} tables (schema ${after.version ?? '?'})`);
            },
          },
          record('import'),
        );
      } else if (!ours) {
        if (mode !== 'adopt') return { notes, actions: [{ kind: 'fail', message: liveDatabaseRefusal(state, db.host).localized }] };
        actions.push(record('adopt'));
      }
      if (db.engine === 'mysql' && db.harbor.user !== db.admin.user) {
        actions.push({
          kind: 'check',
          what: L(`the account ${db.harbor.user} can read the registry database`, `账号 ${db.harbor.user} 可以读取 registry 数据库`),
          async holds() {
            if (await harborAccountCanUseRegistryAs(ctx)) return;
            throw deployError(
              db.host,
              L(
                `The account ${db.harbor.user} cannot read the registry database. As an administrator run: GRANT ALL PRIVILEGES ON registry.* TO '${db.harbor.user}'@'%';`,
                `账号 ${db.harbor.user} 无法读取 registry 数据库。请以管理员执行：GRANT ALL PRIVILEGES ON registry.* TO '${db.harbor.user}'@'%';`,
              ),
            );
          },
        });
      }
      if (clair === false) {
        const c = p.clair!;
        const statement = `CREATE DATABASE ${pg.escapeIdentifier(c.database)}`;
        actions.push({
          kind: 'sql',
          statement: `${statement};`,
          server: `PostgreSQL ${c.host}:${c.port} (from ${via})`,
          run: () => withClair(ctx, (pc) => pc.query(statement)).then(() => undefined),
          done: `created the Clair database ${c.database}`,
        });
      }
      return { notes, actions };
    },
  });
}

// ───────────────────────────── install ─────────────────────────────

const installArgs = (p: Profile) => ['--ha', ...(clairOn(p) ? ['--with-clair'] : [])];

const V1_VERIFY: VerifySpec = { generation: 'v1' };

const stampInputs = (p: Profile) => [
  `${HARBOR_DIR}/${V1_TEMPLATES.cfg}`,
  `${HARBOR_DIR}/${V1_TEMPLATES.configHa}`,
  ...(v1ClientUrl(p) ? [`${HARBOR_DIR}/${V1_TEMPLATES.adminserverEnv}`] : []),
  ...HA_KEYS.map((k) => `${HARBOR_DIR}/ha/${k}`),
  ...(tlsOnNodes(p) ? [`${p.options.dataVolume}/cert/server.crt`, `${p.options.dataVolume}/cert/server.key`] : []),
];

async function stampOf(shell: NodeShell, p: Profile): Promise<string> {
  const sums = await shell.sha256(stampInputs(p));
  return sums.map((s) => s ?? 'missing').join(' ');
}

function installStep(): Step<HarborEnv> {
  const first = (ctx: Ctx) => ctx.nodes.find((n) => n.index === 0)!;
  const haSums = async (ctx: Ctx, n: NodeRef) => readShell(ctx, 'install', n).sha256(HA_KEYS.map((k) => `${HARBOR_DIR}/ha/${k}`));
  return planned<HarborEnv>({
    id: 'install',
    title: L('Install Harbor (node 1 first)', '安装 Harbor（先节点 1）'),
    explain: L(
      "Node 1 runs install.sh --ha (with --with-clair when Clair is on); its prepare generates the token key pair and the secret key and keeps copies in ha/. Every other node then receives node 1's ha/ files before its own install, so all nodes sign and accept the same tokens. A node whose configuration or keys changed since its last install is installed again (install.sh stops the old containers first); on a cluster that is serving, such nodes are reinstalled one at a time, each answering /api/ping and /api/systeminfo again before the next goes down, so the load balancer always has the others.",
      '节点 1 先运行 install.sh --ha（启用 Clair 时加 --with-clair）；其 prepare 生成令牌密钥对和 secretkey，并在 ha/ 中保留副本。其他节点在各自安装前先获得节点 1 的 ha/ 文件，因此所有节点签发和接受相同的令牌。自上次安装以来配置或密钥有变化的节点会重新安装（install.sh 会先停止旧容器）；集群正在提供服务时，这些节点逐个重新安装，每个节点重新响应 /api/ping 与 /api/systeminfo 之后下一个才停止，因此负载均衡始终有其他节点可用。',
    ),
    scope: 'first-then-rest',
    async check(ctx) {
      const shell = readShell(ctx, 'install');
      const p = ctx.profile;
      const [stamp, current, states] = await Promise.all([shell.read(INSTALL_STAMP), stampOf(shell, p), containerStates(shell)]);
      const down = v1Containers(p).filter((c) => states.get(c)?.state !== 'running');
      if (ctx.node!.index !== 0) {
        const [mine, theirs] = await Promise.all([haSums(ctx, ctx.node!), haSums(ctx, first(ctx))]);
        if (mine.some((s, i) => s !== theirs[i]))
          return { done: false, reason: L(`the ha/ keys differ from ${first(ctx).label}`, `ha/ 密钥与 ${first(ctx).label} 不同`) };
      }
      if (stamp?.trim() !== current) {
        // Serving now: reinstalled one node at a time (CheckResult.disruptive).
        return {
          done: false,
          disruptive: !!stamp && down.length === 0,
          reason: L(
            stamp ? 'the configuration changed since the last install' : 'not installed by this app yet',
            stamp ? '自上次安装以来配置已变化' : '尚未由本应用安装',
          ),
        };
      }
      if (down.length) return { done: false, reason: L(`not running: ${down.join(', ')}`, `未运行：${down.join('、')}`) };
      return { done: true, reason: L(`${v1Containers(p).length} containers up`, `${v1Containers(p).length} 个容器运行中`) };
    },
    async plan(ctx) {
      const p = ctx.profile;
      const node = ctx.node!;
      const actions: Action[] = [];
      if (node.index !== 0) {
        // read from node 1 when written: node 1 makes them in this very step, after this node's preview
        const source = readShell(ctx, 'install', first(ctx));
        const fromNode1 = (k: string) => async () => {
          const content = await source.read(`${HARBOR_DIR}/ha/${k}`);
          if (content === null)
            throw deployError(
              node.label,
              L(
                `${first(ctx).label} has no ${HARBOR_DIR}/ha/${k}: install node 1 first.`,
                `${first(ctx).label} 上没有 ${HARBOR_DIR}/ha/${k}：请先安装节点 1。`,
              ),
            );
          ctx.redactor.add(content.trim());
          return content;
        };
        for (const k of HA_KEYS)
          actions.push({
            kind: 'write',
            path: `${HARBOR_DIR}/ha/${k}`,
            content: fromNode1(k),
            mode: 0o600,
            done: `received ha/${k} from ${first(ctx).label}`,
          });
      }
      actions.push(
        {
          kind: 'run',
          argv: underUtf8(['sh', '-c', 'cd "$1" && shift && ./install.sh "$@"', 'sh', HARBOR_DIR, ...installArgs(p)]),
          options: { stream: true, timeoutMs: TIMEOUTS.installScript },
        },
        // after install.sh: node 1's prepare --ha seeds ha/ with the keys it made, which the stamp covers
        { kind: 'write', path: INSTALL_STAMP, content: async () => `${await stampOf(readShell(ctx, 'install'), p)}\n`, mode: 0o644 },
        // serving again before the next node (a rolling reinstall) or the verification goes on
        {
          kind: 'wait',
          what: L('until /api/ping and /api/systeminfo answer on this node', '直到此节点的 /api/ping 与 /api/systeminfo 有应答'),
          until: () => waitServing(ctx, node, V1_VERIFY, readPurpose('install')),
        },
      );
      return {
        actions,
        notes: [
          L(
            'install.sh stops running Harbor containers on this node (docker-compose down -v) before starting the new ones.',
            'install.sh 会先停止此节点上正在运行的 Harbor 容器（docker-compose down -v），再启动新的容器。',
          ),
          L(
            'It runs under a UTF-8 locale (C.UTF-8, or en_US.UTF-8 where the node has no C.UTF-8): prepare is Python 2 and fails on any non-ASCII value otherwise.',
            '它在 UTF-8 区域设置下运行（C.UTF-8；节点没有时用 en_US.UTF-8）：prepare 是 Python 2 程序，否则遇到任何非 ASCII 字符都会失败。',
          ),
        ],
      };
    },
  });
}

/** The 1.x plan, in order. */
export function v1Steps(): Step<HarborEnv>[] {
  const readRegistrySql = async (ctx: Ctx) => {
    const first = ctx.nodes.find((n) => n.index === 0)!;
    const sql = await readShell(ctx, 'database', first).read(`${HARBOR_DIR}/ha/registry.sql`);
    if (sql === null)
      throw deployError(
        first.label,
        L(
          `${first.label}: ${HARBOR_DIR}/ha/registry.sql is missing: is this a Harbor 1.x offline installer?`,
          `${first.label}：缺少 ${HARBOR_DIR}/ha/registry.sql：这是 Harbor 1.x 离线安装包吗？`,
        ),
      );
    return sql;
  };
  // Node 1's preflight also refuses a live registry database nobody decided about.
  const preflight = preflightStep(
    { ...V1_NEEDS, scriptValues: (env) => v1HarborCfgValues(env.profile, secrets(env)) },
    {
      async check(ctx, r) {
        if (ctx.node?.index !== 0) return r;
        const live = await liveDatabaseFinding(ctx).catch(() => null);
        if (!live) return r;
        ctx.log.line(`✖ ${live.en}`);
        const prefix = r.done ? { en: '1 check failed; nothing was changed:', 'zh-CN': '1 项检查未通过；未做任何更改：' } : r.reason!;
        return { done: false, reason: L(`${prefix.en}\n✖ ${live.en}`, `${prefix['zh-CN']}\n✖ ${live['zh-CN']}`) };
      },
    },
  );
  return [
    preflight,
    runtimeStep(V1_NEEDS),
    installerStep(),
    unpackStep(Object.values(V1_TEMPLATES)),
    databaseStep(readRegistrySql),
    configStep(),
    installStep(),
    keysVerifyStep(v1KeyFiles),
    firewallStep(),
    verifyStep(V1_VERIFY),
  ];
}
