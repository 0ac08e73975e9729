/** The Harbor database: created beforehand and owned by the Harbor account (core creates and migrates the tables). */
import type { HarborEnv } from '../../env';
import type { Step } from '../../../deploy/step';
import { planned, type Action } from '../../../deploy/plan';
import { alterOwnerSql, createDatabaseSql, dropDatabaseSql, harborDbState, liveHarborDatabase } from '../database';
import { type Ctx, L, firstNode, mysqlRefusal, refuseMysql, adminOpener, adminStatement, harborDbName, isOurs } from './context';

// ───────────────────────────── database ─────────────────────────────

export function databaseStep(): Step<HarborEnv> {
  const read = async (ctx: Ctx) => {
    refuseMysql(ctx);
    const p = ctx.profile;
    const open = await adminOpener(ctx, 'database');
    return { open, state: await harborDbState(open, harborDbName(p), p.database.harbor.user), ours: isOurs(ctx) };
  };
  /** This cluster's database from now on: later runs may use it without asking (isOurs). */
  const record = (ctx: Ctx, by: 'create' | 'adopt' | 'adopt-harbor'): Action => {
    const name = harborDbName(ctx.profile);
    const what = {
      create: L(`Records "${name}" as this cluster's database (created by this app).`, `将“${name}”记录为本集群的数据库（由本应用创建）。`),
      adopt: L(
        `Uses the existing empty database "${name}" and records it as this cluster's.`,
        `使用现有的空库“${name}”，并将其记录为本集群的数据库。`,
      ),
      'adopt-harbor': L(
        `Uses the existing Harbor database "${name}" as you chose and records it as this cluster's.`,
        `按您的选择使用现有的 Harbor 数据库“${name}”，并将其记录为本集群的数据库。`,
      ),
    }[by];
    return {
      kind: 'record',
      what,
      run: () =>
        ctx.harborRecords.update(
          (r) =>
            (r.registryDatabase = {
              host: ctx.profile.database.host,
              port: ctx.profile.database.port,
              database: name,
              by: by === 'create' ? 'create' : 'adopt',
              runId: ctx.runId,
              at: new Date().toISOString(),
            }),
        ),
    };
  };
  return planned<HarborEnv>({
    id: 'database',
    title: L('Harbor database (PostgreSQL)', 'Harbor 数据库（PostgreSQL）'),
    explain: L(
      'Harbor 2.x does not create its database: it must exist before the first start, and core then creates and migrates the tables itself (there is no SQL to import, unlike 1.x). From node 1, with the admin account, this step creates the database owned by the Harbor account when it is missing: on PostgreSQL 15 and later only the owner (or an explicit grant) may create tables in "public". An empty database you created beforehand is kept (and given to the Harbor account when it cannot create tables there). A database that already holds Harbor data this app did not create is used only if you chose "Use it", or dropped and created again only if you confirmed a reset.',
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
      if (state.harborSchema && !ours)
        return {
          done: false,
          reason: L(`"${name}" holds Harbor data this app did not create`, `“${name}”包含不是本应用创建的 Harbor 数据`),
        };
      if (!state.harborCanCreate)
        return { done: false, reason: L(`${user} may not create tables in "${name}"`, `${user} 无权在“${name}”中建表`) };
      if (!ours)
        return { done: false, reason: L(`"${name}" exists; it is recorded as this cluster's`, `“${name}”已存在；将记录为本集群的数据库`) };
      return {
        done: true,
        reason: L(`"${name}" owned by ${state.owner} (${state.tables} tables)`, `“${name}”归 ${state.owner} 所有（${state.tables} 张表）`),
      };
    },
    async plan(ctx) {
      const p = ctx.profile;
      const refusal = mysqlRefusal(p);
      if (refusal) return { actions: [{ kind: 'fail', message: refusal }] };
      const db = p.database;
      const name = harborDbName(p);
      const { open, state, ours } = await read(ctx);
      const via = firstNode(ctx).label;
      const notes = [
        L(
          `Run from ${via} as ${db.admin.user}. Harbor's core creates and migrates the tables at its first start.`,
          `从 ${via} 以 ${db.admin.user} 执行。表由 Harbor core 在首次启动时创建并迁移。`,
        ),
      ];
      if (!state.roleExists) {
        return {
          notes,
          actions: [
            {
              kind: 'fail',
              message: L(
                `The account ${db.harbor.user} does not exist on ${db.host}. Create it in the RDS console (a standard account) with the password in the profile, then run this step again.`,
                `${db.host} 上不存在账号 ${db.harbor.user}。请在 RDS 控制台创建该账号（普通账号），密码与集群配置一致，然后重新运行此步骤。`,
              ),
            },
          ],
        };
      }
      const sql = (statement: string): Action => adminStatement(ctx, open, statement);
      const actions: Action[] = [];
      let exists = state.exists;
      if (state.exists && state.harborSchema && !ours) {
        const mode = ctx.options.existingDatabase ?? 'refuse';
        if (mode === 'refuse') return { notes, actions: [{ kind: 'fail', message: liveHarborDatabase(db.host, name, state).localized }] };
        if (mode === 'reset') {
          actions.push(sql(dropDatabaseSql(name, state.serverVersion)));
          exists = false;
        }
      }
      if (!exists) return { notes, actions: [...actions, sql(createDatabaseSql(name, db.harbor.user)), record(ctx, 'create')] };
      if (!state.harborCanCreate) {
        if (state.tables > 0) {
          return {
            notes,
            actions: [
              {
                kind: 'fail',
                message: L(
                  `${db.harbor.user} may not create tables in "${name}", which already has ${state.tables} tables. As an administrator run: ${alterOwnerSql(name, db.harbor.user)};`,
                  `${db.harbor.user} 无权在已有 ${state.tables} 张表的“${name}”中建表。请以管理员执行：${alterOwnerSql(name, db.harbor.user)};`,
                ),
              },
            ],
          };
        }
        actions.push(sql(alterOwnerSql(name, db.harbor.user)));
      }
      if (!ours) actions.push(record(ctx, state.harborSchema ? 'adopt-harbor' : 'adopt'));
      return { notes, actions };
    },
  });
}
