/**
 * The services as a node reaches them (RDS whitelists are per node, so the desktop's view proves nothing): the TCP
 * reach of each, then database logins and version, Redis AUTH, an OSS write/read/delete.
 */
import type { Localized } from '../../../../../shared/i18n/localized';
import type { Profile } from '../../../../../shared/profile';
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import { probeMysql, probeOss, probePostgres, probeRedis, probeTcp, ossHost, type ProbeResult } from '../../../probe/probes';
import { L } from '../context';
import { bad, type Finding } from './findings';

/** The profile fields of a service, as paths (`database.port`): where a failed probe's cause is set. */
interface ServiceFields {
  readonly host: string;
  readonly port?: string;
  /** The password or key the login used. */
  readonly credential?: string;
  /** The bucket (OSS). */
  readonly bucket?: string;
}

/**
 * Which setting a failed probe points at, from the probe's message (probes.ts and tunnel.ts word them): a refused
 * login the credential, a missing bucket the bucket, a refused connection the port, a name not found or no answer
 * the address. Anything else names no field: the operator reads the message.
 */
function causeField(problem: Localized, f: ServiceFields): string | undefined {
  const text = problem.en;
  if (/refused the (login|password|AccessKey)|needs a password/i.test(text)) return f.credential;
  if (/bucket .* does not exist/i.test(text)) return f.bucket;
  if (/connection was refused/i.test(text)) return f.port ?? f.host;
  if (/cannot (resolve|reach|connect)/i.test(text)) return f.host;
  return undefined;
}

function fromProbe(id: string, r: ProbeResult, whitelistHint: Localized | undefined, okText: Localized, fields?: ServiceFields): Finding {
  if (r.ok)
    return {
      id,
      ok: true,
      severity: 'error',
      message: L(`${okText.en}${r.detail ? ` (${r.detail})` : ''}`, `${okText['zh-CN']}${r.detail ? `（${r.detail}）` : ''}`),
    };
  const problem = r.problem ?? L(`${r.target} failed`, `${r.target} 失败`);
  return bad(id, problem, whitelistHint, 'error', fields && causeField(problem, fields));
}

const DATABASE: ServiceFields = { host: 'database.host', port: 'database.port' };

