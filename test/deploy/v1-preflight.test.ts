/**
 * Preflight against the lab: each bad input is caught with a clear message, on the right node,
 * before anything changes anywhere; missing runtime pieces are installed only with consent; a
 * deployment whose nodes do not share keys fails the push check (the check is real); hostile but
 * allowed values survive Harbor's rendering end to end.
 */
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { ApiError } from '../../shared/errors';
import { profileSchema, type ProfileInput } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { expectStoppedAtPreflight, statuses } from '../helpers/deploy';
import { saveV1LabProfile } from '../helpers/lab-profile';
import { v1Profile } from '../helpers/profiles';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();

async function withProfile(tweak: (p: ProfileInput) => void = () => undefined): Promise<void> {
  if (core.profiles.list().some((p) => p.id === 'lab')) await core.profiles.delete('lab');
  await saveV1LabProfile(core.profiles, l, { tweak });
}

/**
 * A run of this file's tests. Some deploy a serving cluster again on purpose (other values, the same nodes): the
 * operator's consent to stop each node in turn is given, as the walkthrough's dialog would.
 */
async function deploy(request: Parameters<typeof core.deploy.start>[1] = {}): Promise<Journal> {
  const { runId } = await core.deploy.start('lab', { confirmDisruption: ['n1', 'n2'], ...request });
  return core.deploy.wait(runId);
}

async function mysql(sql: string, values: unknown[] = []): Promise<unknown> {
  const c = await createConnection({ ...l.mariadb.connection, multipleStatements: true });
  try {
    return (await c.query(sql, values))[0];
  } finally {
    await c.end();
  }
}

/** The run stopped at preflight: nothing after it ran, nothing was written on any node. */
const expectNothingChanged = (j: Journal) => expectStoppedAtPreflight(j, l.nodes, ['/opt/harbor-ha', '/opt/harbor']);

const preflightError = (j: Journal, node: string) => j.cells.preflight![node]!.error?.en ?? '';

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v1', services: ['mariadb', 'postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  await core.vault.initialize('vault passphrase for preflight tests');
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

beforeEach(async () => {
  for (const n of l.nodes) await n.configure({ python2: '2.7.5', compose: '1.18.0', composeImportError: false, noUtf8Locale: false });
});

