/**
 * The Harbor 2.x HA walkthrough end to end against the lab: 3 nodes (then a 4th) with the v2
 * fixture installer, PostgreSQL as RDS, Redis, OSS and a load balancer. Preflight failures change
 * nothing; a full deploy passes verification (health per node and through the LB, realm, push and
 * pull); a second run changes nothing; the CSRF key sync is what makes a cross-node login work;
 * Redis in the Aliyun account:password form and with a password holding `#`, `:` and `@`; a
 * database with Harbor data the app did not create; and a fourth node joining.
 */
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import pg from 'pg';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { profileSchema, type ProfileInput } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { expectStoppedAtPreflight, failures, statuses } from '../helpers/deploy';
import { saveV2LabProfile, V2_LAB_HARBOR_DB } from '../helpers/lab-profile';
import { v2Profile } from '../helpers/profiles';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';
import { csrfLogin } from '../lab/registry-client';

let l: lab.Lab;
const core = testCore();
const ADMIN = 'Harbor-Lab-12345';
const SECRET_FILES = ['/data/secret/keys/secretkey', '/data/secret/core/private_key.pem', '/data/secret/registry/root.crt'];

const ALL_NODES = ['n1', 'n2', 'n3', 'n4'];

async function deploy(request: Parameters<typeof core.deploy.start>[1] = {}): Promise<Journal> {
  // reconfiguring the serving cluster is what these tests do: the operator consents to every node's reinstall
  const { runId } = await core.deploy.start('lab', { confirmDisruption: ALL_NODES, ...request });
  return core.deploy.wait(runId);
}

async function withProfile(tweak: (p: ProfileInput) => void = () => undefined): Promise<void> {
  if (core.profiles.list().some((p) => p.id === 'lab')) await core.profiles.delete('lab');
  await saveV2LabProfile(core.profiles, l, { nodes: 3, tweak });
}

