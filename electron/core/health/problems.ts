/**
 * What is wrong with the cluster, each with its known fix: from the checks of a sweep to a list
 * the operator can work through. The fixes come from harbor-facts.md (§6, §7 and "Things the app
 * must get right") and the runbook's troubleshooting; references name the public issues.
 */
import type { CertificateCheck, LoadBalancerHealth, NodeHealth, ServiceId, TopologyGraph, TopologyProblem } from '../../../shared/api/contracts/topology';
import type { Localized } from '../../../shared/i18n/localized';
import { CORE_ENV } from '../harbor/common/paths';
import { L } from './checks';

export interface ProblemInput {
  readonly graph: TopologyGraph;
  readonly nodes: readonly NodeHealth[];
  readonly lb: LoadBalancerHealth;
  /** Digests of the shared key files per node (path → digest, or a problem). Never leaves the core. */
  readonly keys: ReadonlyMap<string, readonly { path: string; digest?: string; problem?: string }[]>;
  /** 2.x: digest of each node's CSRF_KEY line in core/env (or why there is none). Never leaves the core. */
  readonly csrf?: ReadonlyMap<string, { digest?: string; problem?: string }>;
  readonly dataVolume: string;
  /** Where the SSH failure came from, per node: the SshError code. */
  readonly sshCodes: ReadonlyMap<string, string>;
}

const SERVICE_NAME: Record<ServiceId, Localized> = {
  database: L('the database', '数据库'),
  clair: L('the Clair database', 'Clair 数据库'),
  redis: L('Redis', 'Redis'),
  oss: L('OSS', 'OSS'),
};

/**
 * Nodes grouped by a value they should share (a digest, a fingerprint): the nodes outside the
 * largest group, which counts as right (on a tie, the group with node 1).
 */
function outliers(groups: ReadonlyMap<string, readonly string[]>, graph: TopologyGraph): string[] {
  const first = graph.nodes[0]?.id ?? '';
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length || Number(b.includes(first)) - Number(a.includes(first)));
  return sorted.slice(1).flat();
}

function names(graph: TopologyGraph, ids: readonly string[]): string {
  return ids.map((id) => graph.nodes.find((n) => n.id === id)?.name ?? id).join(', ');
}

function addresses(graph: TopologyGraph, ids: readonly string[]): string {
  return ids.map((id) => graph.nodes.find((n) => n.id === id)?.address ?? id).join(',');
}

function sshFix(code: string | undefined): Localized {
  switch (code) {
    case 'refused':
      return L('sshd is not accepting connections. Start it from the cloud console (VNC): systemctl start sshd; check the port in the profile.', 'sshd 未接受连接。请通过云控制台（VNC）登录并执行 systemctl start sshd；并检查配置中的端口。');
    case 'timeout':
    case 'unreachable':
      return L('The node does not answer on its SSH port. Check that it is running, the security group / firewall allows port 22 from this computer, and any jump host.', '节点的 SSH 端口无响应。请确认节点在运行、安全组/防火墙允许本机访问 22 端口，并检查跳板机。');
    case 'auth':
      return L('Fix the user, password or key of this node in the profile.', '请在集群配置中修正该节点的用户名、密码或密钥。');
    case 'host_key_unknown':
      return L('Compare and trust the host key first: Profiles → the node → Test connection (or open its terminal).', '请先核对并信任主机密钥：集群配置 → 该节点 → 测试连接（或打开其终端）。');
    case 'host_key_changed':
    case 'host_key_revoked':
    case 'host_key_profile_mismatch':
      return L('The host key is not the one recorded. Find out why (reinstalled server, or interception) before removing the old key.', '主机密钥与记录不符。删除旧记录之前请先查明原因（服务器重装或被拦截）。');
    case 'dns':
      return L('The node’s host name does not resolve on this computer: use its IP address in the profile.', '本机无法解析该节点的主机名：请在集群配置中改用 IP 地址。');
    default:
      return L('Open the node’s terminal or test the connection in Profiles to see the cause.', '请打开该节点的终端，或在集群配置中测试连接以查看原因。');
  }
}

