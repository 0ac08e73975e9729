/** Harbor 2.x: harbor.yml. */
import { Collector, sec, type HarborConfigImport } from './collector';
import { readHarborYml, scalarText } from './harbor-yml-reader';
import {
  importOss,
  importRedisAuth,
  parseBool,
  SAMPLE_CERT_PATHS,
  SAMPLE_HOSTNAMES,
  SAMPLE_PASSWORDS,
  scannerGuess,
  splitHostPort,
  validPort,
} from './mapping';

export function draftFromHarborYml(text: string, fileName: string): HarborConfigImport {
  const { at, fail, map, str, int } = readHarborYml(text, fileName);

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
  } else
    c.note('The file has no _version: enter the Harbor version of your installer.', '文件中没有 _version：请填写安装包的 Harbor 版本。');

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
      `TLS: the file points at the certificate ${cert || '(none)'} and key ${key || '(none)'} on the node${sample ? " (the template's placeholder paths: change this)" : ''}. The profile keeps the PEM text itself: paste or upload the certificate and its private key.`,
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
      `There is no external_database section${internalDb ? "; the database: section configures Harbor's built-in PostgreSQL container" : ''}: each node would get its own database, which is not HA. Change this: enter your RDS PostgreSQL.`,
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
      if (sslMode === 'disable' || sslMode === 'require' || sslMode === 'verify-ca' || sslMode === 'verify-full')
        harborAccount.sslMode = sslMode;
      else if (sslMode)
        c.note(
          `ssl_mode "${sslMode}" is not one the profile offers (disable, require, verify-ca, verify-full); not imported.`,
          `ssl_mode“${sslMode}”不在可选范围（disable、require、verify-ca、verify-full）内，未导入。`,
        );
      c.draft.database = {
        engine: 'postgresql',
        ...(dbHost ? { host: dbHost } : {}),
        ...(dbPort !== undefined ? { port: dbPort } : {}),
        harbor: harborAccount,
      };
      c.secret(
        ['database', 'harbor', 'password'],
        str(['external_database', 'harbor', 'password']) ?? '',
        'external_database.harbor.password',
        false,
      );
    }
  }

  if (externalDb && internalDb) {
    const sample = SAMPLE_PASSWORDS.has(scalarText(internalDb['password'] ?? ''));
    c.note(
      `The file still has the database: section of the built-in PostgreSQL. external_database takes precedence, so it is ignored${sample ? "; its password is still the template's sample (change this, or remove the section)" : ''}.`,
      `文件中仍有自带 PostgreSQL 的 database: 配置段。external_database 优先，因此它会被忽略${sample ? '；其密码仍是模板中的示例密码（请修改或删除该配置段）' : ''}。`,
    );
  }

  // Redis
  const internalRedis = map(['redis']);
  const externalRedis = map(['external_redis']);
  if (internalRedis && Object.values(internalRedis).some((v) => v !== null && v !== undefined && v !== '' && v !== 0 && v !== false)) {
    c.note(
      externalRedis
        ? "The file has a top-level redis: section as well as external_redis. Harbor's prepare lets redis: win, so this file as written would use the built-in Redis container and ignore external_redis. The external Redis was imported; the app writes only external_redis."
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
      if (!addr || (addr.port !== undefined && !validPort(addr.port)))
        fail(['external_redis', 'host'], `must be host:port, found "${hostValue}"`);
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
      c.note(
        'external_redis uses TLS (tlsOptions), which the profile does not carry yet; add it to harbor.yml by hand after deploying.',
        'external_redis 使用 TLS（tlsOptions），配置中暂不支持；部署后请手动加入 harbor.yml。',
      );
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
          c.note(
            'storage_service.redirect uses the old key "disabled"; Harbor 2.8 and later read "disable". The app writes the key your version reads.',
            'storage_service.redirect 使用旧键名“disabled”；Harbor 2.8 及以后读取“disable”。应用会按所用版本写入正确的键名。',
          );
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
