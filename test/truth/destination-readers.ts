/**
 * For each place a secret lands (shared/profile/destinations.ts), how the test reads it back the way Harbor's
 * component reads it, from the files Harbor's real prepare wrote. A reading answers the value the component gets
 * (null: it gets none, or fails to start). Every env file is read by all three generations of docker compose; a
 * place passes only when every reader gets the value.
 */
import type { DestinationContext } from '../../shared/profile/destinations';
import { composeV1EnvFiles, composeV1LegacyEnvFile, composeV2EnvFile, pythonJson, type GoReaders } from './readback';

/** What one reading found: the value a reader got (null: none), named by the reader. */
export type Readings = ReadonlyArray<{ readonly reader: string; readonly value: string | null }>;

export interface CaseFiles {
  /** prepare's outputs, by path below harbor/ */
  readonly files: Readonly<Record<string, string>>;
  /** the input the app rendered (2.x harbor.yml, 1.x harbor.cfg), for the places the app writes */
  readonly input: string;
}

/** Reads KEY from an env file as docker compose before 1.26, 1.26+ (Python) and v2 (compose-go's rules; godotenv) do. */
async function envReadings(
  go: GoReaders,
  text: string | undefined,
  key: string,
  composeV1: Record<string, string | null> | { error: string } | undefined,
): Promise<Array<{ reader: string; value: string | null }>> {
  if (text === undefined) return [{ reader: 'file', value: null }];
  const godotenv = await go.read('dotenv', text);
  return [
    { reader: 'compose v1 before 1.26', value: composeV1LegacyEnvFile(text)[key] ?? null },
    { reader: 'compose v1 1.29 (python-dotenv)', value: composeV1 && !('error' in composeV1) ? (composeV1[key] ?? null) : null },
    { reader: 'compose v2 (compose-go rules)', value: ((v2) => ('error' in v2 ? null : (v2[key] ?? null)))(composeV2EnvFile(text)) },
    { reader: 'godotenv', value: godotenv.values?.[key] ?? null },
  ];
}

async function urlPassword(go: GoReaders, url: string | null): Promise<string | null> {
  if (url === null) return null;
  const r = await go.read('url', url);
  return r.values?.password ?? null;
}

