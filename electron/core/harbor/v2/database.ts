/**
 * The Harbor 2.x database on PostgreSQL (facts §4.7): it must exist before the first start and the
 * Harbor account must be able to create tables in its `public` schema, which on PostgreSQL 15+
 * means owning the database (`public` no longer grants CREATE to everyone). Harbor's core creates
 * and migrates the tables itself; there is no schema import. Everything is read and done as the
 * admin account over a connection opened by node 1 (the RDS whitelist is the node's).
 */
import pg from 'pg';
import type { Client } from 'ssh2';
import { ApiError } from '../../../../shared/errors';
import { type Localized, L } from '../../../../shared/i18n/localized';
import { openFromNode } from '../../probe/tunnel';

export interface PgAccount {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** A pg client whose connection the node opens. */
export async function pgFromNode(client: Client, from: string, account: PgAccount, database: string): Promise<pg.Client> {
  const stream = await openFromNode(client, from, account.host, account.port);
  const c = new pg.Client({
    stream: () => stream,
    host: account.host,
    port: account.port,
    user: account.user,
    password: account.password,
    database,
    connectionTimeoutMillis: 10_000,
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return c;
}

export interface HarborDbState {
  /** server_version_num, e.g. 150004. */
  readonly serverVersion: number;
  readonly roleExists: boolean;
  readonly exists: boolean;
  readonly owner?: string;
  /** Tables in its `public` schema. */
  readonly tables: number;
  /** `public.schema_migrations` exists: Harbor's core has started on it (golang-migrate). */
  readonly harborSchema: boolean;
  /** The Harbor account may create tables in `public` (owner, or granted; always before PostgreSQL 15). */
  readonly harborCanCreate: boolean;
  /**
   * Tables in `public` another role owns (the first few, by name). Harbor's core runs its schema migrations as its own
   * account at every start, and they ALTER existing tables, which only their owner may do.
   */
  readonly foreignTables: readonly string[];
  readonly foreignTableCount: number;
  /** schema_migrations' version when a migration stopped half-way (dirty): Harbor's core refuses to start on it. */
  readonly dirtyVersion?: number;
}

/** Reads the state with an admin connection to `postgres` (and to the database when it exists). */
export async function harborDbState(
  open: (database: string) => Promise<pg.Client>,
  database: string,
  harborUser: string,
): Promise<HarborDbState> {
  const admin = await open('postgres');
  let base;
  try {
    const v = await admin.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v");
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [harborUser]);
    const db = await admin.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [
      database,
    ]);
    base = {
      serverVersion: Number(v.rows[0]?.v ?? 0),
      roleExists: (role.rowCount ?? 0) > 0,
      exists: (db.rowCount ?? 0) > 0,
      owner: db.rows[0]?.owner,
    };
  } finally {
    await admin.end().catch(() => undefined);
  }
  if (!base.exists)
    return {
      serverVersion: base.serverVersion,
      roleExists: base.roleExists,
      exists: false,
      tables: 0,
      harborSchema: false,
      harborCanCreate: false,
      foreignTables: [],
      foreignTableCount: 0,
    };
  const c = await open(database);
  try {
    const t = await c.query<{ n: number; m: boolean }>(
      "SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS n, to_regclass('public.schema_migrations') IS NOT NULL AS m",
    );
    const can = base.roleExists
      ? await c.query<{ c: boolean }>(
          "SELECT has_schema_privilege($1, 'public', 'CREATE') AND has_database_privilege($1, current_database(), 'CONNECT') AS c",
          [harborUser],
        )
      : null;
    const dirty =
      t.rows[0]?.m === true
        ? await c.query<{ version: string }>('SELECT version FROM public.schema_migrations WHERE dirty LIMIT 1').catch(() => null)
        : null;
    const foreign = await c.query<{ tablename: string; n: number }>(
      "SELECT tablename, count(*) OVER ()::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner <> $1 ORDER BY tablename LIMIT 5",
      [harborUser],
    );
    return {
      ...base,
      exists: true,
      ...(base.owner ? { owner: base.owner } : {}),
      tables: Number(t.rows[0]?.n ?? 0),
      harborSchema: t.rows[0]?.m === true,
      harborCanCreate: can?.rows[0]?.c === true,
      foreignTables: foreign.rows.map((r) => r.tablename),
      foreignTableCount: Number(foreign.rows[0]?.n ?? 0),
      ...(dirty?.rows[0] ? { dirtyVersion: Number(dirty.rows[0].version) } : {}),
    };
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A PostgreSQL identifier, quoted. */
export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The statements the database step runs, for the preview and for apply. */
export function createDatabaseSql(database: string, owner: string): string {
  return `CREATE DATABASE ${ident(database)} OWNER ${ident(owner)}`;
}
export function alterOwnerSql(database: string, owner: string): string {
  return `ALTER DATABASE ${ident(database)} OWNER TO ${ident(owner)}`;
}
export function dropDatabaseSql(database: string, serverVersion: number): string {
  // WITH (FORCE) ends the sessions of running cores (PostgreSQL 13+).
  return `DROP DATABASE IF EXISTS ${ident(database)}${serverVersion >= 130000 ? ' WITH (FORCE)' : ''}`;
}

/** Why nothing is done to a database holding Harbor data this app did not create. */
export function liveHarborDatabase(host: string, database: string, state: HarborDbState): ApiError {
  return new ApiError({
    code: 'confirmation_required',
    reason: 'registry_database_exists',
    message: L(
      `${host} already has a Harbor database "${database}" (${state.tables} tables, owner ${state.owner ?? '?'}) that this app did not create. Harbor would start on its data. If it is this cluster's database (reinstalling or adding nodes), choose "Use it" for the existing Harbor database; to start from nothing, choose "Reset" (it is dropped and created again, empty).`,
      `${host} 上已有不是本应用创建的 Harbor 数据库“${database}”（${state.tables} 张表，所有者 ${state.owner ?? '?'}）。Harbor 会在其数据上启动。如果它就是本集群的数据库（重装或扩容），请对“已存在的 Harbor 数据库”选择“沿用”；如需从零开始，请选择“重置”（会删除后重新创建一个空库）。`,
    ),
  });
}

/**
 * An adopted database whose tables another role owns: Harbor's migrations (run by core as the Harbor account at every
 * start) could not alter them, and core would not start.
 */
export function foreignTablesFinding(host: string, database: string, harborUser: string, state: HarborDbState): Localized {
  const some = `${state.foreignTables.join(', ')}${state.foreignTableCount > state.foreignTables.length ? ', …' : ''}`;
  return {
    en: `${state.foreignTableCount} tables of "${database}" at ${host} belong to another account than ${harborUser} (${some}). Harbor's core applies its schema migrations as ${harborUser} at every start, and they alter existing tables, which only their owner may do: core would stop with "permission denied".`,
    'zh-CN': `${host} 上“${database}”中有 ${state.foreignTableCount} 张表不属于 ${harborUser}（${some}）。Harbor core 每次启动都会以 ${harborUser} 执行其数据库结构迁移，而迁移会修改已有的表，只有表的所有者才能这样做：core 会因“permission denied”而停止。`,
  };
}

/**
 * The fix for tables another role owns, run by an administrator inside the database: each table handed to the Harbor
 * account (not REASSIGN OWNED, which would also hand over everything else those roles own, databases included).
 */
export function foreignTablesFix(database: string, harborUser: string): Localized {
  const lit = `'${harborUser.replace(/'/g, "''")}'`;
  const sql = `DO $$ DECLARE t record; BEGIN FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> ${lit} LOOP EXECUTE format('ALTER TABLE public.%I OWNER TO %I', t.tablename, ${lit}); END LOOP; END $$;`;
  return {
    en: `As an administrator (a member of ${harborUser}'s role and of the current owners'), connected to "${database}": ${sql} Then run this again.`,
    'zh-CN': `请以管理员身份（需同时是 ${harborUser} 及当前所有者角色的成员）连接到“${database}”执行：${sql} 然后重新运行。`,
  };
}

/** A database whose last migration stopped half-way: Harbor's core refuses to start ("Dirty database version"). */
export function dirtyMigrationFinding(host: string, database: string, version: number): { message: Localized; fix: Localized } {
  return {
    message: {
      en: `"${database}" at ${host} records Harbor's schema migration ${version} as dirty: it stopped half-way, and Harbor's core refuses to start on it ("Dirty database version ${version}. Fix and force version.").`,
      'zh-CN': `${host} 上的“${database}”记录 Harbor 数据库结构迁移 ${version} 为 dirty：它中途停止了，Harbor core 会拒绝在其上启动（“Dirty database version ${version}. Fix and force version.”）。`,
    },
    fix: {
      en: `Restore the database from a backup taken before the failed upgrade, or finish migration ${version} by hand and then run UPDATE schema_migrations SET dirty = false; then run this again.`,
      'zh-CN': `请从升级失败前的备份恢复数据库，或手工完成迁移 ${version} 后执行 UPDATE schema_migrations SET dirty = false;，然后重新运行。`,
    },
  };
}

/** What the admin must do when it may not create a database owned by the Harbor account. */
export function ownerPrivilegeHint(admin: string, harborUser: string, database: string): Localized {
  return L(
    `The account ${admin} may not create a database owned by ${harborUser}. Either run as an account that can: GRANT ${ident(harborUser)} TO ${ident(admin)}; or create the database "${database}" in the RDS console with ${harborUser} as its owner, then run this step again.`,
    `账号 ${admin} 无权创建归 ${harborUser} 所有的数据库。可以由有权限的账号执行：GRANT ${ident(harborUser)} TO ${ident(admin)};，或在 RDS 控制台创建数据库“${database}”并将所有者设为 ${harborUser}，然后重新运行此步骤。`,
  );
}
