/**
 * The ways Harbor writes a value into a file, and what each way breaks. Harbor's prepare (1.x and 2.x) substitutes
 * values into templates without quoting or escaping; whoever reads the file next (docker compose, Go's yaml.v2, a
 * connection-string parser) then sees something else, or nothing. Each rule here says, for one such way, the first
 * thing in a value that would not arrive as typed, or null. The rules are checked against Harbor's real prepare and the
 * real readers by test/truth/value-policy.test.ts, in both directions: every value a rule lets through arrives exactly,
 * and every value a rule refuses really breaks there.
 */
import { type Localized, L } from '../i18n/localized';

export type ValueFormat =
  /** Written by the app itself with a YAML 1.1 writer (harbor.yml, 1.x config_ha.yml): quoted as needed. */
  | 'app-yaml'
  /** `KEY=value` in an env_file, read by docker compose (v1 before 1.26 raw, v1 1.26+ python-dotenv, v2 compose-go). */
  | 'env-file'
  /** Unquoted after `key: ` in YAML that Go's yaml.v2 reads into a string field. */
  | 'yaml-string'
  /** Unquoted after `key: ` in YAML that yaml.v2 reads into interface{}, then fmt.Sprint (distribution's storage parameters). */
  | 'yaml-param'
  /** `key = value` in harbor.cfg, read by Python 2's RawConfigParser. */
  | 'cfg-value'
  /** One item of a comma-separated harbor.cfg value (1.x `redis_url`, `registry_storage_provider_config`). */
  | 'cfg-list-item'
  /** Raw in the user information of a URL (`scheme://user:value@host`), read by Go's net/url. */
  | 'url-userinfo'
  /** Percent-encoded by prepare into a URL and decoded by Go's net/url: anything arrives. */
  | 'url-encoded'
  /** Unquoted `password=value` in a keyword/value connection string read by pgx (Harbor 2.x core). */
  | 'pgx-dsn'
  /** The same read by lib/pq (Harbor 1.x's UI connecting to Clair's database). */
  | 'pq-dsn'
  /** `user:value@tcp(host:port)/db` read by go-sql-driver/mysql, which takes the last `@` and first `:`: anything arrives. */
  | 'mysql-dsn'
  /** Written, but nothing reads it in a deployment the app makes (e.g. the bundled database's env file). */
  | 'unused';

/** What breaks a value in one format: the character(s) as the operator would see them, and why. */
export interface Break {
  readonly what: string;
  readonly why: Localized;
}

/** How the operator sees a character in a message. */
export function showChar(c: string): string {
  if (c === ' ') return 'space';
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.codePointAt(0)!;
  if (code < 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0x2028 || code === 0x2029 || code === 0x3000 || code === 0xfeff)
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return c;
}

const found = (what: string, why: Localized): Break => ({ what: showChar(what), why });

/**
 * Line breaks and characters no text format carries: C0 and C1 controls (a tab is whitespace, not one of them), DEL,
 * and the Unicode line and paragraph separators (YAML and Python both end a line there).
 */
// eslint-disable-next-line no-control-regex -- the control characters are what this finds
const LINE_BREAKING = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/u;
/** Whitespace Python's `str.strip()` (docker compose's env reader, ConfigParser) removes at both ends. */
// eslint-disable-next-line no-control-regex -- Python counts \x1c-\x1f as whitespace
const PY_SPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

function lineBreaking(v: string): Break | null {
  const m = LINE_BREAKING.exec(v);
  return m ? found(m[0], L('a line break or control character cuts the value there', '换行或控制字符会在此处截断该值')) : null;
}

function edgeSpace(v: string, space: RegExp): Break | null {
  if (space.test(v[0] ?? '')) return found(v[0]!, L('leading whitespace is removed', '开头的空白会被去掉'));
  if (space.test(v.at(-1) ?? '')) return found(v.at(-1)!, L('trailing whitespace is removed', '末尾的空白会被去掉'));
  return null;
}

// ───────────────────────────── env files ─────────────────────────────

/**
 * An env_file line `KEY=value` as three generations of docker compose read it: compose v1 before 1.26 strips the
 * line and takes the rest of it; python-dotenv (v1 1.26+) and compose-go (v2) also take a leading `'` or `"` as
 * quoting, whitespace and `#` as a comment, and `$NAME`, `${NAME}` (and `$$`) as interpolation.
 */
