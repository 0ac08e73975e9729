/**
 * A profile draft from a Harbor config the operator already has: `harbor.cfg` (Harbor 1.x, read the
 * way prepare's Python 2 RawConfigParser reads it) or `harbor.yml` (Harbor 2.x, read as YAML 1.1
 * like PyYAML). Pure: text in, draft out. Secret values go only into `secrets`, with the profile
 * path they belong to; `draft` and `notes` never contain them.
 */
import { isMap, LineCounter, type Document } from 'yaml';
import { normalizeOssRegion } from '../../../shared/profile/fields';
import type { ProfileInput } from '../../../shared/profile/schema';
import { TextSyntaxError, yamlDocument, yamlValue } from '../text-syntax';

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type ProfileDraft = DeepPartial<ProfileInput>;

export interface ImportNote {
  en: string;
  'zh-CN': string;
}

export interface ImportedSecret {
  /** Where the value belongs in the profile, e.g. `['redis', 'password']`. */
  path: (string | number)[];
  value: string;
}

export interface HarborConfigImport {
  generation: 'v1' | 'v2';
  draft: ProfileDraft;
  secrets: ImportedSecret[];
  notes: ImportNote[];
}

/** Values shipped in Harbor's sample configs: never real, never imported. */
const SAMPLE_HOSTNAMES = /^(reg\.mydomain\.com|127\.0\.0\.1|localhost)$/i;
const SAMPLE_PASSWORDS = new Set(['Harbor12345', 'root123']);
const SAMPLE_CERT_PATHS = new Set(['/your/certificate/path', '/your/private/key/path']);

class Collector {
  readonly draft: ProfileDraft = {};
  readonly secrets: ImportedSecret[] = [];
  readonly notes: ImportNote[] = [];

  note(en: string, zh: string): void {
    this.notes.push({ en, 'zh-CN': zh });
  }

  secret(path: (string | number)[], value: string, label: string, isSample: boolean): void {
    if (value === '') return;
    if (isSample) {
      this.note(
        `${label} is still the sample password from Harbor's template: change this. It was not imported; enter a strong password of your own.`,
        `${label} 仍是 Harbor 模板中的示例密码：请修改。未导入该值，请自行设置强密码。`,
      );
      return;
    }
    this.secrets.push({ path, value });
  }

  result(generation: 'v1' | 'v2'): HarborConfigImport {
    this.note(
      'Not in this file, so not imported: the nodes (SSH addresses and logins), the load balancer, the installer package and the database admin account. Add them in the profile.',
      '以下内容不在此文件中，因此未导入：节点（SSH 地址和登录方式）、负载均衡、安装包以及数据库管理账号。请在配置中补充。',
    );
    // Defence in depth: a note must never echo a secret value.
    const values = this.secrets.map((s) => s.value).filter((v) => v.length >= 4);
    const scrub = (s: string) => values.reduce((acc, v) => acc.split(v).join('***'), s);
    const notes = this.notes.map((n) => ({ en: scrub(n.en), 'zh-CN': scrub(n['zh-CN']) }));
    return { generation, draft: this.draft, secrets: this.secrets, notes };
  }
}

function sec<K extends keyof ProfileDraft>(draft: ProfileDraft, key: K): NonNullable<ProfileDraft[K]> {
  draft[key] ??= {} as NonNullable<ProfileDraft[K]>;
  return draft[key] as NonNullable<ProfileDraft[K]>;
}

/** Splits `host[:port]` (IPv6 in brackets). */
function splitHostPort(value: string): { host: string; port?: number } | undefined {
  const v = value.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (bracket) return { host: bracket[1]!, ...(bracket[2] ? { port: Number(bracket[2]) } : {}) };
  const m = /^([^:\s]+)(?::(\d+))?$/.exec(v);
  if (!m) return undefined;
  return { host: m[1]!, ...(m[2] ? { port: Number(m[2]) } : {}) };
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** YAML 1.1 booleans, as Go's yaml.v2 (the registry) and PyYAML read them. */
function parseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  if (/^(true|yes|on|y)$/i.test(value.trim())) return true;
  if (/^(false|no|off|n)$/i.test(value.trim())) return false;
  return undefined;
}

