/**
 * Statements on the lab's PostgreSQL as its superuser or as Harbor's own account, each on a connection of its own.
 */
import pg from 'pg';
import type { Lab } from '../lab';
import { V2_LAB_HARBOR_DB } from './lab-profile';

async function run(config: pg.ClientConfig, text: string): Promise<pg.QueryResultRow[]> {
  const c = new pg.Client(config);
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/** The rows of a statement as the superuser, on `database`. */
export function labSql(l: Lab, text: string, database = 'postgres'): Promise<pg.QueryResultRow[]> {
  return run({ ...l.postgres.connection, database }, text);
}

/** A statement as Harbor's own account, which owns its database (what Harbor's core writes). */
export function asHarbor(l: Lab, text: string): Promise<pg.QueryResultRow[]> {
  return run(
    { ...l.postgres.connection, user: V2_LAB_HARBOR_DB.user, password: V2_LAB_HARBOR_DB.password, database: V2_LAB_HARBOR_DB.database },
    text,
  );
}

/** Harbor's account as the RDS console creates it (the 2.x lab profile names it; the deployment creates its database). */
export async function createV2HarborRole(l: Lab): Promise<void> {
  await labSql(l, `CREATE ROLE ${V2_LAB_HARBOR_DB.user} LOGIN PASSWORD '${V2_LAB_HARBOR_DB.password}'`);
}
