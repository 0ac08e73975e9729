/**
 * Probes of the services a Harbor node needs, made from that node through its SSH connection:
 * TCP reach, MySQL login and version, PostgreSQL login, Redis AUTH in every Aliyun form, and an OSS
 * write/read/delete of a probe object. Each result says what is wrong and what to do.
 */
import { randomBytes } from 'node:crypto';
import OSS from 'ali-oss';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import type { Client } from 'ssh2';
import { type Localized, L } from '../../../shared/i18n/localized';
import { redisCommands } from './redis';
import { NodeAgent } from './http';
import { openFromNode, ReachError } from './tunnel';

export interface ProbeResult {
  readonly ok: boolean;
  /** What was probed, e.g. `mysql rm-xxx.mysql.rds.aliyuncs.com:3306`. */
  readonly target: string;
  readonly latencyMs: number;
  /** What was found, e.g. the server version. */
  readonly detail?: string;
  readonly problem?: Localized;
}

async function timed(target: string, fn: () => Promise<{ detail?: string; problem?: Localized }>): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const r = await fn();
    return { ok: !r.problem, target, latencyMs: Math.round(performance.now() - started), ...r };
  } catch (error) {
    const problem =
      error instanceof ReachError ? error.localized : L(`${target}: ${(error as Error).message}`, `${target}：${(error as Error).message}`);
    return { ok: false, target, latencyMs: Math.round(performance.now() - started), problem };
  }
}

export function probeTcp(client: Client, from: string, host: string, port: number): Promise<ProbeResult> {
  return timed(`tcp ${host}:${port}`, async () => {
    const s = await openFromNode(client, from, host, port);
    s.destroy();
    return {};
  });
}

/** Parses "5.7.44-log", "8.0.36", "10.11.6-MariaDB-0+deb12u1" into numbers. */
export function parseMysqlVersion(v: string): { major: number; minor: number; patch: number; mariadb: boolean } {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v) ?? ['', '0', '0', '0'];
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), mariadb: /mariadb/i.test(v) };
}

export function probeMysql(
  client: Client,
  from: string,
  db: { host: string; port: number; user: string; password: string },
): Promise<ProbeResult> {
  return timed(`mysql ${db.host}:${db.port}`, async () => {
    const stream = await openFromNode(client, from, db.host, db.port);
    let conn;
    try {
      conn = await createConnection({ stream, user: db.user, password: db.password, connectTimeout: 8000 });
    } catch (error) {
      stream.destroy();
      const code = (error as { code?: string }).code;
      if (code === 'ER_ACCESS_DENIED_ERROR') {
        return {
          problem: L(
            `MySQL at ${db.host} refused the login of "${db.user}" from ${from}: check the password, and that the account may connect from the node's address.`,
            `${db.host} 上的 MySQL 拒绝了来自 ${from} 的账号“${db.user}”登录：请检查密码，以及该账号是否允许从节点地址连接。`,
          ),
        };
      }
      throw error;
    }
    try {
      const [rows] = await conn.query('SELECT VERSION() AS v');
      const version = String((rows as { v: string }[])[0]?.v ?? '');
      const v = parseMysqlVersion(version);
      const oldMysql = !v.mariadb && (v.major < 5 || (v.major === 5 && (v.minor < 6 || (v.minor === 6 && v.patch < 5))));
      if (oldMysql) {
        return {
          detail: version,
          problem: L(
            `MySQL ${version} is too old for Harbor 1.5 (needs 5.6.5 or later: two TIMESTAMP columns with defaults).`,
            `MySQL ${version} 版本过低，Harbor 1.5 需要 5.6.5 或更高版本（需要两个带默认值的 TIMESTAMP 列）。`,
          ),
        };
      }
      return { detail: version };
    } finally {
      await conn.end().catch(() => undefined);
    }
  });
}

export function probePostgres(
  client: Client,
  from: string,
  db: { host: string; port: number; user: string; password: string; database?: string },
): Promise<ProbeResult> {
  return timed(`postgresql ${db.host}:${db.port}`, async () => {
    const stream = await openFromNode(client, from, db.host, db.port);
    const c = new pg.Client({
      stream: () => stream,
      host: db.host,
      port: db.port,
      user: db.user,
      password: db.password,
      database: db.database ?? 'postgres',
      connectionTimeoutMillis: 8000,
    });
    try {
      await c.connect();
    } catch (error) {
      stream.destroy();
      const code = (error as { code?: string }).code;
      if (code === '28P01' || code === '28000') {
        return {
          problem: L(
            `PostgreSQL at ${db.host} refused the login of "${db.user}" from ${from}: check the password and the account's access (pg_hba / RDS whitelist).`,
            `${db.host} 上的 PostgreSQL 拒绝了来自 ${from} 的账号“${db.user}”登录：请检查密码与访问权限（pg_hba / RDS 白名单）。`,
          ),
        };
      }
      if (code === '3D000')
        return { problem: L(`The database "${db.database}" does not exist on ${db.host}.`, `${db.host} 上不存在数据库“${db.database}”。`) };
      throw error;
    }
    try {
      const r = await c.query<{ server_version: string }>('SHOW server_version');
      return { detail: `PostgreSQL ${r.rows[0]?.server_version ?? '?'}` };
    } finally {
      await c.end().catch(() => undefined);
    }
  });
}

export interface RedisProbeConfig {
  readonly host: string;
  readonly port: number;
  readonly auth: 'none' | 'password' | 'account' | 'acl';
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
}

