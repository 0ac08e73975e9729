/**
 * The PostgreSQL account Harbor 2.x connects with, created from the form when the app holds the admin account and the
 * Harbor account is missing (RDS creates no account by itself; an operator who only made the admin one meets
 * "password authentication failed" at preflight). The password travels as a SCRAM-SHA-256 verifier, as psql's
 * \password sends it: the server never sees the plain password, so no statement log can hold it.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Client } from 'ssh2';
import { ident, pgFromNode, type PgAccount } from '../harbor/v2/database';

const SCRAM_ITERATIONS = 4096;

/** PostgreSQL's stored form of a password (RFC 5802 / 7677 keys, PostgreSQL's `SCRAM-SHA-256$` layout). */
export function scramVerifier(password: string, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** The statement as the operator reads it (and copies it for a DBA): the password left for them to fill in. */
export function createRoleSqlShown(user: string): string {
  return `CREATE ROLE ${ident(user)} LOGIN PASSWORD '<password>';`;
}

export async function roleExists(client: Client, from: string, admin: PgAccount, user: string): Promise<boolean> {
  const c = await pgFromNode(client, from, admin, 'postgres');
  try {
    const r = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
    return r.rowCount === 1;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Creates the role with the verifier of `password`; the caller has checked that it is missing. */
export async function createRole(client: Client, from: string, admin: PgAccount, user: string, password: string): Promise<void> {
  const c = await pgFromNode(client, from, admin, 'postgres');
  try {
    // A verifier holds only [A-Za-z0-9+/=$:-]: no quote can end the literal.
    await c.query(`CREATE ROLE ${ident(user)} LOGIN PASSWORD '${scramVerifier(password)}'`);
  } finally {
    await c.end().catch(() => undefined);
  }
}
