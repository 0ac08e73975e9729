/**
 * What characters each value may hold, given where Harbor puts it. Harbor's `prepare` (1.x and 2.x)
 * writes passwords and keys into YAML, env files, URLs and DSNs without quoting or escaping, and
 * exits 0 when the result is wrong (harbor-facts §5). The app quotes what it writes itself
 * (harbor.yml through the yaml library; the 1.x files it patches), so the only values it must
 * refuse are those Harbor re-renders. Each refusal names the field, the character and the file
 * that would break. docs/profile-values.md lists the policy per field.
 */
import type { Localized } from '../i18n/localized';

export type Generation = 'v1' | 'v2';

/** A way a value can be broken by the place Harbor writes it to. */
export type Hazard =
  | 'control' // newlines and control characters: every format
  | 'edgeSpace' // leading or trailing whitespace: trimmed by parsers
  | 'hashComment' // "#" at the start or after a space: a YAML or env-file comment
  | 'colonSpace' // ": " or a trailing ":": a YAML mapping
  | 'yamlLead' // a leading YAML indicator (* & ! % @ | > ' " ` { } [ ] , ? -)
  | 'dollar' // "$": docker compose interpolates it in env files
  | 'cfgSemicolon' // " ;": an inline comment in harbor.cfg (Python ConfigParser)
  | 'comma' // ",": splits 1.x redis_url and registry_storage_provider_config
  | 'dsn' // whitespace, "'" and "\\": break a PostgreSQL key=value DSN
  | 'url'; // "/", "?", "#", "%" and whitespace: break a postgresql:// URL

interface Found {
  readonly hazard: Hazard;
  /** The offending character(s) as the operator would see them. */
  readonly what: string;
}

/** Returns the first hazard the value trips, or null. */
export function findHazard(value: string, hazards: readonly Hazard[]): Found | null {
  for (const hazard of hazards) {
    const what = detect(hazard, value);
    if (what !== null) return { hazard, what };
  }
  return null;
}

