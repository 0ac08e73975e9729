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
import type { Localized } from '../../../../shared/i18n/localized';
import { openFromNode } from '../../probe/tunnel';

const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

export interface PgAccount {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** A pg client whose connection the node opens. */
export async function pgFromNode(client: Client, from: string, account: PgAccount, database: string): Promise<pg.Client> {
  const stream = await openFromNode(client, from, account.host, account.port);
  const c = new pg.Client({ stream: () => stream as never, host: account.host, port: account.port, user: account.user, password: account.password, database, connectionTimeoutMillis: 10_000 });
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
}

/** Reads the state with an admin connection to `postgres` (and to the database when it exists). */
export async function harborDbState(open: (database: string) => Promise<pg.Client>, database: string, harborUser: string): Promise<HarborDbState> {
  const admin = await open('postgres');
  let base;
  try {
    const v = await admin.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v");
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [harborUser]);
    const db = await admin.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [database]);
    base = { serverVersion: Number(v.rows[0]?.v ?? 0), roleExists: (role.rowCount ?? 0) > 0, exists: (db.rowCount ?? 0) > 0, owner: db.rows[0]?.owner };
  } finally {
    await admin.end().catch(() => undefined);
  }
  if (!base.exists) return { serverVersion: base.serverVersion, roleExists: base.roleExists, exists: false, tables: 0, harborSchema: false, harborCanCreate: false };
  const c = await open(database);
  try {
    const t = await c.query<{ n: number; m: boolean }>("SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS n, to_regclass('public.schema_migrations') IS NOT NULL AS m");
    const can = base.roleExists ? await c.query<{ c: boolean }>("SELECT has_schema_privilege($1, 'public', 'CREATE') AND has_database_privilege($1, current_database(), 'CONNECT') AS c", [harborUser]) : null;
    return { ...base, exists: true, ...(base.owner ? { owner: base.owner } : {}), tables: Number(t.rows[0]?.n ?? 0), harborSchema: t.rows[0]?.m === true, harborCanCreate: can?.rows[0]?.c === true };
  } finally {
    await c.end().catch(() => undefined);
  }
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

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

/** What the admin must do when it may not create a database owned by the Harbor account. */
export function ownerPrivilegeHint(admin: string, harborUser: string, database: string): Localized {
  return L(
    `The account ${admin} may not create a database owned by ${harborUser}. Either run as an account that can: GRANT ${ident(harborUser)} TO ${ident(admin)}; or create the database "${database}" in the RDS console with ${harborUser} as its owner, then run this step again.`,
    `账号 ${admin} 无权创建归 ${harborUser} 所有的数据库。可以由有权限的账号执行：GRANT ${ident(harborUser)} TO ${ident(admin)};，或在 RDS 控制台创建数据库“${database}”并将所有者设为 ${harborUser}，然后重新运行此步骤。`,
  );
}