function envFile(v: string): Break | null {
  return (
    lineBreaking(v) ??
    edgeSpace(v, PY_SPACE) ??
    (/^['"]/.test(v)
      ? found(v[0]!, L('docker compose takes a leading quote as quoting and removes it', 'docker compose 会把开头的引号当作引用并去掉'))
      : null) ??
    (/\s#/u.test(v)
      ? found(
          '#',
          L('docker compose takes whitespace followed by # as the start of a comment', 'docker compose 会把空白后的 # 当作注释开始'),
        )
      : null) ??
    (/\$[$A-Za-z_{]/.test(v)
      ? found(
          '$',
          L(
            'docker compose replaces $NAME and ${NAME} with an environment variable, and $$ with $',
            'docker compose 会把 $NAME 和 ${NAME} 替换为环境变量，并把 $$ 变为 $',
          ),
        )
      : null)
  );
}

// ───────────────────────────── YAML read by Go's yaml.v2 ─────────────────────────────

/** Characters a YAML plain scalar may not start with (they start another kind of node). */
const YAML_INDICATOR_START = /^[!&*|>'"%@`[\]{},#]/;

/** The first thing that stops `value` from being one YAML plain scalar after `key: ` on one line. */
function yamlPlain(v: string): Break | null {
  if (v === '') return found('', L('an empty value is null in YAML', '空值在 YAML 中是 null'));
  return (
    lineBreaking(v) ??
    edgeSpace(v, /[ \t]/) ??
    (YAML_INDICATOR_START.test(v)
      ? found(v[0]!, L('YAML gives it a special meaning at the start of a value', '它出现在值的开头时在 YAML 中有特殊含义'))
      : null) ??
    (/^[-?:](\s|$)/.test(v)
      ? found(v[0]!, L('YAML reads it as a list, key or value marker', 'YAML 会把它当作列表、键或值的标记'))
      : null) ??
    (/:(\s|$)/.test(v)
      ? found(
          ':',
          L(
            'a colon followed by a space (or at the end) makes YAML read a key: value pair',
            '冒号后跟空格（或位于末尾）会被 YAML 当成“键: 值”',
          ),
        )
      : null) ??
    (/\s#/.test(v) ? found('#', L('whitespace followed by # starts a YAML comment', '空白后的 # 会开始 YAML 注释')) : null)
  );
}

/** YAML 1.1 words yaml.v2 reads as null, booleans and special floats (its resolve table). */
const YAML_NULL = new Set(['~', 'null', 'Null', 'NULL']);
const YAML_BOOL = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
]);
const YAML_SPECIAL_FLOAT = new Map<string, string>([
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, 'NaN'] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w) => [w, '+Inf'] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, '-Inf'] as const),
]);

/**
 * What fmt.Sprint prints for the value yaml.v2 resolves a plain scalar to when it decodes into interface{}, or null
 * when it stays the text (a string, or a timestamp, which yaml.v2 keeps as text there). Follows yaml.v2's resolve():
 * the resolve-table words, then for a leading digit or sign strconv.ParseInt(base 0) and ParseUint on the text without
 * `_`, then ParseFloat when it looks like a YAML float, then `0b` binary; for a leading `.` ParseFloat.
 */
export function goYamlSprint(text: string): string | null {
  if (YAML_NULL.has(text)) return '<nil>';
  const b = YAML_BOOL.get(text);
  if (b !== undefined) return String(b);
  const special = YAML_SPECIAL_FLOAT.get(text);
  if (special) return special;
  if (text.startsWith('.')) return goParseFloat(text);
  if (!/^[-+0-9]/.test(text)) return null;
  if (/^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)/.test(text)) return null; // could be a timestamp: kept as text for interface{}
  const plain = text.replace(/_/g, '');
  const int = goParseInt(plain);
  if (int !== null) return int;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return goParseFloat(plain);
  return null;
}

/** strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64) (no sign): the decimal text, or null when neither parses. */
function goParseInt(s: string): string | null {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const [, sign, digits] = m as unknown as [string, string, string];
  const magnitude = /^0[xXoObB]/.test(digits)
    ? BigInt(digits.toLowerCase())
    : digits.length > 1 && digits.startsWith('0')
      ? BigInt(`0o${digits.slice(1)}`)
      : BigInt(digits);
  const n = sign === '-' ? -magnitude : magnitude;
  if (n >= -(2n ** 63n) && n <= 2n ** 63n - 1n) return n.toString();
  if (sign === '' && n <= 2n ** 64n - 1n) return n.toString();
  return null;
}

/** strconv.ParseFloat(s, 64) printed with %v; null when out of range (yaml.v2 then keeps the text). */
function goParseFloat(s: string): string | null {
  const f = Number(s);
  return Number.isFinite(f) ? goFormatFloat(f) : null;
}