function reachFix(service: ServiceId, graph: TopologyGraph, kinds: Set<string>, ids: readonly string[]): { fix: Localized; refs?: string[] } {
  const ips = addresses(graph, ids);
  const endpoint = graph.services.find((s) => s.id === service)?.endpoint ?? '';
  if (kinds.has('protocol')) {
    if (service === 'redis') return { fix: L(`Redis answered with an error (see details). On Aliyun, "illegal address" means the node is not in the instance's whitelist: add ${ips}.`, `Redis 返回了错误（见详情）。在阿里云上，“illegal address”表示节点不在实例白名单中：请添加 ${ips}。`) };
    if (service === 'database' && graph.services.find((s) => s.id === 'database')?.kind === 'mysql') {
      return { fix: L(`MySQL refuses connections from these nodes' addresses: allow them for the Harbor account (GRANT … TO 'user'@'%' or the addresses) and add ${ips} to the RDS whitelist.`, `MySQL 拒绝来自这些节点地址的连接：请为 Harbor 账号授权这些地址（GRANT … TO 'user'@'%' 或具体地址），并把 ${ips} 加入 RDS 白名单。`) };
    }
    return { fix: L(`Something answers at ${endpoint}, but it is not ${service === 'oss' ? 'OSS' : 'the expected service'}: check host and port in the profile.`, `${endpoint} 有应答，但不是预期的服务：请检查集群配置中的地址与端口。`) };
  }
  if (service === 'oss') {
    return {
      fix: L(
        'The internal endpoint (oss-<region>-internal) works only from ECS in the bucket’s region; new accounts cannot use the public endpoint since 2025-03-20. Keep "internal" on, with redirect disabled, and leave the endpoint empty or give the bucket host without http:// (a scheme causes SignatureDoesNotMatch).',
        '内网 Endpoint（oss-<地域>-internal）只能从同地域的 ECS 访问；自 2025-03-20 起新账号无法使用公网 Endpoint。请保持“内网”开启并禁用重定向，Endpoint 留空或填写不带 http:// 的 Bucket 域名（带协议会导致 SignatureDoesNotMatch）。',
      ),
      refs: ['goharbor/harbor#13936', 'goharbor/harbor#9702'],
    };
  }
  if (kinds.has('timeout')) {
    return {
      fix: L(
        `No answer in time: add the nodes' addresses ${ips} to the ${service === 'redis' ? 'Redis' : 'RDS'} whitelist (RDS allows only 127.0.0.1 by default; comma-separated, no spaces) and check the security group.`,
        `连接超时：请把节点地址 ${ips} 加入${service === 'redis' ? ' Redis ' : ' RDS '}白名单（RDS 默认只允许 127.0.0.1；用逗号分隔，不要空格），并检查安全组。`,
      ),
    };
  }
  if (kinds.has('dns')) return { fix: L(`The nodes cannot resolve the host of ${endpoint}: use the instance's internal (VPC) address, or fix the nodes' DNS.`, `节点无法解析 ${endpoint} 的主机名：请使用实例的内网（VPC）地址，或修正节点的 DNS。`) };
  if (kinds.has('prohibited')) return { fix: L('sshd on the node forbids TCP forwarding (AllowTcpForwarding no), so the app cannot measure from there. Allow it for this user, or check by hand.', '节点上的 sshd 禁止 TCP 转发（AllowTcpForwarding no），应用无法从该节点测量。请为该用户开启，或手工检查。') };
  return { fix: L(`Nothing listens at ${endpoint}: is ${service === 'redis' ? 'Redis' : 'the database'} running, and is the port in the profile right?`, `${endpoint} 上没有服务在监听：${service === 'redis' ? 'Redis' : '数据库'}是否在运行？配置中的端口是否正确？`) };
}

