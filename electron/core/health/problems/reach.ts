/** What cannot be reached: nodes the app cannot sign in to, and services nodes cannot connect to. */
import type { NodeHealth, ServiceId, TopologyGraph, TopologyProblem } from '../../../../shared/api/contracts/topology';
import type { Localized } from '../../../../shared/i18n/localized';
import { L } from '../checks';
import { addresses, group, names, type Rule } from './sweep';

const SERVICE_NAME: Record<ServiceId, Localized> = {
  database: L('the database', '数据库'),
  clair: L('the Clair database', 'Clair 数据库'),
  redis: L('Redis', 'Redis'),
  oss: L('OSS', 'OSS'),
};

function sshFix(code: string | undefined): Localized {
  switch (code) {
    case 'refused':
      return L(
        'sshd is not accepting connections. Start it from the cloud console (VNC): systemctl start sshd; check the port in the profile.',
        'sshd 未接受连接。请通过云控制台（VNC）登录并执行 systemctl start sshd；并检查配置中的端口。',
      );
    case 'timeout':
    case 'unreachable':
      return L(
        'The node does not answer on its SSH port. Check that it is running, the security group / firewall allows port 22 from this computer, and any jump host.',
        '节点的 SSH 端口无响应。请确认节点在运行、安全组/防火墙允许本机访问 22 端口，并检查跳板机。',
      );
    case 'auth':
      return L('Fix the user, password or key of this node in the profile.', '请在集群配置中修正该节点的用户名、密码或密钥。');
    case 'host_key_unknown':
      return L(
        'Compare and trust the host key first: Profiles → the node → Test connection (or open its terminal).',
        '请先核对并信任主机密钥：集群配置 → 该节点 → 测试连接（或打开其终端）。',
      );
    case 'host_key_changed':
    case 'host_key_revoked':
    case 'host_key_profile_mismatch':
      return L(
        'The host key is not the one recorded. Find out why (reinstalled server, or interception) before removing the old key.',
        '主机密钥与记录不符。删除旧记录之前请先查明原因（服务器重装或被拦截）。',
      );
    case 'dns':
      return L(
        'The node’s host name does not resolve on this computer: use its IP address in the profile.',
        '本机无法解析该节点的主机名：请在集群配置中改用 IP 地址。',
      );
    default:
      return L(
        'Open the node’s terminal or test the connection in Profiles to see the cause.',
        '请打开该节点的终端，或在集群配置中测试连接以查看原因。',
      );
  }
}

/**
 * Nodes the app cannot sign in to, one problem per cause (the SshError code): nothing else about them can be
 * measured, and each cause has its own fix (start sshd, open the security group, trust the host key…).
 */
export const unreachableNodes: Rule = ({ graph, nodes, sshCodes }) => {
  const byCode = new Map<string, NodeHealth[]>();
  for (const n of nodes.filter((x) => x.ssh.status === 'fail')) group(byCode, sshCodes.get(n.nodeId) ?? 'other', n);
  return [...byCode].map(([code, list]): TopologyProblem => {
    const ids = list.map((n) => n.nodeId);
    const who = names(graph, ids);
    return {
      id: `ssh:${code}`,
      severity: 'error',
      subject: { kind: 'node', id: ids[0]! },
      nodes: ids,
      // One node: its own SSH error says it best.
      title:
        list.length === 1 && list[0]!.ssh.error
          ? list[0]!.ssh.error
          : L(`${who} cannot be reached over SSH (${code})`, `无法通过 SSH 连接 ${who}（${code}）`),
      fix: sshFix(code),
    };
  });
};

