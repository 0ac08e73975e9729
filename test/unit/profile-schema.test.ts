/** The profile schema over tables of good and bad values, field by field, in both generations. */
import { describe, expect, it } from 'vitest';
import type { ProfileInput } from '../../shared/profile';
import {
  checkPolicedValue,
  generationAdvice,
  normalizeOssRegion,
  profileAdvice,
  profileSchema,
  profileShape,
  SECRET_LABELS,
} from '../../shared/profile';
import { toFieldIssues } from '../../shared/validation';
import { v1Profile, v2Profile } from '../helpers/profiles';

function issuesOf(p: ProfileInput) {
  const r = profileSchema.safeParse(p);
  return r.success ? [] : toFieldIssues(r.error);
}

/** Sets one field by path on a fresh profile and returns the issues for that path. */
function tryValue(base: () => ProfileInput, path: (string | number)[], value: unknown) {
  const p = base() as unknown as Record<string, unknown>;
  let o: Record<string, unknown> = p;
  for (const k of path.slice(0, -1)) o = o[k as string] as Record<string, unknown>;
  o[path.at(-1) as string] = value;
  const wanted = path.join('.');
  return issuesOf(p as unknown as ProfileInput).filter((i) => i.path === wanted || i.path.startsWith(`${wanted}.`));
}

describe('the base profiles', () => {
  it('are valid', () => {
    expect(issuesOf(v2Profile())).toEqual([]);
    expect(issuesOf(v1Profile())).toEqual([]);
  });
});

const FIELDS: { path: (string | number)[]; good: unknown[]; bad: unknown[]; base?: () => ProfileInput }[] = [
  {
    path: ['nodes', 0, 'host'],
    good: ['192.168.10.10', 'node-1.example.com', 'ecs1', '::1', 'fe80::1', '2001:db8::192.168.0.1'],
    bad: ['', '300.1.1.1', 'node_1', '-a.example', 'a..b', 'http://x', '1.2.3', 'a b', ':::'],
  },
  { path: ['nodes', 0, 'port'], good: [22, 2222, 65535], bad: [0, 65536, 22.5, '22', -1] },
  { path: ['nodes', 0, 'user'], good: ['root', 'ec2-user', 'deploy_1'], bad: ['', 'a b', '1abc', 'x;rm', "o'neil"] },
  {
    path: ['nodes', 0, 'hostKeyFingerprint'],
    good: ['SHA256:' + 'A'.repeat(43), 'SHA256:' + 'b+/'.repeat(14) + 'c'],
    bad: ['MD5:aa:bb', 'SHA256:short', 'A'.repeat(43)],
  },
  {
    path: ['oss', 'region'],
    good: ['cn-beijing', 'oss-cn-beijing', 'OSS-CN-HANGZHOU', 'ap-southeast-1'],
    bad: ['', 'beijing', 'oss-cn-beijing-internal', 'cn beijing'],
  },
  {
    path: ['oss', 'bucket'],
    good: ['my-harbor-registry', 'abc', 'a1-b2'],
    bad: ['ab', 'My-Bucket', '-abc', 'abc-', 'a_b', 'a'.repeat(64)],
  },
  {
    path: ['oss', 'endpoint'],
    good: ['my-harbor-registry.oss-cn-beijing-internal.aliyuncs.com'],
    bad: ['http://my-harbor-registry.oss-cn-beijing.aliyuncs.com', 'https://x.y'],
  },
  { path: ['oss', 'accessKeyId'], good: ['LTAI5tExampleKeyId'], bad: ['', 'short', 'LTAI 5t', 'LTAI-5t-abc'] },
  { path: ['oss', 'rootDirectory'], good: ['/harbor', 'harbor/prod', '/'], bad: ['/har bor', '/a,b', '/a:b'] },
  {
    path: ['database', 'harbor', 'database'],
    good: ['registry', 'harbor_prod'],
    bad: ['', 'harbor-prod', '1db', 'db name', 'a'.repeat(64)],
  },
  {
    path: ['access', 'domain'],
    good: ['registry.example.com', 'registry.example.com:8443', '123.123.123.123'],
    bad: ['reg.mydomain.com', 'localhost', '127.0.0.1:80', 'https://registry.example.com', 'registry.example.com:99999', ''],
  },
  { path: ['options', 'dataVolume'], good: ['/data', '/mnt/harbor-data'], bad: ['data', '/my data', ''] },
  { path: ['options', 'jobWorkers'], good: [1, 10, 100], bad: [0, 101, 2.5] },
  { path: ['loadBalancer', 'instanceId'], good: ['lb-2zeabc1234'], bad: ['2zeabc1234', 'lb-'] },
  { path: ['harbor', 'version'], good: ['2.15.2', '2.8.0'], bad: ['v2.15.2', '2.15', '1.5.4'] },
  { path: ['harbor', 'version'], base: v1Profile, good: ['1.5.4', '1.4.0'], bad: ['1.6.0', '2.0.0'] },
];

