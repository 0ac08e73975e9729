/** Harbor 1.x config rendering: the installer's harbor.cfg edited in place and config_ha.yml patched; values parse back exactly. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { editHarborCfg, patchConfigHa, v1HarborCfgValues, v1RedisUrl } from '../../electron/core/harbor/v1/config';
import { parseHarborCfg } from '../../electron/core/profiles/import-harbor-config';
import { checkPolicedValue, profileSchema } from '../../shared/profile';
import { v1Profile } from '../helpers/profiles';
import { releaseDir } from '../lab/harbor-release';

const fixture = (rel: string) => readFileSync(join(releaseDir('v1.5.0'), 'make', rel), 'utf8');
const shippedCfg = fixture('harbor.cfg');
const shippedHa = fixture('common/templates/registry/config_ha.yml');

/** Values a 1.x harbor.cfg can carry (the policy allows them) that still look dangerous. */
const TRICKY = ['p#1', 'a@b!c', 'x:y', 'pct%20', 'semi;colon', '中文密码Zz9', 'quote"in\'side', 'tilde~and^caret', 'Eq=ual'];

describe('harbor.cfg', () => {
  it('keeps every key the installer ships and changes only what the profile decides', () => {
    const p = profileSchema.parse(v1Profile());
    const values = v1HarborCfgValues(p, {
      adminPassword: 'AdminPw9Zq',
      dbPassword: 'db',
      redisPassword: 'rp',
      ossSecret: 'os',
      clairPassword: 'cp',
    });
    const { text, changed, added } = editHarborCfg(shippedCfg, values);
    const before = parseHarborCfg(shippedCfg);
    const after = parseHarborCfg(text);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(added).toEqual([]);
    for (const [k, v] of Object.entries(values)) expect(after.get(k)?.value, k).toBe(v);
    expect(after.get('email_server')?.value).toBe(before.get('email_server')?.value);
    expect(changed).toContain('hostname');
    expect(after.get('registry_storage_provider_name')?.value).toBe('oss');
    // Comment lines stay where they were.
    expect(text.split('\n').filter((l) => l.startsWith('#'))).toEqual(shippedCfg.split('\n').filter((l) => l.startsWith('#')));
  });

  it.each(TRICKY)('carries %j exactly through ConfigParser and the comma formats', (value) => {
    // all but the Redis password: 1.x's jobservice puts that into a redis:// URL unencoded (test/truth covers it)
    for (const field of ['database.harbor.password', 'oss.accessKeySecret', 'harbor.adminPassword'] as const) {
      expect(checkPolicedValue(field, 'v1', value), `${field} ${value}`).toBeNull();
    }
    const p = profileSchema.parse(v1Profile());
    const values = v1HarborCfgValues(p, {
      adminPassword: value,
      dbPassword: value,
      redisPassword: value,
      ossSecret: value,
      clairPassword: 'c',
    });
    const parsed = parseHarborCfg(editHarborCfg(shippedCfg, values).text);
    expect(parsed.get('db_password')?.value).toBe(value);
    expect(parsed.get('harbor_admin_password')?.value).toBe(value);
    const [, , redisPw] = (parsed.get('redis_url')?.value ?? '').split(',');
    expect(redisPw).toBe(value);
    const oss = Object.fromEntries(
      (parsed.get('registry_storage_provider_config')?.value ?? '')
        .split(',')
        .map((kv) => [kv.slice(0, kv.indexOf(':')), kv.slice(kv.indexOf(':') + 1).trim()]),
    );
    expect(oss.accesskeysecret).toBe(value);
  });

  it('writes the Aliyun account form as account:password in redis_url', () => {
    const p = profileSchema.parse(v1Profile((x) => Object.assign(x.redis, { auth: 'account', username: 'harbor' })));
    expect(v1RedisUrl(p, 'pw')).toBe('r-abc.redis.rds.aliyuncs.com:6379,100,harbor:pw,2');
  });

  it('appends a key the installer lacks, saying so', () => {
    const { text, added } = editHarborCfg('hostname = x\n', { hostname: 'y', redis_url: 'r:6379' });
    expect(added).toEqual(['redis_url']);
    expect(parseHarborCfg(text).get('redis_url')?.value).toBe('r:6379');
  });
});

describe('config_ha.yml', () => {
  /** What prepare does with the template: substitute its $placeholders. */
  const render = (template: string) =>
    template
      .replace('$storage_provider_info', 'oss:\n    accesskeyid: k\n    bucket: b')
      .replace('$redis_url', 'SHOULD-NOT-REMAIN')
      .replace('$public_url', 'http://registry.example.com')
      .replace('$ui_url', 'http://ui:8080');

  it.each(['plain', 'p#1', 'a@b!c', 'x:y', '*star', 'quote"in\'side', '中文', 'acct:pw'])('carries the Redis password %j exactly', (pw) => {
    const patched = patchConfigHa(shippedHa, {
      redisHost: 'r-abc.redis.rds.aliyuncs.com',
      redisPort: 6379,
      redisPassword: pw,
      redisDb: 1,
      relativeUrls: false,
    });
    const doc = parse(render(patched)) as { redis: Record<string, unknown>; http: Record<string, unknown> };
    expect(doc.redis).toMatchObject({
      addr: 'r-abc.redis.rds.aliyuncs.com:6379',
      password: pw,
      db: 1,
      dialtimeout: '10s',
      readtimeout: '10s',
      writetimeout: '10s',
    });
    expect(doc.http.relativeurls).toBeUndefined();
    expect(patched).not.toContain('$redis_url');
  });

  it('adds relativeurls when TLS ends at the load balancer, and is idempotent', () => {
    const once = patchConfigHa(shippedHa, { redisHost: 'h', redisPort: 6379, redisDb: 0, relativeUrls: true });
    expect(patchConfigHa(once, { redisHost: 'h', redisPort: 6379, redisDb: 0, relativeUrls: true })).toBe(once);
    const doc = parse(render(once)) as { http: Record<string, unknown>; redis: Record<string, unknown>; storage: Record<string, unknown> };
    expect(doc.http.relativeurls).toBe(true);
    expect(doc.redis.password).toBeUndefined();
    expect(Object.keys(doc.storage)).toEqual(['cache', 'oss', 'maintenance', 'delete']);
  });
});
