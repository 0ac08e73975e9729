/** What Harbor on each node says about itself: not answering, components unhealthy, another hostname. */
import type { Localized } from '../../../../shared/i18n/localized';
import type { TopologyProblem } from '../../../../shared/api/contracts/topology';
import { L } from '../checks';
import { group, names, onNodes, type Rule } from './sweep';

/**
 * Nodes where Harbor does not answer at all (no health answer, so no components): the proxy container down, or
 * Harbor not installed or started there.
 */
export const harborDown: Rule = ({ graph, kind, reachable }) =>
  onNodes(
    reachable.filter((n) => n.harbor.status === 'fail' && !n.harbor.components).map((n) => n.nodeId),
    (ids) => {
      // Every request goes through the proxy: when it is down the others may well be running.
      const proxyDown = reachable.some(
        (n) => ids.includes(n.nodeId) && n.containers.list?.some((c) => c.name === kind.proxyContainer && c.state !== 'running'),
      );
      return {
        id: 'harbor:down',
        severity: 'error',
        title: L(`Harbor does not answer on ${names(graph, ids)}`, `${names(graph, ids)} 上的 Harbor 无响应`),
        fix: proxyDown
          ? L(
              'The proxy (nginx) container is not running: in the Harbor folder run docker compose up -d (1.x: docker-compose up -d), then check docker logs nginx.',
              '代理（nginx）容器未运行：请在 Harbor 目录中执行 docker compose up -d（1.x 为 docker-compose up -d），然后查看 docker logs nginx。',
            )
          : L(
              'Harbor is not installed or not started on these nodes: run the walkthrough, or docker compose up -d in the Harbor folder.',
              '这些节点上未安装或未启动 Harbor：请运行部署向导，或在 Harbor 目录中执行 docker compose up -d。',
            ),
      };
    },
  );

/** Harbor's components and what each needs (harbor-facts §7: external_redis, external_database, storage; 1.5's registry database). */
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
    fix: L(
      'The job service is down; it needs Redis. See docker logs harbor-jobservice, then docker restart harbor-jobservice.',
      '任务服务不可用（依赖 Redis）。请查看 docker logs harbor-jobservice，然后执行 docker restart harbor-jobservice。',
    ),
  },
  'adminserver (systeminfo)': {
    fix: L(
      'Harbor 1.5 keeps its configuration in the MySQL database "registry": import ha/registry.sql once (never again on a live install: it drops the database), check the MySQL account in harbor.cfg and the RDS whitelist.',
      'Harbor 1.5 的配置保存在 MySQL 的 registry 数据库中：请导入一次 ha/registry.sql（已在使用的集群切勿再次导入：它会删除数据库），并检查 harbor.cfg 中的 MySQL 账号与 RDS 白名单。',
    ),
  },
};

const DEFAULT_COMPONENT_FIX = L(
  'See docker logs of that container on the node, then docker restart it.',
  '请在节点上查看该容器的 docker logs，然后 docker restart 它。',
);

/**
 * Components Harbor itself reports unhealthy, one problem per component across nodes: Harbor's own health is the
 * only place its use of Redis, the database and storage shows (its status is HTTP 200 either way, harbor-facts §4.6).
 */
export const unhealthyComponents: Rule = ({ graph, kind, reachable }) => {
  const byComponent = new Map<string, string[]>();
  for (const n of reachable) for (const c of n.harbor.components ?? []) if (c.status !== 'healthy') group(byComponent, c.name, n.nodeId);
  return [...byComponent].map(([component, ids]): TopologyProblem => {
    const known = COMPONENT_FIX[component];
    // A component that stands for a shared service: the page marks that service rather than the node.
    const service = kind.componentService(component);
    return {
      id: `component:${component}`,
      severity: 'error',
      subject: service ? { kind: 'service', id: service } : { kind: 'node', id: ids[0]! },
      nodes: ids,
      title: L(
        `Harbor reports ${component} unhealthy on ${names(graph, ids)}`,
        `${names(graph, ids)} 上的 Harbor 报告 ${component} 不健康`,
      ),
      fix: known?.fix ?? DEFAULT_COMPONENT_FIX,
      ...(known?.refs ? { refs: known.refs } : {}),
    };
  });
};

/**
 * 1.x nodes whose Harbor calls itself by another name than the one clients type (systeminfo's registry_url): login
 * works but push fails with "unauthorized", since credentials and the token realm are keyed by the exact host[:port]
 * (harbor-facts §7, goharbor/harbor#2457).
 */
export const otherHostname: Rule = ({ graph, reachable }) =>
  onNodes(
    reachable.filter((n) => n.harbor.status === 'warn' && n.harbor.detail?.startsWith('registry_url')).map((n) => n.nodeId),
    (ids) => ({
      id: 'harbor:hostname',
      severity: 'warning',
      title: L(
        `Harbor's hostname on ${names(graph, ids)} is not ${graph.domain}`,
        `${names(graph, ids)} 上 Harbor 的 hostname 不是 ${graph.domain}`,
      ),
      fix: L(
        'hostname must be exactly what clients type, port included; otherwise login works but push fails with "unauthorized". Fix hostname in harbor.cfg, then prepare and restart.',
        'hostname 必须与客户端输入的完全一致（包括端口），否则登录成功但推送报 unauthorized。请修改 harbor.cfg 中的 hostname，然后 prepare 并重启。',
      ),
      refs: ['goharbor/harbor#2457'],
    }),
  );