function detect(hazard: Hazard, v: string): string | null {
  switch (hazard) {
    case 'control': {
      const m = /[\u0000-\u001f\u007f]/.exec(v);
      if (!m) return null;
      return m[0] === '\n' ? '\\n' : m[0] === '\r' ? '\\r' : m[0] === '\t' ? '\\t' : `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
    case 'edgeSpace':
      return /^\s|\s$/.test(v) ? ' ' : null;
    case 'hashComment':
      return /(^|\s)#/.test(v) ? (v.startsWith('#') ? '#' : ' #') : null;
    case 'colonSpace':
      return /:\s|:$/.test(v) ? ': ' : null;
    case 'yamlLead': {
      const m = /^[*&!%@|>'"`{}[\],?-]/.exec(v);
      return m ? m[0] : null;
    }
    case 'dollar':
      return v.includes('$') ? '$' : null;
    case 'cfgSemicolon':
      return /\s;/.test(v) ? ' ;' : null;
    case 'comma':
      return v.includes(',') ? ',' : null;
    case 'dsn': {
      const m = /[\s'\\]/.exec(v);
      return m ? (m[0] === ' ' ? 'space' : m[0]) : null;
    }
    case 'url': {
      const m = /[/?#%\s]/.exec(v);
      return m ? (m[0] === ' ' ? 'space' : m[0]) : null;
    }
  }
}

/** The hazards shared by every value `prepare` renders unquoted into YAML and env files. */
const RENDERED: readonly Hazard[] = ['control', 'edgeSpace', 'hashComment', 'colonSpace', 'yamlLead', 'dollar'];
/** Every value of harbor.cfg (1.x) also passes Python 2's ConfigParser. */
const CFG: readonly Hazard[] = [...RENDERED, 'cfgSemicolon'];

/** The secrets of a profile whose characters are restricted, by generation. */
export type PolicedSecret =
  | 'harbor.adminPassword'
  | 'database.admin.password'
  | 'database.harbor.password'
  | 'clair.password'
  | 'redis.password'
  | 'oss.accessKeySecret';

export interface ValuePolicy {
  /** Hazards refused, per generation; a generation without an entry does not use the field. */
  readonly hazards: Partial<Record<Generation, readonly Hazard[]>>;
  /** Where the value ends up, for the message. */
  readonly where: Partial<Record<Generation, Localized>>;
}

export const VALUE_POLICIES: Record<PolicedSecret, ValuePolicy> = {
  'harbor.adminPassword': {
    hazards: { v1: CFG, v2: RENDERED },
    where: {
      v1: { en: 'harbor.cfg and adminserver/env', 'zh-CN': 'harbor.cfg 与 adminserver/env' },
      v2: { en: 'core/env (docker compose env file)', 'zh-CN': 'core/env（docker compose 环境变量文件）' },
    },
  },
  // The admin account is used only by the app (mysql2 / pg), never written to a Harbor file.
  'database.admin.password': { hazards: { v1: ['control'], v2: ['control'] }, where: {} },
  'database.harbor.password': {
    hazards: { v1: CFG, v2: [...RENDERED, 'dsn'] },
    where: {
      v1: { en: 'harbor.cfg and adminserver/env (MYSQL_PWD)', 'zh-CN': 'harbor.cfg 与 adminserver/env（MYSQL_PWD）' },
      v2: { en: 'core/env and the PostgreSQL connection string of core', 'zh-CN': 'core/env 以及 core 的 PostgreSQL 连接串' },
    },
  },
  'clair.password': {
    hazards: { v1: [...CFG, 'url'] },
    where: { v1: { en: 'the postgresql:// URL in clair/config.yaml', 'zh-CN': 'clair/config.yaml 中的 postgresql:// 地址' } },
  },
  'redis.password': {
    hazards: { v1: [...CFG, 'comma'], v2: RENDERED },
    where: {
      v1: { en: 'redis_url (host:port,pool,password,db) in harbor.cfg and jobservice/config.yml', 'zh-CN': 'harbor.cfg 与 jobservice/config.yml 中的 redis_url（host:port,pool,password,db）' },
      v2: { en: 'registry/config.yml (unquoted)', 'zh-CN': 'registry/config.yml（不加引号）' },
    },
  },
  'oss.accessKeySecret': {
    hazards: { v1: [...CFG, 'comma'], v2: RENDERED },
    where: {
      v1: { en: 'registry_storage_provider_config (comma-separated) and registry/config.yml', 'zh-CN': 'registry_storage_provider_config（逗号分隔）与 registry/config.yml' },
      v2: { en: 'registry/config.yml (unquoted)', 'zh-CN': 'registry/config.yml（不加引号）' },
    },
  },
};

const WHY: Record<Hazard, Localized> = {
  control: { en: 'a line break or control character cuts the value', 'zh-CN': '换行或控制字符会截断该值' },
  edgeSpace: { en: 'leading or trailing spaces are silently removed', 'zh-CN': '首尾空格会被悄悄去掉' },
  hashComment: { en: 'it starts a comment, so the rest of the value is lost', 'zh-CN': '它会开始一段注释，后面的内容会丢失' },
  colonSpace: { en: 'YAML reads it as a key: value pair', 'zh-CN': 'YAML 会把它当成“键: 值”' },
  yamlLead: { en: 'YAML gives it a special meaning at the start of a value', 'zh-CN': '它出现在值的开头时在 YAML 中有特殊含义' },
  dollar: { en: 'docker compose replaces $NAME with an environment variable', 'zh-CN': 'docker compose 会把 $NAME 替换为环境变量' },
  cfgSemicolon: { en: 'harbor.cfg treats " ;" as the start of a comment', 'zh-CN': 'harbor.cfg 会把“ ;”当作注释开始' },
  comma: { en: 'Harbor 1.x splits this setting at commas', 'zh-CN': 'Harbor 1.x 会按逗号拆分该配置' },
  dsn: { en: 'it ends the password in the database connection string', 'zh-CN': '它会在数据库连接串中提前结束密码' },
  url: { en: 'it breaks the postgresql:// address', 'zh-CN': '它会破坏 postgresql:// 地址' },
};

/**
 * Checks one secret value for the generation in use. Returns a bilingual message naming the
 * character, the file and what to do, or null when Harbor can carry the value.
 */
export function checkPolicedValue(field: PolicedSecret, generation: Generation, value: string): Localized | null {
  const policy = VALUE_POLICIES[field];
  const hazards = policy.hazards[generation];
  if (!hazards) return null;
  const found = findHazard(value, hazards);
  if (!found) return null;
  const where = policy.where[generation] ?? { en: 'the generated configuration', 'zh-CN': '生成的配置' };
  const why = WHY[found.hazard];
  return {
    en: `Harbor writes this value unquoted into ${where.en}, and "${found.what}" breaks it there: ${why.en}. Choose a value without it (change it at the provider first if it is an existing password).`,
    'zh-CN': `Harbor 会把该值不加引号地写入 ${where['zh-CN']}，其中的“${found.what}”会破坏它：${why['zh-CN']}。请换一个不含该字符的值（如果是已有的密码，请先在服务商处修改）。`,
  };
}