const COMPONENT_FIX: Record<string, { fix: Localized; refs?: string[] }> = {
  redis: {
    fix: L(
      'Harbor cannot use Redis. Check external_redis in harbor.yml (host:port, password; an Aliyun custom account signs in with "account:password"), and the Redis whitelist. After changing it: ./prepare and restart on every node.',
      'Harbor 无法使用 Redis。请检查 harbor.yml 中的 external_redis（host:port、密码；阿里云自定义账号用“账号:密码”登录）以及 Redis 白名单。修改后在每个节点执行 ./prepare 并重启。',
    ),
    refs: ['goharbor/harbor#19979'],
  },
  database: {
    fix: L(
      'Harbor cannot use its database. Check external_database in harbor.yml, that the database exists (Harbor does not create it) and is owned by the Harbor user, and the RDS whitelist. Start node 1 first: it migrates the schema under a lock.',
      'Harbor 无法使用数据库。请检查 harbor.yml 中的 external_database、数据库是否已预先创建（Harbor 不会创建）且属于 Harbor 用户，以及 RDS 白名单。请先启动节点 1：它会在锁内迁移表结构。',
    ),
  },
  registry: {
    fix: L(
      'The registry cannot use its storage. Check storage_service.oss (region, bucket, internal: true, AccessKey) and redirect.disable: true; the bucket must exist.',
      'registry 无法使用存储。请检查 storage_service.oss（地域、Bucket、internal: true、AccessKey）以及 redirect.disable: true；Bucket 必须已存在。',
    ),
    refs: ['goharbor/harbor#13936'],
  },
  jobservice: {
    fix: L('The job service is down; it needs Redis. See docker logs harbor-jobservice, then docker restart harbor-jobservice.', '任务服务不可用（依赖 Redis）。请查看 docker logs harbor-jobservice，然后执行 docker restart harbor-jobservice。'),
  },
  'adminserver (systeminfo)': {
    fix: L(
      'Harbor 1.5 keeps its configuration in the MySQL database "registry": import ha/registry.sql once (never again on a live install: it drops the database), check the MySQL account in harbor.cfg and the RDS whitelist.',
      'Harbor 1.5 的配置保存在 MySQL 的 registry 数据库中：请导入一次 ha/registry.sql（已在使用的集群切勿再次导入：它会删除数据库），并检查 harbor.cfg 中的 MySQL 账号与 RDS 白名单。',
    ),
  },
};

const DEFAULT_COMPONENT_FIX = L('See docker logs of that container on the node, then docker restart it.', '请在节点上查看该容器的 docker logs，然后 docker restart 它。');

