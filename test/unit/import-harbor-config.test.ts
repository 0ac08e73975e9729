import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  detectHarborGeneration,
  draftFromHarborConfig,
  parseHarborCfg,
  type HarborConfigImport,
} from '../../electron/core/profiles/import-harbor-config';
import { profileShape } from '../../shared/profile/schema';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url)), 'utf8');

/** Every secret the fixtures hold, imported or not: none may appear in a draft or a note. */
const FIXTURE_SECRETS = [
  'Adm1nPw-Zx81',
  'MyHarborPw-Op2',
  'ClairPw-Nm3',
  'RedisPw-Ty5',
  'OssSecret-Rs6Long',
  'AdminPw#9Zq x',
  'PgHarborPw-Vw4',
  'RedisPw:Ty5',
  'MysqlPw-Gg2',
  'AclPw-Hh3',
  'OssSecret-Ii4',
  'Harbor12345',
  'root123',
  'MailPw-Kk9',
  'UaaSecret-Jj8',
];

function expectNoLeak(r: HarborConfigImport): void {
  const visible = JSON.stringify(r.draft) + JSON.stringify(r.notes);
  for (const s of FIXTURE_SECRETS) expect(visible, `"${s}" leaked into the draft or a note`).not.toContain(s);
  for (const s of r.secrets) expect(visible).not.toContain(s.value);
}

const allNotes = (r: HarborConfigImport) => r.notes.map((n) => n.en).join('\n');
const allNotesZh = (r: HarborConfigImport) => r.notes.map((n) => n['zh-CN']).join('\n');

