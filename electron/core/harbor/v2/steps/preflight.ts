/** 2.x preflight: the database and account as Harbor will use them, and a Harbor the app did not install. */
import { restoreInputOf } from '../../restore/source';
import type { Localized } from '../../../../../shared/i18n/localized';
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { probeTcp } from '../../../probe/probes';
import { bad, failedField, findingLine, findingsError, type Finding } from '../../common/preflight/findings';
import { V2_NEEDS } from '../../common/preflight/runtime';
import { posix } from 'node:path';
import { HARBOR_DIR, INSTALL_STAMP, INSTALL_STARTED } from '../../common/paths';
import { containerStates } from '../../common/steps/nodes';
import { preflightStep } from '../../common/steps/preflight';
import { readPurpose, readShell } from '../../../deploy/plan';
import { v2SecretFiles } from '../../node';
import {
  alterOwnerSql,
  dirtyMigrationFinding,
  foreignTablesFinding,
  foreignTablesFix,
  harborDbState,
  liveHarborDatabase,
  pgFromNode,
  type HarborDbState,
} from '../database';
import { type Ctx, L, mysqlRefusal, adminOpener, harborDbName, isOurs } from './context';

// ───────────────────────────── preflight ─────────────────────────────

/** A passed check given as one text (the shared `ok` takes the two languages apart). */
export const good = (id: string, message: Localized): Finding => ({ id, ok: true, severity: 'error', message });