describe('Harbor 1.5 preflight', () => {
  it('names a wrong database password, and changes nothing', async () => {
    await withProfile((p) => {
      if (p.database.engine === 'mysql') p.database.admin.password = { value: 'not-the-password' };
    });
    const j = await deploy();
    expect(preflightError(j, 'n1')).toMatch(/refused the login of "root"/);
    expect(preflightError(j, 'n2')).toMatch(/refused the login of "root"/);
    await expectNothingChanged(j);
  });

  it('refuses non-ASCII values on a node without a UTF-8 locale, naming the values and the fix, and changes nothing', async () => {
    await l.node(2).configure({ noUtf8Locale: true });
    await withProfile((p) => {
      p.harbor.adminPassword = { value: 'Adm-Pässwört-1' };
    });
    const j = await deploy();
    expect(preflightError(j, 'n2')).toMatch(/node-2 .*: the node has no UTF-8 locale .*harbor_admin_password.*UnicodeDecodeError/);
    expect(j.cells.preflight!.n2!.error?.en).toMatch(/localedef -c -i en_US -f UTF-8 en_US\.UTF-8/);
    expect(preflightError(j, 'n1')).not.toMatch(/locale/);
    await expectNothingChanged(j);
  });

  it('says Redis cannot be reached from each node, and changes nothing', async () => {
    await withProfile();
    await l.redis.stop();
    try {
      const j = await deploy();
      expect(preflightError(j, 'n1')).toMatch(/node-1 .* cannot connect to 127\.0\.\d+\.6:6379: the connection was refused/);
      expect(preflightError(j, 'n2')).toMatch(/node-2/);
      await expectNothingChanged(j);
    } finally {
      await l.redis.start();
    }
  });

  it('names a wrong OSS key', async () => {
    await withProfile((p) => (p.oss.accessKeySecret = { value: 'wrong-secret-value' }));
    const j = await deploy();
    expect(preflightError(j, 'n1')).toMatch(/OSS refused the AccessKey \(SignatureDoesNotMatch\)/);
    await expectNothingChanged(j);
  });

  it('finds the node without Python 2 and the one with a too old docker-compose, with their fixes', async () => {
    await withProfile();
    await l.node(1).configure({ compose: '1.5.0' });
    await l.node(2).configure({ python2: null });
    const j = await deploy();
    expect(preflightError(j, 'n1')).toMatch(/docker-compose 1\.5\.0 is older than 1\.6\.0/);
    expect(preflightError(j, 'n1')).not.toMatch(/\/usr\/bin\/python/);
    expect(preflightError(j, 'n2')).toMatch(/there is no \/usr\/bin\/python; Harbor 1\.x's prepare is a Python 2 script/);
    expect(preflightError(j, 'n2')).toMatch(/yum install -y python/);
    await expectNothingChanged(j);
  });

  it("spots the runbook's docker-compose ImportError, and installs what is missing only with consent", async () => {
    await withProfile();
    await l.node(2).configure({ python2: null, composeImportError: true });
    const refused = await deploy({ only: ['preflight', 'runtime'] });
    expect(preflightError(refused, 'n2')).toMatch(
      /ImportError: No module named 'requests\.packages\.urllib3'[\s\S]*pip install requests urllib3 pyOpenSSL --force --upgrade/,
    );
    expect(await l.node(2).invocations('pip')).toEqual([]);
    const fixed = await deploy({ only: ['preflight', 'runtime'], options: { installRuntime: true } });
    expect(statuses(fixed)).toMatchObject({
      preflight: { n1: 'passed', n2: 'passed' },
      runtime: { n1: 'unchanged', n2: 'succeeded' },
    });
    expect((await l.node(2).invocations('pip')).map((i) => i.args.join(' '))).toContain(
      'install requests urllib3 pyOpenSSL --force --upgrade',
    );
    expect((await l.node(2).invocations('yum')).some((i) => i.args.includes('python'))).toBe(true);
    expect((await l.node(2).execOk('/usr/bin/python --version 2>&1')).trim()).toMatch(/^Python 2\./);
  });

  it('asks for the vault before a run reads any secret', async () => {
    await withProfile();
    core.vault.lock();
    try {
      const refused = await core.deploy.start('lab').catch((e: unknown) => e);
      expect((refused as ApiError).code).toBe('vault_locked');
      expect(core.deploy.runs('lab').filter((r) => r.active)).toEqual([]);
    } finally {
      await core.vault.unlock('vault passphrase for preflight tests');
    }
    const one = await deploy({ only: ['preflight'] });
    expect(core.deploy.run(one.runId).run.request).toEqual({ only: ['preflight'] });
  });

  it('refuses the default hostname before anything runs', async () => {
    const parsed = profileSchema.safeParse(v1Profile((p) => (p.access.domain = 'reg.mydomain.com')));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['access', 'domain']);
    expect(parsed.error!.issues[0]!.message).toMatch(/placeholder|install\.sh refuses/);
  });

  it('refuses a live registry database it did not create, and a reset needs the host typed again', async () => {
    await withProfile();
    await mysql(
      "CREATE DATABASE registry; CREATE TABLE registry.alembic_version (version_num varchar(32) NOT NULL); INSERT INTO registry.alembic_version VALUES ('1.5.0'); CREATE TABLE registry.project (id int)",
    );
    try {
      const j = await deploy();
      expect(preflightError(j, 'n1')).toMatch(/already has a Harbor database "registry" \(schema 1\.5\.0, 2 tables\)/);
      expect(preflightError(j, 'n1')).toMatch(/use the existing database/);
      await expectNothingChanged(j);
      const refused = await core.deploy.start('lab', { options: { existingDatabase: 'reset' } }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).code).toBe('confirmation_required');
      expect((refused as ApiError).localized.en).toContain(`type the database host ${l.mariadb.address}`);
      expect(await mysql('SELECT COUNT(*) AS n FROM registry.project')).toEqual([{ n: 0 }]);

      // The deploy path guards registry.sql ("drop database if exists registry") without preflight too: the installer
      // unpacked, so the script is there to import, the database step refuses with the same reason and drops nothing.
      await mysql('INSERT INTO registry.project VALUES (1)');
      const alone = await deploy({ only: ['installer', 'unpack', 'database'] });
      expect(alone.state).toBe('failed');
      expect(statuses(alone).unpack).toEqual({ n1: 'succeeded', n2: 'succeeded' });
      expect(alone.cells.database!['*']!.error?.en).toMatch(/already has a Harbor database "registry" \(schema 1\.5\.0, 2 tables\)/);
      expect(await mysql('SELECT COUNT(*) AS n FROM registry.project')).toEqual([{ n: 1 }]);
    } finally {
      await mysql('DROP DATABASE IF EXISTS registry');
      // the later tests start from nodes where nothing was written
      for (const n of l.nodes) await n.execOk('rm -rf /opt/harbor /opt/harbor-ha');
    }
  });
});

