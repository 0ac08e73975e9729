/**
 * Rules across fields: which database each Harbor generation needs, what TLS needs, what Harbor
 * cannot carry. `profileSchema` enforces them; `profileAdvice` gives the notes that do not block.
 */
import { type Localized, L } from '../i18n/localized';
import type { SecretInput } from './fields';
import { profileShape, type Profile } from './schema';
import { secretSlots } from './secrets';
import { checkPolicedValue, destinationContext } from './value-policy';

export interface RuleIssue {
  readonly path: readonly (string | number)[];
  readonly message: Localized;
}

const isSet = (s: SecretInput) => ('value' in s ? s.value.length > 0 : 'staged' in s ? true : s.set);

/** Harbor's own password rule: 8–128 characters with an upper-case letter, a lower-case letter and a digit. */
export function harborPasswordProblem(value: string): Localized | null {
  if (value.length < 8 || value.length > 128 || !/[A-Z]/.test(value) || !/[a-z]/.test(value) || !/\d/.test(value)) {
    return L(
      'Harbor requires 8 to 128 characters with at least one upper-case letter, one lower-case letter and one digit',
      'Harbor 要求 8 到 128 个字符，且至少包含一个大写字母、一个小写字母和一个数字',
    );
  }
  return null;
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** Every cross-field problem of a structurally valid profile. */
export function profileRuleIssues(p: Profile): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (path: (string | number)[], en: string, zh: string) => issues.push({ path, message: L(en, zh) });
  const gen = p.harbor.generation;

  if (gen === 'v1') {
    if (!/^1\.[45]\.\d+$/.test(p.harbor.version))
      add(['harbor', 'version'], 'the 1.x walkthrough supports Harbor 1.4.x and 1.5.x', '1.x 向导支持 Harbor 1.4.x 与 1.5.x');
    if (p.database.engine !== 'mysql') {
      add(
        ['database', 'engine'],
        'Harbor 1.4/1.5 stores its data in MySQL; PostgreSQL is for Harbor 2.x (Harbor 1.6 switched to PostgreSQL)',
        'Harbor 1.4/1.5 的数据存放在 MySQL 中；PostgreSQL 用于 Harbor 2.x（Harbor 1.6 起改用 PostgreSQL）',
      );
    }
    if (p.options.scanner === 'trivy')
      add(
        ['options', 'scanner'],
        'Trivy exists only in Harbor 2.x; Harbor 1.5 scans with Clair',
        'Trivy 仅在 Harbor 2.x 中提供；Harbor 1.5 使用 Clair 扫描',
      );
    if (p.options.scanner === 'clair' && !p.clair)
      add(
        ['clair'],
        'Clair needs its own PostgreSQL database: fill in the Clair database section',
        'Clair 需要单独的 PostgreSQL 数据库：请填写 Clair 数据库部分',
      );
    if (p.redis.auth === 'acl') {
      add(
        ['redis', 'auth'],
        'Harbor 1.5 can only send AUTH <password>; for an Aliyun custom account choose "account" (AUTH account:password)',
        'Harbor 1.5 只能发送 AUTH <密码>；阿里云自定义账号请选择“账号”方式（AUTH 账号:密码）',
      );
    }
  } else {
    if (!/^2\.\d+\.\d+$/.test(p.harbor.version))
      add(
        ['harbor', 'version'],
        'the 2.x walkthrough needs a Harbor 2.x version, e.g. 2.15.2',
        '2.x 向导需要 Harbor 2.x 版本，例如 2.15.2',
      );
    if (p.database.engine !== 'postgresql') {
      add(
        ['database', 'engine'],
        'Harbor 2.x supports only PostgreSQL (RDS for PostgreSQL); MySQL works only with Harbor 1.5 and earlier',
        'Harbor 2.x 只支持 PostgreSQL（RDS PostgreSQL）；MySQL 只适用于 Harbor 1.5 及更早版本',
      );
    }
    if (p.options.scanner === 'clair')
      add(['options', 'scanner'], 'Harbor 2.x scans with Trivy; Clair was removed', 'Harbor 2.x 使用 Trivy 扫描，已移除 Clair');
    if (p.clair) add(['clair'], 'Harbor 2.x has no Clair database; remove this section', 'Harbor 2.x 没有 Clair 数据库；请删除此部分');
    for (const key of ['registry', 'jobservice', 'trivy', 'cacheLayer', 'harbor'] as const) {
      if (p.redis.dbIndexes[key] === 0) {
        add(
          ['redis', 'dbIndexes', key],
          'Harbor 2.x ignores a Redis database index of 0 and silently uses its default; core already uses 0, so pick 1–255',
          'Harbor 2.x 会忽略为 0 的 Redis 库编号并悄悄改用默认值；core 已使用 0 号库，请选择 1–255',
        );
      }
    }
    if (p.redis.auth === 'acl' && !versionAtLeast(p.harbor.version, 2, 8)) {
      add(
        ['redis', 'auth'],
        'a Redis user name (ACL) needs Harbor 2.8 or later; with an older version use "account" (AUTH account:password)',
        'Redis 用户名（ACL）需要 Harbor 2.8 或更高版本；较旧版本请使用“账号”方式（AUTH 账号:密码）',
      );
    }
  }

  if (p.access.protocol === 'https' && p.access.tlsTermination === 'nodes') {
    if (!p.access.certificate)
      add(['access', 'certificate'], 'TLS ends on the nodes, so they need the certificate (PEM)', 'TLS 在节点上终止，节点需要证书（PEM）');
    if (!isSet(p.access.privateKey))
      add(
        ['access', 'privateKey'],
        "TLS ends on the nodes, so they need the certificate's private key",
        'TLS 在节点上终止，节点需要证书私钥',
      );
  }
  if (p.oss.internal && !p.oss.redirectDisabled) {
    add(
      ['oss', 'redirectDisabled'],
      'with the internal endpoint, redirects would send clients to an address only ECS can reach: keep redirects disabled',
      '使用内网地址时，重定向会把客户端引向只有 ECS 才能访问的地址：请保持禁用重定向',
    );
  }
  if ((p.redis.auth === 'account' || p.redis.auth === 'acl') && !p.redis.username) {
    add(['redis', 'username'], 'enter the Redis account name', '请输入 Redis 账号名');
  }
  if (p.redis.auth !== 'none' && !isSet(p.redis.password)) add(['redis', 'password'], 'enter the Redis password', '请输入 Redis 密码');
  if (!isSet(p.database.admin.password))
    add(['database', 'admin', 'password'], 'enter the password of the admin account', '请输入管理账号的密码');
  if (!isSet(p.database.harbor.password))
    add(['database', 'harbor', 'password'], 'enter the password Harbor connects with', '请输入 Harbor 连接数据库使用的密码');
  if (p.clair && !isSet(p.clair.password)) add(['clair', 'password'], 'enter the Clair database password', '请输入 Clair 数据库密码');
  if (!isSet(p.oss.accessKeySecret)) add(['oss', 'accessKeySecret'], 'enter the AccessKey secret', '请输入 AccessKey Secret');
  if (p.cloud && !isSet(p.cloud.accessKeySecret))
    add(['cloud', 'accessKeySecret'], 'enter the AccessKey secret of the Aliyun account', '请输入阿里云账号的 AccessKey Secret');
  if (!isSet(p.harbor.adminPassword))
    add(['harbor', 'adminPassword'], "enter the password of Harbor's admin user", '请输入 Harbor admin 用户的密码');
  else if ('value' in p.harbor.adminPassword) {
    const problem = harborPasswordProblem(p.harbor.adminPassword.value);
    if (problem) issues.push({ path: ['harbor', 'adminPassword'], message: problem });
  }

  p.nodes.forEach((n, i) => {
    if (n.auth.kind === 'password' && !isSet(n.auth.password))
      add(['nodes', i, 'auth', 'password'], 'enter the SSH password', '请输入 SSH 密码');
    n.jumpHosts.forEach((j, k) => {
      if (j.auth.kind === 'password' && !isSet(j.auth.password))
        add(['nodes', i, 'jumpHosts', k, 'auth', 'password'], 'enter the SSH password of the jump host', '请输入跳板机的 SSH 密码');
    });
    const twin = p.nodes.findIndex((m, j) => j < i && m.host === n.host && m.port === n.port);
    if (twin >= 0) add(['nodes', i, 'host'], `the same address as node ${twin + 1}`, `与节点 ${twin + 1} 的地址相同`);
    if (p.nodes.findIndex((m) => m.id === n.id) !== i) add(['nodes', i, 'id'], 'duplicate node id', '节点 ID 重复');
  });

  for (const slot of secretSlots(p)) {
    const secret = slot.get();
    if (!slot.policed || !('value' in secret)) continue;
    const problem = checkPolicedValue(slot.policed, gen, secret.value, destinationContext(p));
    if (problem) issues.push({ path: slot.path, message: problem });
  }
  return issues;
}