/** Node 1: the Harbor account, the database and what the database step will do with it. */
export async function databaseFindings(ctx: Ctx, label: string): Promise<Finding[]> {
  const p = ctx.profile;
  const why = mysqlRefusal(p);
  if (why) return [bad('database.mysql', why)];
  const db = p.database;
  const name = harborDbName(p);
  const { client } = await readShell(ctx, 'preflight').connection();
  // An unreachable database is reported by the shared checks already.
  if (!(await probeTcp(client, label, db.host, db.port)).ok) return [];
  let state: HarborDbState;
  try {
    state = await harborDbState(await adminOpener(ctx, readPurpose('preflight')), name, db.harbor.user);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '28P01' || code === '28000') return []; // the admin login finding says it
    return [
      bad(
        'postgresql.state',
        L(
          `${label}: cannot read the databases on ${db.host} as ${db.admin.user}: ${(error as Error).message}`,
          `${label}：无法以 ${db.admin.user} 读取 ${db.host} 上的数据库：${(error as Error).message}`,
        ),
      ),
    ];
  }
  const out: Finding[] = [];
  const pg15 = state.serverVersion >= 150000;
  if (!state.roleExists) {
    out.push(
      bad(
        'postgresql.harbor.role',
        L(
          `The PostgreSQL account "${db.harbor.user}" that Harbor connects with does not exist on ${db.host}.`,
          `Harbor 连接使用的 PostgreSQL 账号“${db.harbor.user}”在 ${db.host} 上不存在。`,
        ),
        L(
          `Create it in the RDS console (Accounts → Create account, a standard account) with the password stored in the profile, or as an administrator: CREATE ROLE "${db.harbor.user}" LOGIN PASSWORD '…'; then run the preflight again.`,
          `请在 RDS 控制台创建该账号（账号管理 → 创建账号，普通账号），密码与集群配置中保存的一致；或以管理员执行：CREATE ROLE "${db.harbor.user}" LOGIN PASSWORD '…';，然后重新运行预检。`,
        ),
      ),
    );
    return out;
  }
  // The Harbor account's own login: errors after authentication (no such database, no CONNECT) still prove the password.
  const harborPassword = ctx.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码'));
  try {
    const c = await pgFromNode(
      client,
      label,
      { host: db.host, port: db.port, user: db.harbor.user, password: harborPassword },
      state.exists ? name : 'postgres',
    );
    await c.end().catch(() => undefined);
    out.push(good('postgresql.harbor', L(`PostgreSQL login as ${db.harbor.user}`, `PostgreSQL 以 ${db.harbor.user} 登录`)));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '28P01' || code === '28000') {
      out.push(
        bad(
          'postgresql.harbor',
          L(
            `PostgreSQL at ${db.host} refused the login of "${db.harbor.user}" from ${label}: Harbor could not connect with the password in the profile.`,
            `${db.host} 上的 PostgreSQL 拒绝了来自 ${label} 的账号“${db.harbor.user}”登录：Harbor 无法用集群配置中的密码连接。`,
          ),
          L(
            'Correct the Harbor database password in the profile (or reset it in the RDS console).',
            '请在集群配置中更正 Harbor 数据库密码（或在 RDS 控制台重置）。',
          ),
        ),
      );
    } else if (code !== '3D000' && code !== '42501') {
      out.push(
        bad(
          'postgresql.harbor',
          L(
            `${label}: login as ${db.harbor.user} failed: ${(error as Error).message}`,
            `${label}：以 ${db.harbor.user} 登录失败：${(error as Error).message}`,
          ),
        ),
      );
    } else out.push(good('postgresql.harbor', L(`PostgreSQL login as ${db.harbor.user}`, `PostgreSQL 以 ${db.harbor.user} 登录`)));
  }
  const ours = isOurs(ctx);
  const mode = ctx.options.existingDatabase ?? 'refuse';
  if (restoreInputOf(ctx)) {
    // A restore replaces the database whatever it holds now (a dirty migration is often why): restore-check read it.
    out.push(
      good('postgresql.restore', L(`the restore replaces "${name}" with the archive's database`, `恢复会用归档中的数据库替换“${name}”`)),
    );
  } else if (state.exists && state.harborSchema && !ours && mode === 'refuse') {
    out.push(bad('postgresql.existing', liveHarborDatabase(db.host, name, state).localized));
  } else if (state.exists && !state.harborCanCreate && state.tables > 0 && !(state.harborSchema && mode === 'reset')) {
    out.push(
      bad(
        'postgresql.owner',
        L(
          `${db.harbor.user} may not create tables in the public schema of "${name}" (owner ${state.owner ?? '?'}${pg15 ? '; PostgreSQL 15 and later no longer let every account create in public' : ''}), and the database already has ${state.tables} tables, so the app does not change its owner.`,
          `${db.harbor.user} 无权在“${name}”的 public 模式中建表（所有者 ${state.owner ?? '?'}${pg15 ? '；PostgreSQL 15 起不再允许所有账号在 public 中建表' : ''}），且该库已有 ${state.tables} 张表，因此应用不会更改其所有者。`,
        ),
        L(
          `As an administrator run: ${alterOwnerSql(name, db.harbor.user)}; (or GRANT CREATE ON SCHEMA public TO "${db.harbor.user}"; inside it).`,
          `请以管理员执行：${alterOwnerSql(name, db.harbor.user)};（或在该库中执行 GRANT CREATE ON SCHEMA public TO "${db.harbor.user}";）。`,
        ),
      ),
    );
  } else if (state.dirtyVersion !== undefined && !(state.harborSchema && !ours && mode === 'reset')) {
    const d = dirtyMigrationFinding(db.host, name, state.dirtyVersion);
    out.push(bad('postgresql.dirty', d.message, d.fix));
  } else if (state.exists && state.foreignTableCount > 0 && !(state.harborSchema && !ours && mode === 'reset')) {
    out.push(
      bad('postgresql.table-owner', foreignTablesFinding(db.host, name, db.harbor.user, state), foreignTablesFix(name, db.harbor.user)),
    );
  } else {
    const plan = !state.exists
      ? L(`the database step creates "${name}" owned by ${db.harbor.user}`, `数据库步骤将创建归 ${db.harbor.user} 所有的“${name}”`)
      : state.harborSchema && !ours && mode === 'reset'
        ? L(
            `the database step drops "${name}" and creates it again, empty (you confirmed a reset)`,
            `数据库步骤将删除“${name}”并重新创建空库（您已确认重置）`,
          )
        : !state.harborCanCreate
          ? L(
              `"${name}" is empty: the database step makes ${db.harbor.user} its owner`,
              `“${name}”为空：数据库步骤会把其所有者改为 ${db.harbor.user}`,
            )
          : L(
              `"${name}" exists (owner ${state.owner}, ${state.tables} tables)${state.harborSchema ? ' and holds Harbor data' : ''}`,
              `“${name}”已存在（所有者 ${state.owner}，${state.tables} 张表）${state.harborSchema ? '，且包含 Harbor 数据' : ''}`,
            );
    out.push(
      good(
        'postgresql.database',
        L(
          `PostgreSQL ${Math.floor(state.serverVersion / 10000)}: ${plan.en}`,
          `PostgreSQL ${Math.floor(state.serverVersion / 10000)}：${plan['zh-CN']}`,
        ),
      ),
    );
  }
  return out;
}

