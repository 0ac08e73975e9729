/**
 * Where each secret of a profile lands once Harbor's prepare has run, per generation, read from Harbor's own templates
 * (v1.5.0 make/prepare and common/templates; v2.14.4 and v2.15.2 make/photon/prepare/templates and utils). Every place
 * is one file (or connection string a component builds) and the format it is written in there; the value policy
 * refuses what any of them breaks (value-policy.ts). test/truth/value-policy.test.ts runs the real prepare and checks
 * both that every place listed receives the value exactly and that the value appears nowhere else.
 */
import type { Localized } from '../i18n/localized';
import type { ValueFormat } from './value-formats';

export type Generation = 'v1' | 'v2';

/** The secrets of a profile that Harbor carries somewhere (the others, SSH credentials, only the app uses). */
export type PolicedSecret =
  | 'harbor.adminPassword'
  | 'database.admin.password'
  | 'database.harbor.password'
  | 'clair.password'
  | 'redis.password'
  | 'oss.accessKeySecret';

export const POLICED_SECRETS: readonly PolicedSecret[] = [
  'harbor.adminPassword',
  'database.admin.password',
  'database.harbor.password',
  'clair.password',
  'redis.password',
  'oss.accessKeySecret',
];

/** The field labels the messages name. */
export const SECRET_LABELS: Record<PolicedSecret, Localized> = {
  'harbor.adminPassword': { en: 'Harbor admin password', 'zh-CN': 'Harbor 管理员密码' },
  'database.admin.password': { en: 'Database admin password', 'zh-CN': '数据库管理员密码' },
  'database.harbor.password': { en: "Harbor's database password", 'zh-CN': 'Harbor 数据库密码' },
  'clair.password': { en: 'Clair database password', 'zh-CN': 'Clair 数据库密码' },
  'redis.password': { en: 'Redis password', 'zh-CN': 'Redis 密码' },
  'oss.accessKeySecret': { en: 'OSS AccessKey secret', 'zh-CN': 'OSS AccessKey Secret' },
};

/** What the places need to know of the profile besides the secret (for values Harbor writes inside a larger text). */
export interface DestinationContext {
  readonly redis: {
    readonly host: string;
    readonly port: number;
    readonly auth: 'none' | 'password' | 'account' | 'acl';
    readonly username?: string | undefined;
    readonly jobserviceDb: number;
  };
}

export interface Destination {
  /** Stable id; the truth test reads each place back by it. */
  readonly id: string;
  /** The file below /opt/harbor, or the component that builds the text. */
  readonly place: string;
  /** The key or setting in it. */
  readonly key: string;
  readonly format: ValueFormat;
  /** The text written there when the value sits inside a larger one (checked whole); default: the value itself. */
  readonly written?: (value: string, c: DestinationContext) => string;
}

/** The Redis AUTH argument Harbor sends: Aliyun's `account:password` form for an account, else the password. */
export function redisAuthValue(secret: string, c: DestinationContext): string {
  return c.redis.auth === 'account' ? `${c.redis.username ?? ''}:${secret}` : secret;
}

/** 1.x `redis_url` as the app writes it into harbor.cfg: `host:port,pool,password,db` (the password already AUTH's). */
export function v1RedisCommaUrl(auth: string, c: DestinationContext): string {
  return `${c.redis.host}:${c.redis.port},100,${auth},${c.redis.jobserviceDb}`;
}

