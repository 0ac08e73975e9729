/**
 * Field types shared by the profile schema: syntax only, with a message in both languages for
 * every refusal. Semantic checks that need I/O (a certificate matches its key, a key file exists)
 * live in electron/core.
 */
import { z } from 'zod';
import { localizedError as msg } from '../validation';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}

/** IPv6 in any of its textual forms (without zone ids or brackets). */
export function isIPv6(value: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(value) || !value.includes(':')) return false;
  let head = value;
  let v4Groups = 0;
  const lastColon = value.lastIndexOf(':');
  const tail = value.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    head = value.slice(0, lastColon + 1) + '0:0';
    v4Groups = 0;
  }
  const double = head.split('::');
  if (double.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(double[0] ?? '');
  const right = double.length === 2 ? groups(double[1] ?? '') : [];
  const all = [...left, ...right];
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = all.length + v4Groups;
  return double.length === 2 ? count < 8 : count === 8;
}

export function isHostname(value: string): boolean {
  // All-numeric dotted names are addresses or typos, not names.
  return HOSTNAME.test(value) && !/^[\d.]+$/.test(value);
}

/** A host name or IPv4 address with an optional `:port` (1–65535), no scheme: what clients and endpoints are typed as. */
export function isHostWithPort(value: string): boolean {
  const m = /^(.+?)(?::(\d{1,5}))?$/.exec(value);
  if (!m) return false;
  const [, name, p] = m;
  if (p !== undefined && (Number(p) < 1 || Number(p) > 65535)) return false;
  return isHostname(name!) || isIPv4(name!);
}

export const host = z
  .string()
  .trim()
  .min(1, msg({ en: 'enter a host name or IP address', 'zh-CN': '请输入主机名或 IP 地址' }))
  .max(253)
  .refine(
    (v) => isIPv4(v) || isIPv6(v) || isHostname(v),
    msg({
      en: 'not a valid host name or IP address (e.g. 192.168.10.10 or node1.example.com)',
      'zh-CN': '不是有效的主机名或 IP 地址（例如 192.168.10.10 或 node1.example.com）',
    }),
  );

export const ipAddress = z
  .string()
  .trim()
  .refine((v) => isIPv4(v) || isIPv6(v), msg({ en: 'not a valid IP address', 'zh-CN': '不是有效的 IP 地址' }));

export const port = z
  .number(msg({ en: 'enter a port number', 'zh-CN': '请输入端口号' }))
  .int(msg({ en: 'a port is a whole number', 'zh-CN': '端口必须是整数' }))
  .min(1, msg({ en: 'a port is between 1 and 65535', 'zh-CN': '端口范围是 1 到 65535' }))
  .max(65535, msg({ en: 'a port is between 1 and 65535', 'zh-CN': '端口范围是 1 到 65535' }));

/** Login names for SSH, databases and Redis accounts: what RDS, Tair and Linux all accept. */
export const accountName = z
  .string()
  .trim()
  .min(1, msg({ en: 'enter a user name', 'zh-CN': '请输入用户名' }))
  .max(63)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.-]*$/,
    msg({
      en: 'use letters, digits, "_", "." and "-", starting with a letter or "_"',
      'zh-CN': '只能使用字母、数字、“_”、“.”和“-”，并以字母或“_”开头',
    }),
  );

/** Database names Harbor puts unquoted into DSNs and SQL. */
export const databaseName = z
  .string()
  .trim()
  .min(1, msg({ en: 'enter a database name', 'zh-CN': '请输入数据库名' }))
  .max(63, msg({ en: "at most 63 characters (PostgreSQL's limit)", 'zh-CN': '最多 63 个字符（PostgreSQL 的限制）' }))
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    msg({
      en: 'use letters, digits and "_", starting with a letter or "_" (Harbor writes the name unquoted)',
      'zh-CN': '只能使用字母、数字和“_”，并以字母或“_”开头（Harbor 写入时不加引号）',
    }),
  );

export const absolutePath = z
  .string()
  .trim()
  .regex(
    /^\/[^\0\n\r\t ]*$/,
    msg({
      en: 'an absolute path on the node, without spaces (e.g. /data)',
      'zh-CN': '节点上的绝对路径，不能含空格（例如 /data）',
    }),
  );

/** `SHA256:` + 43 base64 characters, as `ssh-keygen -lf` prints it. */
export const hostKeyFingerprint = z
  .string()
  .trim()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}=?$/,
    msg({
      en: 'paste the fingerprint as ssh-keygen -lf prints it: SHA256: followed by 43 characters',
      'zh-CN': '请按 ssh-keygen -lf 的输出粘贴指纹：SHA256: 后跟 43 个字符',
    }),
  )
  .transform((v) => v.replace(/=$/, ''));

/** Normalises an OSS region: `cn-beijing` and `oss-cn-beijing` both give `oss-cn-beijing`. */
export function normalizeOssRegion(value: string): string {
  const v = value.trim().toLowerCase();
  return v.startsWith('oss-') ? v : `oss-${v}`;
}

export const ossRegion = z
  .string()
  .trim()
  .min(1, msg({ en: 'enter the OSS region, e.g. oss-cn-beijing', 'zh-CN': '请输入 OSS 地域，例如 oss-cn-beijing' }))
  .transform(normalizeOssRegion)
  .refine(
    (v) => /^oss-[a-z]{2,}(-[a-z0-9]+)+$/.test(v) && !v.endsWith('-internal'),
    msg({
      en: 'not an OSS region id; use the form cn-beijing or oss-cn-beijing (without -internal: the internal endpoint is a separate switch)',
      'zh-CN': '不是有效的 OSS 地域；请使用 cn-beijing 或 oss-cn-beijing 的形式（不要带 -internal：内网访问是单独的开关）',
    }),
  );

/** OSS bucket naming rules: 3–63 of a–z, 0–9 and "-", starting and ending with a letter or digit. */
export const ossBucket = z
  .string()
  .trim()
  .min(3, msg({ en: 'a bucket name has 3 to 63 characters', 'zh-CN': 'Bucket 名称长度为 3 到 63 个字符' }))
  .max(63, msg({ en: 'a bucket name has 3 to 63 characters', 'zh-CN': 'Bucket 名称长度为 3 到 63 个字符' }))
  .regex(
    /^[a-z0-9][a-z0-9-]*[a-z0-9]$/,
    msg({
      en: 'use lowercase letters, digits and "-", starting and ending with a letter or digit',
      'zh-CN': '只能使用小写字母、数字和“-”，且必须以字母或数字开头和结尾',
    }),
  );

/** A PEM certificate chain as text (not secret). */
export const pemCertificate = z
  .string()
  .trim()
  .regex(
    /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/,
    msg({
      en: 'paste the certificate in PEM form (-----BEGIN CERTIFICATE----- …)',
      'zh-CN': '请粘贴 PEM 格式的证书（-----BEGIN CERTIFICATE----- …）',
    }),
  );

/**
 * A secret as it crosses the API: `{ value }` sets a new value, `{ set: true }` keeps the stored
 * one, `{ set: false }` clears it, `{ staged }` takes a value the core read from an imported file
 * (so it never passed through the UI). Reads only ever return `{ set }`.
 */
export const secretInput = z.union([
  z.object({ value: z.string().max(16_384) }).strict(),
  z.object({ set: z.boolean() }).strict(),
  z.object({ staged: z.string().regex(/^stg_[A-Za-z0-9_-]{16,64}$/) }).strict(),
]);
export type SecretInput = z.infer<typeof secretInput>;
export type SecretState = { readonly set: boolean };

export const UNSET: SecretInput = { set: false };