/**
 * Paths that prove this app installed Harbor on the node, or started to (INSTALL_STARTED): in HARBOR_DIR, or in the
 * folder an unpack moved aside.
 */
export const OURS_STAMPS = `ls -d ${[INSTALL_STAMP, INSTALL_STARTED]
  .map((f) => posix.basename(f))
  .flatMap((name) => [`${HARBOR_DIR}/${name}`, `${HARBOR_DIR}.before-*/${name}`])
  .join(' ')} 2>/dev/null | head -n 1`;

/** Harbor running on the node that this app did not install: refused without consent, saying what would change. */
export async function existingHarborFinding(ctx: Ctx, shell: NodeShell, label: string): Promise<Finding | null> {
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
    L(
      'If this Harbor belongs to this cluster, choose "Use it" for the existing Harbor database to take it over; otherwise use other nodes.',
      '如果这个 Harbor 属于本集群，请对“已存在的 Harbor 数据库”选择“沿用”以接管它；否则请换用其他节点。',
    ),
  );
}

export function v2PreflightStep(): Step<HarborEnv> {
  return preflightStep(V2_NEEDS, {
    explain: L(
      'Changes nothing. From every node: docker ≥ 20.10.10 and the compose plugin (or docker-compose ≥ 1.27), free space, and PostgreSQL, Redis (the password, Aliyun\'s account:password, or user and password) and OSS as that node reaches them. On node 1 also: the Harbor account logs in, and the Harbor database exists or can be created owned by it (PostgreSQL 15 no longer lets every account create tables in "public"). A profile still on MySQL is refused (Harbor 2.x runs only on PostgreSQL), and Harbor found running on a node that this app did not install is not overwritten without your consent.',
      '不做任何更改。从每个节点检查：docker ≥ 20.10.10 与 compose 插件（或 docker-compose ≥ 1.27）、磁盘空间，以及该节点能否访问 PostgreSQL、Redis（密码、阿里云的 账号:密码，或用户名加密码）和 OSS。在节点 1 上还检查：Harbor 账号能否登录，Harbor 数据库是否存在或能否创建为归该账号所有（PostgreSQL 15 起不再允许所有账号在 public 中建表）。仍使用 MySQL 的集群配置会被拒绝（Harbor 2.x 只支持 PostgreSQL）；节点上已运行、但不是本应用安装的 Harbor，未经您同意不会被覆盖。',
    ),
    async check(ctx, base) {
      let r = base;
      const label = ctx.node!.label;
      const shell = readShell(ctx, 'preflight');
      const extra: Finding[] = [];
      const existing = await existingHarborFinding(ctx, shell, label).catch(() => null);
      if (existing) extra.push(existing);
      if (ctx.node!.index === 0) extra.push(...(await databaseFindings(ctx, label)));
      else {
        const why = mysqlRefusal(ctx.profile);
        if (why) extra.push(bad('database.mysql', why));
      }
      for (const f of extra) ctx.log.line(findingLine(f));
      const failed = extra.filter((f) => !f.ok && f.severity === 'error');
      if (failed.length) {
        if (r.done) r = { done: false, reason: findingsError(failed), ...failedField(failed) };
        else {
          const lines = (lang: 'en' | 'zh-CN') =>
            failed.map((f) => `✖ ${f.message[lang]}${f.fix ? `\n  → ${f.fix[lang]}` : ''}`).join('\n');
          r = {
            done: false,
            reason: L(`${r.reason!.en}\n${lines('en')}`, `${r.reason!['zh-CN']}\n${lines('zh-CN')}`),
            ...(r.field ? { field: r.field } : failedField(failed)),
          };
        }
      }
      return r;
    },
  });
}