export function findProblems(input: ProblemInput): TopologyProblem[] {
  const { graph, nodes, lb } = input;
  const out: TopologyProblem[] = [];
  const reachable = nodes.filter((n) => n.ssh.status === 'ok');

  // Nodes the app cannot reach, one problem per cause.
  const unreachable = new Map<string, NodeHealth[]>();
  for (const n of nodes.filter((x) => x.ssh.status === 'fail')) {
    const code = input.sshCodes.get(n.nodeId) ?? 'other';
    unreachable.set(code, [...(unreachable.get(code) ?? []), n]);
  }
  for (const [code, list] of unreachable) {
    const ids = list.map((n) => n.nodeId);
    const who = names(graph, ids);
    out.push({
      id: `ssh:${code}`,
      severity: 'error',
      subject: { kind: 'node', id: ids[0]! },
      nodes: ids,
      title: list.length === 1 && list[0]!.ssh.error ? list[0]!.ssh.error : L(`${who} cannot be reached over SSH (${code})`, `无法通过 SSH 连接 ${who}（${code}）`),
      fix: sshFix(code),
    });
  }

  // Services some nodes cannot reach.
  for (const s of graph.services) {
    const failing = reachable.filter((n) => n.reach[s.id]?.status === 'fail');
    if (!failing.length) continue;
    const kinds = new Set(failing.map((n) => n.reach[s.id]?.detail ?? 'other'));
    const { fix, refs } = reachFix(s.id, graph, kinds, failing.map((n) => n.nodeId));
    const all = failing.length === reachable.length;
    const who = names(graph, failing.map((n) => n.nodeId));
    out.push({
      id: `reach:${s.id}`,
      severity: 'error',
      subject: { kind: 'service', id: s.id },
      nodes: failing.map((n) => n.nodeId),
      title: all
        ? L(`No node reaches ${SERVICE_NAME[s.id].en} at ${s.endpoint}`, `所有节点都无法访问${SERVICE_NAME[s.id]['zh-CN']}（${s.endpoint}）`)
        : L(`${who} cannot reach ${SERVICE_NAME[s.id].en} at ${s.endpoint}`, `${who} 无法访问${SERVICE_NAME[s.id]['zh-CN']}（${s.endpoint}）`),
      fix,
      ...(refs ? { refs } : {}),
    });
  }

  // Harbor itself, per node.
  const byComponent = new Map<string, string[]>();
  const notAnswering: string[] = [];
  const nameMismatch: string[] = [];
  for (const n of reachable) {
    if (n.harbor.status === 'fail' && !n.harbor.components) notAnswering.push(n.nodeId);
    for (const c of n.harbor.components ?? []) {
      if (c.status !== 'healthy') byComponent.set(c.name, [...(byComponent.get(c.name) ?? []), n.nodeId]);
    }
    if (n.harbor.status === 'warn' && n.harbor.detail?.startsWith('registry_url')) nameMismatch.push(n.nodeId);
  }
  if (notAnswering.length) {
    const proxyDown = notAnswering.some((id) => nodes.find((n) => n.nodeId === id)?.containers.list?.some((c) => c.name === 'nginx' && c.state !== 'running'));
    out.push({
      id: 'harbor:down',
      severity: 'error',
      subject: { kind: 'node', id: notAnswering[0]! },
      nodes: notAnswering,
      title: L(`Harbor does not answer on ${names(graph, notAnswering)}`, `${names(graph, notAnswering)} 上的 Harbor 无响应`),
      fix: proxyDown
        ? L('The proxy (nginx) container is not running: in the Harbor folder run docker compose up -d (1.x: docker-compose up -d), then check docker logs nginx.', '代理（nginx）容器未运行：请在 Harbor 目录中执行 docker compose up -d（1.x 为 docker-compose up -d），然后查看 docker logs nginx。')
        : L('Harbor is not installed or not started on these nodes: run the walkthrough, or docker compose up -d in the Harbor folder.', '这些节点上未安装或未启动 Harbor：请运行部署向导，或在 Harbor 目录中执行 docker compose up -d。'),
    });
  }
  for (const [component, ids] of byComponent) {
    const known = COMPONENT_FIX[component];
    out.push({
      id: `component:${component}`,
      severity: 'error',
      subject: component === 'redis' ? { kind: 'service', id: 'redis' } : component === 'database' ? { kind: 'service', id: 'database' } : component === 'registry' ? { kind: 'service', id: 'oss' } : { kind: 'node', id: ids[0]! },
      nodes: ids,
      title: L(`Harbor reports ${component} unhealthy on ${names(graph, ids)}`, `${names(graph, ids)} 上的 Harbor 报告 ${component} 不健康`),
      fix: known?.fix ?? DEFAULT_COMPONENT_FIX,
      ...(known?.refs ? { refs: known.refs } : {}),
    });
  }
  if (nameMismatch.length) {
    out.push({
      id: 'harbor:hostname',
      severity: 'warning',
      subject: { kind: 'node', id: nameMismatch[0]! },
      nodes: nameMismatch,
      title: L(`Harbor's hostname on ${names(graph, nameMismatch)} is not ${graph.domain}`, `${names(graph, nameMismatch)} 上 Harbor 的 hostname 不是 ${graph.domain}`),
      fix: L('hostname must be exactly what clients type, port included; otherwise login works but push fails with "unauthorized". Fix hostname in harbor.cfg, then prepare and restart.', 'hostname 必须与客户端输入的完全一致（包括端口），否则登录成功但推送报 unauthorized。请修改 harbor.cfg 中的 hostname，然后 prepare 并重启。'),
      refs: ['goharbor/harbor#2457'],
    });
  }

  // Containers that are down although Harbor answers, and local database/Redis containers.
  const containersDown = reachable.filter((n) => n.containers.status === 'fail' && n.harbor.status !== 'fail' && n.containers.list);
  if (containersDown.length) {
    out.push({
      id: 'containers:down',
      severity: 'error',
      subject: { kind: 'node', id: containersDown[0]!.nodeId },
      nodes: containersDown.map((n) => n.nodeId),
      title: containersDown[0]!.containers.error ?? L('Harbor containers are not running', 'Harbor 容器未运行'),
      fix: L('See docker logs <container> on the node; docker compose up -d in the Harbor folder starts what is missing (1.x: docker-compose up -d).', '请在节点上查看 docker logs <容器名>；在 Harbor 目录中执行 docker compose up -d 可启动缺失的容器（1.x 为 docker-compose up -d）。'),
    });
  }
  const dockerFailed = reachable.filter((n) => n.containers.status === 'fail' && !n.containers.list);
  if (dockerFailed.length) {
    out.push({
      id: 'containers:docker',
      severity: 'error',
      subject: { kind: 'node', id: dockerFailed[0]!.nodeId },
      nodes: dockerFailed.map((n) => n.nodeId),
      title: L(`docker ps fails on ${names(graph, dockerFailed.map((n) => n.nodeId))}`, `${names(graph, dockerFailed.map((n) => n.nodeId))} 上 docker ps 执行失败`),
      fix: L('Start the Docker daemon (systemctl start docker); a user other than root needs to be in the docker group.', '请启动 Docker 守护进程（systemctl start docker）；非 root 用户需要加入 docker 组。'),
    });
  }
  const local = reachable.filter((n) => n.containers.status === 'warn');
  if (local.length) {
    out.push({
      id: 'containers:local-state',
      severity: 'warning',
      subject: { kind: 'node', id: local[0]!.nodeId },
      nodes: local.map((n) => n.nodeId),
      title: L(`${names(graph, local.map((n) => n.nodeId))} run their own database or Redis container`, `${names(graph, local.map((n) => n.nodeId))} 运行着自己的数据库或 Redis 容器`),
      fix: L('Each node then has its own sessions, job queue and data. Set external_database and external_redis (1.x: db_host, redis_url) to the shared services and reinstall.', '这样每个节点都有各自的会话、任务队列和数据。请把 external_database 与 external_redis（1.x 为 db_host、redis_url）指向共享服务后重新安装。'),
    });
  }

  // Free space.
  const disks = reachable.filter((n) => n.disks.status === 'warn' || n.disks.status === 'fail');
  if (disks.length) {
    out.push({
      id: 'disk',
      severity: disks.some((n) => n.disks.status === 'fail') ? 'error' : 'warning',
      subject: { kind: 'node', id: disks[0]!.nodeId },
      nodes: disks.map((n) => n.nodeId),
      title: L(`Little free space on ${names(graph, disks.map((n) => n.nodeId))}`, `${names(graph, disks.map((n) => n.nodeId))} 磁盘剩余空间不足`),
      fix: L(
        `With OSS as the image store, ${input.dataVolume} holds job logs, secrets and the image bundle: remove old ${input.dataVolume}/job_logs and installer files; /var/log/harbor is rotated by the log container (check its logrotate.conf).`,
        `镜像存储在 OSS 时，${input.dataVolume} 中主要是任务日志、密钥和镜像包：请清理旧的 ${input.dataVolume}/job_logs 与安装包；/var/log/harbor 由 log 容器轮转（检查其 logrotate.conf）。`,
      ),
    });
  }

  // Clocks.
  const skewed = reachable.filter((n) => n.clock.status === 'warn' || n.clock.status === 'fail');
  if (skewed.length) {
    out.push({
      id: 'clock',
      severity: 'warning',
      subject: { kind: 'node', id: skewed[0]!.nodeId },
      nodes: skewed.map((n) => n.nodeId),
      title: L(`Clock off on ${names(graph, skewed.map((n) => n.nodeId))}`, `${names(graph, skewed.map((n) => n.nodeId))} 时钟不准`),
      fix: L('Keep every node on NTP (chronyd): tokens and the UI’s CSRF check fail when requests hop between nodes whose clocks differ.', '请让所有节点使用 NTP（chronyd）同步时钟：节点间时钟不一致时，请求在节点间切换会导致令牌与界面的 CSRF 校验失败。'),
      refs: ['goharbor/harbor#21060'],
    });
  }

  // Key material that must be identical on every node.
  const byPath = new Map<string, Map<string, string[]>>();
  for (const [nodeId, list] of input.keys) {
    if (!reachable.some((n) => n.nodeId === nodeId)) continue;
    for (const k of list) {
      if (!k.digest) continue;
      const m = byPath.get(k.path) ?? new Map<string, string[]>();
      m.set(k.digest, [...(m.get(k.digest) ?? []), nodeId]);
      byPath.set(k.path, m);
    }
  }
  const differing = [...byPath].filter(([, m]) => m.size > 1);
  if (differing.length) {
    const files = differing.map(([p]) => p).join(', ');
    const odd = differing.flatMap(([, m]) => outliers(m, graph));
    out.push({
      id: 'keys:differ',
      severity: 'error',
      subject: { kind: 'cluster' },
      nodes: [...new Set(odd)],
      title: L(`Shared key files differ between nodes: ${files}`, `各节点的共享密钥文件不一致：${files}`),
      fix:
        graph.generation === 'v2'
          ? L(`Login works but push fails with "unauthorized" when a token signed on one node is checked on another. Copy node 1's ${input.dataVolume}/secret/keys/secretkey, secret/core/private_key.pem and secret/registry/root.crt to the others and restart Harbor there.`, `在一个节点签发的令牌到另一个节点校验时，会出现登录成功但推送报 unauthorized。请把节点 1 的 ${input.dataVolume}/secret/keys/secretkey、secret/core/private_key.pem、secret/registry/root.crt 复制到其他节点并重启 Harbor。`)
          : L(`Each node must use node 1's key material: copy node 1's ha/ folder (private_key.pem, root.crt, secretkey) to the others, run ./prepare --ha there and restart; ${input.dataVolume}/secretkey must match too.`, `每个节点都必须使用节点 1 的密钥材料：请把节点 1 的 ha/ 目录（private_key.pem、root.crt、secretkey）复制到其他节点，在那里执行 ./prepare --ha 并重启；${input.dataVolume}/secretkey 也必须一致。`),
      refs: ['goharbor/harbor#20865'],
    });
  }

  // 2.x: one CSRF_KEY on every core, or the UI's login hops nodes into "CSRF token invalid".
  const csrfGroups = new Map<string, string[]>();
  for (const [nodeId, c] of input.csrf ?? []) {
    if (c.digest && reachable.some((n) => n.nodeId === nodeId)) csrfGroups.set(c.digest, [...(csrfGroups.get(c.digest) ?? []), nodeId]);
  }
  if (csrfGroups.size > 1) {
    const odd = outliers(csrfGroups, graph);
    out.push({
      id: 'csrf:differ',
      severity: 'error',
      subject: { kind: 'cluster' },
      nodes: odd,
      title: L(`CSRF_KEY differs between nodes: ${names(graph, odd)}`, `各节点的 CSRF_KEY 不一致：${names(graph, odd)}`),
      fix: L(
        `prepare writes a new random CSRF_KEY into ${CORE_ENV} on every install or reconfigure, so a login page served by one node is refused with 403 "CSRF token invalid" when the form lands on another. Put node 1's CSRF_KEY line into ${CORE_ENV} on the other nodes and recreate core there with "docker compose up -d core" (a restart keeps the old environment); rerunning the deployment does this in its CSRF step. Keep the clocks in sync too.`,
        `prepare 每次安装或重新配置都会在 ${CORE_ENV} 中写入新的随机 CSRF_KEY，因此一个节点提供的登录页提交到另一个节点时会被拒绝（403 "CSRF token invalid"）。请把节点 1 的 CSRF_KEY 行写入其他节点的 ${CORE_ENV}，并在那里用 "docker compose up -d core" 重建 core（restart 会保留旧的环境变量）；重新运行部署会在其 CSRF 步骤中完成这些操作。同时请保持时钟同步。`,
      ),
      refs: ['goharbor/harbor#21060'],
    });
  }

  // TLS certificates: what docker clients will refuse, and nodes that disagree.
  const tlsEndsOnNodes = graph.protocol === 'https' && input.nodes.some((n) => n.certificate);
  const where = tlsEndsOnNodes
    ? L('in the profile (Access → certificate and key) and rerun the deployment, which writes them to every node and restarts Harbor’s proxy', '写入配置（访问 → 证书与私钥）并重新运行部署，部署会把它们写到每个节点并重启 Harbor 的代理')
    : L(`on ${graph.lb.title}’s HTTPS listener (and in the profile, so the app pins it)`, `到 ${graph.lb.title} 的 HTTPS 监听上（并写入配置，以便应用固定它）`);
  const certs: { nodeId?: string; check: CertificateCheck }[] = [
    ...(lb.certificate ? [{ check: lb.certificate }] : []),
    ...reachable.filter((n) => n.certificate).map((n) => ({ nodeId: n.nodeId, check: n.certificate! })),
  ];
  const domain = graph.domain.replace(/:\d+$/, '');
  const TLS_FIX: Record<NonNullable<CertificateCheck['reason']>, Localized> = {
    expired: L(`Docker refuses it ("x509: certificate has expired"). Renew the certificate and install it ${where.en}.`, `Docker 会拒绝该证书（“x509: certificate has expired”）。请续期证书并安装${where['zh-CN']}。`),
    not_yet_valid: L('Its validity starts in the future: check the clocks of this computer and the nodes (NTP) and the certificate’s start date.', '证书的生效时间在未来：请检查本机与各节点的时钟（NTP）以及证书的起始日期。'),
    name: L(`Issue a certificate whose subjectAltName includes ${domain} (docker checks the SAN, not the CN) and install it ${where.en}.`, `请签发 subjectAltName 包含 ${domain} 的证书（docker 校验 SAN，而非 CN），并安装${where['zh-CN']}。`),
    untrusted: L(`Clients fail with "x509: certificate signed by unknown authority". Use a certificate from a public CA, or give every docker client the CA in /etc/docker/certs.d/${domain}/ca.crt; pin the certificate in the profile (Access → certificate) so the app knows it.`, `客户端会报“x509: certificate signed by unknown authority”。请使用公共 CA 签发的证书，或在每个 docker 客户端放置 /etc/docker/certs.d/${domain}/ca.crt；并在配置中固定该证书（访问 → 证书），让应用识别它。`),
    expiring: L(`Renew it before it expires and install it ${where.en}.`, `请在过期前续期并安装${where['zh-CN']}。`),
  };
  for (const reason of ['expired', 'not_yet_valid', 'name', 'untrusted', 'expiring'] as const) {
    const hit = certs.filter((c) => c.check.reason === reason);
    if (!hit.length) continue;
    const first = hit[0]!.check.error ?? L(reason, reason);
    const more = hit.length - 1;
    out.push({
      id: `tls:${reason}`,
      severity: reason === 'expiring' ? 'warning' : 'error',
      subject: hit[0]!.nodeId ? { kind: 'node', id: hit[0]!.nodeId } : { kind: 'lb' },
      nodes: hit.flatMap((c) => (c.nodeId ? [c.nodeId] : [])),
      title: more ? L(`${first.en} (and ${more} more)`, `${first['zh-CN']}（另有 ${more} 处）`) : first,
      fix: TLS_FIX[reason],
    });
  }
  const byPrint = new Map<string, string[]>();
  for (const c of certs) if (c.nodeId && c.check.fingerprint) byPrint.set(c.check.fingerprint, [...(byPrint.get(c.check.fingerprint) ?? []), c.nodeId]);
  if (byPrint.size > 1) {
    const odd = outliers(byPrint, graph);
    out.push({
      id: 'tls:differ',
      severity: 'error',
      subject: { kind: 'cluster' },
      nodes: odd,
      title: L(`${names(graph, odd)} present${odd.length === 1 ? 's' : ''} a different certificate than the other nodes`, `${names(graph, odd)} 提供的证书与其他节点不同`),
      fix: L(`Clients get one certificate or the other depending on the node the load balancer picks. Put the certificate and key ${where.en}.`, `客户端会因负载均衡选择的节点不同而得到不同的证书。请把证书与私钥${where['zh-CN']}。`),
    });
  }

  // The load balancer.
  const healthyNodes = reachable.filter((n) => n.harbor.status === 'ok');
  if (lb.harbor.status === 'fail' && healthyNodes.length && lb.harbor.detail !== 'unhealthy') {
    out.push({
      id: 'lb:down',
      severity: 'error',
      subject: { kind: 'lb' },
      nodes: [],
      title: L(`Harbor answers on the nodes but not through ${graph.lb.title}`, `Harbor 在节点上有响应，但通过 ${graph.lb.title} 无法访问`),
      fix: L(
        'Check the listeners (80/443 → the nodes’ 80/443), that the nodes are its backends, and its health check: HTTP GET on /api/ping (1.x) or /api/v2.0/ping (2.x), http_2xx; allow 100.64.0.0/10 in the security group. From a node itself a layer-4 SLB hairpins unless NAT rules exist.',
        '请检查监听（80/443 → 节点的 80/443）、后端服务器是否为这些节点，以及健康检查：HTTP GET /api/ping（1.x）或 /api/v2.0/ping（2.x），http_2xx；安全组放行 100.64.0.0/10。四层 SLB 从节点自身访问会因回环而失败，除非配置了 NAT 规则。',
      ),
    });
  } else if (lb.harbor.status === 'ok' && reachable.some((n) => n.harbor.status === 'fail')) {
    const bad = reachable.filter((n) => n.harbor.status === 'fail').map((n) => n.nodeId);
    out.push({
      id: 'lb:partial',
      severity: 'warning',
      subject: { kind: 'lb' },
      nodes: bad,
      title: L(`${graph.lb.title} answers, but ${names(graph, bad)} is not healthy`, `${graph.lb.title} 有响应，但 ${names(graph, bad)} 不健康`),
      fix: L('Make sure the load balancer’s health check takes unhealthy nodes out (HTTP GET on the ping path; HEAD may get 405), or remove them from its backends until fixed.', '请确认负载均衡的健康检查会摘除不健康的节点（对 ping 路径使用 HTTP GET；HEAD 可能返回 405），或在修复前将其移出后端。'),
    });
  }

  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