/** The profile with every rule: what the API accepts. */
export const profileSchema = profileShape.superRefine((p, ctx) => {
  for (const issue of profileRuleIssues(p)) {
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: JSON.stringify(issue.message) });
  }
});

export type Advice = { readonly level: 'info' | 'warning'; readonly topic: string; readonly message: Localized };

/** Notes that do not block saving: what the chosen setup implies and where the seed runbook is wrong. */
export function profileAdvice(p: Profile): Advice[] {
  const out: Advice[] = [];
  const add = (level: Advice['level'], topic: string, en: string, zh: string) => out.push({ level, topic, message: L(en, zh) });
  if (p.harbor.generation === 'v1') {
    add(
      'info',
      'v1-requirements',
      'Harbor 1.4/1.5 needs MySQL 5.6.5 or later (RDS MySQL 5.6, 5.7 and 8.0 work), Python 2 at /usr/bin/python, openssl and the standalone docker-compose binary on every node. Preflight checks all of them before changing anything.',
      'Harbor 1.4/1.5 需要 MySQL 5.6.5 或更高版本（RDS MySQL 5.6、5.7、8.0 均可），并且每个节点上需要 /usr/bin/python（Python 2）、openssl 和独立的 docker-compose 程序。预检会在做任何更改之前逐一检查。',
    );
    add(
      'info',
      'v1-registry-db',
      'The seed runbook says to create a database "harbor" and import registry.sql into it. registry.sql creates and uses its own database "registry" (and drops it first), and Harbor 1.x always connects to "registry", so no database needs to be created by hand.',
      '原手册要求先创建数据库 harbor 再导入 registry.sql。实际上 registry.sql 会自行创建并使用名为 registry 的数据库（并且会先删除它），Harbor 1.x 也总是连接 registry 库，因此不需要手工建库。',
    );
    add(
      'warning',
      'v1-eol',
      'Harbor 1.x no longer receives security fixes. Use it only to operate an existing 1.x cluster; new clusters should use Harbor 2.x with PostgreSQL.',
      'Harbor 1.x 已不再发布安全修复。仅建议用于维护现有 1.x 集群；新集群请使用 Harbor 2.x 与 PostgreSQL。',
    );
    if (p.access.protocol === 'https' && p.access.tlsTermination === 'lb') {
      add(
        'warning',
        'v1-tls-at-lb',
        `Harbor 1.5 builds the URLs it hands clients from ui_url_protocol, which must stay http when the nodes serve plain http behind the load balancer. The app therefore writes https://${p.access.domain} itself into the registry's token realm and EXT_ENDPOINT, and sets http.relativeurls; a TCP (layer 4) listener with TLS on the nodes avoids all of this.`,
        `Harbor 1.5 根据 ui_url_protocol 生成交给客户端的地址，而节点在负载均衡之后以纯 http 提供服务时它必须保持为 http。因此应用会自行把 https://${p.access.domain} 写入 registry 的令牌 realm 和 EXT_ENDPOINT，并设置 http.relativeurls；使用 TCP（四层）监听并在节点上终止 TLS 可避免这些问题。`,
      );
    }
  } else {
    add(
      'info',
      'v2-database',
      'Harbor 2.x needs the PostgreSQL database to exist before the first start, owned by the Harbor account (PostgreSQL 15 no longer lets every user create tables in "public"). The walkthrough creates it with the admin account.',
      'Harbor 2.x 要求 PostgreSQL 数据库在首次启动前已存在，并归 Harbor 账号所有（PostgreSQL 15 起不再允许所有用户在 public 中建表）。部署向导会使用管理账号创建它。',
    );
    if (p.access.protocol === 'https' && p.access.tlsTermination === 'lb') {
      add(
        'warning',
        'v2-tls-at-lb',
        'With TLS ending at the load balancer, its HTTPS listener must send X-Forwarded-Proto: https; the app sets external_url to https://' +
          p.access.domain +
          ' and verifies the header.',
        'TLS 在负载均衡上终止时，其 HTTPS 监听必须发送 X-Forwarded-Proto: https；应用会把 external_url 设为 https://' +
          p.access.domain +
          ' 并验证该请求头。',
      );
    }
  }
  if (p.oss.internal) {
    add(
      'info',
      'oss-internal',
      `The nodes reach OSS at ${p.oss.bucket}.${p.oss.region}-internal.aliyuncs.com, which works only from ECS in the same region. Redirects stay disabled so that clients outside the VPC can pull.`,
      `节点将通过 ${p.oss.bucket}.${p.oss.region}-internal.aliyuncs.com 访问 OSS，这只在同地域的 ECS 上可用。重定向保持禁用，以便 VPC 外的客户端能够拉取镜像。`,
    );
  } else {
    add(
      'warning',
      'oss-public',
      'Since 2025-03-20, new Aliyun accounts cannot use the public OSS endpoint for data in mainland China (PublicEndpointForbidden). Prefer the internal endpoint from ECS.',
      '自 2025-03-20 起，新的阿里云账号无法通过公网 OSS 地址访问中国内地的数据（PublicEndpointForbidden）。建议在 ECS 上使用内网地址。',
    );
  }
  if (p.loadBalancer.kind === 'clb' && p.loadBalancer.listener === 'tcp') {
    add(
      'info',
      'slb-hairpin',
      'With a layer-4 SLB listener a node cannot reach Harbor through the SLB address itself (hairpin). The walkthrough adds NAT rules on the nodes for that, and verifies from outside the nodes.',
      '使用四层 SLB 监听时，节点自身无法通过 SLB 地址访问 Harbor（回环问题）。部署向导会在节点上为此添加 NAT 规则，并从节点外部进行验证。',
    );
  }
  return out;
}