const V1: Partial<Record<PolicedSecret, readonly Destination[]>> = {
  'harbor.adminPassword': [
    { id: 'v1.cfg.harbor_admin_password', place: 'harbor.cfg', key: 'harbor_admin_password', format: 'cfg-value' },
    {
      id: 'v1.adminserver-env.HARBOR_ADMIN_PASSWORD',
      place: 'common/config/adminserver/env',
      key: 'HARBOR_ADMIN_PASSWORD',
      format: 'env-file',
    },
  ],
  'database.admin.password': [],
  'database.harbor.password': [
    { id: 'v1.cfg.db_password', place: 'harbor.cfg', key: 'db_password', format: 'cfg-value' },
    { id: 'v1.adminserver-env.MYSQL_PWD', place: 'common/config/adminserver/env', key: 'MYSQL_PWD', format: 'env-file' },
    { id: 'v1.mysql-dsn', place: 'harbor-adminserver, harbor-ui', key: 'MySQL connection string', format: 'mysql-dsn' },
    { id: 'v1.db-env.MYSQL_ROOT_PASSWORD', place: 'common/config/db/env', key: 'MYSQL_ROOT_PASSWORD', format: 'unused' },
  ],
  'clair.password': [
    { id: 'v1.cfg.clair_db_password', place: 'harbor.cfg', key: 'clair_db_password', format: 'cfg-value' },
    { id: 'v1.adminserver-env.CLAIR_DB_PASSWORD', place: 'common/config/adminserver/env', key: 'CLAIR_DB_PASSWORD', format: 'env-file' },
    { id: 'v1.clair-pq-dsn', place: 'harbor-ui', key: 'Clair database connection string', format: 'pq-dsn' },
    {
      id: 'v1.clair-config.source',
      place: 'common/config/clair/config.yaml',
      key: 'database.options.source (postgresql://user:password@…)',
      format: 'url-userinfo',
    },
    {
      id: 'v1.clair-postgres-env.POSTGRES_PASSWORD',
      place: 'common/config/clair/postgres_env',
      key: 'POSTGRES_PASSWORD',
      format: 'unused',
    },
  ],
  'redis.password': [
    {
      id: 'v1.cfg.redis_url',
      place: 'harbor.cfg',
      key: 'redis_url (host:port,pool,password,db)',
      format: 'cfg-list-item',
      written: (v, c) => redisAuthValue(v, c),
    },
    {
      id: 'v1.ui-env._REDIS_URL',
      place: 'common/config/ui/env',
      key: '_REDIS_URL',
      format: 'env-file',
      written: (v, c) => v1RedisCommaUrl(redisAuthValue(v, c), c),
    },
    {
      id: 'v1.jobservice-config.redis_url',
      place: 'common/config/jobservice/config.yml',
      key: 'redis_url',
      format: 'yaml-string',
      written: (v, c) => v1RedisCommaUrl(redisAuthValue(v, c), c),
    },
    // jobservice turns the comma form into redis://arbitrary_username:<password>@host:port/db without encoding
    {
      id: 'v1.jobservice-redis-url',
      place: 'harbor-jobservice',
      key: 'redis:// URL built from redis_url',
      format: 'url-userinfo',
      written: (v, c) => redisAuthValue(v, c),
    },
    {
      id: 'v1.registry-config.redis.password',
      place: 'common/config/registry/config.yml',
      key: 'redis.password (from config_ha.yml, written by the app)',
      format: 'app-yaml',
      written: (v, c) => redisAuthValue(v, c),
    },
  ],
  'oss.accessKeySecret': [
    {
      id: 'v1.cfg.registry_storage_provider_config',
      place: 'harbor.cfg',
      key: 'registry_storage_provider_config (accesskeysecret: …)',
      format: 'cfg-list-item',
      written: (v) => `accesskeysecret: ${v}`,
    },
    {
      id: 'v1.registry-config.storage.oss.accesskeysecret',
      place: 'common/config/registry/config.yml',
      key: 'storage.oss.accesskeysecret',
      format: 'yaml-param',
    },
  ],
};

/** 2.x redis URLs: prepare percent-encodes the password (quote(…, safe='')), and Go's net/url decodes it. */
const v2RedisUrl = (id: string, place: string, key: string): Destination => ({
  id,
  place,
  key,
  format: 'url-encoded',
  written: (v, c) => redisAuthValue(v, c),
});

const V2: Partial<Record<PolicedSecret, readonly Destination[]>> = {
  'harbor.adminPassword': [
    { id: 'v2.harbor-yml.harbor_admin_password', place: 'harbor.yml', key: 'harbor_admin_password', format: 'app-yaml' },
    { id: 'v2.core-env.HARBOR_ADMIN_PASSWORD', place: 'common/config/core/env', key: 'HARBOR_ADMIN_PASSWORD', format: 'env-file' },
  ],
  'database.admin.password': [],
  'database.harbor.password': [
    {
      id: 'v2.harbor-yml.external_database.harbor.password',
      place: 'harbor.yml',
      key: 'external_database.harbor.password',
      format: 'app-yaml',
    },
    { id: 'v2.core-env.POSTGRESQL_PASSWORD', place: 'common/config/core/env', key: 'POSTGRESQL_PASSWORD', format: 'env-file' },
    { id: 'v2.core-pgx-dsn', place: 'harbor-core', key: 'PostgreSQL connection string (host=… password=…)', format: 'pgx-dsn' },
    { id: 'v2.db-env.POSTGRES_PASSWORD', place: 'common/config/db/env', key: 'POSTGRES_PASSWORD', format: 'unused' },
  ],
  'redis.password': [
    {
      id: 'v2.harbor-yml.external_redis.password',
      place: 'harbor.yml',
      key: 'external_redis.password',
      format: 'app-yaml',
      written: (v, c) => redisAuthValue(v, c),
    },
    v2RedisUrl('v2.core-env._REDIS_URL_CORE', 'common/config/core/env', '_REDIS_URL_CORE, _REDIS_URL_REG'),
    v2RedisUrl('v2.jobservice-config.redis_url', 'common/config/jobservice/config.yml', 'redis_url'),
    v2RedisUrl(
      'v2.trivy-env.SCANNER_REDIS_URL',
      'common/config/trivy-adapter/env',
      'SCANNER_REDIS_URL, SCANNER_STORE_REDIS_URL, SCANNER_JOB_QUEUE_REDIS_URL',
    ),
    {
      id: 'v2.registry-config.redis.password',
      place: 'common/config/registry/config.yml',
      key: 'redis.password',
      format: 'yaml-string',
      written: (v, c) => redisAuthValue(v, c),
    },
  ],
  'oss.accessKeySecret': [
    {
      id: 'v2.harbor-yml.storage_service.oss.accesskeysecret',
      place: 'harbor.yml',
      key: 'storage_service.oss.accesskeysecret',
      format: 'app-yaml',
    },
    {
      id: 'v2.registry-config.storage.oss.accesskeysecret',
      place: 'common/config/registry/config.yml',
      key: 'storage.oss.accesskeysecret',
      format: 'yaml-param',
    },
  ],
};

/** The places a secret lands for a generation; empty when only the app uses it; undefined when the generation has no such field. */
export function destinationsOf(field: PolicedSecret, generation: Generation): readonly Destination[] | undefined {
  return (generation === 'v1' ? V1 : V2)[field];
}