/** fmt's %v of a float64: strconv's 'g' with the shortest digits, %e when the exponent is below -4 or at least 6. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  const neg = f < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp >= digits.length - 1) return `${neg}${digits}${'0'.repeat(exp - digits.length + 1)}`;
  if (exp >= 0) return `${neg}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${neg}0.${'0'.repeat(-exp - 1)}${digits}`;
}

function yamlString(v: string): Break | null {
  return (
    yamlPlain(v) ??
    (YAML_NULL.has(v) ? found(v, L('YAML reads it as null, so the value arrives empty', 'YAML 会把它读作 null，值变为空')) : null)
  );
}

function yamlParam(v: string): Break | null {
  const plain = yamlPlain(v);
  if (plain) return plain;
  const printed = goYamlSprint(v);
  return printed !== null && printed !== v
    ? found(
        v,
        L(
          `YAML 1.1 reads it as another type, and the registry gets "${printed}"`,
          `YAML 1.1 会把它读成其他类型，registry 得到的是“${printed}”`,
        ),
      )
    : null;
}

// ───────────────────────────── harbor.cfg (Python 2 RawConfigParser) ─────────────────────────────

/** Python 2's `str.strip()` on bytes: ASCII whitespace only. */
const PY2_SPACE = /[\t\n\v\f\r ]/;

/**
 * RawConfigParser ends a value at the first `;` when whitespace precedes it (it looks only at the first `;`), strips
 * ASCII whitespace at both ends, and reads `""` as empty. `before` is the character in front of the value on its line.
 */
function cfgSemicolon(v: string, before: string): Break | null {
  const i = v.indexOf(';');
  if (i < 0) return null;
  const prev = i === 0 ? before : v[i - 1]!;
  return PY2_SPACE.test(prev)
    ? found(';', L('harbor.cfg treats whitespace followed by ; as the start of a comment', 'harbor.cfg 会把空白后的 ; 当作注释开始'))
    : null;
}

function cfgValue(v: string): Break | null {
  return (
    lineBreaking(v) ??
    edgeSpace(v, PY2_SPACE) ??
    (v === '""' ? found('""', L('harbor.cfg reads "" as an empty value', 'harbor.cfg 会把 "" 读作空值')) : null) ??
    cfgSemicolon(v, '=')
  );
}

/**
 * One whole item of a comma-separated harbor.cfg value (`accesskeysecret: …`, or the password of `redis_url`), after a
 * comma: prepare splits the value at commas and strips each item as unicode text (string.strip under unicode_literals).
 */
function cfgListItem(item: string): Break | null {
  return (
    lineBreaking(item) ??
    (item.includes(',') ? found(',', L('Harbor 1.x splits this setting at commas', 'Harbor 1.x 会按逗号拆分该配置')) : null) ??
    edgeSpace(item, PY_SPACE) ??
    cfgSemicolon(item, ',')
  );
}

// ───────────────────────────── URLs and connection strings ─────────────────────────────

