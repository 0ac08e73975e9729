/**
 * Harbor 2.x harbor.yml, produced from the installer's own harbor.yml.tmpl with the yaml Document
 * API so its comments stay: the external database, Redis and OSS storage, the URL clients use, job
 * loggers that work across nodes, and the internal `database:` / `redis:` blocks removed (they
 * would win over the external ones, facts §4.1). Every value is written as a YAML 1.1 scalar that PyYAML reads back
 * exactly.
 */
import { isMap, isScalar, visit, type Document } from 'yaml';
import { ApiError } from '../../../../shared/errors';
import type { Profile } from '../../../../shared/profile';
import { tlsOnNodes } from '../node';
import { parseYamlInput, YamlLimitError } from '../../yaml-input';

export interface V2Secrets {
  readonly adminPassword: string;
  readonly dbPassword: string;
  readonly redisPassword?: string;
  readonly ossSecret: string;
}

/** `host` and `port` of the registry address clients type. */
function splitDomain(domain: string): { host: string; port?: number } {
  const m = /^(.+?)(?::(\d+))?$/.exec(domain)!;
  return { host: m[1]!, ...(m[2] ? { port: Number(m[2]) } : {}) };
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** The paths of the TLS files on each node, where the install step puts them. */
export function v2TlsPaths(p: Profile): { certificate: string; privateKey: string } {
  return { certificate: `${p.options.dataVolume}/cert/server.crt`, privateKey: `${p.options.dataVolume}/cert/server.key` };
}

export function renderHarborYml(template: string, p: Profile, s: V2Secrets): string {
  if (p.database.engine !== 'postgresql') throw new Error('Harbor 2.x needs a PostgreSQL profile');
  // YAML 1.1, as prepare's PyYAML reads it: a 1.2 writer leaves `yes`, `on`, `0x1F`… unquoted, and PyYAML makes them booleans and numbers.
  // The template comes from a node (or the installer): outside input, read within yaml-input's bounds.
  let doc: Document;
  try {
    doc = parseYamlInput(template, { keepSourceTokens: false, version: '1.1' });
  } catch (error) {
    if (error instanceof YamlLimitError) throw new ApiError({ code: 'invalid_input', message: error.describe('harbor.yml.tmpl') });
    throw error;
  }
  // Every string value the app writes is double-quoted: PyYAML then reads it back exactly, whatever it holds (a plain
  // `<<` or `=` would be a merge or value tag to safe_load, `yes` a boolean in YAML 1.1).
  const set = (path: (string | number)[], value: unknown, style: 'quoted' | 'plain' = 'quoted') => {
    const node = doc.createNode(value);
    if (style === 'plain') return void doc.setIn(path, node);
    const quote = (n: unknown) => {
      if (!isScalar(n) || typeof n.value !== 'string') return;
      n.type = 'QUOTE_DOUBLE';
      // the writer would print a `<<` value as the merge key whatever its quoting; an explicit !!str keeps it a string
      if (n.value === '<<') n.tag = 'tag:yaml.org,2002:str';
    };
    quote(node);
    visit(node, { Pair: (_, pair) => quote(pair.value), Seq: (_, seq) => seq.items.forEach(quote) });
    doc.setIn(path, node);
  };
  const { host, port } = splitDomain(p.access.domain);
  const onNodes = tlsOnNodes(p);

  set(['hostname'], host);
  if (onNodes) {
    const tls = v2TlsPaths(p);
    set(['https', 'port'], 443);
    set(['https', 'certificate'], tls.certificate);
    set(['https', 'private_key'], tls.privateKey);
  } else {
    doc.delete('https');
  }
  // external_url when clients use another scheme or port than Harbor serves (TLS at the LB, custom port).
  if (p.access.protocol === 'https' && !onNodes) set(['external_url'], `https://${p.access.domain}`);
  else if (port !== undefined) set(['external_url'], `${p.access.protocol}://${p.access.domain}`);
  else doc.delete('external_url');

  set(['harbor_admin_password'], s.adminPassword);
  // plain: the prepare wrapper reads it with grep and awk (`data_path=$(grep '^[^#]*data_volume:' … | awk '{print $NF}')`),
  // quotes included; the schema keeps it a path YAML reads as written
  set(['data_volume'], p.options.dataVolume, 'plain');

  // The internal database and Redis: absent, so nothing can shadow the external services.
  doc.delete('database');
  doc.delete('redis');

  const db = p.database;
  set(['external_database'], {
    harbor: {
      host: db.host,
      port: db.port,
      db_name: db.harbor.database,
      username: db.harbor.user,
      password: s.dbPassword,
      ssl_mode: db.harbor.sslMode,
      max_idle_conns: 2,
      max_open_conns: 0,
    },
  });

  const r = p.redis;
  const redis: Record<string, unknown> = { host: `${r.host}:${r.port}` };
  if (r.auth === 'acl') {
    redis.username = r.username;
    redis.password = s.redisPassword ?? '';
  } else if (r.auth === 'account') redis.password = `${r.username}:${s.redisPassword ?? ''}`;
  else if (r.auth === 'password') redis.password = s.redisPassword ?? '';
  redis.registry_db_index = r.dbIndexes.registry;
  redis.jobservice_db_index = r.dbIndexes.jobservice;
  redis.trivy_db_index = r.dbIndexes.trivy;
  if (r.dbIndexes.harbor !== undefined) redis.harbor_db_index = r.dbIndexes.harbor;
  if (r.dbIndexes.cacheLayer !== undefined) redis.cache_layer_db_index = r.dbIndexes.cacheLayer;
  redis.idle_timeout_seconds = 30;
  set(['external_redis'], redis);

  const o = p.oss;
  const oss: Record<string, unknown> = {
    accesskeyid: o.accessKeyId,
    accesskeysecret: s.ossSecret,
    region: o.region,
    bucket: o.bucket,
    internal: o.internal,
    encrypt: o.encrypt,
    secure: o.secure,
    rootdirectory: o.rootDirectory.startsWith('/') ? o.rootDirectory : `/${o.rootDirectory}`,
    chunksize: 10485760,
  };
  if (o.endpoint) oss.endpoint = o.endpoint;
  // `disable` since 2.8; before, `disabled` (facts §4.1).
  const redirectKey = versionAtLeast(p.harbor.version, 2, 8) ? 'disable' : 'disabled';
  set(['storage_service'], { oss, redirect: { [redirectKey]: o.redirectDisabled } });

  // FILE job logs live on one node and 404 on the others; the DB logger is shared.
  set(['jobservice', 'max_job_workers'], p.options.jobWorkers);
  set(['jobservice', 'job_loggers'], ['STD_OUTPUT', 'DB']);
  if (!isMap(doc.get('jobservice'))) throw new Error('harbor.yml.tmpl has no jobservice section');

  return doc.toString({ lineWidth: 0 });
}
