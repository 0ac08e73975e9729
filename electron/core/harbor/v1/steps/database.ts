/** The registry database (ha/registry.sql imported as shipped, never over a live database) and Clair's. */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Localized } from '../../../../../shared/i18n/localized';
import type { HarborEnv } from '../../env';
import { deployError } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { planned, readShell, type Action } from '../../../deploy/plan';
import { type Ctx, L, firstNode } from '../../common/context';
import { HARBOR_DIR } from '../../common/paths';
import { importRegistrySql, liveDatabaseRefusal, registryDbState, SQL_MODE_PREFIX } from '../database';
import { harborAccountCanUseRegistryAs, withClair, withMysql } from './connections';
import { clairOn } from './context';
import { restoreInputOf } from '../../restore/source';

/** Node 1's ha/registry.sql, as the installer ships it. */
export async function readRegistrySql(ctx: Ctx): Promise<string> {
  const first = firstNode(ctx);
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

/** A Harbor database this profile did not create, and the operator did not say what to do with it. */
export async function liveDatabaseFinding(ctx: Ctx): Promise<Localized | null> {
  const p = ctx.profile;
  // A restore replaces the database whatever it holds: restore-check read it and asked for the host when it must.
  if (p.database.engine !== 'mysql' || (ctx.options.existingDatabase ?? 'refuse') !== 'refuse' || restoreInputOf(ctx)) return null;
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

export function databaseStep(readRegistrySql: (ctx: Ctx) => Promise<string>): Step<HarborEnv> {
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
      const via = firstNode(ctx).label;
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
              ctx.log.line(
                L(
                  `imported registry.sql: database registry with ${after.tables} tables (schema ${after.version ?? '?'})`,
                  `已导入 registry.sql：registry 数据库共 ${after.tables} 张表（schema ${after.version ?? '?'}）`,
                ),
              );
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
          done: L(`created the Clair database ${c.database}`, `已创建 Clair 数据库 ${c.database}`),
        });
      }
      return { notes, actions };
    },
  });
}
