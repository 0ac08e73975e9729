/**
 * Tests of the lab itself: the 2.x Harbor-like core applies Harbor's real schema migrations (the release's
 * make/migrations/postgresql, as the core image holds them) at start, the way Harbor core does with golang-migrate:
 * under golang-migrate's advisory lock, with schema_migrations(version, dirty), as the account core/env names (not a
 * superuser, as on RDS). When that fails, core does not come up and /var/log/harbor/core.log says why.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VERSIONS } from './fixtures';
import { releaseDir } from './harbor-release';
import { installHarbor, prepareHarborNode } from './harbor-yml';
import { up, type Lab, type LabNode } from './index';
import { request } from './registry-client';

let lab: Lab;

/** The schema versions of the release the lab installs (its `<version>_*.up.sql`), and the newest. */
const VERSIONS = fs
  .readdirSync(path.join(releaseDir(DEFAULT_VERSIONS.v2), 'make', 'migrations', 'postgresql'))
  .flatMap((f) => /^(\d+)_.*\.up\.sql$/.exec(f)?.[1] ?? [])
  .map(Number);
const NEWEST = Math.max(...VERSIONS);

/** golang-migrate's GenerateAdvisoryLockId(database, schema, table) (database/util.go), written from its definition. */
const lockId = (database: string, ...names: string[]) =>
  String(Math.imul(zlib.crc32(Buffer.from([...names, database].join('\0'))), 1486364155) >>> 0);