/** Redis password handling shared by both generations: `account:password` is Aliyun's custom-account form. */
function importRedisAuth(c: Collector, password: string, username: string | undefined, sampleLabel: string): void {
  const redis = sec(c.draft, 'redis');
  if (username) {
    redis.auth = 'acl';
    redis.username = username;
    c.secret(['redis', 'password'], password, sampleLabel, false);
    return;
  }
  if (password === '') {
    redis.auth = 'none';
    return;
  }
  const colon = password.indexOf(':');
  if (colon > 0) {
    const account = password.slice(0, colon);
    redis.auth = 'account';
    redis.username = account;
    c.secret(['redis', 'password'], password.slice(colon + 1), sampleLabel, false);
    c.note(
      `The Redis password has the form account:password, which is how an Aliyun Redis (Tair) custom account logs in with a single AUTH. Imported as authentication "account" with the account name "${account}" and the part after the first ":" as the password; the app sends AUTH ${account}:<password> again.`,
      `Redis 密码的形式是 账号:密码，这是阿里云 Redis（Tair）自定义账号通过单参数 AUTH 登录的方式。已按认证方式“账号”导入：账号名为“${account}”，第一个“:”之后的部分为密码；应用会再次发送 AUTH ${account}:<密码>。`,
    );
    return;
  }
  redis.auth = 'password';
  c.secret(['redis', 'password'], password, sampleLabel, false);
}

/** Fills `draft.oss` from a driver parameter map (1.x comma list or 2.x storage_service.oss). */
function importOss(c: Collector, params: Record<string, unknown>, where: string): void {
  const oss = sec(c.draft, 'oss');
  for (const [rawKey, raw] of Object.entries(params)) {
    const key = rawKey.toLowerCase();
    const str = raw === null || raw === undefined ? '' : String(raw).trim();
    switch (key) {
      case 'accesskeyid':
        if (str) oss.accessKeyId = str;
        break;
      case 'accesskeysecret':
        c.secret(['oss', 'accessKeySecret'], str, 'accesskeysecret', false);
        break;
      case 'region':
        if (str) {
          let region = normalizeOssRegion(str);
          if (region.endsWith('-internal')) {
            region = region.slice(0, -'-internal'.length);
            oss.internal = true;
            c.note(
              `${where}: the region ended in -internal; imported as region ${region} with "internal" switched on (the driver adds -internal itself).`,
              `${where}：region 以 -internal 结尾；已导入为地域 ${region} 并打开“内网”开关（驱动会自行加上 -internal）。`,
            );
          }
          oss.region = region;
        }
        break;
      case 'bucket':
        if (str) oss.bucket = str;
        break;
      case 'rootdirectory':
        if (str) oss.rootDirectory = str;
        break;
      case 'internal':
      case 'encrypt':
      case 'secure': {
        const b = parseBool(raw);
        if (b === undefined) {
          c.note(`${where}: ${key} is "${str}", not a boolean; not imported.`, `${where}：${key} 的值“${str}”不是布尔值，未导入。`);
        } else if (key === 'internal') oss.internal = b;
        else if (key === 'encrypt') oss.encrypt = b;
        else oss.secure = b;
        break;
      }
      case 'endpoint':
        if (str) {
          const stripped = str.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
          if (stripped !== str)
            c.note(
              `${where}: the endpoint had a scheme (http:// or https://); the OSS driver then fails with SignatureDoesNotMatch, so it was imported as ${stripped}.`,
              `${where}：endpoint 带有 http:// 或 https://；这样 OSS 驱动会报 SignatureDoesNotMatch，因此已导入为 ${stripped}。`,
            );
          oss.endpoint = stripped;
        }
        break;
      case 'chunksize':
      case 'v4auth':
      case 'regionendpoint':
        c.note(`${where}: the OSS parameter ${key} is not part of the profile; not imported.`, `${where}：OSS 参数 ${key} 不在配置范围内，未导入。`);
        break;
      default:
        // The name is not shown: in a 1.x comma list it may be the tail of a secret that contained ",".
        c.note(
          `${where}: an unknown OSS parameter was skipped. If a value (e.g. the AccessKey secret) contains ",", Harbor 1.x splits it there too: such a value cannot be used in harbor.cfg.`,
          `${where}：已跳过一个未知的 OSS 参数。若某个值（例如 AccessKey Secret）含有“,”，Harbor 1.x 同样会在此处拆开：这样的值无法用于 harbor.cfg。`,
        );
    }
  }
}

function scannerGuess(c: Collector, scanner: 'clair' | 'trivy', why: { en: string; zh: string }): void {
  sec(c.draft, 'options').scanner = scanner;
  c.note(
    `Scanner set to ${scanner === 'clair' ? 'Clair' : 'Trivy'} because ${why.en}. This is a guess: whether it runs is decided by the install command (${scanner === 'clair' ? 'install.sh --with-clair' : 'install.sh --with-trivy'}), which the file does not record.`,
    `扫描器设为 ${scanner === 'clair' ? 'Clair' : 'Trivy'}，因为${why.zh}。这是推测：是否启用由安装命令（${scanner === 'clair' ? 'install.sh --with-clair' : 'install.sh --with-trivy'}）决定，文件中没有记录。`,
  );
}