/** The services as this node reaches them. */
export async function serviceFindings(env: HarborEnv, shell: NodeShell, nodeAddress: string, label: string): Promise<Finding[]> {
  const p: Profile = env.profile;
  const { client } = await shell.connection();
  const from = label;
  const whitelist = (what: string, zh: string) =>
    L(
      `Add ${nodeAddress} to the ${what} whitelist (and the security group), then run the preflight again.`,
      `请把 ${nodeAddress} 加入${zh}白名单（以及安全组），然后重新运行预检。`,
    );
  const checks: Promise<Finding>[] = [];
  const db = p.database;
  const dbSecretAdmin = env.requireSecret('database.admin.password', L('database administrator password', '数据库管理员密码'));
  const dbSecretHarbor = env.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码'));
  if (db.engine === 'mysql') {
    checks.push(
      probeMysql(client, from, { host: db.host, port: db.port, user: db.admin.user, password: dbSecretAdmin }).then((r) =>
        fromProbe(
          'mysql.admin',
          r,
          r.problem && /reach|connect/i.test(r.problem.en) ? whitelist('RDS', ' RDS ') : undefined,
          L(`MySQL login as ${db.admin.user}`, `MySQL 以 ${db.admin.user} 登录`),
          { ...DATABASE, credential: 'database.admin.password' },
        ),
      ),
    );
    if (db.harbor.user !== db.admin.user)
      checks.push(
        probeMysql(client, from, { host: db.host, port: db.port, user: db.harbor.user, password: dbSecretHarbor }).then((r) =>
          fromProbe('mysql.harbor', r, undefined, L(`MySQL login as ${db.harbor.user}`, `MySQL 以 ${db.harbor.user} 登录`), {
            ...DATABASE,
            credential: 'database.harbor.password',
          }),
        ),
      );
  } else {
    checks.push(
      probePostgres(client, from, { host: db.host, port: db.port, user: db.admin.user, password: dbSecretAdmin }).then((r) =>
        fromProbe(
          'postgresql.admin',
          r,
          r.problem && /reach|connect/i.test(r.problem.en) ? whitelist('RDS', ' RDS ') : undefined,
          L(`PostgreSQL login as ${db.admin.user}`, `PostgreSQL 以 ${db.admin.user} 登录`),
          { ...DATABASE, credential: 'database.admin.password' },
        ),
      ),
    );
  }
  if (p.harbor.generation === 'v1' && p.options.scanner === 'clair' && p.clair) {
    const c = p.clair;
    const pw = env.requireSecret('clair.password', L('Clair database password', 'Clair 数据库密码'));
    checks.push(
      probePostgres(client, from, { host: c.host, port: c.port, user: c.user, password: pw }).then((r) =>
        fromProbe('clair', r, undefined, L(`Clair PostgreSQL login as ${c.user}`, `Clair PostgreSQL 以 ${c.user} 登录`), {
          host: 'clair.host',
          port: 'clair.port',
          credential: 'clair.password',
        }),
      ),
    );
  }
  const r = p.redis;
  const redisPw = r.auth === 'none' ? undefined : env.requireSecret('redis.password', L('Redis password', 'Redis 密码'));
  checks.push(
    probeRedis(client, from, {
      host: r.host,
      port: r.port,
      auth: r.auth,
      ...(r.username ? { username: r.username } : {}),
      ...(redisPw ? { password: redisPw } : {}),
    }).then((x) =>
      fromProbe(
        'redis',
        x,
        x.problem && /reach|refused|timeout|no answer/i.test(x.problem.en) ? whitelist('Redis', ' Redis ') : undefined,
        L('Redis AUTH and PING', 'Redis AUTH 与 PING'),
        { host: 'redis.host', port: 'redis.port', credential: 'redis.password' },
      ),
    ),
  );
  const o = p.oss;
  const ossSecret = env.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret'));
  checks.push(
    probeOss(client, from, {
      region: o.region,
      bucket: o.bucket,
      internal: o.internal,
      secure: o.secure,
      accessKeyId: o.accessKeyId,
      accessKeySecret: ossSecret,
      rootDirectory: o.rootDirectory,
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    }).then((x) =>
      fromProbe(
        'oss',
        x,
        x.problem && /reach|resolve|timeout/i.test(x.problem.en) && o.internal
          ? L(
              `The internal endpoint ${ossHost(o)} only works from ECS in ${o.region}; check the region and the node's DNS.`,
              `内网地址 ${ossHost(o)} 仅在 ${o.region} 的 ECS 上可用；请检查地域和节点的 DNS。`,
            )
          : undefined,
        L(`OSS ${o.bucket}: write, read, delete`, `OSS ${o.bucket}：写、读、删`),
        { host: o.endpoint ? 'oss.endpoint' : 'oss.region', credential: 'oss.accessKeySecret', bucket: 'oss.bucket' },
      ),
    ),
  );
  return Promise.all(checks);
}

/** The TCP reach of each service, alone (cheap; the topology uses the same). */
export function reachChecks(p: Profile): { id: string; host: string; port: number; fields: ServiceFields }[] {
  const out: { id: string; host: string; port: number; fields: ServiceFields }[] = [
    { id: 'database', host: p.database.host, port: p.database.port, fields: DATABASE },
    { id: 'redis', host: p.redis.host, port: p.redis.port, fields: { host: 'redis.host', port: 'redis.port' } },
  ];
  if (p.harbor.generation === 'v1' && p.options.scanner === 'clair' && p.clair)
    out.push({ id: 'clair', host: p.clair.host, port: p.clair.port, fields: { host: 'clair.host', port: 'clair.port' } });
  out.push({
    id: 'oss',
    host: ossHost(p.oss),
    port: p.oss.secure ? 443 : 80,
    fields: { host: p.oss.endpoint ? 'oss.endpoint' : 'oss.region' },
  });
  return out;
}

export async function reachFindings(shell: NodeShell, p: Profile, label: string): Promise<Finding[]> {
  const { client } = await shell.connection();
  return Promise.all(
    reachChecks(p).map(async (c) =>
      fromProbe(
        `reach.${c.id}`,
        await probeTcp(client, label, c.host, c.port),
        undefined,
        L(`TCP ${c.host}:${c.port}`, `TCP ${c.host}:${c.port}`),
        c.fields,
      ),
    ),
  );
}