/** The fix for nodes that cannot reach `service`, from how their connections failed (`kinds`: the reach checks' details). */
function reachFix(
  service: ServiceId,
  graph: TopologyGraph,
  kinds: Set<string>,
  ids: readonly string[],
): { fix: Localized; refs?: string[] } {
  const ips = addresses(graph, ids);
  const endpoint = graph.services.find((s) => s.id === service)?.endpoint ?? '';
  if (kinds.has('protocol')) {
    if (service === 'redis')
      return {
        fix: L(
          `Redis answered with an error (see details). On Aliyun, "illegal address" means the node is not in the instance's whitelist: add ${ips}.`,
          `Redis 返回了错误（见详情）。在阿里云上，“illegal address”表示节点不在实例白名单中：请添加 ${ips}。`,
        ),
      };
    if (service === 'database' && graph.services.find((s) => s.id === 'database')?.kind === 'mysql') {
      return {
        fix: L(
          `MySQL refuses connections from these nodes' addresses: allow them for the Harbor account (GRANT … TO 'user'@'%' or the addresses) and add ${ips} to the RDS whitelist.`,
          `MySQL 拒绝来自这些节点地址的连接：请为 Harbor 账号授权这些地址（GRANT … TO 'user'@'%' 或具体地址），并把 ${ips} 加入 RDS 白名单。`,
        ),
      };
    }
    return {
      fix: L(
        `Something answers at ${endpoint}, but it is not ${service === 'oss' ? 'OSS' : 'the expected service'}: check host and port in the profile.`,
        `${endpoint} 有应答，但不是预期的服务：请检查集群配置中的地址与端口。`,
      ),
    };
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
  if (kinds.has('dns'))
    return {
      fix: L(
        `The nodes cannot resolve the host of ${endpoint}: use the instance's internal (VPC) address, or fix the nodes' DNS.`,
        `节点无法解析 ${endpoint} 的主机名：请使用实例的内网（VPC）地址，或修正节点的 DNS。`,
      ),
    };
  if (kinds.has('prohibited'))
    return {
      fix: L(
        'sshd on the node forbids TCP forwarding (AllowTcpForwarding no), so the app cannot measure from there. Allow it for this user, or check by hand.',
        '节点上的 sshd 禁止 TCP 转发（AllowTcpForwarding no），应用无法从该节点测量。请为该用户开启，或手工检查。',
      ),
    };
  return {
    fix: L(
      `Nothing listens at ${endpoint}: is ${service === 'redis' ? 'Redis' : 'the database'} running, and is the port in the profile right?`,
      `${endpoint} 上没有服务在监听：${service === 'redis' ? 'Redis' : '数据库'}是否在运行？配置中的端口是否正确？`,
    ),
  };
}

/**
 * Services some or all nodes cannot connect to, measured from the nodes themselves: whitelists, private addresses and
 * DNS are the nodes' own (harbor-facts §6), so the fix names the nodes' addresses to add (RDS, Redis) or the OSS
 * internal endpoint and redirect (goharbor/harbor#13936, #9702).
 */
export const unreachableServices: Rule = ({ graph, reachable }) =>
  graph.services.flatMap((s): TopologyProblem[] => {
    const failing = reachable.filter((n) => n.reach[s.id]?.status === 'fail');
    if (!failing.length) return [];
    const ids = failing.map((n) => n.nodeId);
    const kinds = new Set(failing.map((n) => n.reach[s.id]?.detail ?? 'other'));
    const { fix, refs } = reachFix(s.id, graph, kinds, ids);
    const who = names(graph, ids);
    return [
      {
        id: `reach:${s.id}`,
        severity: 'error',
        subject: { kind: 'service', id: s.id },
        nodes: ids,
        title:
          failing.length === reachable.length
            ? L(
                `No node reaches ${SERVICE_NAME[s.id].en} at ${s.endpoint}`,
                `所有节点都无法访问${SERVICE_NAME[s.id]['zh-CN']}（${s.endpoint}）`,
              )
            : L(
                `${who} cannot reach ${SERVICE_NAME[s.id].en} at ${s.endpoint}`,
                `${who} 无法访问${SERVICE_NAME[s.id]['zh-CN']}（${s.endpoint}）`,
              ),
        fix,
        ...(refs ? { refs } : {}),
      },
    ];
  });