describe("harbor.cfg (1.5, the seed runbook's shape)", () => {
  const r = draftFromHarborConfig('harbor.cfg', fixture('harbor-1.5.cfg'));

  it('detects Harbor 1.x and fills every field the file determines', () => {
    expect(r.generation).toBe('v1');
    expect(r.draft).toEqual({
      harbor: { generation: 'v1', version: '1.5.0' },
      access: { domain: 'registry.xxx.com', protocol: 'http' },
      database: { engine: 'mysql', host: 'xxx.mysql.rds.aliyuncs.com', port: 3306, harbor: { user: 'mysql-user' } },
      clair: { host: 'xxx.pg.rds.aliyuncs.com', port: 3433, user: 'pg-user', database: 'postgres' },
      redis: {
        host: 'r-bp1abc.redis.rds.aliyuncs.com',
        port: 6379,
        auth: 'account',
        username: 'harbor_acct',
        dbIndexes: { jobservice: 0 },
      },
      oss: {
        accessKeyId: 'LTAI5tExampleKeyId',
        region: 'oss-cn-beijing',
        bucket: 'my-harbor-registry',
        internal: true,
        rootDirectory: '/harbor',
        secure: true,
        encrypt: false,
      },
      options: { scanner: 'clair', jobWorkers: 5 },
    });
  });

  it('puts secrets only into `secrets`, with their profile paths (the inline " ;" comment is not part of the password)', () => {
    expect(r.secrets).toEqual([
      { path: ['harbor', 'adminPassword'], value: 'Adm1nPw-Zx81' },
      { path: ['database', 'harbor', 'password'], value: 'MyHarborPw-Op2' },
      { path: ['clair', 'password'], value: 'ClairPw-Nm3' },
      { path: ['redis', 'password'], value: 'RedisPw-Ty5' },
      { path: ['oss', 'accessKeySecret'], value: 'OssSecret-Rs6Long' },
    ]);
    expectNoLeak(r);
  });

  it('explains the account:password split, the Clair guess and what the file cannot give, in both languages', () => {
    const en = allNotes(r);
    expect(en).toMatch(/account:password/);
    expect(en).toMatch(/harbor_acct/);
    expect(en).toMatch(/Clair.*guess/);
    expect(en).toMatch(/nodes.*load balancer/);
    expect(allNotesZh(r)).toMatch(/节点.*负载均衡/);
    for (const n of r.notes) expect(n['zh-CN']).not.toBe('');
  });

  it('gives a draft that, once nodes, load balancer and secrets are added, passes the profile schema', () => {
    const d = r.draft;
    const candidate = {
      ...d,
      id: 'imported',
      name: 'Imported',
      harbor: { ...d.harbor, installer: { kind: 'local', path: '/tmp/h.tgz' }, adminPassword: { set: true } },
      access: { ...d.access, privateKey: { set: false } },
      nodes: [{ id: 'n1', host: '192.168.10.10', auth: { kind: 'agent' } }],
      loadBalancer: { kind: 'clb' },
      database: {
        ...d.database,
        admin: { user: 'root_admin', password: { set: true } },
        harbor: { user: 'mysql-user', password: { set: true } },
      },
      clair: { ...d.clair, password: { set: true } },
      redis: { ...d.redis, password: { set: true } },
      oss: { ...d.oss, accessKeySecret: { set: true } },
    };
    const parsed = profileShape.safeParse(candidate);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});

describe('harbor.yml (2.15 with external database, Redis and OSS)', () => {
  const r = draftFromHarborConfig('harbor.yml', fixture('harbor-2.15.yml'));

  it('detects Harbor 2.x and fills every field the file determines', () => {
    expect(r.generation).toBe('v2');
    expect(r.draft).toEqual({
      harbor: { generation: 'v2', version: '2.15.0' },
      access: { protocol: 'https', domain: 'registry.example.com', tlsTermination: 'lb' },
      database: {
        engine: 'postgresql',
        host: 'pgm-bp1abc.pg.rds.aliyuncs.com',
        port: 5432,
        harbor: { user: 'harbor', database: 'harbor_registry', sslMode: 'require' },
      },
      redis: {
        host: 'r-bp1abc.redis.rds.aliyuncs.com',
        port: 6380,
        auth: 'account',
        username: 'harbor_acct',
        dbIndexes: { registry: 1, jobservice: 2, trivy: 5, harbor: 6, cacheLayer: 7 },
      },
      oss: {
        accessKeyId: 'LTAI5tExampleKeyId',
        region: 'oss-cn-hangzhou',
        bucket: 'my-harbor-registry',
        internal: true,
        encrypt: false,
        secure: true,
        rootDirectory: '/harbor2',
        endpoint: 'my-harbor-registry.oss-cn-hangzhou-internal.aliyuncs.com',
        redirectDisabled: true,
      },
      options: { jobWorkers: 20, dataVolume: '/data/harbor', scanner: 'trivy' },
    });
  });

  it('puts secrets only into `secrets`; a password with ":" and no username loses only the account part', () => {
    expect(r.secrets).toEqual([
      { path: ['harbor', 'adminPassword'], value: 'AdminPw#9Zq x' },
      { path: ['database', 'harbor', 'password'], value: 'PgHarborPw-Vw4' },
      { path: ['redis', 'password'], value: 'RedisPw:Ty5' },
      { path: ['oss', 'accessKeySecret'], value: 'OssSecret-Rs6Long' },
    ]);
    expectNoLeak(r);
  });

  it('gives a draft that, once nodes, load balancer and secrets are added, passes the profile schema', () => {
    const d = r.draft;
    const candidate = {
      ...d,
      id: 'imported',
      name: 'Imported',
      harbor: { ...d.harbor, version: '2.15.2', installer: { kind: 'local', path: '/tmp/h.tgz' }, adminPassword: { set: true } },
      access: { ...d.access, privateKey: { set: false } },
      nodes: [{ id: 'n1', host: '192.168.10.10', auth: { kind: 'agent' } }],
      loadBalancer: { kind: 'clb' },
      database: {
        ...d.database,
        admin: { user: 'pgadmin', password: { set: true } },
        harbor: { ...(d.database?.harbor ?? {}), password: { set: true } },
      },
      redis: { ...d.redis, password: { set: true } },
      oss: { ...d.oss, accessKeySecret: { set: true } },
    };
    const parsed = profileShape.safeParse(candidate);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('says which values are guesses or inferences', () => {
    const en = allNotes(r);
    expect(en).toMatch(/Trivy.*guess/);
    expect(en).toMatch(/TLS termination is set to the load balancer/);
    expect(en).toMatch(/_version/);
    expect(en).toMatch(/account:password/);
    expect(en).not.toMatch(/change this/);
  });
});

describe('harbor.yml (2.x still holding the internal database: and redis: blocks)', () => {
  const r = draftFromHarborConfig('harbor.yml', fixture('harbor-2.15-internal-blocks.yml'));
  const en = allNotes(r);

  it('imports what is usable and leaves placeholders and the MySQL database out', () => {
    expect(r.draft).toEqual({
      harbor: { generation: 'v2', version: '2.7.0' },
      access: { protocol: 'https' },
      database: { engine: 'postgresql' },
      redis: {
        host: 'r-bp1abc.redis.rds.aliyuncs.com',
        port: 6379,
        auth: 'acl',
        username: 'harbor',
        dbIndexes: { registry: 1, jobservice: 2 },
      },
      oss: {
        accessKeyId: 'LTAI5tExampleKeyId',
        internal: true,
        region: 'oss-cn-shanghai',
        bucket: 'lab-harbor',
        endpoint: 'lab-harbor.oss-cn-shanghai-internal.aliyuncs.com',
        redirectDisabled: true,
      },
      options: { jobWorkers: 10, dataVolume: '/data' },
    });
    expect(r.secrets).toEqual([
      { path: ['redis', 'password'], value: 'AclPw-Hh3' },
      { path: ['oss', 'accessKeySecret'], value: 'OssSecret-Ii4' },
    ]);
    expectNoLeak(r);
  });

  it('flags every placeholder and trap', () => {
    expect(en).toMatch(/placeholder reg\.mydomain\.com.*change this/);
    expect(en).toMatch(/\/your\/certificate\/path.*change this/);
    expect(en).toMatch(/harbor_admin_password is still the sample password.*change this/);
    expect(en).toMatch(/MySQL.*Harbor 2\.x supports only PostgreSQL/);
    expect(en).toMatch(/database: section.*ignored.*sample/);
    expect(en).toMatch(/redis: win.*ignore external_redis/);
    expect(en).toMatch(/registry_db_index is 0/);
    expect(en).toMatch(/-internal/);
    expect(en).toMatch(/SignatureDoesNotMatch/);
    expect(en).toMatch(/"disabled"/);
    expect(allNotesZh(r)).toMatch(/请修改/);
  });
});

describe('harbor.cfg as shipped (placeholders)', () => {
  const SHIPPED = [
    'hostname = reg.mydomain.com',
    'ui_url_protocol = https',
    'ssl_cert = /data/cert/server.crt',
    'ssl_cert_key = /data/cert/server.key',
    'max_job_workers = 50 ',
    'harbor_admin_password = Harbor12345',
    'db_host = mysql',
    'db_password = root123',
    'db_port = 3306',
    'db_user = root',
    'redis_url = redis:6379',
    'clair_db_host = postgres',
    'clair_db_password = password',
    'registry_storage_provider_name = filesystem',
    'registry_storage_provider_config =',
  ].join('\n');
  const r = draftFromHarborConfig('harbor.cfg', SHIPPED);
  const en = allNotes(r);

  it('imports no placeholder and no sample password, and says "change this"', () => {
    expect(r.draft).toEqual({
      harbor: { generation: 'v1' },
      access: { protocol: 'https' },
      database: { engine: 'mysql' },
      options: { jobWorkers: 50 },
    });
    expect(r.secrets).toEqual([]);
    expect(en).toMatch(/reg\.mydomain\.com: change this/);
    expect(en).toMatch(/db_host is "mysql".*Change this/);
    expect(en).toMatch(/harbor_admin_password is still the sample password/);
    expect(en).toMatch(/db_password|RDS MySQL/);
    expect(en).toMatch(/"redis".*Change this/);
    expect(en).toMatch(/clair_db_host is "postgres"/);
    expect(en).toMatch(/filesystem.*not OSS/);
    expect(en).toMatch(/\/data\/cert\/server\.crt.*\/data\/cert\/server\.key.*paste or upload/);
    expect(en).toMatch(/no _version/);
    expectNoLeak(r);
  });
});

describe('parseHarborCfg follows Python 2 RawConfigParser', () => {
  it('strips a ";" comment only after whitespace, reads ":" too, lower-cases keys, joins continuation lines', () => {
    const cfg = parseHarborCfg(
      [
        '# comment',
        '; comment',
        'rem a comment',
        'DB_Password = Pw-1 ; the Harbor account',
        'odd = pw;x ; only the first ";" counts, and it does not follow a space',
        'db_user: harbor',
        'email_from = Harbor <h@x.com> # not a comment',
        'empty = ""',
        'no_proxy = a,',
        '  b',
        'dup = 1',
        'dup = 2',
      ].join('\r\n'),
    );
    expect(Object.fromEntries([...cfg].map(([k, v]) => [k, v.value]))).toEqual({
      db_password: 'Pw-1',
      odd: 'pw;x ; only the first ";" counts, and it does not follow a space',
      db_user: 'harbor',
      email_from: 'Harbor <h@x.com> # not a comment',
      empty: '',
      no_proxy: 'a,\nb',
      dup: '2',
    });
    expect(cfg.get('db_user')?.line).toBe(6);
  });

  it('throws naming the line for malformed input', () => {
    expect(() => draftFromHarborConfig('harbor.cfg', 'hostname = a.example.com\nthis line has no separator\n')).toThrow(/line 2/);
    expect(() => draftFromHarborConfig('harbor.cfg', '[configuration]\nhostname = a\n')).toThrow(/line 1.*section/);
    expect(() => draftFromHarborConfig('harbor.cfg', '  hostname = a\n')).toThrow(/line 1/);
    expect(() => draftFromHarborConfig('harbor.cfg', 'hostname = a.example.com\ndb_host = db.example.com\ndb_port = 33o6\n')).toThrow(
      /line 3: db_port/,
    );
    expect(() => draftFromHarborConfig('harbor.cfg', 'redis_url = r.example.com:x,100,pw,0\n')).toThrow(/line 1: redis_url/);
    expect(() =>
      draftFromHarborConfig('harbor.cfg', 'registry_storage_provider_name = oss\nregistry_storage_provider_config = bucket: b,oops\n'),
    ).toThrow(/line 2: registry_storage_provider_config/);
  });

  it('never shows the tail of an OSS secret that contained ","', () => {
    const r = draftFromHarborConfig(
      'harbor.cfg',
      'registry_storage_provider_name = oss\nregistry_storage_provider_config = accesskeysecret: Sec-Aa1,Tail-Bb2: Cc3,bucket: b-1x,chunksize: 5242880\n',
    );
    expect(r.secrets).toEqual([{ path: ['oss', 'accessKeySecret'], value: 'Sec-Aa1' }]);
    expect(r.draft.oss).toEqual({ bucket: 'b-1x' });
    const visible = JSON.stringify(r.draft) + JSON.stringify(r.notes);
    for (const s of ['Sec-Aa1', 'Tail-Bb2', 'Cc3']) expect(visible).not.toContain(s);
    expect(allNotes(r)).toMatch(/unknown OSS parameter.*contains ","/);
    expect(allNotes(r)).toMatch(/chunksize is not part of the profile/);
    expect(() =>
      draftFromHarborConfig(
        'harbor.cfg',
        'registry_storage_provider_name = oss\nregistry_storage_provider_config = accesskeysecret: Sec-Aa1,Tail-Bb2\n',
      ),
    ).toThrow(/^(?!.*Tail-Bb2).*line 2: registry_storage_provider_config item 2/);
  });

  it('reads a plain Redis password and an empty redis_url', () => {
    const plain = draftFromHarborConfig('harbor.cfg', 'redis_url = 10.0.0.9:6379,100,Plain-Pw1\n');
    expect(plain.draft.redis).toEqual({ host: '10.0.0.9', port: 6379, auth: 'password' });
    expect(plain.secrets).toEqual([{ path: ['redis', 'password'], value: 'Plain-Pw1' }]);
    const none = draftFromHarborConfig('harbor.cfg', 'redis_url = 10.0.0.9:6379\n');
    expect(none.draft.redis).toEqual({ host: '10.0.0.9', port: 6379, auth: 'none' });
    const empty = draftFromHarborConfig('harbor.cfg', 'redis_url =\n');
    expect(empty.draft.redis).toBeUndefined();
    expect(allNotes(empty)).toMatch(/redis_url is empty/);
  });
});

describe('harbor.yml details', () => {
  it('throws naming the line for malformed YAML and wrong types', () => {
    expect(() => draftFromHarborConfig('harbor.yml', 'hostname: a.example.com\nhttp:\n  port: 80\n port: 81\n')).toThrow(/line 4/);
    expect(() => draftFromHarborConfig('harbor.yml', '- a\n- b\n')).toThrow(/line 1/);
    expect(() =>
      draftFromHarborConfig(
        'harbor.yml',
        'hostname: a.example.com\n\nexternal_database:\n  harbor:\n    host: db.example.com\n    port: five\n',
      ),
    ).toThrow(/line 6: external_database\.harbor\.port/);
    expect(() => draftFromHarborConfig('harbor.yml', 'hostname: a.example.com\njobservice:\n  max_job_workers: 1000\n')).toThrow(/line 3/);
    expect(() => draftFromHarborConfig('harbor.yml', 'hostname: a\nexternal_redis: [1, 2]\n')).toThrow(/line 2: external_redis/);
  });

  it('builds the domain from hostname and a non-default port; https on the nodes', () => {
    const r = draftFromHarborConfig(
      'harbor.yml',
      'hostname: reg.example.com\nhttps:\n  port: 8443\n  certificate: /etc/cert/reg.crt\n  private_key: /etc/cert/reg.key\nharbor_admin_password: Adm-pw-1\n',
    );
    expect(r.draft.access).toEqual({ protocol: 'https', domain: 'reg.example.com:8443', tlsTermination: 'nodes' });
    expect(allNotes(r)).toMatch(/\/etc\/cert\/reg\.crt.*\/etc\/cert\/reg\.key.*paste or upload/);
    const http = draftFromHarborConfig('harbor.yml', 'hostname: 10.0.0.1\nhttp:\n  port: 8080\n');
    expect(http.draft.access).toEqual({ protocol: 'http', domain: '10.0.0.1:8080' });
    expect(allNotes(http)).toMatch(/no external_database/);
    expect(allNotes(http)).toMatch(/no external_redis/);
  });

  it('reads YAML 1.1 booleans as PyYAML does and a username as Redis ACL', () => {
    const r = draftFromHarborConfig(
      'harbor.yml',
      'hostname: a.example.com\nexternal_redis:\n  host: r.example.com\n  username: app\n  password: "x:y"\nstorage_service:\n  oss:\n    internal: yes\n    secure: off\n    region: cn-qingdao\n',
    );
    expect(r.draft.redis).toEqual({ host: 'r.example.com', auth: 'acl', username: 'app' });
    expect(r.secrets).toEqual([{ path: ['redis', 'password'], value: 'x:y' }]);
    expect(r.draft.oss).toEqual({ internal: true, secure: false, region: 'oss-cn-qingdao' });
  });
});

describe('detectHarborGeneration', () => {
  it('uses the file name, then the shape of the first setting', () => {
    expect(detectHarborGeneration('harbor.cfg', 'hostname: x')).toBe('v1');
    expect(detectHarborGeneration('harbor.yml', 'hostname = x')).toBe('v2');
    expect(detectHarborGeneration('config', '# c\nhostname = x\n')).toBe('v1');
    expect(detectHarborGeneration('config', '# c\nhostname: x\n')).toBe('v2');
  });
});