// ------------------------------------------------------------------------------------------------
// Harbor 1.x: harbor.cfg

interface CfgValue {
  value: string;
  line: number;
}

/**
 * Reads harbor.cfg as Python 2.7's RawConfigParser does after prepare prepends `[configuration]`:
 * `#`/`;` comment lines (only in column 0), `rem` lines, `key = value` or `key: value`, option
 * names lower-cased, indented continuation lines joined with newlines, and an inline comment only
 * where the first `;` follows whitespace. No interpolation. Later duplicates win.
 */
export function parseHarborCfg(text: string, fileName = 'harbor.cfg'): Map<string, CfgValue> {
  const out = new Map<string, CfgValue>();
  let current: { name: string; parts: string[]; line: number } | undefined;
  const flush = () => {
    if (current) out.set(current.name, { value: current.parts.join('\n'), line: current.line });
  };
  const lines = text.split('\n');
  lines.forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '');
    const n = i + 1;
    if (line.trim() === '' || line[0] === '#' || line[0] === ';') return;
    if ((line[0] === 'r' || line[0] === 'R') && line.trim().split(/\s+/)[0]!.toLowerCase() === 'rem') return;
    if (/^\s/.test(line) && current) {
      const v = line.trim();
      if (v) current.parts.push(v);
      return;
    }
    if (/^\[[^\]]+\]/.test(line)) {
      // Not echoed either (see below).
      throw new Error(`${fileName} line ${n}: section headers like [configuration] do not belong in harbor.cfg (prepare adds its own [configuration] section, and keys after another header would be invisible to it)`);
    }
    const m = /^([^:=\s][^:=]*?)\s*([:=])\s*(.*)$/.exec(line);
    // The line's text is not echoed: a broken line may hold part of a password.
    if (!m) throw new Error(`${fileName} line ${n}: expected "key = value" (or "key: value"), and a continuation line must follow a key`);
    flush();
    let value = m[3]!;
    const pos = value.indexOf(';');
    if (pos !== -1) {
      const before = pos === 0 ? value[value.length - 1]! : value[pos - 1]!;
      if (/\s/.test(before)) value = value.slice(0, pos);
    }
    value = value.trim();
    if (value === '""') value = '';
    current = { name: m[1]!.trimEnd().toLowerCase(), parts: [value], line: n };
  });
  flush();
  return out;
}