describe('a node reinstalled by hand with keys of its own', () => {
  it('fails verification naming that node, while every node answers alone', async () => {
    await withProfile();
    expect((await deploy()).state).toBe('finished');
    // what an operator does who reinstalls node 2 from a fresh installer: no ha/ keys, so prepare makes new ones
    const n2 = l.node(2);
    await n2.execOk('cd /opt/harbor && rm -f ha/private_key.pem ha/root.crt ha/secretkey && ./install.sh --ha');
    const j = await deploy({ only: ['verify'] });
    expect(j.state).toBe('failed');
    const error = j.cells.verify!['*']!.error!.en;
    expect(error).toMatch(/node-2 .*refuses a token issued by node-1/);
    expect(error).not.toMatch(/node-\d .*: \/api\/ping answered/);
    // Once the keys are shared (the install step copies node 1's), the same check passes.
    const again = await deploy();
    expect(again.state).toBe(again.state === 'finished' ? 'finished' : JSON.stringify(statuses(again)));
    expect(statuses(again).install).toEqual({ n1: 'unchanged', n2: 'succeeded' });
    expect(statuses(again).verify).toEqual({ '*': 'passed' });
  }, 300_000);
});

describe('hostile but allowed values', () => {
  it('reach Harbor exactly as typed: the admin password logs in and the database password connects', async () => {
    // Characters Harbor's unquoted rendering is sensitive to, in positions the policy allows.
    const admin = `Adm;n#1=x:y%z!"q'w`;
    const dbPassword = `Db;p#w=1:x%y!"z'q&v`;
    await mysql(
      "DROP USER IF EXISTS 'harbor'@'%'; CREATE USER 'harbor'@'%' IDENTIFIED BY ?; GRANT ALL PRIVILEGES ON registry.* TO 'harbor'@'%';",
      [dbPassword],
    );
    await withProfile((p) => {
      p.harbor.adminPassword = { value: admin };
      if (p.database.engine === 'mysql') p.database.harbor = { user: 'harbor', password: { value: dbPassword } };
    });
    const j = await deploy();
    expect(j.state, JSON.stringify(statuses(j))).toBe('finished');
    // What prepare rendered on the node carries the values verbatim.
    const env = await l.node(2).readText('/opt/harbor/common/config/adminserver/env');
    expect(env).toContain(`HARBOR_ADMIN_PASSWORD=${admin}\n`);
    expect(env).toContain(`MYSQL_PWD=${dbPassword}\n`);
    // The verification logged in with the admin password and read systeminfo through the harbor account.
    const log = core.deploy
      .log(j.runId)
      .map((e) => e.line.en)
      .join('\n');
    expect(log).toMatch(/✔ pushed and pulled library\/harbor-ha-verify/);
    expect(log).toMatch(/✔ load balancer .*: Harbor v1\.5\.0-lab/);
    expect(log).not.toContain(admin);
    expect(log).not.toContain(dbPassword);
  }, 300_000);

  it("carry non-ASCII characters through Harbor's Python 2 prepare, which runs under a UTF-8 locale", async () => {
    // Python 2 reads harbor.cfg as ASCII under the C locale a non-interactive SSH command gets, and dies.
    const admin = 'Adm-Pässwört-密码1';
    const dbPassword = 'Db-Grüße-数据库2';
    await mysql(
      "DROP USER IF EXISTS 'harbor'@'%'; CREATE USER 'harbor'@'%' IDENTIFIED BY ?; GRANT ALL PRIVILEGES ON registry.* TO 'harbor'@'%';",
      [dbPassword],
    );
    await withProfile((p) => {
      p.harbor.adminPassword = { value: admin };
      if (p.database.engine === 'mysql') p.database.harbor = { user: 'harbor', password: { value: dbPassword } };
    });
    const j = await deploy();
    expect(j.state, `${JSON.stringify(statuses(j))} ${preflightError(j, 'n1')}`).toBe('finished');
    const env = await l.node(1).readText('/opt/harbor/common/config/adminserver/env');
    expect(env).toContain(`HARBOR_ADMIN_PASSWORD=${admin}\n`);
    expect(env).toContain(`MYSQL_PWD=${dbPassword}\n`);
    expect(
      core.deploy
        .log(j.runId)
        .map((e) => e.line.en)
        .join('\n'),
    ).toMatch(/✔ pushed and pulled library\/harbor-ha-verify/);
  }, 300_000);

  it('are refused with a field message when Harbor could not carry them', () => {
    const parsed = profileSchema.safeParse(
      v1Profile((p) => {
        p.harbor.adminPassword = { value: 'admin ;comment' };
        p.redis.password = { value: 'has,comma' };
      }),
    );
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(issues).toMatch(
      /harbor\.adminPassword: .*Harbor admin password: Harbor puts this value into harbor\.cfg \(harbor_admin_password.*\\";\\" does not survive there/,
    );
    expect(issues).toMatch(/redis\.password: .*Redis password: .*redis_url.*\\",\\" does not survive there/);
  });
});