describe.each(FIELDS)('field $path', ({ path, good, bad, base = v2Profile }) => {
  it.each(good.map((v) => [v]))('accepts %j', (v) => {
    expect(tryValue(base, path, v)).toEqual([]);
  });
  it.each(bad.map((v) => [v]))('refuses %j with a message in both languages', (v) => {
    const issues = tryValue(base, path, v);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue.message.en.length).toBeGreaterThan(3);
      expect(issue.message['zh-CN']).toMatch(/[\u4e00-\u9fff]|\d/);
    }
  });
});

describe('normalisation', () => {
  it('turns cn-beijing into oss-cn-beijing', () => {
    expect(normalizeOssRegion('cn-beijing')).toBe('oss-cn-beijing');
    const parsed = profileSchema.parse(v2Profile());
    expect(parsed.oss.region).toBe('oss-cn-beijing');
    expect(parsed.nodes[0]!.port).toBe(22);
    expect(parsed.nodes[0]!.user).toBe('root');
    expect(parsed.redis.dbIndexes).toEqual({ registry: 1, jobservice: 2, trivy: 5 });
  });
});

describe('generation rules', () => {
  it('refuses MySQL for Harbor 2.x and explains why', () => {
    const issues = issuesOf(
      v2Profile((p) => {
        p.database = v1Profile().database;
      }),
    );
    expect(issues).toEqual([expect.objectContaining({ path: 'database.engine' })]);
    expect(issues[0]!.message.en).toContain('only PostgreSQL');
  });
  it('refuses PostgreSQL for Harbor 1.5', () => {
    const issues = issuesOf(
      v1Profile((p) => {
        p.database = v2Profile().database;
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(['database.engine']);
    expect(issues[0]!.message['zh-CN']).toContain('MySQL');
  });
  it('needs a Clair database when Clair is on in 1.5, and refuses Trivy there', () => {
    expect(issuesOf(v1Profile((p) => delete p.clair)).map((i) => i.path)).toEqual(['clair']);
    expect(issuesOf(v1Profile((p) => (p.options = { scanner: 'trivy' }))).map((i) => i.path)).toEqual(['options.scanner']);
  });
  it('refuses a Redis db index of 0 in 2.x (Harbor drops falsy values)', () => {
    const issues = issuesOf(v2Profile((p) => (p.redis.dbIndexes = { registry: 0, jobservice: 2, trivy: 5 })));
    expect(issues.map((i) => i.path)).toEqual(['redis.dbIndexes.registry']);
    expect(issues[0]!.message.en).toContain('ignores a Redis database index of 0');
  });
  it('refuses internal OSS with redirects enabled', () => {
    expect(issuesOf(v2Profile((p) => (p.oss.redirectDisabled = false))).map((i) => i.path)).toEqual(['oss.redirectDisabled']);
    expect(issuesOf(v2Profile((p) => Object.assign(p.oss, { internal: false, redirectDisabled: false })))).toEqual([]);
  });
  it('needs certificate and key when TLS ends on the nodes', () => {
    const paths = issuesOf(v2Profile((p) => (p.access.tlsTermination = 'nodes'))).map((i) => i.path);
    expect(paths).toEqual(['access.certificate', 'access.privateKey']);
  });
  it('needs an account name for Aliyun account auth and Harbor ≥ 2.8 for ACL users; 1.5 cannot do ACL', () => {
    expect(issuesOf(v2Profile((p) => (p.redis.auth = 'account'))).map((i) => i.path)).toEqual(['redis.username']);
    expect(issuesOf(v2Profile((p) => Object.assign(p.redis, { auth: 'acl', username: 'harbor' })))).toEqual([]);
    expect(
      issuesOf(
        v2Profile((p) => {
          Object.assign(p.redis, { auth: 'acl', username: 'harbor' });
          p.harbor.version = '2.7.1';
        }),
      ).map((i) => i.path),
    ).toEqual(['redis.auth']);
    expect(issuesOf(v1Profile((p) => Object.assign(p.redis, { auth: 'acl', username: 'harbor' }))).map((i) => i.path)).toEqual([
      'redis.auth',
    ]);
  });
  it('refuses the same node twice and a missing SSH password', () => {
    const paths = issuesOf(
      v2Profile((p) => {
        p.nodes.push({ id: 'n3', host: '192.168.10.10', auth: { kind: 'password', password: { set: false } } });
      }),
    ).map((i) => i.path);
    expect(paths).toEqual(['nodes.2.auth.password', 'nodes.2.host']);
  });
  it("applies Harbor's admin password rule", () => {
    expect(issuesOf(v2Profile((p) => (p.harbor.adminPassword = { value: 'harbor12345' }))).map((i) => i.path)).toEqual([
      'harbor.adminPassword',
    ]);
  });
  it("gives advice that names the seed runbook's registry-database mistake for 1.x", () => {
    const advice = profileAdvice(profileSchema.parse(v1Profile()));
    expect(advice.map((a) => a.topic)).toContain('v1-registry-db');
    expect(advice.find((a) => a.topic === 'v1-registry-db')!.message['zh-CN']).toContain('registry');
    expect(profileAdvice(profileSchema.parse(v2Profile())).map((a) => a.topic)).toContain('v2-database');
  });
  it("gives the generation's advice for an incomplete draft too (e.g. a fresh harbor.cfg import)", () => {
    expect(generationAdvice({ harbor: { generation: 'v1' } }).map((a) => a.topic)).toEqual(['v1-requirements', 'v1-registry-db', 'v1-eol']);
    expect(generationAdvice({ harbor: { generation: 'v2' } }).map((a) => a.topic)).toEqual(['v2-database']);
    expect(generationAdvice(null)).toEqual([]);
  });
});

describe('characters Harbor cannot carry', () => {
  const cases: [Parameters<typeof checkPolicedValue>[0], 'v1' | 'v2', string, boolean][] = [
    ['redis.password', 'v2', 'p@ss #1', false], // facts §4.2: truncated at " #"
    ['redis.password', 'v2', 'p@ss#1', true],
    ['redis.password', 'v2', 'acct:pw', true], // Aliyun account:password form
    ['redis.password', 'v2', 'acct: pw', false],
    ['redis.password', 'v1', 'a,b', false], // splits redis_url
    ['redis.password', 'v1', 'a/b', false], // 1.x jobservice: raw in a redis:// URL
    ['redis.password', 'v1', 'a!b', true],
    ['redis.password', 'v2', 'yes', true], // the app quotes harbor.yml for YAML 1.1; distribution reads a string
    ['redis.password', 'v2', 'null', false], // registry/config.yml: null → empty
    ['oss.accessKeySecret', 'v2', '0777', false], // a storage parameter: 511
    ['oss.accessKeySecret', 'v2', '1234567890123456789012345678901', false], // a float: 1.2345678901234568e+30
    ['oss.accessKeySecret', 'v2', '12ab', true],
    ['oss.accessKeySecret', 'v1', ';abc', false], // after "accesskeysecret: ", a ConfigParser comment
    ['database.harbor.password', 'v2', 'Pa$$word!', false],
    ['database.harbor.password', 'v2', 'Pa$!word', true], // "$" not followed by a name is left alone
    ['database.harbor.password', 'v2', '!@*%&{[|>Pw1', true], // only env files and the DSN: YAML indicators are fine
    ['redis.password', 'v2', 'a,b', true],
    ['oss.accessKeySecret', 'v2', '*abc', false], // facts §4.2: YAML alias
    ['oss.accessKeySecret', 'v2', 'ab*c', true],
    ['oss.accessKeySecret', 'v1', 'abc,def', false],
    ['database.harbor.password', 'v2', 'pa ss', false], // DSN
    ['database.harbor.password', 'v2', "pa'ss", true], // pgx reads a quoted value only when it starts with '
    ['database.harbor.password', 'v2', "'pass", false],
    ['database.harbor.password', 'v2', 'pa\\ss', true], // \s is no escape to pgx
    ['database.harbor.password', 'v2', 'pa\\\\ss', false], // \\ is
    ['database.harbor.password', 'v2', 'Pa$word', false], // compose interpolation
    ['database.harbor.password', 'v2', 'Pa-ss_w0rd!', true],
    ['database.harbor.password', 'v1', 'pw ;comment', false], // ConfigParser inline comment
    ['database.harbor.password', 'v1', 'pw;x', true],
    ['clair.password', 'v1', 'a/b', false],
    ['clair.password', 'v1', 'a%b', false],
    ['clair.password', 'v1', 'a@b', true],
    ['harbor.adminPassword', 'v2', 'Abc12345\n', false],
    ['harbor.adminPassword', 'v2', ' Abc12345', false],
    ['database.admin.password', 'v2', "any 'thing' #$,;", true], // used by the app only
  ];
  it.each(cases)('%s in %s: %j → allowed %s', (field, gen, value, allowed) => {
    const problem = checkPolicedValue(field, gen, value);
    expect(problem === null).toBe(allowed);
    if (problem) {
      expect(problem.en).toMatch(new RegExp(`^${SECRET_LABELS[field].en}: Harbor puts this value into .* does not survive there: `));
      expect(problem['zh-CN']).toContain(`${SECRET_LABELS[field]['zh-CN']}：Harbor 会把该值写入`);
    }
  });

  it('reports the field, the character and the file through the schema', () => {
    const issues = issuesOf(v2Profile((p) => (p.redis.password = { value: 'p@ss #1' })));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('redis.password');
    expect(issues[0]!.message.en).toContain('"#"');
    expect(issues[0]!.message.en).toContain('common/config/registry/config.yml (redis.password');
  });

  it('does not restrict SSH passwords, which never reach a Harbor file', () => {
    expect(issuesOf(v2Profile((p) => (p.nodes[0]!.auth = { kind: 'password', password: { value: " #: ,;'$\\x" } })))).toEqual([]);
  });

  it('leaves the structure-only schema free of the cross-field rules', () => {
    expect(profileShape.safeParse(v2Profile((p) => (p.oss.redirectDisabled = false))).success).toBe(true);
  });
});

describe('issues of an empty form', () => {
  it('gives each field one message, the most basic one first', async () => {
    const { profileTemplate } = await import('../../electron/core/profiles/template');
    for (const generation of ['v1', 'v2'] as const) {
      const issues = issuesOf(profileTemplate(generation));
      const paths = issues.map((i) => i.path);
      expect(new Set(paths).size).toBe(paths.length);
      expect(issues.find((i) => i.path === 'nodes.0.host')?.message.en).toBe('enter a host name or IP address');
      expect(issues.find((i) => i.path === 'database.admin.user')?.message.en).toBe('enter a user name');
    }
  });
});
