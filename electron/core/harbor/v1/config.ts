/**
 * Harbor 1.4/1.5 configuration, produced by editing the installer's own files:
 * - harbor.cfg line by line (every key the installer ships stays: prepare reads almost all of them
 *   without defaults), values substituted in place;
 * - common/templates/registry/config_ha.yml (what `prepare --ha` renders the registry config from):
 *   Redis address without the comma string, its password, database and sane timeouts, and
 *   `http.relativeurls` when TLS ends at the load balancer (facts §3).
 * Values have passed the profile's character policy (shared/profile/value-policy.ts), so nothing
 * here has to escape for Python's ConfigParser or string.Template.
 */
import { stringify } from 'yaml';
import type { Profile } from '../../../../shared/profile';
import { tlsOnNodes } from '../node';

/** A harbor.cfg value as prepare will read it, keyed by option name. */
export type CfgValues = Readonly<Record<string, string>>;

export interface CfgEdit {
  readonly text: string;
  /** Keys whose value changed. */
  readonly changed: readonly string[];
  /** Keys that were missing from the installer's file and were appended. */
  readonly added: readonly string[];
}

const LINE = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*[=:]\s?)(.*)$/;

/** Substitutes values into the installer's harbor.cfg, keeping every other line as it is. */
export function editHarborCfg(original: string, values: CfgValues): CfgEdit {
  const seen = new Set<string>();
  const changed: string[] = [];
  const lines = original.split('\n').map((line) => {
    if (/^\s*[#;]/.test(line)) return line;
    const m = LINE.exec(line);
    if (!m) return line;
    const [, indent, key, sep, value] = m as unknown as [string, string, string, string, string];
    const wanted = values[key.toLowerCase()];
    seen.add(key.toLowerCase());
    if (wanted === undefined) return line;
    if (value.trim() !== wanted) changed.push(key);
    return `${indent}${key}${sep.includes('=') ? ' = ' : ': '}${wanted}`;
  });
  const added = Object.keys(values).filter((k) => !seen.has(k));
  if (added.length) {
    if (lines.at(-1) === '') lines.pop();
    lines.push(
      '',
      "# Added by Harbor HA Deployer: not present in the installer's harbor.cfg",
      ...added.map((k) => `${k} = ${values[k]}`),
      '',
    );
  }
  return { text: lines.join('\n'), changed, added };
}

export interface V1Secrets {
  readonly adminPassword: string;
  readonly dbPassword: string;
  readonly redisPassword?: string;
  readonly ossSecret: string;
  readonly clairPassword?: string;
}

/** redis_url in the 1.x comma format `host:port,pool,password,db` (the password as AUTH will send it). */
export function v1RedisUrl(p: Profile, password: string | undefined): string {
  const r = p.redis;
  const auth = r.auth === 'none' ? '' : r.auth === 'account' ? `${r.username}:${password ?? ''}` : (password ?? '');
  const db = r.dbIndexes.jobservice;
  return auth ? `${r.host}:${r.port},100,${auth},${db}` : `${r.host}:${r.port}`;
}

/** registry_storage_provider_config: the OSS driver parameters as prepare's comma list of `k: v`. */
export function v1OssProviderConfig(p: Profile, secret: string): string {
  const o = p.oss;
  const parts = [
    `accesskeyid: ${o.accessKeyId}`,
    `accesskeysecret: ${secret}`,
    `region: ${o.region}`,
    `bucket: ${o.bucket}`,
    `internal: ${o.internal}`,
    `encrypt: ${o.encrypt}`,
    `secure: ${o.secure}`,
    `rootdirectory: ${o.rootDirectory.startsWith('/') ? o.rootDirectory : `/${o.rootDirectory}`}`,
  ];
  if (o.endpoint) parts.push(`endpoint: ${o.endpoint}`);
  return parts.join(',');
}

/** Every harbor.cfg value the profile decides for a 1.x HA install. */
export function v1HarborCfgValues(p: Profile, s: V1Secrets): CfgValues {
  if (p.database.engine !== 'mysql') throw new Error('Harbor 1.x needs a MySQL profile');
  const tls = tlsOnNodes(p);
  const values: Record<string, string> = {
    hostname: p.access.domain,
    // With TLS at the load balancer, Harbor itself serves http behind it.
    ui_url_protocol: tls ? 'https' : 'http',
    max_job_workers: String(p.options.jobWorkers),
    secretkey_path: p.options.dataVolume,
    harbor_admin_password: s.adminPassword,
    db_host: p.database.host,
    db_port: String(p.database.port),
    db_user: p.database.harbor.user,
    db_password: s.dbPassword,
    redis_url: v1RedisUrl(p, s.redisPassword),
    registry_storage_provider_name: 'oss',
    registry_storage_provider_config: v1OssProviderConfig(p, s.ossSecret),
  };
  if (tls) {
    values.ssl_cert = `${p.options.dataVolume}/cert/server.crt`;
    values.ssl_cert_key = `${p.options.dataVolume}/cert/server.key`;
  }
  if (p.clair && p.options.scanner === 'clair') {
    values.clair_db_host = p.clair.host;
    values.clair_db_port = String(p.clair.port);
    values.clair_db_username = p.clair.user;
    values.clair_db_password = s.clairPassword ?? '';
    values.clair_db = p.clair.database;
  }
  return values;
}

/**
 * A double-quoted YAML scalar that Go's yaml.v2 reads back as exactly `value`, inside a template prepare renders
 * with Python's string.Template: `$` is written `$$`, which the template turns back into `$`.
 */
const templateYamlScalar = (value: string) =>
  stringify(value, { lineWidth: 0, version: '1.1', defaultStringType: 'QUOTE_DOUBLE' }).trimEnd().replaceAll('$', '$$$$');

export interface ConfigHaPatch {
  readonly redisHost: string;
  readonly redisPort: number;
  /** As AUTH sends it (account:password for Aliyun custom accounts). */
  readonly redisPassword?: string;
  readonly redisDb: number;
  readonly relativeUrls: boolean;
  /** The URL clients use, when it is not what prepare's `$public_url` says (TLS at the load balancer). */
  readonly clientUrl?: string;
}

/**
 * With TLS ending at the load balancer the nodes serve plain http (ui_url_protocol = http, so prepare renders nginx
 * without TLS), but clients use https: every URL Harbor hands them must say https://domain, not prepare's
 * `$public_url` (http://domain). Those are the registry's token realm (`docker login` is sent there) and the
 * adminserver's EXT_ENDPOINT (the links the UI and API give out). Null when `$public_url` is already right.
 */
export function v1ClientUrl(p: Profile): string | null {
  return p.access.protocol === 'https' && p.access.tlsTermination === 'lb' ? `https://${p.access.domain}` : null;
}

/** adminserver/env's template with EXT_ENDPOINT set to the URL clients use (see v1ClientUrl). Idempotent. */
export function patchAdminserverEnv(original: string, clientUrl: string): string {
  return original.replace(/^EXT_ENDPOINT=.*$/m, `EXT_ENDPOINT=${clientUrl}`);
}

/**
 * Patches config_ha.yml (a string.Template, not YAML yet: it holds `$storage_provider_info`): the
 * redis block gets a plain address, the password, the database and 10 s timeouts instead of 10 ms;
 * http gets `relativeurls: true` when asked; the token realm names the client URL when given. Idempotent.
 */
export function patchConfigHa(original: string, patch: ConfigHaPatch): string {
  const lines = original.split('\n');
  const out: string[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const top = /^([A-Za-z_]+):\s*$/.exec(line);
    if (top) {
      section = top[1]!;
      out.push(line);
      if (section === 'redis') {
        out.push(`  addr: ${patch.redisHost}:${patch.redisPort}`);
        if (patch.redisPassword) out.push(`  password: ${templateYamlScalar(patch.redisPassword)}`);
        out.push(`  db: ${patch.redisDb}`, '  dialtimeout: 10s', '  readtimeout: 10s', '  writetimeout: 10s');
      }
      if (section === 'http' && patch.relativeUrls) out.push('  relativeurls: true');
      continue;
    }
    if (/^\S/.test(line)) section = '';
    if (section === 'redis' && /^\s{2}(addr|password|db|dialtimeout|readtimeout|writetimeout):/.test(line)) continue;
    if (section === 'http' && /^\s{2}relativeurls:/.test(line)) continue;
    if (section === 'auth' && patch.clientUrl && /^\s+realm:/.test(line)) {
      out.push(line.replace(/realm:.*$/, `realm: ${patch.clientUrl}/service/token`));
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** The installer files the 1.x config step renders from (paths below /opt/harbor); pristine copies are kept. */
export const V1_TEMPLATES = {
  cfg: 'harbor.cfg',
  configHa: 'common/templates/registry/config_ha.yml',
  adminserverEnv: 'common/templates/adminserver/env',
} as const;

/** A file the 1.x config step writes, relative to /opt/harbor. */
export interface V1RenderedFile {
  readonly relative: string;
  readonly text: string;
}

/** The 1.x configuration rendered from the installer's own files (`read` gives a pristine installer file). */
export async function renderV1Config(p: Profile, s: V1Secrets, read: (relative: string) => Promise<string>): Promise<V1RenderedFile[]> {
  const clientUrl = v1ClientUrl(p);
  const cfg = editHarborCfg(await read(V1_TEMPLATES.cfg), v1HarborCfgValues(p, s));
  const ha = patchConfigHa(await read(V1_TEMPLATES.configHa), {
    redisHost: p.redis.host,
    redisPort: p.redis.port,
    ...(s.redisPassword ? { redisPassword: p.redis.auth === 'account' ? `${p.redis.username}:${s.redisPassword}` : s.redisPassword } : {}),
    redisDb: p.redis.dbIndexes.registry,
    relativeUrls: clientUrl !== null,
    ...(clientUrl ? { clientUrl } : {}),
  });
  const files: V1RenderedFile[] = [
    { relative: V1_TEMPLATES.cfg, text: cfg.text },
    { relative: V1_TEMPLATES.configHa, text: ha },
  ];
  if (clientUrl)
    files.push({ relative: V1_TEMPLATES.adminserverEnv, text: patchAdminserverEnv(await read(V1_TEMPLATES.adminserverEnv), clientUrl) });
  return files;
}
