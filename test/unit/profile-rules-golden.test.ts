/**
 * The cross-field rules and the advice of a profile, held to their recorded answers: for each way a profile can break
 * a rule (and the near misses that must not), the issues' paths and both languages' messages, and the advice given.
 * Fast and complete where profile-schema.test.ts samples; it is what `npm run mutate` holds rules.ts to. After a
 * deliberate change, read the diff of the recording, then record again: HARBOR_HA_RECORD_RULES=1 with this file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileShape, type ProfileInput } from '../../shared/profile';
import { generationAdvice, harborPasswordProblem, profileAdvice, profileRuleIssues } from '../../shared/profile/rules';
import { v1Profile, v2Profile } from '../helpers/profiles';

const RECORDED = new URL('../fixtures/profile-rules/answers.json', import.meta.url);

type Tweak = (p: ProfileInput) => void;
const pw = (value: string) => ({ value });
const unset = { set: false } as never;
/** Sets one Redis database index to 0, the others as the schema defaults them. */
const dbIndex = (p: ProfileInput, key: string) => ((p.redis as { dbIndexes?: Record<string, number> }).dbIndexes = { [key]: 0 });

const V2: Record<string, Tweak> = {
  'as is': () => undefined,
  'version 1.5.0 on 2.x': (p) => (p.harbor.version = '1.5.0'),
  'version 2.15 (no patch)': (p) => (p.harbor.version = '2.15'),
  mysql: (p) => (p.database.engine = 'mysql'),
  clair: (p) => (p.options.scanner = 'clair'),
  'clair section': (p) =>
    (p.clair = { host: 'pg.example', port: 5432, user: 'clair', password: pw('Clair-Pw-1'), database: 'clair' } as never),
  'redis db 0 (registry)': (p) => dbIndex(p, 'registry'),
  'redis db 0 (jobservice)': (p) => dbIndex(p, 'jobservice'),
  'redis db 0 (trivy)': (p) => dbIndex(p, 'trivy'),
  'redis db 0 (cacheLayer)': (p) => dbIndex(p, 'cacheLayer'),
  'redis db 0 (harbor)': (p) => dbIndex(p, 'harbor'),
  'acl on 2.7': (p) => ((p.harbor.version = '2.7.4'), (p.redis.auth = 'acl'), (p.redis.username = 'u')),
  'acl on 2.8': (p) => ((p.harbor.version = '2.8.0'), (p.redis.auth = 'acl'), (p.redis.username = 'u')),
  'acl on 3.0': (p) => ((p.harbor.version = '3.0.0'), (p.redis.auth = 'acl'), (p.redis.username = 'u')),
  'acl on 1.9 (2.x walkthrough)': (p) => ((p.harbor.version = '1.9.0'), (p.redis.auth = 'acl'), (p.redis.username = 'u')),
  'account without name': (p) => ((p.redis.auth = 'account'), (p.redis.username = undefined)),
  'acl without name': (p) => ((p.redis.auth = 'acl'), (p.redis.username = '')),
  'redis none without password': (p) => ((p.redis.auth = 'none'), (p.redis.password = unset)),
  'redis password unset': (p) => (p.redis.password = unset),
  'redis password empty': (p) => (p.redis.password = pw('')),
  'redis password staged': (p) => (p.redis.password = { staged: 'tok-1' } as never),
  'db admin password unset': (p) => (p.database.admin.password = unset),
  'db harbor password unset': (p) => (p.database.harbor.password = unset),
  'oss secret unset': (p) => (p.oss.accessKeySecret = unset),
  'admin password unset': (p) => (p.harbor.adminPassword = unset),
  'admin password stored': (p) => (p.harbor.adminPassword = { set: true } as never),
  'admin password short': (p) => (p.harbor.adminPassword = pw('Abc1234')),
  'admin password 8': (p) => (p.harbor.adminPassword = pw('Abc12345')),
  'admin password 128': (p) => (p.harbor.adminPassword = pw(`Ab1${'x'.repeat(125)}`)),
  'admin password 129': (p) => (p.harbor.adminPassword = pw(`Ab1${'x'.repeat(126)}`)),
  'admin password no upper': (p) => (p.harbor.adminPassword = pw('abc12345')),
  'admin password no lower': (p) => (p.harbor.adminPassword = pw('ABC12345')),
  'admin password no digit': (p) => (p.harbor.adminPassword = pw('Abcdefgh')),
  'https on nodes without certificate or key': (p) => (
    (p.access.protocol = 'https'),
    (p.access.tlsTermination = 'nodes'),
    (p.access.certificate = undefined),
    (p.access.privateKey = unset)
  ),
  'https at the lb': (p) => ((p.access.protocol = 'https'), (p.access.tlsTermination = 'lb')),
  'internal oss with redirects': (p) => ((p.oss.internal = true), (p.oss.redirectDisabled = false)),
  'internal oss without redirects': (p) => ((p.oss.internal = true), (p.oss.redirectDisabled = true)),
  'slb tcp': (p) => (p.loadBalancer = { kind: 'clb', listener: 'tcp', privateAddress: '10.0.0.100' } as never),
  'slb http': (p) => (p.loadBalancer = { kind: 'clb', listener: 'http', privateAddress: '10.0.0.100' } as never),
  'ssh password unset': (p) => (p.nodes[0]!.auth = { kind: 'password', password: unset }),
  'jump host password unset': (p) =>
    (p.nodes[1]!.jumpHosts = [{ host: 'jump.example', port: 22, user: 'root', auth: { kind: 'password', password: unset } }] as never),
  'same host twice': (p) => (p.nodes[1]!.host = p.nodes[0]!.host),
  'same id twice': (p) => (p.nodes[1]!.id = p.nodes[0]!.id),
  'redis password with " #"': (p) => (p.redis.password = pw('p@ss #1')),
};