export function probeRedis(client: Client, from: string, r: RedisProbeConfig): Promise<ProbeResult> {
  return timed(`redis ${r.host}:${r.port}`, async () => {
    const stream = await openFromNode(client, from, r.host, r.port);
    try {
      const commands: string[][] = [];
      if (r.auth === 'password') commands.push(['AUTH', r.password ?? '']);
      else if (r.auth === 'account') commands.push(['AUTH', `${r.username}:${r.password ?? ''}`]);
      else if (r.auth === 'acl') commands.push(['AUTH', r.username ?? '', r.password ?? '']);
      if (r.db !== undefined) commands.push(['SELECT', String(r.db)]);
      commands.push(['PING']);
      const replies = await redisCommands(stream, commands);
      const bad = replies.find((x) => x.startsWith('-'));
      if (bad) {
        if (/WRONGPASS|invalid password|invalid username/i.test(bad)) {
          return {
            problem: L(
              `Redis at ${r.host} refused the password${r.username ? ` of "${r.username}"` : ''}. For an Aliyun custom account use "account" (AUTH account:password).`,
              `${r.host} 上的 Redis 拒绝了${r.username ? `账号“${r.username}”的` : ''}密码。阿里云自定义账号请使用“账号”方式（AUTH 账号:密码）。`,
            ),
          };
        }
        if (/NOAUTH/i.test(bad)) return { problem: L(`Redis at ${r.host} needs a password.`, `${r.host} 上的 Redis 需要密码。`) };
        if (/DB index/i.test(bad))
          return { problem: L(`Redis at ${r.host} has no database ${r.db}.`, `${r.host} 上的 Redis 没有 ${r.db} 号数据库。`) };
        return { problem: L(`Redis at ${r.host} answered: ${bad.slice(1)}`, `${r.host} 上的 Redis 返回：${bad.slice(1)}`) };
      }
      return { detail: replies.at(-1) === 'PONG' ? 'PONG' : replies.at(-1)! };
    } finally {
      stream.destroy();
    }
  });
}

export interface OssProbeConfig {
  readonly region: string;
  readonly bucket: string;
  readonly internal: boolean;
  readonly secure: boolean;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly rootDirectory: string;
  /** Full bucket host without scheme, when the profile sets one. */
  readonly endpoint?: string;
}

/** The bucket host the registry will use, as the OSS storage driver builds it. */
export function ossHost(o: Pick<OssProbeConfig, 'bucket' | 'region' | 'internal' | 'endpoint'>): string {
  return o.endpoint ?? `${o.bucket}.${o.region}${o.internal ? '-internal' : ''}.aliyuncs.com`;
}

/** An OSS client whose connections the node opens (the bucket's policy and the internal endpoint are the node's). */
export function ossFromNode(client: Client, from: string, o: OssProbeConfig): OSS {
  const host = ossHost(o);
  return new OSS({
    region: o.region,
    bucket: o.bucket,
    accessKeyId: o.accessKeyId,
    accessKeySecret: o.accessKeySecret,
    endpoint: `http://${o.endpoint ? host : `${o.region}${o.internal ? '-internal' : ''}.aliyuncs.com`}`,
    secure: false,
    agent: new NodeAgent(client, from),
    timeout: 15_000,
  } as OSS.Options);
}

export function probeOss(client: Client, from: string, o: OssProbeConfig): Promise<ProbeResult> {
  const host = ossHost(o);
  return timed(`oss ${host}`, async () => {
    if (o.secure) {
      // HTTPS through the tunnel would need TLS over the channel; the reach of port 443 is what matters here.
      const s = await openFromNode(client, from, host, 443);
      s.destroy();
    }
    const oss = ossFromNode(client, from, o);
    const key = `${o.rootDirectory.replace(/^\/+|\/+$/g, '')}/.harbor-ha-deployer-probe-${randomBytes(4).toString('hex')}`.replace(
      /^\//,
      '',
    );
    const body = `probe from ${from} at ${new Date().toISOString()}`;
    try {
      await oss.put(key, Buffer.from(body));
      const got = await oss.get(key);
      if (String(got.content) !== body)
        return {
          problem: L(
            `OSS returned different content for the probe object in ${o.bucket}.`,
            `OSS 返回的探测对象内容与写入的不一致（${o.bucket}）。`,
          ),
        };
      await oss.delete(key);
      return { detail: `${o.bucket}: write, read, delete ok` };
    } catch (error) {
      const code = (error as { code?: string; name?: string }).code ?? (error as { name?: string }).name;
      if (code === 'SignatureDoesNotMatch' || code === 'InvalidAccessKeyId') {
        return {
          problem: L(
            `OSS refused the AccessKey (${code}): check the AccessKey ID and secret.`,
            `OSS 拒绝了该 AccessKey（${code}）：请检查 AccessKey ID 与 Secret。`,
          ),
        };
      }
      if (code === 'NoSuchBucket')
        return {
          problem: L(
            `The bucket ${o.bucket} does not exist in ${o.region}. Create it first (the registry does not).`,
            `${o.region} 中不存在 Bucket ${o.bucket}。请先创建（registry 不会自动创建）。`,
          ),
        };
      if (code === 'AccessDenied')
        return {
          problem: L(
            `The AccessKey may not write to ${o.bucket} (AccessDenied): grant it read/write on the bucket.`,
            `该 AccessKey 无权写入 ${o.bucket}（AccessDenied）：请授予其对该 Bucket 的读写权限。`,
          ),
        };
      throw error;
    }
  });
}
