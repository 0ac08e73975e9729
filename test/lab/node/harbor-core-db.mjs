// Harbor 2.x core's database at start, for the Harbor-like service (harbor-sim.mjs) on a lab node:
//  - the connection core/env describes (POSTGRESQL_* as prepare wrote them; sslmode with the meanings of pgx, the
//    driver Harbor 2.14+ uses; an empty sslmode is "disable", as Harbor's NewPGSQL makes it);
//  - the schema migrations core applies before it serves (src/migration/migration.go, src/common/dao/pgsql.go), done
//    the way golang-migrate's pgx driver does them (database/pgx, migrate.go, database/util.go):
//      ensureVersionTable: pg_advisory_lock(<id of database, schema, table>), create
//        schema_migrations (version bigint not null primary key, dirty boolean not null) if missing, unlock;
//      the version read once (Harbor's migration.Migrate does, before dao.UpgradeSchema);
//      Up: the lock again (given up after 15 s: "timeout: can't acquire database lock"), the version row (none = nil
//        version), "Dirty database version N. Fix and force version." when dirty, "no migration found for version N"
//        when no file has the database's version (a newer Harbor's); then per file with a higher version, in order:
//        TRUNCATE + INSERT (version, dirty=true) in a transaction, the whole file as one simple-protocol query (one
//        implicit transaction), TRUNCATE + INSERT (version, dirty=false); unlock.
//    So several nodes starting at once apply the migrations once; a file that fails leaves the version dirty, and every
//    later start refuses, as Harbor does. Error texts are golang-migrate's and pgx's (no password is ever in them).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');

/** golang-migrate's DefaultMigrationsTable and DefaultLockTimeout. */
export const MIGRATIONS_TABLE = 'schema_migrations';
const LOCK_TIMEOUT_MS = 15_000;

/** golang-migrate's GenerateAdvisoryLockId(database, schema, table): crc32 of the names times a salt, as uint32. */
export function advisoryLockId(database, schema, table) {
  return String(Math.imul(zlib.crc32(Buffer.from([schema, table, database].join('\0'))), 1486364155) >>> 0);
}

// ───────────────────────────── connecting ─────────────────────────────

/** Harbor's database settings from core/env. */
export function coreDatabase(env) {
  return {
    host: env.POSTGRESQL_HOST ?? '',
    port: Number(env.POSTGRESQL_PORT || 5432),
    user: env.POSTGRESQL_USERNAME ?? '',
    password: env.POSTGRESQL_PASSWORD ?? '',
    database: env.POSTGRESQL_DATABASE ?? '',
    sslmode: env.POSTGRESQL_SSLMODE || 'disable',
  };
}

// pgx tries these TLS settings in order (allow: plain first; prefer: TLS first); verify-ca checks the chain but not
// the name, verify-full both.
const insecure = { rejectUnauthorized: false };
const SSL_ATTEMPTS = {
  disable: () => [false],
  allow: () => [false, insecure],
  prefer: () => [insecure, false],
  require: () => [insecure],
  'verify-ca': () => [{ rejectUnauthorized: true, checkServerIdentity: () => undefined }],
  'verify-full': (host) => [{ rejectUnauthorized: true, servername: host }],
};

/** pgconn's text of a server error: `FATAL: password authentication failed for user "x" (SQLSTATE 28P01)`. */
export function pgErrorText(e) {
  return e?.code && e?.severity ? `${e.severity}: ${e.message} (SQLSTATE ${e.code})` : String(e?.message ?? e);
}