/**
 * The advice that depends only on the Harbor generation, for drafts that are not complete yet (a
 * fresh import): so the operator reads where the seed runbook is wrong before filling every field.
 */
export function generationAdvice(draft: unknown): Advice[] {
  const generation = (draft as { harbor?: { generation?: unknown } } | null)?.harbor?.generation;
  if (generation !== 'v1' && generation !== 'v2') return [];
  const topics = generation === 'v1' ? ['v1-requirements', 'v1-registry-db', 'v1-eol'] : ['v2-database'];
  const sample = profileAdvice(generation === 'v1' ? SAMPLE_V1 : SAMPLE_V2);
  return sample.filter((a) => topics.includes(a.topic));
}

// Minimal complete profiles, only to reuse profileAdvice's texts for generation-level notes.
const SAMPLE_BASE = {
  id: 'sample',
  name: 'sample',
  description: '',
  access: { domain: 'registry.example.com', protocol: 'http', tlsTermination: 'nodes', privateKey: { set: false } },
  nodes: [{ id: 'n1', host: '10.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, jumpHosts: [] }],
  loadBalancer: { kind: 'self-hosted', address: '10.0.0.2', software: 'haproxy' },
  redis: { host: '10.0.0.3', port: 6379, auth: 'none', password: { set: false }, dbIndexes: { registry: 1, jobservice: 2, trivy: 5 } },
  oss: {
    region: 'oss-cn-beijing',
    bucket: 'sample',
    internal: true,
    rootDirectory: '/harbor',
    accessKeyId: 'LTAI5tSample',
    accessKeySecret: { set: false },
    encrypt: false,
    secure: true,
    redirectDisabled: true,
  },
  options: { scanner: 'none', jobWorkers: 10, dataVolume: '/data' },
} as const;
const SAMPLE_V1 = {
  ...SAMPLE_BASE,
  harbor: { generation: 'v1', version: '1.5.4', installer: { kind: 'local', path: 'x' }, adminPassword: { set: false } },
  database: {
    engine: 'mysql',
    host: '10.0.0.4',
    port: 3306,
    admin: { user: 'a', password: { set: false } },
    harbor: { user: 'h', password: { set: false } },
  },
} as unknown as Profile;
const SAMPLE_V2 = {
  ...SAMPLE_BASE,
  harbor: { generation: 'v2', version: '2.15.2', installer: { kind: 'local', path: 'x' }, adminPassword: { set: false } },
  database: {
    engine: 'postgresql',
    host: '10.0.0.4',
    port: 5432,
    admin: { user: 'a', password: { set: false } },
    harbor: { user: 'h', password: { set: false }, database: 'registry', sslMode: 'disable' },
  },
} as unknown as Profile;
