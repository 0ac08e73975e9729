/**
 * The Harbor 1.x database: the installer's own ha/registry.sql, imported from a node (through its
 * SSH connection, so the RDS whitelist is the node's) with multi-statement support and a relaxed
 * session sql_mode for MySQL 5.7's strict defaults. registry.sql drops and re-creates the
 * `registry` database itself, so an existing Harbor database is never overwritten without consent.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import type { Client } from 'ssh2';
import { ApiError } from '../../../../shared/errors';
import { L } from '../../../../shared/i18n/localized';
import { openFromNode } from '../../probe/tunnel';

export const SQL_MODE_PREFIX = "SET SESSION sql_mode='NO_ENGINE_SUBSTITUTION';";

export interface MysqlAccount {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export interface RegistryDbState {
  /** `registry.alembic_version` exists: a Harbor database is there. */
  readonly exists: boolean;
  /** Its schema version (e.g. 1.5.0) when it exists. */
  readonly version?: string;
  readonly tables: number;
}

/** A mysql2 connection opened by the node. */
export async function connectFromNode(
  client: Client,
  from: string,
  account: MysqlAccount,
  multipleStatements = false,
): Promise<Connection> {
  const stream = await openFromNode(client, from, account.host, account.port);
  try {
    return await createConnection({ stream, user: account.user, password: account.password, multipleStatements, connectTimeout: 10_000 });
  } catch (error) {
    stream.destroy();
    throw error;
  }
}

export async function registryDbState(conn: Connection): Promise<RegistryDbState> {
  const [tables] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'registry'");
  const n = Number((tables as { n: number }[])[0]?.n ?? 0);
  const [alembic] = await conn.query(
    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'registry' AND table_name = 'alembic_version'",
  );
  if (Number((alembic as { n: number }[])[0]?.n ?? 0) === 0) return { exists: false, tables: n };
  const [rows] = await conn.query('SELECT version_num AS v FROM registry.alembic_version LIMIT 1');
  const v = (rows as { v: string }[])[0]?.v;
  return { exists: true, tables: n, ...(v ? { version: v } : {}) };
}

/** Why the import is refused on a live database, and how to go on. */
export function liveDatabaseRefusal(state: RegistryDbState, host: string): ApiError {
  return new ApiError({
    code: 'confirmation_required',
    reason: 'registry_database_exists',
    message: L(
      `${host} already has a Harbor database "registry" (schema ${state.version ?? 'unknown'}, ${state.tables} tables). registry.sql starts with "drop database if exists registry": importing it would delete every project, user and image record. The step keeps the existing database. Only if you want to start from nothing, confirm a reset.`,
      `${host} 上已经有 Harbor 数据库 registry（结构版本 ${state.version ?? '未知'}，${state.tables} 张表）。registry.sql 以“drop database if exists registry”开头：导入会删除所有项目、用户和镜像记录。本步骤会保留现有数据库。只有在确实要从零开始时，才确认重置。`,
    ),
  });
}

/**
 * Imports registry.sql with the session sql_mode relaxed. Refuses when the database exists unless
 * `reset` is true (the operator confirmed).
 */
export async function importRegistrySql(
  conn: Connection,
  sql: string,
  host: string,
  options: { reset?: boolean } = {},
): Promise<RegistryDbState> {
  const before = await registryDbState(conn);
  if (before.exists && !options.reset) throw liveDatabaseRefusal(before, host);
  await conn.query(`${SQL_MODE_PREFIX}\n${sql}`);
  return registryDbState(conn);
}

/** The harbor account may use the registry database (what adminserver will do at start). */
export async function harborAccountCanUseRegistry(conn: Connection): Promise<boolean> {
  try {
    await conn.query('SELECT COUNT(*) FROM registry.properties');
    return true;
  } catch {
    return false;
  }
}