/** An open pg.Client for Harbor's settings, or an Error worded like pgx's (the password replaced by xxxxx). */
export async function connect(db, { timeoutMs = 5000 } = {}) {
  const attempts = SSL_ATTEMPTS[db.sslmode]?.(db.host);
  if (!attempts)
    throw new Error(
      `cannot parse \`postgres://${db.user}:xxxxx@${db.host}:${db.port}/${db.database}?sslmode=${db.sslmode}\`: failed to configure TLS (sslmode is invalid)`,
    );
  let last;
  for (const ssl of attempts) {
    const c = new pg.Client({
      host: db.host,
      port: db.port,
      user: db.user,
      password: db.password,
      database: db.database,
      ssl,
      connectionTimeoutMillis: timeoutMs,
    });
    c.on('error', () => {});
    try {
      await c.connect();
      return c;
    } catch (e) {
      last = e;
      await c.end().catch(() => {});
    }
  }
  const why =
    last?.code && last?.severity
      ? pgErrorText(last)
      : /does not support SSL/.test(last?.message)
        ? 'server refused TLS connection'
        : `dial error: ${last?.message ?? last}`;
  throw new Error(`failed to connect to \`user=${db.user} database=${db.database}\`: ${db.host}:${db.port} (${db.host}): ${why}`);
}

/** Close without waiting for the server: a backend blocked in pg_advisory_lock does not read the goodbye. */
function drop(client) {
  client.connection?.stream?.destroy();
}

// ───────────────────────────── the migration files (golang-migrate's file source) ─────────────────────────────