function fromCfg(text: string, fileName: string): HarborConfigImport {
  const cfg = parseHarborCfg(text, fileName);
  const c = new Collector();
  const get = (k: string) => cfg.get(k)?.value.trim() ?? '';
  const int = (k: string): number | undefined => {
    const e = cfg.get(k);
    if (!e || e.value.trim() === '') return undefined;
    if (!/^\d+$/.test(e.value.trim())) throw new Error(`${fileName} line ${e.line}: ${k} must be a whole number, found "${e.value.trim()}"`);
    return Number(e.value.trim());
  };
  const port = (k: string): number | undefined => {
    const p = int(k);
    if (p !== undefined && !validPort(p)) throw new Error(`${fileName} line ${cfg.get(k)!.line}: ${k} ${p} is not a port (1–65535)`);
    return p;
  };

  const harbor = sec(c.draft, 'harbor');
  harbor.generation = 'v1';
  const version = get('_version');
  if (/^\d+\.\d+\.\d+$/.test(version)) {
    harbor.version = version;
    c.note(
      `Harbor version ${version} taken from _version, the version of the config template; check that it matches your installer (every 1.5.x writes 1.5.0).`,
      `Harbor 版本 ${version} 取自 _version（配置模板的版本）；请确认与安装包一致（所有 1.5.x 都写 1.5.0）。`,
    );
  } else
    c.note(
      'The file has no _version (Harbor 1.4 and older do not write one): enter the Harbor version of your installer.',
      '文件中没有 _version（Harbor 1.4 及更早版本不写此项）：请填写安装包的 Harbor 版本。',
    );

  // Access
  const hostname = get('hostname');
  const access = sec(c.draft, 'access');
  if (!hostname) c.note('hostname is empty: enter the address clients use.', 'hostname 为空：请填写客户端使用的地址。');
  else if (SAMPLE_HOSTNAMES.test(hostname.replace(/:\d+$/, '')))
    c.note(
      `hostname is still the placeholder ${hostname}: change this to the name clients type (install.sh refuses the placeholder). Not imported.`,
      `hostname 仍是占位值 ${hostname}：请改为客户端实际使用的名称（install.sh 会拒绝占位值）。未导入。`,
    );
  else access.domain = hostname;
  const protocol = get('ui_url_protocol');
  if (protocol === 'http' || protocol === 'https') access.protocol = protocol;
  else if (protocol) c.note(`ui_url_protocol is "${protocol}", neither http nor https; not imported.`, `ui_url_protocol 为“${protocol}”，既不是 http 也不是 https，未导入。`);
  if (protocol === 'https') {
    c.note(
      `TLS: the file points at the certificate ${get('ssl_cert') || '(none)'} and key ${get('ssl_cert_key') || '(none)'} on the node. The profile keeps the PEM text itself: paste or upload the certificate and its private key.`,
      `TLS：文件指向节点上的证书 ${get('ssl_cert') || '（无）'} 和私钥 ${get('ssl_cert_key') || '（无）'}。配置中保存的是 PEM 文本本身：请粘贴或上传证书及其私钥。`,
    );
  }

  c.secret(['harbor', 'adminPassword'], get('harbor_admin_password'), 'harbor_admin_password', SAMPLE_PASSWORDS.has(get('harbor_admin_password')));

  // Database: MySQL, database name fixed to `registry` in 1.x.
  const dbHost = get('db_host');
  if (dbHost === 'mysql' || dbHost === '') {
    c.draft.database = { engine: 'mysql' };
    c.note(
      `db_host is ${dbHost ? '"mysql", Harbor\'s built-in database container' : 'empty'}: HA needs an external MySQL (prepare --ha refuses "mysql"). Change this: enter the RDS MySQL address and accounts.`,
      `db_host ${dbHost ? '为“mysql”，即 Harbor 自带的数据库容器' : '为空'}：HA 需要外部 MySQL（prepare --ha 会拒绝“mysql”）。请修改：填写 RDS MySQL 地址和账号。`,
    );
  } else {
    const dbPort = port('db_port');
    const dbUser = get('db_user');
    c.draft.database = { engine: 'mysql', host: dbHost, ...(dbPort !== undefined ? { port: dbPort } : {}), ...(dbUser ? { harbor: { user: dbUser } } : {}) };
    c.secret(['database', 'harbor', 'password'], get('db_password'), 'db_password', SAMPLE_PASSWORDS.has(get('db_password')));
  }

  // Clair (1.x): a separate PostgreSQL.
  const clairHost = get('clair_db_host');
  if (clairHost && clairHost !== 'postgres') {
    const clairPort = port('clair_db_port');
    const clairUser = get('clair_db_username');
    const clairDb = get('clair_db');
    c.draft.clair = {
      host: clairHost,
      ...(clairPort !== undefined ? { port: clairPort } : {}),
      ...(clairUser ? { user: clairUser } : {}),
      ...(clairDb ? { database: clairDb } : {}),
    };
    c.secret(['clair', 'password'], get('clair_db_password'), 'clair_db_password', SAMPLE_PASSWORDS.has(get('clair_db_password')) || get('clair_db_password') === 'password');
    scannerGuess(c, 'clair', { en: 'the file names an external Clair database', zh: '文件中配置了外部 Clair 数据库' });
  } else if (clairHost === 'postgres') {
    c.note(
      'clair_db_host is "postgres", the built-in Clair database container, which HA refuses. If you scan with Clair, enter an external PostgreSQL for it; otherwise choose no scanner.',
      'clair_db_host 为“postgres”，即自带的 Clair 数据库容器，HA 模式会拒绝。若使用 Clair 扫描，请填写外部 PostgreSQL；否则请选择不使用扫描器。',
    );
  }

  // Redis: host:port[,pool,password,db]
  const redisEntry = cfg.get('redis_url');
  const redisUrl = redisEntry?.value.trim() ?? '';
  if (!redisUrl) {
    c.note(
      'redis_url is empty, but prepare --ha requires it (the Redis for sessions and jobs): enter the Redis address and password.',
      'redis_url 为空，但 prepare --ha 要求配置（用于会话和任务的 Redis）：请填写 Redis 地址和密码。',
    );
  } else {
    const parts = redisUrl.split(',');
    const addr = splitHostPort(parts[0] ?? '');
    if (!addr || (addr.port !== undefined && !validPort(addr.port)))
      // Not echoed: redis://:password@host:port is a common way to get this wrong.
      throw new Error(`${fileName} line ${redisEntry!.line}: redis_url must be host:port[,pool,password,db]; its first item is not host:port`);
    if (addr.host === 'redis') {
      c.note(
        'redis_url points at "redis", Harbor\'s built-in Redis container: not shared between nodes. Change this: enter your Redis (e.g. Aliyun Redis).',
        'redis_url 指向“redis”，即 Harbor 自带的 Redis 容器，节点之间不共享。请修改：填写您的 Redis（例如阿里云 Redis）。',
      );
    } else {
      const redis = sec(c.draft, 'redis');
      redis.host = addr.host;
      if (addr.port !== undefined) redis.port = addr.port;
      importRedisAuth(c, (parts[2] ?? '').trim(), undefined, 'the Redis password in redis_url');
      const db = (parts[3] ?? '').trim();
      if (db) {
        // Not echoed: with one item too many (e.g. a user name) the fourth item is the password.
        if (!/^\d+$/.test(db) || Number(db) > 255) throw new Error(`${fileName} line ${redisEntry!.line}: the database index in redis_url (its fourth item) must be 0–255`);
        redis.dbIndexes = { jobservice: Number(db) };
        c.note(
          `redis_url selects Redis database ${db}; Harbor 1.x uses that one database for UI sessions and jobs. Imported as the job service index.`,
          `redis_url 选择了 Redis ${db} 号库；Harbor 1.x 的界面会话和任务都使用这一个库。已导入为 jobservice 库编号。`,
        );
      }
    }
  }

  // Storage
  const provider = get('registry_storage_provider_name');
  if (provider === 'oss') {
    const entry = cfg.get('registry_storage_provider_config');
    const params: Record<string, string> = {};
    (entry?.value ?? '').split(',').forEach((item, index) => {
      const t = item.trim();
      if (!t) return;
      const colon = t.indexOf(':');
      // Not echoed: after a "," inside accesskeysecret, the item is part of the secret.
      if (colon <= 0)
        throw new Error(`${fileName} line ${entry!.line}: registry_storage_provider_config item ${index + 1} is not "key: value" (values cannot contain ",")`);
      params[t.slice(0, colon).trim()] = t.slice(colon + 1).trim();
    });
    importOss(c, params, 'registry_storage_provider_config');
  } else {
    c.note(
      `The registry storage is ${provider ? `"${provider}"` : 'not set (filesystem)'}, not OSS: the profile stores images in OSS, so enter the bucket and AccessKey.`,
      `镜像存储为${provider ? `“${provider}”` : '未设置（filesystem）'}，不是 OSS：配置要求使用 OSS 存储镜像，请填写 Bucket 和 AccessKey。`,
    );
  }

  const workers = int('max_job_workers');
  if (workers !== undefined) sec(c.draft, 'options').jobWorkers = workers;

  return c.result('v1');
}