interface HarborDb {
  readonly name: string;
  readonly user: string;
  readonly password: string;
}

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], database = 'postgres'): Promise<T[]> {
  const c = new pg.Client({ ...lab.postgres.connection, database });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** A Harbor account (LOGIN, nothing more) and its database, owned by it or (ownedByHarbor false) by the admin. */
async function harborDb(name: string, ownedByHarbor: boolean): Promise<HarborDb> {
  const db = { name, user: `${name}_user`, password: `Hb-${crypto.randomBytes(9).toString('hex')}` };
  await sql(`CREATE ROLE ${db.user} LOGIN PASSWORD '${db.password}'`);
  await sql(`CREATE DATABASE ${db.name} OWNER ${ownedByHarbor ? db.user : 'postgres'}`);
  // what PostgreSQL 15 and later do by default (RDS too); said here so the test does not depend on the version
  await sql('REVOKE CREATE ON SCHEMA public FROM PUBLIC', [], db.name);
  return db;
}

const prepareNode = (n: LabNode, db: HarborDb) => prepareHarborNode(lab, n, { database: db });
const install = installHarbor;
const coreLog = async (n: LabNode) => ((await n.exists('/var/log/harbor/core.log')) ? n.readText('/var/log/harbor/core.log') : '');
const ping = async (n: LabNode) => (await request(`http://${n.address}/api/v2.0/ping`)).status;
const versions = (db: HarborDb) => sql<{ version: string; dirty: boolean }>('SELECT version, dirty FROM schema_migrations', [], db.name);
/** The time between two core.log lines, from their syslog timestamps. */
const msBetween = (log: string, from: RegExp, to: RegExp) => {
  const at = (re: RegExp) =>
    Date.parse(
      log
        .split('\n')
        .find((l) => re.test(l))!
        .split(' ')[0]!,
    );
  return at(to) - at(from);
};

beforeAll(async () => {
  lab = await up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss'], bundleSize: 1 << 20 });
  console.log(`[lab] v2 lab with 2 nodes up in ${lab.bringUpMs} ms (slot ${lab.slot})`);
});
afterAll(async () => {
  await lab?.down();
});

describe("the 2.x Harbor-like core applies Harbor's schema migrations", () => {
  const db: { fresh?: HarborDb } = {};

  it('computes the lock id as golang-migrate does (its own test vectors)', () => {
    expect(lockId('database_name')).toBe('1764327054');
    expect(lockId('database_name', 'schema_name_1', 'schema_name_2')).toBe('3743845847');
  });

  it('two nodes installing at once wait on the lock; one applies every migration as the Harbor account, the other finds the schema current', async () => {
    const d = (db.fresh = await harborDb('harbor_mig', true));
    const [a, b] = [lab.node(1), lab.node(2)];
    // Hold golang-migrate's lock for (registry database, public, schema_migrations) so both cores must wait on it.
    const holder = new pg.Client({ ...lab.postgres.connection, database: d.name });
    await holder.connect();
    const id = lockId(d.name, 'public', 'schema_migrations');
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [id]);
      await Promise.all([a, b].map((n) => prepareNode(n, d)));
      const installs = Promise.all([a, b].map(install));
      const waiting = async () =>
        Number(
          (
            await holder.query<{ n: string }>(
              "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1::bigint::oid AND NOT granted",
              [id],
            )
          ).rows[0]!.n,
        );
      await expect.poll(waiting, { timeout: 120_000, interval: 200 }).toBe(2);
      expect(await ping(a)).toBe(502);
      expect(await sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", [], d.name)).toEqual([]);
      await holder.query('SELECT pg_advisory_unlock($1)', [id]);
      await installs;
    } finally {
      await holder.end();
    }
    for (const n of [a, b]) await expect.poll(() => ping(n), { timeout: 60_000, interval: 200 }).toBe(200);

    const logs = await Promise.all([a, b].map(coreLog));
    const applier = logs.findIndex((l) => l.includes(' 1/u initial_schema ('));
    expect(applier, logs.join('\n')).toBeGreaterThanOrEqual(0);
    // every file, in order of version
    expect([...logs[applier]!.matchAll(/ (\d+)\/u /g)].map((m) => Number(m[1]))).toEqual([...VERSIONS].sort((x, y) => x - y));
    expect(logs[1 - applier]).toContain('No change in schema, skip.');
    expect(logs[1 - applier]).not.toMatch(/ \d+\/u /);
    for (const l of logs) {
      expect(l).toContain('The database has been migrated successfully');
      expect(l).not.toMatch(/\[(ERROR|FATAL)\]/);
      expect(l).not.toContain(d.password);
    }
    console.log(
      `[lab] Harbor's ${VERSIONS.length} schema migrations (to version ${NEWEST}) applied in ${msBetween(logs[applier]!, /Upgrading schema/, /migrated successfully/)} ms`,
    );

    expect(await versions(d)).toEqual([{ version: String(NEWEST), dirty: false }]);
    const owners = await sql<{ tablename: string; tableowner: string }>(
      "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY tablename",
      [['artifact', 'harbor_user', 'project', 'schema_migrations']],
      d.name,
    );
    expect(owners).toEqual(
      ['artifact', 'harbor_user', 'project', 'schema_migrations'].map((tablename) => ({ tablename, tableowner: d.user })),
    );
    expect(await sql('SELECT username FROM harbor_user WHERE user_id = 1', [], d.name)).toEqual([{ username: 'admin' }]);
  }, 300_000);

  it('a second start applies nothing; a dirty version keeps core down until it is cleared, then core restarts by itself', async () => {
    const d = db.fresh!;
    const a = lab.node(1);
    let seen = (await coreLog(a)).length;
    const fresh = async () => (await coreLog(a)).slice(seen);
    await a.execOk('docker restart harbor-core');
    expect(await fresh()).toContain('No change in schema, skip.');
    expect(await fresh()).not.toMatch(/ \d+\/u /);
    console.log(
      `[lab] a core start with nothing to apply: ${msBetween(await fresh(), /Registering database/, /migrated successfully/)} ms from connecting to migrated`,
    );
    expect(await versions(d)).toEqual([{ version: String(NEWEST), dirty: false }]);
    expect(await ping(a)).toBe(200);

    // a migration that failed half-way leaves the version dirty: golang-migrate refuses to go on
    await sql('UPDATE schema_migrations SET dirty = true', [], d.name);
    seen = (await coreLog(a)).length;
    await a.execOk('docker restart harbor-core');
    expect(await fresh()).toContain(
      `[FATAL] [/core/main.go:215]: failed to migrate the database, error: Dirty database version ${NEWEST}. Fix and force version.`,
    );
    const down = await request(`http://${a.address}/api/v2.0/health`);
    expect(down.status).toBe(502);
    expect(down.body.toString()).toContain('502 Bad Gateway');
    await sql('UPDATE schema_migrations SET dirty = false', [], d.name);
    await expect.poll(() => ping(a), { timeout: 90_000, interval: 250 }).toBe(200);
    expect(await fresh()).toContain('No change in schema, skip.');
  }, 180_000);

  it("an account that may not create tables: core does not come up and core.log has PostgreSQL's refusal; granted, core comes up", async () => {
    const d = await harborDb('harbor_nocreate', false);
    const n = lab.node(2);
    await prepareNode(n, d);
    const seen = (await coreLog(n)).length;
    await install(n);
    const log = (await coreLog(n)).slice(seen);
    expect(log).toContain(
      '[FATAL] [/core/main.go:215]: failed to migrate the database, error: failed to open database: ERROR: permission denied for schema public (SQLSTATE 42501) in line 0: CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)',
    );
    expect(log).not.toContain(d.password);
    expect(await ping(n)).toBe(502);
    expect(await sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", [], d.name)).toEqual([]);

    // a wrong password in core/env: core stops at connecting, and the log names the refusal (not the password)
    const env = '/opt/harbor/common/config/core/env';
    const good = await n.readText(env);
    await n.writeFile(env, good.replace(/^POSTGRESQL_PASSWORD=.*$/m, 'POSTGRESQL_PASSWORD=Not-The-Password-1'));
    const before = (await coreLog(n)).length;
    await n.execOk('docker restart harbor-core');
    const wrong = (await coreLog(n)).slice(before);
    expect(wrong).toContain(
      `[FATAL] [/core/main.go:201]: failed to initialize database: register db Ping \`default\`, failed to connect to \`user=${d.user} database=${d.name}\``,
    );
    expect(wrong).toContain(`FATAL: password authentication failed for user "${d.user}" (SQLSTATE 28P01)`);
    expect(wrong).not.toContain('Not-The-Password-1');
    await n.writeFile(env, good);
    await n.execOk('docker restart harbor-core');

    await sql(`GRANT CREATE ON SCHEMA public TO ${d.user}`, [], d.name);
    await expect.poll(() => ping(n), { timeout: 90_000, interval: 250 }).toBe(200);
    expect(await versions(d)).toEqual([{ version: String(NEWEST), dirty: false }]);
  }, 300_000);
});