const V1: Record<string, Tweak> = {
  'as is': () => undefined,
  'version 1.6.0': (p) => (p.harbor.version = '1.6.0'),
  'version 1.4.0': (p) => (p.harbor.version = '1.4.0'),
  'version 2.15.2 on 1.x': (p) => (p.harbor.version = '2.15.2'),
  postgresql: (p) => (p.database.engine = 'postgresql'),
  trivy: (p) => (p.options.scanner = 'trivy'),
  'clair without section': (p) => ((p.options.scanner = 'clair'), (p.clair = undefined)),
  'clair password unset': (p) => (p.options.scanner = 'clair'),
  acl: (p) => ((p.redis.auth = 'acl'), (p.redis.username = 'u')),
  'https at the lb': (p) => ((p.access.protocol = 'https'), (p.access.tlsTermination = 'lb')),
  'internal oss without redirects': (p) => ((p.oss.internal = true), (p.oss.redirectDisabled = true)),
  'slb tcp': (p) => (p.loadBalancer = { kind: 'clb', listener: 'tcp', privateAddress: '10.0.0.100' } as never),
  'redis password with ","': (p) => (p.redis.password = pw('a,b')),
};

const PASSWORDS = [
  '',
  'Abc1234',
  'Abc12345',
  'abc12345',
  'ABC12345',
  'Abcdefgh',
  '12345678',
  `Ab1${'x'.repeat(125)}`,
  `Ab1${'x'.repeat(126)}`,
  'Äbc12345',
];

function answers() {
  const out: Record<string, unknown> = {};
  for (const [generation, variants] of [
    ['v2', V2],
    ['v1', V1],
  ] as const) {
    for (const [name, tweak] of Object.entries(variants)) {
      const parsed = profileShape.safeParse((generation === 'v1' ? v1Profile : v2Profile)(tweak));
      if (!parsed.success) {
        out[`${generation} ${name}`] = { shapeIssues: parsed.error.issues.map((i) => i.path.join('.')) };
        continue;
      }
      out[`${generation} ${name}`] = {
        issues: profileRuleIssues(parsed.data).map((i) => `${i.path.join('.')}: ${i.message.en} | ${i.message['zh-CN']}`),
        advice: profileAdvice(parsed.data).map((a) => `${a.level} ${a.topic}: ${a.message.en} | ${a.message['zh-CN']}`),
      };
    }
  }
  out.passwords = PASSWORDS.map((p) => [p.length > 20 ? `${p.slice(0, 6)}…(${p.length})` : p, harborPasswordProblem(p)?.en ?? null]);
  out.generationAdvice = ['v1', 'v2', 'v3', null].map((g) => generationAdvice({ harbor: { generation: g } }).map((a) => a.topic));
  return out;
}

describe('profile rules and advice against their recorded answers', () => {
  // One test over every answer: mutation runs address tests by name, and the names of it.each over these keys do not survive that.
  it('gives the recorded issues and advice for every variant, and the recorded password verdicts', () => {
    // computed inside the test, so that a mutation run counts it as the test covering rules.ts
    const now = answers();
    if (process.env.HARBOR_HA_RECORD_RULES === '1' || !existsSync(RECORDED)) writeFileSync(RECORDED, `${JSON.stringify(now, null, 1)}\n`);
    const recorded = JSON.parse(readFileSync(RECORDED, 'utf8')) as Record<string, unknown>;
    const differing = Object.keys({ ...recorded, ...now }).filter((k) => JSON.stringify(now[k]) !== JSON.stringify(recorded[k]));
    expect(differing.map((k) => ({ variant: k, recorded: recorded[k], now: now[k] }))).toEqual([]);
  });
});
