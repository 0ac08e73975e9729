/**
 * What both generations map the same way: Harbor's sample values, addresses and ports, YAML 1.1
 * booleans, the Redis password forms, the OSS driver's parameters and the scanner guess.
 */
import { normalizeOssRegion } from '../../../../shared/profile/fields';
import { sec, type Collector } from './collector';
import { scalarText } from './harbor-yml-reader';

/** Values shipped in Harbor's sample configs: never real, never imported. */
export const SAMPLE_HOSTNAMES = /^(reg\.mydomain\.com|127\.0\.0\.1|localhost)$/i;
export const SAMPLE_PASSWORDS = new Set(['Harbor12345', 'root123']);
export const SAMPLE_CERT_PATHS = new Set(['/your/certificate/path', '/your/private/key/path']);

/** Splits `host[:port]` (IPv6 in brackets). */
export function splitHostPort(value: string): { host: string; port?: number } | undefined {
  const v = value.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (bracket) return { host: bracket[1]!, ...(bracket[2] ? { port: Number(bracket[2]) } : {}) };
  const m = /^([^:\s]+)(?::(\d+))?$/.exec(v);
  if (!m) return undefined;
  return { host: m[1]!, ...(m[2] ? { port: Number(m[2]) } : {}) };
}

export function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** YAML 1.1 booleans, as Go's yaml.v2 (the registry) and PyYAML read them. */
export function parseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  if (/^(true|yes|on|y)$/i.test(value.trim())) return true;
  if (/^(false|no|off|n)$/i.test(value.trim())) return false;
  return undefined;
}

/** Redis password handling shared by both generations: `account:password` is Aliyun's custom-account form. */
export function importRedisAuth(c: Collector, password: string, username: string | undefined, sampleLabel: string): void {
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
export function importOss(c: Collector, params: Record<string, unknown>, where: string): void {
  const oss = sec(c.draft, 'oss');
  for (const [rawKey, raw] of Object.entries(params)) {
    const key = rawKey.toLowerCase();
    const str = raw === null || raw === undefined ? '' : scalarText(raw).trim();
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
        c.note(
          `${where}: the OSS parameter ${key} is not part of the profile; not imported.`,
          `${where}：OSS 参数 ${key} 不在配置范围内，未导入。`,
        );
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

export function scannerGuess(c: Collector, scanner: 'clair' | 'trivy', why: { en: string; zh: string }): void {
  sec(c.draft, 'options').scanner = scanner;
  c.note(
    `Scanner set to ${scanner === 'clair' ? 'Clair' : 'Trivy'} because ${why.en}. This is a guess: whether it runs is decided by the install command (${scanner === 'clair' ? 'install.sh --with-clair' : 'install.sh --with-trivy'}), which the file does not record.`,
    `扫描器设为 ${scanner === 'clair' ? 'Clair' : 'Trivy'}，因为${why.zh}。这是推测：是否启用由安装命令（${scanner === 'clair' ? 'install.sh --with-clair' : 'install.sh --with-trivy'}）决定，文件中没有记录。`,
  );
}
