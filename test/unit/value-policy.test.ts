/**
 * The value policy's verdicts and messages for single values (the table of cases is in profile-schema.test.ts; the
 * real prepare and readers in test/truth/value-policy.test.ts): `$` where docker compose interpolates and where it
 * does not, the Redis AUTH forms, and a message that names the field, the place, the key and the character.
 */
import { describe, expect, it } from 'vitest';
import { redisAuthValue, type DestinationContext } from '../../shared/profile/destinations';
import { checkPolicedValue, destinationContext, firstBreak, NEUTRAL_CONTEXT } from '../../shared/profile/value-policy';

const ACCOUNT: DestinationContext = { redis: { ...NEUTRAL_CONTEXT.redis, auth: 'account', username: 'r-acct' } };

describe('"$" in secrets', () => {
  it('1.x: a Redis password with $ before a name is refused where docker compose reads it (ui/env)', () => {
    const hit = firstBreak('redis.password', 'v1', 'Pa$word12');
    expect(hit?.destination.place).toBe('common/config/ui/env');
    expect(hit?.found.what).toBe('$');
    expect(firstBreak('redis.password', 'v1', 'Pa$$word12')?.found.what).toBe('$');
    expect(firstBreak('redis.password', 'v1', 'Pa${word}12')?.found.what).toBe('$');
    expect(firstBreak('redis.password', 'v1', 'Pa_$word12')?.found.what).toBe('$');
    // "$" before anything else, or at the end, is left alone by docker compose.
    expect(firstBreak('redis.password', 'v1', 'Pa$1word')).toBeNull();
    expect(firstBreak('redis.password', 'v1', 'Password$')).toBeNull();
  });

  it('2.x: the Redis password reaches env files only percent-encoded, so $ arrives; the passwords written raw into core/env are refused', () => {
    for (const v of ['Pa$word12', 'Pa$$word12', 'Pa${word}12', '$Password']) {
      expect(checkPolicedValue('redis.password', 'v2', v), v).toBeNull();
      expect(firstBreak('harbor.adminPassword', 'v2', v)?.destination.place, v).toBe('common/config/core/env');
      expect(firstBreak('database.harbor.password', 'v2', v)?.destination.place, v).toBe('common/config/core/env');
    }
  });
});

describe('Redis AUTH forms', () => {
  it("checks Aliyun's account:password as Harbor writes it: the account name is part of the value", () => {
    expect(redisAuthValue('pw', ACCOUNT)).toBe('r-acct:pw');
    expect(redisAuthValue('pw', NEUTRAL_CONTEXT)).toBe('pw');
    // 1.x puts the AUTH value in a redis:// URL raw: "r-acct:" + the password is what must survive there.
    expect(firstBreak('redis.password', 'v1', 'pw', ACCOUNT)).toBeNull();
    // A leading space: alone, harbor.cfg strips it from the redis_url item; after "r-acct:" it is inside the item, where
    // jobservice's YAML reads "r-acct: pw" as a key and a value.
    expect(firstBreak('redis.password', 'v1', ' pw')?.destination.id).toBe('v1.cfg.redis_url');
    const spaced = firstBreak('redis.password', 'v1', ' pw', ACCOUNT);
    expect(spaced?.destination.id).toBe('v1.jobservice-config.redis_url');
    expect(spaced?.found.what).toBe(':');
  });

  it("reads the places' context from the profile: host, port, AUTH kind, account and jobservice database", () => {
    expect(
      destinationContext({
        redis: { host: 'r.example', port: 6380, auth: 'account', username: 'u', dbIndexes: { jobservice: 5 } } as never,
      }),
    ).toEqual({ redis: { host: 'r.example', port: 6380, auth: 'account', username: 'u', jobserviceDb: 5 } });
  });
});

describe('the message for a refused value', () => {
  it('names the field, the place, its key and format, the character and why, in both languages', () => {
    const m = checkPolicedValue('database.harbor.password', 'v2', 'Pa$word12')!;
    expect(m.en).toBe(
      'Harbor\'s database password: Harbor puts this value into common/config/core/env (POSTGRESQL_PASSWORD; KEY=value line of an env file, read by docker compose), and "$" does not survive there: docker compose replaces $NAME and ${NAME} with an environment variable, and $$ with $. Choose a value without it (change it at the provider first if it is an existing password).',
    );
    expect(m['zh-CN']).toBe(
      'Harbor 数据库密码：Harbor 会把该值写入 common/config/core/env（POSTGRESQL_PASSWORD；env 文件中的 KEY=value 行，由 docker compose 读取），其中的“$”在那里无法保留：docker compose 会把 $NAME 和 ${NAME} 替换为环境变量，并把 $$ 变为 $。请换一个不含它的值（如果是已有的密码，请先在服务商处修改）。',
    );
  });

  it('says "an empty value" rather than quoting nothing', () => {
    const m = checkPolicedValue('redis.password', 'v2', '')!;
    expect(m.en).toContain(', and an empty value does not survive there: ');
    expect(m['zh-CN']).toContain('其中的空值在那里无法保留');
  });

  it('is null for a value every place receives, and for a field the generation does not hand Harbor', () => {
    expect(checkPolicedValue('redis.password', 'v2', 'Plain-Value_123')).toBeNull();
    expect(checkPolicedValue('clair.password', 'v2', ' anything #$')).toBeNull();
    expect(firstBreak('database.admin.password', 'v2', ' anything #$')).toBeNull();
  });
});