// ------------------------------------------------------------------------------------------------
// Harbor 2.x: harbor.yml

function fromYml(text: string, fileName: string): HarborConfigImport {
  const lineCounter = new LineCounter();
  let doc: Document;
  let root: unknown;
  try {
    // PyYAML reads YAML 1.1 (yes/no/on/off are booleans); later duplicate keys win there too.
    doc = yamlDocument(text, { lineCounter, version: '1.1', uniqueKeys: false });
    root = yamlValue(doc);
  } catch (error) {
    // yaml's messages quote the file (a password that starts with * or ! is read as an alias or a tag): position only.
    if (!(error instanceof TextSyntaxError)) throw error;
    throw new Error(`${fileName}${error.at ? ` line ${error.at.line}, column ${error.at.column}` : ''}: not valid YAML${error.code ? ` (${error.code})` : ''}; the text there is not shown, as it may hold a secret`);
  }
  if (!isMap(doc.contents)) throw new Error(`${fileName} line 1: harbor.yml must be a mapping of keys such as hostname: …`);

  const lineOf = (path: string[]): number => {
    for (let k = path.length; k > 0; k--) {
      const node = doc.getIn(path.slice(0, k), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
      const parent = k > 1 ? (doc.getIn(path.slice(0, k - 1), true) as unknown) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[k - 1]);
        const keyRange = (pair?.key as { range?: [number, number, number] } | null)?.range;
        if (keyRange) return lineCounter.linePos(keyRange[0]).line;
      }
    }
    return 1;
  };
  const at = (path: string[]): unknown => {
    let v: unknown = root;
    for (const k of path) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[k];
    }
    return v;
  };
  const fail = (path: string[], what: string): never => {
    throw new Error(`${fileName} line ${lineOf(path)}: ${path.join('.')} ${what}`);
  };
  const map = (path: string[]): Record<string, unknown> | undefined => {
    const v = at(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) return fail(path, 'must be a section of keys');
    return v as Record<string, unknown>;
  };
  const str = (path: string[]): string | undefined => {
    const v = at(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object') return fail(path, 'must be a single value');
    return String(v).trim();
  };
  const int = (path: string[], max = Number.MAX_SAFE_INTEGER, min = 0): number | undefined => {
    const v = at(path);
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : /^\d+$/.test(String(v).trim()) ? Number(String(v).trim()) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) return fail(path, `must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ''}, found "${String(v)}"`);
    return n;
  };

  const c = new Collector();
  const harbor = sec(c.draft, 'harbor');
  harbor.generation = 'v2';
  const version = str(['_version']);
  if (version && /^\d+\.\d+\.\d+$/.test(version)) {
    harbor.version = version;
    c.note(
      `Harbor version ${version} taken from _version, the version of the config template; check that it matches your installer (e.g. 2.15.0 is written by every 2.15.x).`,
      `Harbor 版本 ${version} 取自 _version（配置模板的版本）；请确认与安装包一致（例如所有 2.15.x 都写 2.15.0）。`,
    );
  } else c.note('The file has no _version: enter the Harbor version of your installer.', '文件中没有 _version：请填写安装包的 Harbor 版本。');

  // Access
  const access = sec(c.draft, 'access');
  const hostname = str(['hostname']);
  const https = map(['https']);
  const httpPort = int(['http', 'port'], 65535, 1) ?? 80;
  const httpsPort = int(['https', 'port'], 65535, 1) ?? 443;
  const externalUrl = str(['external_url']);
  if (!hostname) c.note('hostname is missing: enter the address clients use.', '缺少 hostname：请填写客户端使用的地址。');
  const placeholder = hostname !== undefined && SAMPLE_HOSTNAMES.test(hostname);
  if (placeholder)
    c.note(
      `hostname is still the placeholder ${hostname}: change this to the name clients type (prepare refuses it). Not imported.`,
      `hostname 仍是占位值 ${hostname}：请改为客户端实际使用的名称（prepare 会拒绝）。未导入。`,
    );
  if (externalUrl) {
    let url: URL;
    try {
      url = new URL(externalUrl);
    } catch {
      return fail(['external_url'], `is not a URL: "${externalUrl}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(['external_url'], 'must start with http:// or https://');
    access.protocol = url.protocol === 'https:' ? 'https' : 'http';
    access.domain = url.host;
    if (access.protocol === 'https') {
      access.tlsTermination = https ? 'nodes' : 'lb';
      c.note(
        `external_url is ${externalUrl}; ${https ? 'the https section means the nodes also serve TLS, so TLS termination is set to the nodes' : 'without an https section the nodes serve plain http, so TLS termination is set to the load balancer'} (inferred; check it).`,
        `external_url 为 ${externalUrl}；${https ? '存在 https 配置段，说明节点也提供 TLS，因此 TLS 终止位置设为节点' : '没有 https 配置段，节点只提供 http，因此 TLS 终止位置设为负载均衡'}（推断所得，请核对）。`,
      );
    }
  } else if (hostname && !placeholder) {
    access.protocol = https ? 'https' : 'http';
    const p = https ? httpsPort : httpPort;
    access.domain = p === (https ? 443 : 80) ? hostname : `${hostname}:${p}`;
    if (https) access.tlsTermination = 'nodes';
  } else {
    access.protocol = https ? 'https' : 'http';
  }
  if (https) {
    const cert = str(['https', 'certificate']) ?? '';
    const key = str(['https', 'private_key']) ?? '';
    const sample = SAMPLE_CERT_PATHS.has(cert) || SAMPLE_CERT_PATHS.has(key);
    c.note(
      `TLS: the file points at the certificate ${cert || '(none)'} and key ${key || '(none)'} on the node${sample ? ' (the template\'s placeholder paths: change this)' : ''}. The profile keeps the PEM text itself: paste or upload the certificate and its private key.`,
      `TLS：文件指向节点上的证书 ${cert || '（无）'} 和私钥 ${key || '（无）'}${sample ? '（模板中的占位路径：请修改）' : ''}。配置中保存的是 PEM 文本本身：请粘贴或上传证书及其私钥。`,
    );
  }

  const adminPassword = str(['harbor_admin_password']) ?? '';
  c.secret(['harbor', 'adminPassword'], adminPassword, 'harbor_admin_password', SAMPLE_PASSWORDS.has(adminPassword));

  // Database
  const internalDb = map(['database']);
  const externalDb = map(['external_database', 'harbor']);
  if (!externalDb) {
    c.draft.database = { engine: 'postgresql' };
    c.note(
      `There is no external_database section${internalDb ? '; the database: section configures Harbor\'s built-in PostgreSQL container' : ''}: each node would get its own database, which is not HA. Change this: enter your RDS PostgreSQL.`,
      `没有 external_database 配置段${internalDb ? '；database: 配置段用于 Harbor 自带的 PostgreSQL 容器' : ''}：每个节点都会有自己的数据库，这不是高可用。请修改：填写 RDS PostgreSQL。`,
    );
  } else {
    const dbHost = str(['external_database', 'harbor', 'host']) ?? '';
    const dbPort = int(['external_database', 'harbor', 'port'], 65535, 1);
    const type = (str(['external_database', 'harbor', 'type']) ?? '').toLowerCase();
    const looksMysql = type === 'mysql' || type === 'mariadb' || dbPort === 3306 || /mysql/i.test(dbHost);
    if (looksMysql) {
      c.note(
        `external_database points at a MySQL database (${dbHost}${dbPort ? `:${dbPort}` : ''}). Harbor 2.x supports only PostgreSQL, so it was not imported: enter an RDS PostgreSQL.`,
        `external_database 指向 MySQL 数据库（${dbHost}${dbPort ? `:${dbPort}` : ''}）。Harbor 2.x 只支持 PostgreSQL，因此未导入：请填写 RDS PostgreSQL。`,
      );
      c.draft.database = { engine: 'postgresql' };
    } else {
      const user = str(['external_database', 'harbor', 'username']);
      const dbName = str(['external_database', 'harbor', 'db_name']);
      const sslMode = str(['external_database', 'harbor', 'ssl_mode']);
      const harborAccount: { user?: string; database?: string; sslMode?: 'disable' | 'require' | 'verify-ca' | 'verify-full' } = {};
      if (user) harborAccount.user = user;
      if (dbName) harborAccount.database = dbName;
      if (sslMode === 'disable' || sslMode === 'require' || sslMode === 'verify-ca' || sslMode === 'verify-full') harborAccount.sslMode = sslMode;
      else if (sslMode)
        c.note(`ssl_mode "${sslMode}" is not one the profile offers (disable, require, verify-ca, verify-full); not imported.`, `ssl_mode“${sslMode}”不在可选范围（disable、require、verify-ca、verify-full）内，未导入。`);
      c.draft.database = {
        engine: 'postgresql',
        ...(dbHost ? { host: dbHost } : {}),
        ...(dbPort !== undefined ? { port: dbPort } : {}),
        harbor: harborAccount,
      };
      c.secret(['database', 'harbor', 'password'], str(['external_database', 'harbor', 'password']) ?? '', 'external_database.harbor.password', false);
    }
  }

  if (externalDb && internalDb) {
    const sample = SAMPLE_PASSWORDS.has(String(internalDb['password'] ?? ''));
    c.note(
      `The file still has the database: section of the built-in PostgreSQL. external_database takes precedence, so it is ignored${sample ? '; its password is still the template\'s sample (change this, or remove the section)' : ''}.`,
      `文件中仍有自带 PostgreSQL 的 database: 配置段。external_database 优先，因此它会被忽略${sample ? '；其密码仍是模板中的示例密码（请修改或删除该配置段）' : ''}。`,
    );
  }

  // Redis
  const internalRedis = map(['redis']);
  const externalRedis = map(['external_redis']);
  if (internalRedis && Object.values(internalRedis).some((v) => v !== null && v !== undefined && v !== '' && v !== 0 && v !== false)) {
    c.note(
      externalRedis
        ? 'The file has a top-level redis: section as well as external_redis. Harbor\'s prepare lets redis: win, so this file as written would use the built-in Redis container and ignore external_redis. The external Redis was imported; the app writes only external_redis.'
        : 'The file has only the top-level redis: section of the built-in Redis container: not shared between nodes. Change this: enter your Redis.',
      externalRedis
        ? '文件中同时存在顶层 redis: 配置段和 external_redis。Harbor 的 prepare 会优先使用 redis:，因此按原文件会使用自带 Redis 容器而忽略 external_redis。已导入外部 Redis；应用只会写入 external_redis。'
        : '文件中只有自带 Redis 容器的顶层 redis: 配置段，节点之间不共享。请修改：填写您的 Redis。',
    );
  } else if (!externalRedis) {
    c.note(
      'There is no external_redis section: each node would run its own Redis, which splits sessions and job queues. Change this: enter your Redis.',
      '没有 external_redis 配置段：每个节点会运行自己的 Redis，导致会话和任务队列分裂。请修改：填写您的 Redis。',
    );
  }
  if (externalRedis) {
    const hostValue = str(['external_redis', 'host']) ?? '';
    const sentinel = str(['external_redis', 'sentinel_master_set']);
    if (sentinel || hostValue.includes(',')) {
      c.note(
        `external_redis uses Redis Sentinel (${hostValue}${sentinel ? `, master set ${sentinel}` : ''}), which the profile does not support: enter a single Redis address.`,
        `external_redis 使用 Redis Sentinel（${hostValue}${sentinel ? `，主节点组 ${sentinel}` : ''}），配置不支持：请填写单个 Redis 地址。`,
      );
    } else if (hostValue) {
      const addr = splitHostPort(hostValue);
      if (!addr || (addr.port !== undefined && !validPort(addr.port))) fail(['external_redis', 'host'], `must be host:port, found "${hostValue}"`);
      const redis = sec(c.draft, 'redis');
      redis.host = addr!.host;
      if (addr!.port !== undefined) redis.port = addr!.port;
    }
    const username = str(['external_redis', 'username']);
    importRedisAuth(c, str(['external_redis', 'password']) ?? '', username || undefined, 'external_redis.password');
    const indexes: Record<string, number> = {};
    const defaults: Record<string, number | undefined> = { registry: 1, jobservice: 2, trivy: 5 };
    for (const [yamlKey, key] of [
      ['registry_db_index', 'registry'],
      ['jobservice_db_index', 'jobservice'],
      ['trivy_db_index', 'trivy'],
      ['harbor_db_index', 'harbor'],
      ['cache_layer_db_index', 'cacheLayer'],
    ] as const) {
      const n = int(['external_redis', yamlKey], 255);
      if (n === undefined) continue;
      if (n === 0) {
        const d = defaults[key];
        c.note(
          `external_redis.${yamlKey} is 0, which Harbor treats as unset${d !== undefined ? ` (it uses ${d})` : ''}; imported as ${d ?? 'unset'}.`,
          `external_redis.${yamlKey} 为 0，Harbor 会视为未设置${d !== undefined ? `（改用 ${d}）` : ''}；已按${d ?? '未设置'}导入。`,
        );
        if (d !== undefined) indexes[key] = d;
        continue;
      }
      indexes[key] = n;
    }
    if (Object.keys(indexes).length) sec(c.draft, 'redis').dbIndexes = indexes;
    const tls = at(['external_redis', 'tlsOptions', 'enable']);
    if (parseBool(tls) === true)
      c.note('external_redis uses TLS (tlsOptions), which the profile does not carry yet; add it to harbor.yml by hand after deploying.', 'external_redis 使用 TLS（tlsOptions），配置中暂不支持；部署后请手动加入 harbor.yml。');
  }

  // Storage
  const storage = map(['storage_service']);
  const ossParams = map(['storage_service', 'oss']);
  if (ossParams) {
    importOss(c, ossParams, 'storage_service.oss');
    const redirect = map(['storage_service', 'redirect']);
    if (redirect) {
      const key = 'disable' in redirect ? 'disable' : 'disabled' in redirect ? 'disabled' : undefined;
      if (key) {
        const b = parseBool(redirect[key]);
        if (b === undefined) fail(['storage_service', 'redirect', key], 'must be true or false');
        sec(c.draft, 'oss').redirectDisabled = b;
        if (key === 'disabled')
          c.note('storage_service.redirect uses the old key "disabled"; Harbor 2.8 and later read "disable". The app writes the key your version reads.', 'storage_service.redirect 使用旧键名“disabled”；Harbor 2.8 及以后读取“disable”。应用会按所用版本写入正确的键名。');
      }
    }
  } else {
    const driver = storage ? Object.keys(storage).find((k) => ['filesystem', 'azure', 'gcs', 's3', 'swift'].includes(k)) : undefined;
    c.note(
      `The registry storage is ${driver ?? 'the local filesystem'}, not OSS: the profile stores images in OSS, so enter the bucket and AccessKey.`,
      `镜像存储为 ${driver ?? '本地文件系统'}，不是 OSS：配置要求使用 OSS 存储镜像，请填写 Bucket 和 AccessKey。`,
    );
  }

  // Options
  const workers = int(['jobservice', 'max_job_workers'], 100, 1);
  if (workers !== undefined) sec(c.draft, 'options').jobWorkers = workers;
  const dataVolume = str(['data_volume']);
  if (dataVolume) sec(c.draft, 'options').dataVolume = dataVolume;
  if (map(['trivy'])) scannerGuess(c, 'trivy', { en: 'the file has a trivy section', zh: '文件中有 trivy 配置段' });

  return c.result('v2');
}

/** harbor.cfg (1.x) or harbor.yml (2.x): the file name decides, else the first setting line's shape. */
export function detectHarborGeneration(fileName: string, text: string): 'v1' | 'v2' {
  if (/\.cfg$/i.test(fileName)) return 'v1';
  if (/\.ya?ml(\.tmpl)?$/i.test(fileName)) return 'v2';
  for (const line of text.split('\n')) {
    if (/^\s*$/.test(line) || /^[#;]/.test(line)) continue;
    if (/^[A-Za-z_][\w.]*\s*=/.test(line)) return 'v1';
    return 'v2';
  }
  return 'v2';
}

export function draftFromHarborConfig(fileName: string, text: string): HarborConfigImport {
  return detectHarborGeneration(fileName, text) === 'v1' ? fromCfg(text, fileName) : fromYml(text, fileName);
}
