/** Harbor 1.x: harbor.cfg, read the way prepare's Python 2 RawConfigParser reads it. */
import { Collector, sec, type HarborConfigImport } from './collector';
import { importOss, importRedisAuth, SAMPLE_HOSTNAMES, SAMPLE_PASSWORDS, scannerGuess, splitHostPort, validPort } from './mapping';

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
      throw new Error(
        `${fileName} line ${n}: section headers like [configuration] do not belong in harbor.cfg (prepare adds its own [configuration] section, and keys after another header would be invisible to it)`,
      );
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

export function draftFromHarborCfg(text: string, fileName: string): HarborConfigImport {
  const cfg = parseHarborCfg(text, fileName);
  const c = new Collector();
  const get = (k: string) => cfg.get(k)?.value.trim() ?? '';
  const int = (k: string): number | undefined => {
    const e = cfg.get(k);
    if (!e || e.value.trim() === '') return undefined;
    if (!/^\d+$/.test(e.value.trim()))
      throw new Error(`${fileName} line ${e.line}: ${k} must be a whole number, found "${e.value.trim()}"`);
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
  else if (protocol)
    c.note(
      `ui_url_protocol is "${protocol}", neither http nor https; not imported.`,
      `ui_url_protocol 为“${protocol}”，既不是 http 也不是 https，未导入。`,
    );
  if (protocol === 'https') {
    c.note(
      `TLS: the file points at the certificate ${get('ssl_cert') || '(none)'} and key ${get('ssl_cert_key') || '(none)'} on the node. The profile keeps the PEM text itself: paste or upload the certificate and its private key.`,
      `TLS：文件指向节点上的证书 ${get('ssl_cert') || '（无）'} 和私钥 ${get('ssl_cert_key') || '（无）'}。配置中保存的是 PEM 文本本身：请粘贴或上传证书及其私钥。`,
    );
  }

  c.secret(
    ['harbor', 'adminPassword'],
    get('harbor_admin_password'),
    'harbor_admin_password',
    SAMPLE_PASSWORDS.has(get('harbor_admin_password')),
  );

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
    c.draft.database = {
      engine: 'mysql',
      host: dbHost,
      ...(dbPort !== undefined ? { port: dbPort } : {}),
      ...(dbUser ? { harbor: { user: dbUser } } : {}),
    };
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
    c.secret(
      ['clair', 'password'],
      get('clair_db_password'),
      'clair_db_password',
      SAMPLE_PASSWORDS.has(get('clair_db_password')) || get('clair_db_password') === 'password',
    );
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
      throw new Error(
        `${fileName} line ${redisEntry!.line}: redis_url must be host:port[,pool,password,db]; its first item is not host:port`,
      );
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
        if (!/^\d+$/.test(db) || Number(db) > 255)
          throw new Error(`${fileName} line ${redisEntry!.line}: the database index in redis_url (its fourth item) must be 0–255`);
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
        throw new Error(
          `${fileName} line ${entry!.line}: registry_storage_provider_config item ${index + 1} is not "key: value" (values cannot contain ",")`,
        );
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