/** What Go's net/url accepts raw in user information (validUserinfo), besides letters and digits. */
const USERINFO_OK = /^[A-Za-z0-9\-._:~!$&'()*+,;=@]*$/;

function urlUserinfo(v: string): Break | null {
  if (USERINFO_OK.test(v)) return null;
  const bad = [...v].find((c) => !USERINFO_OK.test(c))!;
  return bad === '%'
    ? found('%', L('the URL reader decodes %XX (and refuses a lone %)', 'URL 解析会解码 %XX（单独的 % 会被拒绝）'))
    : found(
        bad,
        L(
          'a URL cannot carry it in the user and password part, and Harbor does not encode it',
          'URL 的用户名密码部分不能包含它，而 Harbor 不会对其编码',
        ),
      );
}

/** pgx's keyword/value parser: a value ends at ASCII whitespace, `\\` and `\'` are escapes, a leading `'` quotes. */
function pgxDsn(v: string): Break | null {
  if (v === '') return found('', L('an empty password shifts the connection string', '空密码会打乱连接串'));
  const space = /[\t\n\v\f\r ]/.exec(v);
  if (space)
    return found(space[0], L('whitespace ends the password in the database connection string', '空白会在数据库连接串中提前结束密码'));
  if (v.startsWith("'"))
    return found("'", L('a leading quote makes the connection string read a quoted value', '开头的引号会让连接串按引用值解析'));
  if (/\\[\\']/.test(v) || v.endsWith('\\'))
    return found('\\', L('the connection string reads a backslash as an escape', '连接串会把反斜杠当作转义符'));
  return null;
}

/** lib/pq's keyword/value parser: a value ends at Unicode whitespace, a backslash escapes any character, a leading `'` quotes. */
function pqDsn(v: string): Break | null {
  if (v === '') return found('', L('an empty password shifts the connection string', '空密码会打乱连接串'));
  const space = /\s/u.exec(v);
  if (space)
    return found(space[0], L('whitespace ends the password in the database connection string', '空白会在数据库连接串中提前结束密码'));
  if (v.startsWith("'"))
    return found("'", L('a leading quote makes the connection string read a quoted value', '开头的引号会让连接串按引用值解析'));
  if (v.includes('\\')) return found('\\', L('the connection string reads a backslash as an escape', '连接串会把反斜杠当作转义符'));
  return null;
}

/** The first thing in `value` that does not arrive as typed in `format`, or null. */
export function formatBreak(format: ValueFormat, value: string): Break | null {
  switch (format) {
    case 'app-yaml':
    case 'url-encoded':
    case 'mysql-dsn':
    case 'unused':
      return null;
    case 'env-file':
      return envFile(value);
    case 'yaml-string':
      return yamlString(value);
    case 'yaml-param':
      return yamlParam(value);
    case 'cfg-value':
      return cfgValue(value);
    case 'cfg-list-item':
      return cfgListItem(value);
    case 'url-userinfo':
      return urlUserinfo(value);
    case 'pgx-dsn':
      return pgxDsn(value);
    case 'pq-dsn':
      return pqDsn(value);
  }
}

/** One line per format for the documentation: how the value is written and read there. */
export const FORMAT_DESCRIPTIONS: Record<ValueFormat, Localized> = {
  'app-yaml': L('written by the app as YAML 1.1 (quoted as needed)', '由应用按 YAML 1.1 写入（按需加引号）'),
  'env-file': L('KEY=value line of an env file, read by docker compose', 'env 文件中的 KEY=value 行，由 docker compose 读取'),
  'yaml-string': L('unquoted YAML read into a string (Go yaml.v2)', '不加引号的 YAML，读为字符串（Go yaml.v2）'),
  'yaml-param': L(
    'unquoted YAML read as any type, then printed (registry storage parameter)',
    '不加引号的 YAML，按任意类型读取后再打印（registry 存储参数）',
  ),
  'cfg-value': L('harbor.cfg value (Python 2 ConfigParser)', 'harbor.cfg 的值（Python 2 ConfigParser）'),
  'cfg-list-item': L('item of a comma-separated harbor.cfg value', 'harbor.cfg 中逗号分隔值的一项'),
  'url-userinfo': L('raw in the user:password part of a URL (Go net/url)', '原样写入 URL 的 用户名:密码 部分（Go net/url）'),
  'url-encoded': L('percent-encoded into a URL by prepare', '由 prepare 百分号编码后写入 URL'),
  'pgx-dsn': L('password=… in a keyword/value connection string (pgx)', '键值形式连接串中的 password=…（pgx）'),
  'pq-dsn': L('password=… in a keyword/value connection string (lib/pq)', '键值形式连接串中的 password=…（lib/pq）'),
  'mysql-dsn': L(
    'user:password@tcp(…)/db connection string (go-sql-driver/mysql)',
    'user:password@tcp(…)/db 连接串（go-sql-driver/mysql）',
  ),
  unused: L('written but not read by anything the app deploys', '会被写入，但应用部署的组件都不读取'),
};

/** What each format refuses, in a few words, for the documentation (the rules above are the authority). */
export const FORMAT_REFUSES: Record<ValueFormat, string> = {
  'app-yaml': 'nothing',
  'env-file':
    'control characters and line breaks; whitespace at either end; a leading `\'` or `"`; whitespace before `#`; `$` before a letter, `_`, `{` or `$`',
  'yaml-string':
    'control characters and line breaks; spaces at either end; a leading YAML indicator (`! & * | > \' " % @ [ ] { } , #`, a backtick, or `- ? :` before a space); `: ` or a trailing `:`; whitespace before `#`; `~`, `null`, an empty value',
  'yaml-param':
    'as unquoted YAML into a string, and any value YAML 1.1 reads as another type that prints differently (`0777`, `1e3`, `yes`, `0x1F`, long digit strings…)',
  'cfg-value': 'control characters and line breaks; ASCII whitespace at either end; `""`; a first `;` after whitespace',
  'cfg-list-item': 'control characters and line breaks; `,`; whitespace at either end of the item; its first `;` after whitespace',
  'url-userinfo': "anything but letters, digits and `- . _ : ~ ! $ & ' ( ) * + , ; = @`",
  'url-encoded': 'nothing',
  'pgx-dsn': "whitespace; a leading `'`; `\\\\`, `\\'` or a trailing `\\`; an empty value",
  'pq-dsn': "whitespace; a leading `'`; `\\`; an empty value",
  'mysql-dsn': 'nothing',
  unused: 'nothing',
};
