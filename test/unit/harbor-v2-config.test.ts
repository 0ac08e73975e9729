/** Harbor 2.x harbor.yml from the installer's template: every value parses back exactly; comments and unrelated keys stay. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderHarborYml } from '../../electron/core/harbor/v2/config';
import { checkPolicedValue, profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';
import { releaseDir } from '../lab/harbor-release';

const template = readFileSync(join(releaseDir('v2.15.2'), 'make', 'harbor.yml.tmpl'), 'utf8');
const secrets = { adminPassword: 'AdminPw9Zq', dbPassword: 'PgHarborPw-Vw4', redisPassword: 'RedisPw-Ty5', ossSecret: 'OssSecret-Rs6' };
type Yml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- harbor.yml parsed back, walked by its own key names

describe('harbor.yml', () => {
  it('sets the external services, the URL and the loggers, and removes the internal blocks', () => {
    const p = profileSchema.parse(v2Profile());
    const out = renderHarborYml(template, p, secrets);
    const y = parse(out) as Yml;
    expect(y.hostname).toBe('registry.example.com');
    expect(y.external_url).toBe('https://registry.example.com');
    expect(y.https).toBeUndefined();
    expect(y.database).toBeUndefined();
    expect(y.redis).toBeUndefined();
    expect(y.harbor_admin_password).toBe('AdminPw9Zq');
    expect(y.external_database.harbor).toMatchObject({
      host: 'pgm-abc.pg.rds.aliyuncs.com',
      port: 5432,
      db_name: 'registry',
      username: 'harbor',
      password: 'PgHarborPw-Vw4',
      ssl_mode: 'disable',
    });
    expect(y.external_redis).toMatchObject({
      host: 'r-abc.redis.rds.aliyuncs.com:6379',
      password: 'RedisPw-Ty5',
      registry_db_index: 1,
      jobservice_db_index: 2,
      trivy_db_index: 5,
    });
    expect(y.storage_service).toEqual({
      oss: {
        accesskeyid: 'LTAI5tExampleKeyId',
        accesskeysecret: 'OssSecret-Rs6',
        region: 'oss-cn-beijing',
        bucket: 'my-harbor-registry',
        internal: true,
        encrypt: false,
        secure: true,
        rootdirectory: '/harbor',
        chunksize: 10485760,
      },
      redirect: { disable: true },
    });
    expect(y.jobservice.job_loggers).toEqual(['STD_OUTPUT', 'DB']);
    expect(y.jobservice.logger_sweeper_duration).toBe(1); // untouched keys stay
    expect(y.trivy.timeout).toBe('5m0s');
    expect(y._version).toBe('2.15.0');
    // Comments of the template stay (those of removed blocks, like https:, go with them).
    const comments = template
      .split('\n')
      .filter((l) => /^#/.test(l))
      .slice(0, 4); // the header and http:'s comments
    for (const c of comments) expect(out).toContain(c);
  });

  it("writes data_volume so that the release's prepare wrapper reads it (grep and awk, quotes included)", () => {
    const p = profileSchema.parse(v2Profile((x) => (x.options = { ...x.options, dataVolume: '/srv/harbor-data' })));
    const dir = mkdtempSync(join(tmpdir(), 'harbor-yml-'));
    try {
      writeFileSync(join(dir, 'harbor.yml'), renderHarborYml(template, p, secrets));
      // the wrapper's own line, taken from the release file
      const line = readFileSync(join(releaseDir('v2.15.2'), 'make', 'prepare'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith('data_path='))!;
      expect(execFileSync('sh', ['-c', `input_dir=${dir}; ${line}; printf %s "$data_path"`]).toString()).toBe('/srv/harbor-data');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves https on the nodes with the certificate paths, and uses the old redirect key before 2.8', () => {
    const p = profileSchema.parse(
      v2Profile((x) => {
        x.access.tlsTermination = 'nodes';
        x.access.certificate = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
        x.access.privateKey = { value: 'key' };
        x.harbor.version = '2.7.1';
      }),
    );
    const y = parse(renderHarborYml(template, p, secrets)) as Yml;
    expect(y.https).toEqual({ port: 443, certificate: '/data/cert/server.crt', private_key: '/data/cert/server.key' });
    expect(y.external_url).toBeUndefined();
    expect(y.storage_service.redirect).toEqual({ disabled: true });
  });

  it('writes the Aliyun account and ACL forms of Redis auth', () => {
    const account = profileSchema.parse(v2Profile((x) => Object.assign(x.redis, { auth: 'account', username: 'harbor' })));
    expect((parse(renderHarborYml(template, account, secrets)) as Yml).external_redis).toMatchObject({ password: 'harbor:RedisPw-Ty5' });
    const acl = profileSchema.parse(v2Profile((x) => Object.assign(x.redis, { auth: 'acl', username: 'harbor' })));
    expect((parse(renderHarborYml(template, acl, secrets)) as Yml).external_redis).toMatchObject({
      username: 'harbor',
      password: 'RedisPw-Ty5',
    });
  });

  it.each(['p#1', 'x:y', 'a@b!c', 'quote"in\'side', '中文Zz9', 'ends-with-colon-safe', '100', 'true', 'null', '0x1F', '1e3', 'yes', '~'])(
    'carries %j exactly into harbor.yml (YAML quoting by the library)',
    (value) => {
      const p = profileSchema.parse(v2Profile());
      const y = parse(
        renderHarborYml(template, p, { adminPassword: value, dbPassword: value, redisPassword: value, ossSecret: value }),
      ) as Yml;
      expect(y.harbor_admin_password).toBe(value);
      expect(y.external_database.harbor.password).toBe(value);
      expect(y.external_redis.password).toBe(value);
      expect(y.storage_service.oss.accesskeysecret).toBe(value);
    },
  );

  it('the values the policy refuses are the ones Harbor would break when it re-renders them', () => {
    expect(checkPolicedValue('redis.password', 'v2', 'p@ss #1')).not.toBeNull();
    expect(checkPolicedValue('oss.accessKeySecret', 'v2', '*abc')).not.toBeNull();
  });
});
