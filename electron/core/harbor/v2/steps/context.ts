/** What the 2.x steps share: the profile's facts they read, node 1, the secrets prepare needs, the Harbor database. */
import { L, type Localized } from '../../../../../shared/i18n/localized';
import type { Profile } from '../../../../../shared/profile';
import type { HarborEnv } from '../../env';
import { deployError } from '../../../deploy/remote';
import type { StepContext } from '../../../deploy/step';
import { HARBOR_DIR } from '../../common/paths';
import { firstNode, preparedSecrets } from '../../common/context';
import { tlsOnNodes } from '../../node';
import type { V2Secrets } from '../config';
import type { Action } from '../../../deploy/plan';
import { ownerPrivilegeHint, pgFromNode } from '../database';

export type Ctx = HarborEnv & StepContext;
/** Re-exported for this folder's modules: the helper is defined once, in shared/i18n/localized.ts. */
export { L };

export const TEMPLATE = 'harbor.yml.tmpl';
export const HARBOR_YML = `${HARBOR_DIR}/harbor.yml`;
export { INSTALL_STAMP } from '../../common/paths';
/** Harbor's containers run as this user; prepare re-owns the secret files to it. */
export const HARBOR_UID = '10000:10000';
export { firstNode, tlsOnNodes };
export const trivyOn = (p: Profile) => p.options.scanner === 'trivy';

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

/** What harbor.yml needs: exactly the secrets both generations' prepare reads. */
export function secrets(env: HarborEnv): V2Secrets {
  return preparedSecrets(env);
}

export function refuseMysql(ctx: Ctx): void {
  const why = mysqlRefusal(ctx.profile);
  if (why) throw deployError(ctx.profile.database.host, why);
}

/** An admin connection to PostgreSQL opened by node 1. */
export async function adminOpener(ctx: Ctx, stepId: string) {
  const p = ctx.profile;
  const node = firstNode(ctx);
  const { client } = await ctx.shell(node, stepId, ctx).connection();
  const account = {
    host: p.database.host,
    port: p.database.port,
    user: p.database.admin.user,
    password: ctx.requireSecret('database.admin.password', L('database administrator password', '数据库管理员密码')),
  };
  return (database: string) => pgFromNode(client, node.label, account, database);
}

export function harborDbName(p: Profile): string {
  return p.database.engine === 'postgresql' ? p.database.harbor.database : 'registry';
}

export function isOurs(ctx: HarborEnv): boolean {
  const p = ctx.profile;
  const r = ctx.harborRecords.load().registryDatabase;
  return !!r && r.host === p.database.host && r.port === p.database.port && r.database === harborDbName(p);
}

/**
 * A statement the plan runs as the admin account, each on its own connection through node 1 (the RDS whitelist is the
 * node's): the preview shows it, the audit records it beside the node's commands. `done` is its log line (default: it).
 */
export function adminStatement(
  ctx: Ctx,
  open: (database: string) => Promise<{ query(sql: string): Promise<unknown>; end(): Promise<void> }>,
  statement: string,
  done?: Localized,
): Action {
  const p = ctx.profile;
  const db = p.database;
  return {
    kind: 'sql',
    statement: `${statement};`,
    server: `PostgreSQL ${db.host}:${db.port} (from ${firstNode(ctx).label})`,
    async run() {
      const admin = await open('postgres');
      try {
        await admin.query(statement);
      } catch (error) {
        if ((error as { code?: string }).code === '42501')
          throw deployError(db.host, ownerPrivilegeHint(db.admin.user, db.harbor.user, harborDbName(p)));
        throw error;
      } finally {
        await admin.end().catch(() => undefined);
      }
    },
    done: done ?? L(`${statement};`, `${statement};`),
  };
}