/** PyYAML's reading of keys of a YAML text (what 2.x prepare gets from harbor.yml). */
export async function pyYamlValues(texts: readonly string[], paths: readonly (readonly string[])[]): Promise<Array<Array<string | null>>> {
  const program = [
    'import json, sys, yaml',
    'req = json.load(sys.stdin)',
    'out = []',
    'for text in req["texts"]:',
    '    doc = yaml.safe_load(text)',
    '    row = []',
    '    for path in req["paths"]:',
    '        v = doc',
    '        for k in path: v = v.get(k) if isinstance(v, dict) else None',
    '        row.append(v if isinstance(v, str) else (None if v is None else "<%s %r>" % (type(v).__name__, v)))',
    '    out.append(row)',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  return pythonJson(program, { texts, paths }, 'PyYAML');
}

/** The env files a case's readers need, read once by compose v1 1.29 for the whole batch. */
export async function composeV1Batch(
  cases: readonly CaseFiles[],
  envFiles: readonly string[],
): Promise<Array<Record<string, Record<string, string | null> | { error: string }>>> {
  const texts: string[] = [];
  const where: Array<[number, string]> = [];
  cases.forEach((c, i) => {
    for (const f of envFiles) {
      if (c.files[f] === undefined) continue;
      texts.push(c.files[f]);
      where.push([i, f]);
    }
  });
  const read = await composeV1EnvFiles(texts);
  const out = cases.map((): Record<string, Record<string, string | null> | { error: string }> => ({}));
  where.forEach(([i, f], k) => (out[i]![f] = read[k]!));
  return out;
}

export type Reader = (
  go: GoReaders,
  c: CaseFiles,
  composeV1: Readonly<Record<string, Record<string, string | null> | { error: string }>>,
  ctx: DestinationContext,
) => Promise<Readings>;

const env =
  (file: string, key: string): Reader =>
  async (go, c, v1) =>
    envReadings(go, c.files[file], key, v1[file]);

/** Reads an env value with every compose reader, then the connection string a Go component builds from each. */
const viaEnv =
  (file: string, key: string, then: (go: GoReaders, value: string) => Promise<string | null>): Reader =>
  async (go, c, v1) => {
    const readings = await envReadings(go, c.files[file], key, v1[file]);
    return Promise.all(
      readings.map(async (r) => ({ reader: `${r.reader}, then the component`, value: r.value === null ? null : await then(go, r.value) })),
    );
  };

async function registryValue(go: GoReaders, text: string | undefined, key: string): Promise<Readings> {
  if (text === undefined) return [{ reader: 'file', value: null }];
  const r = await go.read('registry-config', text);
  return [{ reader: 'distribution (yaml.v2)', value: r.error ? null : (r.values?.[key] ?? null) }];
}

/** The readers of each place, by destination id. A place missing here fails the test (every place must be read). */
export const READERS: Record<string, Reader> = {
  // ── 2.x
  'v2.harbor-yml.harbor_admin_password': async () => [], // read by prepare itself: checked with PyYAML for the whole batch
  'v2.harbor-yml.external_database.harbor.password': async () => [],
  'v2.harbor-yml.external_redis.password': async () => [],
  'v2.harbor-yml.storage_service.oss.accesskeysecret': async () => [],
  'v2.core-env.HARBOR_ADMIN_PASSWORD': env('common/config/core/env', 'HARBOR_ADMIN_PASSWORD'),
  'v2.core-env.POSTGRESQL_PASSWORD': env('common/config/core/env', 'POSTGRESQL_PASSWORD'),
  // src/common/dao/pgsql.go: host=%s port=%s user=%s password=%s dbname=%s sslmode=%s timezone=UTC, read by pgx
  'v2.core-pgx-dsn': viaEnv(
    'common/config/core/env',
    'POSTGRESQL_PASSWORD',
    async (go, pw) =>
      (await go.read('pg-dsn', `host=db.example.com port=5432 user=harbor password=${pw} dbname=registry sslmode=disable timezone=UTC`))
        .values?.password ?? null,
  ),
  'v2.db-env.POSTGRES_PASSWORD': async () => [],
  'v2.core-env._REDIS_URL_CORE': async (go, c, v1) => {
    const out: Array<{ reader: string; value: string | null }> = [];
    for (const key of ['_REDIS_URL_CORE', '_REDIS_URL_REG'])
      for (const r of await envReadings(go, c.files['common/config/core/env'], key, v1['common/config/core/env']))
        out.push({ reader: `${key}: ${r.reader}, net/url`, value: await urlPassword(go, r.value) });
    return out;
  },
  'v2.jobservice-config.redis_url': async (go, c) => {
    const text = c.files['common/config/jobservice/config.yml'];
    if (text === undefined) return [{ reader: 'file', value: null }];
    const r = await go.read('jobservice-config', text);
    return [{ reader: 'jobservice (yaml.v2, net/url)', value: await urlPassword(go, r.values?.redis_url ?? null) }];
  },
  'v2.trivy-env.SCANNER_REDIS_URL': viaEnv('common/config/trivy-adapter/env', 'SCANNER_REDIS_URL', urlPassword),
  'v2.registry-config.redis.password': (go, c) => registryValue(go, c.files['common/config/registry/config.yml'], 'redis.password'),
  'v2.registry-config.storage.oss.accesskeysecret': (go, c) =>
    registryValue(go, c.files['common/config/registry/config.yml'], 'storage.oss.accesskeysecret'),
  // ── 1.x
  'v1.cfg.harbor_admin_password': async () => [], // read by prepare itself: what it made of it shows in the files below
  'v1.cfg.db_password': async () => [],
  'v1.cfg.clair_db_password': async () => [],
  'v1.cfg.redis_url': async () => [],
  'v1.cfg.registry_storage_provider_config': async () => [],
  'v1.adminserver-env.HARBOR_ADMIN_PASSWORD': env('common/config/adminserver/env', 'HARBOR_ADMIN_PASSWORD'),
  'v1.adminserver-env.MYSQL_PWD': env('common/config/adminserver/env', 'MYSQL_PWD'),
  // src/common/dao/mysql.go: %s:%s@tcp(%s:%s)/%s, read by go-sql-driver/mysql
  'v1.mysql-dsn': viaEnv(
    'common/config/adminserver/env',
    'MYSQL_PWD',
    async (go, pw) => (await go.read('mysql-dsn', `harbor:${pw}@tcp(db.example.com:3306)/registry`)).values?.password ?? null,
  ),
  'v1.db-env.MYSQL_ROOT_PASSWORD': async () => [],
  'v1.adminserver-env.CLAIR_DB_PASSWORD': env('common/config/adminserver/env', 'CLAIR_DB_PASSWORD'),
  // src/common/dao/pgsql.go (1.5): host=%s port=%d user=%s password=%s dbname=%s sslmode=%s, read by lib/pq
  'v1.clair-pq-dsn': viaEnv(
    'common/config/adminserver/env',
    'CLAIR_DB_PASSWORD',
    async (go, pw) =>
      (await go.read('pq-dsn', `host=pg.example.com port=5432 user=clair password=${pw} dbname=postgres sslmode=disable`)).values
        ?.password ?? null,
  ),
  'v1.clair-config.source': async (go, c) => {
    const text = c.files['common/config/clair/config.yaml'];
    if (text === undefined) return [{ reader: 'file', value: null }];
    const r = await go.read('clair-config', text);
    return [{ reader: 'Clair (yaml.v2, net/url)', value: await urlPassword(go, r.values?.source ?? null) }];
  },
  'v1.clair-postgres-env.POSTGRES_PASSWORD': async () => [],
  'v1.ui-env._REDIS_URL': async (go, c, v1) =>
    // the UI's beego session provider splits host:port,pool,password,db at commas
    (await envReadings(go, c.files['common/config/ui/env'], '_REDIS_URL', v1['common/config/ui/env'])).map((r) => ({
      reader: `${r.reader}, beego`,
      value: r.value === null ? null : (r.value.split(',')[2] ?? null),
    })),
  'v1.jobservice-config.redis_url': async (go, c) => {
    const text = c.files['common/config/jobservice/config.yml'];
    if (text === undefined) return [{ reader: 'file', value: null }];
    const r = await go.read('jobservice-config', text);
    return [{ reader: 'jobservice (yaml.v2)', value: r.values?.redis_url?.split(',')[2] ?? null }];
  },
  'v1.jobservice-redis-url': async (go, c) => {
    const text = c.files['common/config/jobservice/config.yml'];
    if (text === undefined) return [{ reader: 'file', value: null }];
    const comma = (await go.read('jobservice-config', text)).values?.redis_url ?? null;
    if (comma === null) return [{ reader: 'jobservice (yaml.v2)', value: null }];
    const translated = await go.read('harbor1-redis-url', comma);
    return [{ reader: 'jobservice (TranslateRedisAddress, net/url)', value: await urlPassword(go, translated.values?.url ?? null) }];
  },
  'v1.registry-config.redis.password': (go, c) => registryValue(go, c.files['common/config/registry/config.yml'], 'redis.password'),
  'v1.registry-config.storage.oss.accesskeysecret': (go, c) =>
    registryValue(go, c.files['common/config/registry/config.yml'], 'storage.oss.accesskeysecret'),
};

/** The env files the readers above read (compose v1 1.29 reads them in one batch). */
export const ENV_FILES = [
  'common/config/core/env',
  'common/config/trivy-adapter/env',
  'common/config/adminserver/env',
  'common/config/ui/env',
];