/** Edits the saved profile (secrets given as { value } replace the stored ones). */
async function editProfile(edit: (p: ReturnType<typeof core.profiles.get>['profile']) => void): Promise<void> {
  const view = core.profiles.get('lab');
  const p = structuredClone(view.profile);
  edit(p);
  await core.profiles.save(p, view.revision);
}

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], database = 'postgres'): Promise<T[]> {
  const c = new pg.Client({ ...l.postgres.connection, database });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

const sums = (n: lab.LabNode) => n.execOk(`sha256sum ${SECRET_FILES.join(' ')} | cut -c1-64`);
const csrfOf = async (n: lab.LabNode) => /^CSRF_KEY=(.*)$/m.exec(await n.readText('/opt/harbor/common/config/core/env'))![1]!;
const base = (n: lab.LabNode) => `http://${n.address}`;

beforeAll(async () => {
  l = await lab.up({ nodes: 4, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 4 << 20 });
  await core.vault.initialize('vault passphrase for v2 deploy tests');
  // The Harbor account, as an operator creates it in the RDS console (the app does not create accounts).
  await createV2HarborRole(l);
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('Harbor 2.x preflight', () => {
  /** The run stopped at preflight: nothing after it ran, nothing was written on any node, no database created. */
  async function expectNothingChanged(j: Journal): Promise<void> {
    await expectStoppedAtPreflight(j, l.nodes, ['/opt/harbor-ha', '/opt/harbor', '/data/secret']);
    expect(await sql('SELECT 1 FROM pg_database WHERE datname = $1', [V2_LAB_HARBOR_DB.database])).toEqual([]);
  }
  const preflightError = (j: Journal, node: string) => j.cells.preflight![node]!.error?.en ?? '';

  it('names a wrong PostgreSQL admin password on every node, and changes nothing', async () => {
    await withProfile((p) => {
      p.database.admin.password = { value: 'not-the-password' };
    });
    const j = await deploy();
    for (const n of ['n1', 'n2', 'n3']) expect(preflightError(j, n)).toMatch(/refused the login of "postgres"/);
    await expectNothingChanged(j);
  }, 120_000);

  it("names a wrong password of Harbor's own account on node 1, and changes nothing", async () => {
    await withProfile((p) => {
      p.database.harbor.password = { value: 'Wrong-Harbor-Pw-1' };
    });
    const j = await deploy();
    expect(preflightError(j, 'n1')).toMatch(/refused the login of "harbor".*Harbor could not connect/);
    expect(j.cells.preflight!.n2!.status).toBe('passed');
    await expectNothingChanged(j);
  }, 120_000);

  it('says the Harbor account must exist first, and changes nothing', async () => {
    await withProfile((p) => {
      if (p.database.engine === 'postgresql') p.database.harbor.user = 'nobody';
    });
    const j = await deploy();
    expect(preflightError(j, 'n1')).toMatch(/"nobody" that Harbor connects with does not exist.*RDS console/s);
    await expectNothingChanged(j);
  }, 120_000);

  it('refuses a profile that still has MySQL with the reason, and changes nothing', async () => {
    // The API refuses to save such a profile (the profile rules)...
    const mysql = profileSchema.safeParse(
      v2Profile((p) => {
        p.database = {
          engine: 'mysql',
          host: 'rm-abc.mysql.rds.aliyuncs.com',
          admin: { user: 'root', password: { value: 'x-Admin-1' } },
          harbor: { user: 'root', password: { value: 'x-Admin-1' } },
        };
      }),
    );
    expect(mysql.success).toBe(false);
    expect(JSON.stringify(mysql.error?.issues)).toMatch(/Harbor 2.x supports only PostgreSQL/);
    // ...and the adapter refuses one that reaches it anyway (the store below the API does not apply the rules).
    await withProfile();
    await editProfile((p) => {
      p.database = {
        engine: 'mysql',
        host: l.postgres.address,
        port: 3306,
        admin: { user: 'root', password: { value: 'x-Admin-1' } },
        harbor: { user: 'root', password: { value: 'x-Admin-1' } },
      };
    });
    const j = await deploy();
    for (const n of ['n1', 'n2', 'n3']) expect(preflightError(j, n)).toMatch(/still uses MySQL.*Harbor 2.x has no MySQL support/);
    await expectNothingChanged(j);
  }, 120_000);

  it('refuses a Redis database index of 0 with the reason', () => {
    const zero = profileSchema.safeParse(v2Profile((p) => void (p.redis.dbIndexes = { registry: 0, jobservice: 2, trivy: 5 })));
    expect(zero.success).toBe(false);
    expect(JSON.stringify(zero.error?.issues)).toMatch(/ignores a Redis database index of 0/);
  });
});

describe('Harbor 2.x HA deployment', () => {
  it('deploys onto an empty lab, node 1 first, and passes verification', async () => {
    await withProfile();
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    expect(Object.values(s.preflight!)).toEqual(['passed', 'passed', 'passed']);
    for (const step of ['installer', 'unpack', 'config', 'secrets', 'install', 'firewall'])
      expect(Object.values(s[step]!), step).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(s.database).toEqual({ '*': 'succeeded' });
    // node 1's key is the reference (its core already uses it); nodes 2 and 3 made their own at install and get node 1's
    expect(s.csrf).toEqual({ n1: 'unchanged', n2: 'succeeded', n3: 'succeeded' });
    expect(s['keys-verify']).toEqual({ '*': 'passed' });
    expect(s.verify).toEqual({ '*': 'passed' });
    // node 1 was healthy before the others started installing
    const install = j.cells.install!;
    for (const n of ['n2', 'n3']) expect(Date.parse(install[n]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(install.n1!.finishedAt!));

    const log = core.deploy.log(j.runId);
    const lines = log.map((e) => e.line.en);
    expect(lines.some((x) => /pushed and pulled library\/harbor-ha-verify/.test(x))).toBe(true);
    expect(lines.some((x) => /n1|node-1/.test(x) && /every component healthy/.test(x))).toBe(true);
    expect(lines).toContain(`CREATE DATABASE "${V2_LAB_HARBOR_DB.database}" OWNER "${V2_LAB_HARBOR_DB.user}";`);
    expect(lines.some((x) => /token key pair generated \(RSA 4096\)/.test(x))).toBe(true);

    // the database is owned by Harbor's account
    expect(await sql('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [V2_LAB_HARBOR_DB.database])).toEqual([
      { owner: V2_LAB_HARBOR_DB.user },
    ]);
    // shared secrets: identical, mode 600, owner 10000, and never in the log
    const [n1, n2, n3] = [l.node(1), l.node(2), l.node(3)];
    expect(await sums(n2)).toBe(await sums(n1));
    expect(await sums(n3)).toBe(await sums(n1));
    expect((await n2.execOk(`stat -c '%u:%g %a' ${SECRET_FILES.join(' ')}`)).trim().split('\n')).toEqual([
      '10000:10000 600',
      '10000:10000 600',
      '10000:10000 600',
    ]);
    expect(await n1.readText(SECRET_FILES[0]!)).toMatch(/^[A-Za-z0-9]{16}$/);
    const key = await n1.readText(SECRET_FILES[1]!);
    expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const text = JSON.stringify(log);
    for (const secret of [await n1.readText(SECRET_FILES[0]!), key.split('\n')[5]!, await csrfOf(n1)]) expect(text).not.toContain(secret);
    // one CSRF_KEY everywhere
    expect(await csrfOf(n2)).toBe(await csrfOf(n1));
    expect(await csrfOf(n3)).toBe(await csrfOf(n1));
    // harbor.yml carries the external services and the DB job logger
    const yml = parse(await n2.readText('/opt/harbor/harbor.yml')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(yml.external_database.harbor).toMatchObject({
      host: l.postgres.address,
      username: 'harbor',
      password: V2_LAB_HARBOR_DB.password,
      db_name: 'registry',
    });
    expect(yml.jobservice.job_loggers).toEqual(['STD_OUTPUT', 'DB']);
    expect(yml.database).toBeUndefined();
    // a CSRF-protected web login works across nodes
    expect((await csrfLogin(base(n1), base(n2), 'admin', ADMIN)).status).toBe(200);
    expect((await csrfLogin(base(n3), base(n1), 'admin', ADMIN)).status).toBe(200);
  }, 600_000);

  it('reports every step unchanged on a second run, without reinstalling any node', async () => {
    const before = await Promise.all(l.nodes.slice(0, 3).map((n) => n.invocations('docker')));
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    expect(new Set(Object.values(statuses(j)).flatMap((o) => Object.values(o)))).toEqual(new Set(['unchanged', 'passed']));
    const after = await Promise.all(l.nodes.slice(0, 3).map((n) => n.invocations('docker')));
    after.forEach((calls, i) => {
      const fresh = calls.slice(before[i]!.length).map((c) => c.args.join(' '));
      expect(
        fresh.filter((a) => /^compose .*(down|up)|^restart/.test(a)),
        l.nodes[i]!.name,
      ).toEqual([]);
    });
  }, 600_000);

  it('takes a node whose install was cut before its stamp (containers up) as its own: no adopt needed, installed again', async () => {
    // What a connection lost while install.sh runs leaves: Harbor started by this app, and no install stamp.
    await l.node(2).execOk('rm /opt/harbor/.harbor-ha-deployer-installed');
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    expect(s.preflight!.n2).toBe('passed');
    expect(s.install).toEqual({ n1: 'unchanged', n2: 'succeeded', n3: 'unchanged' });
  }, 600_000);

  it('fails a cross-node login when the CSRF keys differ, and passes once the csrf step has run', async () => {
    // Something to install again everywhere: every install makes a new random CSRF_KEY.
    await editProfile((p) => void (p.options.jobWorkers = 7));
    const nodes = l.nodes.slice(0, 3);
    const before = await Promise.all(nodes.map((n) => n.invocations('docker')));
    const skipped = await deploy({
      skip: { csrf: { en: 'test: leave the keys as install.sh made them', 'zh-CN': '测试：保留 install.sh 生成的密钥' } },
    });
    expect(skipped.state, failures(skipped)).toBe('finished');
    expect(Object.values(statuses(skipped).install!)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    // A running cluster is reinstalled one node at a time: no two nodes are down at once.
    const windows = await Promise.all(
      nodes.map(async (n, i) => {
        const fresh = (await n.invocations('docker')).slice(before[i]!.length);
        const down = fresh.find((c) => /^compose .*\bdown\b/.test(c.args.join(' ')))!;
        const up = fresh.findLast((c) => /^compose .*\bup\b/.test(c.args.join(' ')))!;
        return { node: n.name, from: Date.parse(down.t), to: Date.parse(up.t) };
      }),
    );
    windows.sort((a, b) => a.from - b.from);
    expect(windows[0]!.node).toBe('node-1');
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.from, JSON.stringify(windows)).toBeGreaterThan(windows[i - 1]!.to);
    expect(
      core.deploy
        .log(skipped.runId)
        .map((e) => e.line.en)
        .join('\n'),
    ).toContain('while the other nodes keep serving (one node at a time)');
    const [n1, n2] = [l.node(1), l.node(2)];
    expect(await csrfOf(n2)).not.toBe(await csrfOf(n1));
    const cross = await csrfLogin(base(n1), base(n2), 'admin', ADMIN);
    expect(cross.status).toBe(403);
    expect(cross.body.toString()).toContain('CSRF token invalid');

    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    expect(s.install).toEqual({ n1: 'unchanged', n2: 'unchanged', n3: 'unchanged' });
    expect(s.csrf).toEqual({ n1: 'unchanged', n2: 'succeeded', n3: 'succeeded' });
    expect((await csrfLogin(base(n1), base(n2), 'admin', ADMIN)).status).toBe(200);
    expect((await csrfLogin(base(n2), base(l.node(3)), 'admin', ADMIN)).status).toBe(200);
  }, 600_000);

  it("deploys with Redis in Aliyun's account:password form; previews show no secret", async () => {
    await editProfile((p) => {
      p.redis = { ...p.redis, auth: 'account', username: l.redis.aclUser, password: { value: l.redis.aclPassword } };
    });
    const config = await core.deploy.preview('lab', 'config', 'n2');
    const diff = config.files.find((f) => f.path === '/opt/harbor/harbor.yml')!.diff;
    expect(diff).toMatch(/^\+ {2}password: ["']?harbor:\*{6}/m);
    const secrets = await core.deploy.preview('lab', 'secrets', 'n2');
    expect(secrets.commands.join('\n')).toContain('/data/secret/core/private_key.pem');
    const previews = JSON.stringify([
      config,
      secrets,
      await core.deploy.preview('lab', 'database'),
      await core.deploy.preview('lab', 'csrf', 'n3'),
    ]);
    for (const secret of [
      l.redis.aclPassword,
      V2_LAB_HARBOR_DB.password,
      l.oss.accessKeySecret,
      ADMIN,
      await csrfOf(l.node(1)),
      'PRIVATE KEY-----\\n',
    ])
      expect(previews).not.toContain(secret);
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const yml = parse(await l.node(1).readText('/opt/harbor/harbor.yml')) as { external_redis: Record<string, unknown> };
    expect(yml.external_redis.password).toBe(l.redis.accountPassword);
    expect(yml.external_redis.username).toBeUndefined();
    expect(await l.node(2).readText('/opt/harbor/common/config/core/env')).toContain(
      `_REDIS_URL_CORE=redis://:${encodeURIComponent(l.redis.accountPassword)}@`,
    );
  }, 600_000);

  it('deploys with a Redis password holding #, : and @, and every rendered config carries it exactly', async () => {
    const password = 'Rp@ss:w#rd-9x';
    const r = new Redis({ host: l.redis.address, port: l.redis.port, password: l.redis.password, lazyConnect: true });
    await r.connect();
    await r.call('ACL', 'SETUSER', 'default', `>${password}`);
    r.disconnect();
    await editProfile((p) => {
      p.redis = { host: p.redis.host, port: p.redis.port, auth: 'password', password: { value: password }, dbIndexes: p.redis.dbIndexes };
    });
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    for (const n of l.nodes.slice(0, 3)) {
      expect((parse(await n.readText('/opt/harbor/harbor.yml')) as { external_redis: { password: string } }).external_redis.password).toBe(
        password,
      );
      // prepare writes it unquoted into the registry's YAML: it must still parse back to the same value
      expect(
        (parse(await n.readText('/opt/harbor/common/config/registry/config.yml')) as { redis: { password: string } }).redis.password,
      ).toBe(password);
      expect(await n.readText('/opt/harbor/common/config/core/env')).toContain(`_REDIS_URL_CORE=redis://:${encodeURIComponent(password)}@`);
    }
    expect(JSON.stringify(core.deploy.log(j.runId))).not.toContain(password);
  }, 600_000);

  it('refuses a database holding Harbor data it did not create, and uses it when told to', async () => {
    await sql(`CREATE DATABASE other OWNER ${V2_LAB_HARBOR_DB.user}`);
    // made by the administrator: Harbor's core, migrating as its own account, could not alter it
    await sql(`CREATE TABLE schema_migrations (version bigint NOT NULL, dirty boolean NOT NULL)`, [], 'other');
    await editProfile((p) => {
      if (p.database.engine === 'postgresql') p.database.harbor.database = 'other';
    });
    const refused = await deploy();
    expect(refused.state).toBe('failed');
    expect(refused.cells.preflight!.n1!.error!.en).toMatch(/already has a Harbor database "other".*"Use it"/s);
    expect(refused.cells.config!.n1!.status).toBe('blocked');
    const foreign = await deploy({ options: { existingDatabase: 'adopt' } });
    expect(foreign.state).toBe('failed');
    expect(foreign.cells.preflight!.n1!.error!.en).toMatch(
      /1 tables of "other" at .* belong to another account than harbor \(schema_migrations\)\. Harbor's core applies its schema migrations as harbor.*ALTER TABLE public\.%I OWNER TO %I/s,
    );
    expect(foreign.cells.config!.n1!.status).toBe('blocked');
    // as a Harbor of its own would have made it, but with a migration that stopped half-way
    await sql(
      `ALTER TABLE schema_migrations OWNER TO ${V2_LAB_HARBOR_DB.user}; INSERT INTO schema_migrations VALUES (180, true)`,
      [],
      'other',
    );
    const dirty = await deploy({ options: { existingDatabase: 'adopt' } });
    expect(dirty.state).toBe('failed');
    expect(dirty.cells.preflight!.n1!.error!.en).toMatch(
      /records Harbor's schema migration 180 as dirty.*Dirty database version 180.*UPDATE schema_migrations SET dirty = false/s,
    );
    await sql('DELETE FROM schema_migrations', [], 'other');
    const j = await deploy({ options: { existingDatabase: 'adopt' } });
    expect(j.state, failures(j)).toBe('finished');
    expect(statuses(j).database).toEqual({ '*': 'succeeded' });
    expect(core.deploy.log(j.runId).map((e) => e.line.en)).toContain(
      `Uses the existing Harbor database "other" as you chose and records it as this cluster's.`,
    );
    // recorded as this cluster's: the next run needs no choice
    const again = await deploy();
    expect(again.state, failures(again)).toBe('finished');
    expect(statuses(again).database).toEqual({ '*': 'unchanged' });
  }, 600_000);

  it('adds a fourth node that runs a Harbor of its own: refused until taken over; then the first three report unchanged and it gets the shared secrets and CSRF key', async () => {
    const n4 = l.node(4);
    // A Harbor someone installed by hand (bundled database and Redis, its own keys).
    await n4.execOk(
      `cd /opt && tar xzf ${l.installers.v2} && cd harbor && sed -e 's/^hostname: .*/hostname: ${l.registryName}/' -e '/^https:/,/^$/d' harbor.yml.tmpl > harbor.yml && ./install.sh`,
    );
    const theirs = await sums(n4);
    await editProfile((p) => {
      p.nodes.push({ ...p.nodes[1]!, id: 'n4', name: n4.name, host: n4.address, hostKeyFingerprint: n4.hostKeyFingerprint, jumpHosts: [] });
    });
    const refused = await deploy();
    expect(refused.state).toBe('failed');
    expect(refused.cells.preflight!.n4!.error!.en).toMatch(
      /Harbor v2\.15\.2 is already on this node and was not installed by this app \(running: .*harbor-core.*\).*docker compose down -v/s,
    );
    expect(refused.cells.preflight!.n1!.status).toBe('passed');
    expect(refused.cells.install!.n4!.status).toBe('blocked');
    expect(await sums(n4)).toBe(theirs);
    expect(await n4.exec('test -e /opt/harbor/.harbor-ha-deployer-orig').then((r) => r.code)).not.toBe(0);

    const j = await deploy({ options: { existingDatabase: 'adopt' } });
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    for (const [step, byNode] of Object.entries(s)) {
      for (const id of ['n1', 'n2', 'n3', '*'])
        if (byNode[id] && !['preflight', 'keys-verify', 'verify'].includes(step))
          expect(`${step}@${id}: ${byNode[id]}`).toBe(`${step}@${id}: unchanged`);
    }
    for (const step of ['installer', 'unpack', 'config', 'secrets', 'install', 'csrf', 'firewall'])
      expect(s[step]!.n4, step).toBe('succeeded');
    expect(await sums(n4)).toBe(await sums(l.node(1)));
    expect(await csrfOf(n4)).toBe(await csrfOf(l.node(1)));
    expect((await csrfLogin(base(l.node(1)), base(n4), 'admin', ADMIN)).status).toBe(200);
    const lines = core.deploy
      .log(j.runId)
      .filter((e) => e.nodeId === 'n4')
      .map((e) => e.line.en);
    expect(lines.join('\n')).toMatch(/copied from node-1/);
    // the secrets came from node 1: nothing was generated this time
    expect(
      createHash('sha256')
        .update(await n4.readText(SECRET_FILES[1]!))
        .digest('hex'),
    ).toBe(
      createHash('sha256')
        .update(await l.node(1).readText(SECRET_FILES[1]!))
        .digest('hex'),
    );
  }, 600_000);

  it('fails only the node whose connection drops mid-install, and a resume completes it', async () => {
    // Something to install again everywhere: another job worker count changes harbor.yml.
    await editProfile((p) => (p.options.jobWorkers = 11));
    expect(core.profiles.get('lab').profile.options.jobWorkers).toBe(11);
    const victim = l.node(3);
    const { runId } = await core.deploy.start('lab', { options: { existingDatabase: 'adopt' }, confirmDisruption: ALL_NODES });
    let dropped = false;
    const stop = core.deploy.subscribe(runId, (e) => {
      if (!dropped && e.kind === 'log' && e.entry.stepId === 'install' && e.entry.nodeId === 'n3' && /\[Step \d\]/.test(e.entry.line.en)) {
        dropped = true;
        void victim.dropConnections();
      }
    });
    const j = await core.deploy.wait(runId);
    stop();
    const s = statuses(j);
    expect(dropped, JSON.stringify(s)).toBe(true);
    expect(j.state).toBe('failed');
    expect(s.install).toEqual({ n1: 'succeeded', n2: 'succeeded', n3: 'failed', n4: 'succeeded' });
    expect(s.csrf!.n3).toBe('blocked');
    expect(s.csrf!.n2).not.toBe('blocked');
    expect(j.cells.install!.n3!.error!.en).toMatch(/node-3/);

    await victim.startSshd();
    // node-3 may still serve with its old configuration (cut before install.sh stopped it): consent again
    const resumed = await core.deploy.resume(runId, { options: { existingDatabase: 'adopt' }, confirmDisruption: ['n3'] });
    const done = await core.deploy.wait(resumed.runId);
    expect(done.state, failures(done)).toBe('finished');
    const after = statuses(done);
    expect(after.install!.n3).toBe('succeeded');
    expect(after.install!.n1).toBe('unchanged');
    expect(after.verify!['*']).toBe('passed');
    expect((await csrfLogin(base(l.node(1)), base(victim), 'admin', ADMIN)).status).toBe(200);
  }, 600_000);
});