/** `<version>_<identifier>.up.<ext>` in `dir`, by version; an Error like golang-migrate's for a missing folder. */
export function readUpMigrations(dir) {
  let names;
  try {
    names = fs.readdirSync(dir ?? '/nonexistent');
  } catch (e) {
    throw new Error(
      `failed to open source, "file://migrations/postgresql/": open .: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`,
    );
  }
  const byVersion = new Map();
  for (const name of names) {
    const m = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/.exec(name);
    if (!m || m[3] !== 'up') continue;
    const version = Number(m[1]);
    if (byVersion.has(version))
      throw new Error(`failed to open source, "file://migrations/postgresql/": duplicate migration file: ${name}`);
    byVersion.set(version, { version, identifier: m[2], file: `${dir}/${name}` });
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

// ───────────────────────────── golang-migrate's pgx driver ─────────────────────────────

const quoteIdent = (s) => `"${String(s).split('\0')[0].replace(/"/g, '""')}"`;

/** database.Error's text: `<cause> in line <n>: <query>`, or with a message: `<msg> in line <n>: <query> (details: <cause>)`. */
function dbError(cause, query, { message, line = 0 } = {}) {
  const orig = pgErrorText(cause);
  return new Error(message ? `${message} in line ${line}: ${query} (details: ${orig})` : `${orig} in line ${line}: ${query}`);
}

/** runStatement's error: the position PostgreSQL names turned into line and column of the file (0 = none given). */
function migrationError(cause, query) {
  if (!cause?.code) return dbError(cause, query, { message: 'migration failed' });
  const chars = [...query.replace(/\r\n/g, '\n')];
  const pos = Number(cause.position ?? 0);
  let message = `migration failed: ${cause.message}`;
  let line = 0;
  if (pos <= chars.length) {
    const before = chars.slice(0, pos);
    line = before.filter((c) => c === '\n').length + 1;
    message += ` (column ${pos - 1 - before.lastIndexOf('\n')})`;
  }
  if (cause.detail) message += `, ${cause.detail}`;
  return dbError(cause, query, { message, line });
}

async function lock(client, id, timeoutMs) {
  const query = 'SELECT pg_advisory_lock($1)';
  const locked = client.query(query, [id]).then(
    () => undefined,
    (e) => dbError(e, query, { message: 'try lock failed' }),
  );
  if (timeoutMs === undefined) {
    const e = await locked;
    if (e) throw e;
    return;
  }
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const r = await Promise.race([locked, timedOut]);
  clearTimeout(timer);
  if (r === 'timeout') {
    drop(client);
    throw new Error("timeout: can't acquire database lock");
  }
  if (r) throw r;
}

async function unlock(client, id) {
  await client.query('SELECT pg_advisory_unlock($1)', [id]).catch(() => {});
}

async function exec(client, query, params) {
  try {
    return await client.query(query, params);
  } catch (e) {
    throw dbError(e, query);
  }
}

async function setVersion(client, table, version, dirty) {
  await exec(client, 'BEGIN');
  try {
    await exec(client, `TRUNCATE ${table}`);
    await exec(client, `INSERT INTO ${table} (version, dirty) VALUES ($1, $2)`, [version, dirty]);
    await exec(client, 'COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/** { version, dirty }; version -1 (golang-migrate's nil version) when the table is empty or missing. */
async function currentVersion(client, table) {
  const query = `SELECT version, dirty FROM ${table} LIMIT 1`;
  try {
    const row = (await client.query(query)).rows[0];
    return row ? { version: Number(row.version), dirty: row.dirty } : { version: -1, dirty: false };
  } catch (e) {
    if (e.code === '42P01') return { version: -1, dirty: false };
    throw dbError(e, query);
  }
}

/**
 * Harbor core's migration at start (migration.Migrate → dao.UpgradeSchema → migrate.Up) on an open connection.
 * `log(level, message)` gets Harbor's lines. Resolves with the versions applied (none: "No change in schema, skip.");
 * rejects with golang-migrate's error text.
 */
export async function migrateUp(client, dir, log, { lockTimeoutMs = LOCK_TIMEOUT_MS } = {}) {
  const migrations = readUpMigrations(dir);
  // migrate.New → WithInstance: names, then ensureVersionTable under the lock (no timeout there)
  const database = (await exec(client, 'SELECT CURRENT_DATABASE() AS d')).rows[0].d;
  const schema = (await exec(client, 'SELECT CURRENT_SCHEMA() AS s')).rows[0].s;
  if (!schema) throw new Error('failed to open database: no schema');
  const table = `${quoteIdent(schema)}.${quoteIdent(MIGRATIONS_TABLE)}`;
  const lockId = advisoryLockId(database, schema, MIGRATIONS_TABLE);
  await lock(client, lockId);
  try {
    const present = await exec(
      client,
      'SELECT COUNT(1) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2 LIMIT 1',
      [schema, MIGRATIONS_TABLE],
    );
    if (Number(present.rows[0].n) !== 1)
      await exec(client, `CREATE TABLE IF NOT EXISTS ${table} (version bigint not null primary key, dirty boolean not null)`);
  } catch (e) {
    throw new Error(`failed to open database: ${e.message}`);
  } finally {
    await unlock(client, lockId);
  }
  // migration.Migrate reads the version once before dao.UpgradeSchema (e.g. a table the account may not read ends here)
  await currentVersion(client, table);

  log('INFO', '[/common/dao/pgsql.go:135]', 'Upgrading schema for pgsql ...');
  const applied = [];
  try {
    await lock(client, lockId, lockTimeoutMs);
    try {
      const { version, dirty } = await currentVersion(client, table);
      if (dirty) throw new Error(`Dirty database version ${version}. Fix and force version.`);
      if (version >= 0 && !migrations.some((m) => m.version === version))
        throw new Error(`no migration found for version ${version}: read down for version ${version} .: file does not exist`);
      if (version < 0 && migrations.length === 0) throw new Error('first .: file does not exist');
      for (const m of migrations.filter((x) => x.version > version)) {
        const started = performance.now();
        const body = fs.readFileSync(m.file, 'utf8');
        await setVersion(client, table, m.version, true);
        try {
          await client.query(body);
        } catch (e) {
          throw migrationError(e, body);
        }
        await setVersion(client, table, m.version, false);
        applied.push(m.version);
        log('INFO', '', `${m.version}/u ${m.identifier} (${(performance.now() - started).toFixed(3)}ms)`);
      }
    } finally {
      await unlock(client, lockId);
    }
  } catch (e) {
    // Go's %q of the message: one line, however long
    log('ERROR', '[/common/dao/pgsql.go:140]', `Failed to upgrade schema, error: ${JSON.stringify(e.message)}`);
    throw e;
  }
  if (!applied.length) log('INFO', '[/common/dao/pgsql.go:138]', 'No change in schema, skip.');
  return applied;
}
