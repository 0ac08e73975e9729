/** What `docker ps` on each node shows: Harbor's containers down, Docker itself failing, a database or Redis of the node's own. */
import { L } from '../checks';
import { names, onNodes, type Rule } from './sweep';

/**
 * Harbor containers down (missing, exited, restarting, unhealthy) on nodes where Harbor still answers: a partly
 * running node serves some requests and fails others. Where Harbor does not answer, harborDown says it.
 */
export const containersDown: Rule = ({ reachable }) => {
  const down = reachable.filter((n) => n.containers.status === 'fail' && n.harbor.status !== 'fail' && n.containers.list);
  return onNodes(
    down.map((n) => n.nodeId),
    () => ({
      id: 'containers:down',
      severity: 'error',
      // The first node's containers check names the containers.
      title: down[0]!.containers.error ?? L('Harbor containers are not running', 'Harbor 容器未运行'),
      fix: L(
        'See docker logs <container> on the node; docker compose up -d in the Harbor folder starts what is missing (1.x: docker-compose up -d).',
        '请在节点上查看 docker logs <容器名>；在 Harbor 目录中执行 docker compose up -d 可启动缺失的容器（1.x 为 docker-compose up -d）。',
      ),
    }),
  );
};

/** Nodes where `docker ps` itself fails (no list of containers): the daemon is down or the user may not use it. */
export const dockerFails: Rule = ({ graph, reachable }) =>
  onNodes(
    reachable.filter((n) => n.containers.status === 'fail' && !n.containers.list).map((n) => n.nodeId),
    (ids) => ({
      id: 'containers:docker',
      severity: 'error',
      title: L(`docker ps fails on ${names(graph, ids)}`, `${names(graph, ids)} 上 docker ps 执行失败`),
      fix: L(
        'Start the Docker daemon (systemctl start docker); a user other than root needs to be in the docker group.',
        '请启动 Docker 守护进程（systemctl start docker）；非 root 用户需要加入 docker 组。',
      ),
    }),
  );

/**
 * Nodes running their own database or Redis container (harbor-db, redis, clair-db): Harbor installed without
 * external_database / external_redis keeps sessions, the job queue and data per node (harbor-facts §7, "Session loss").
 */
export const localState: Rule = ({ graph, reachable }) =>
  onNodes(
    reachable.filter((n) => n.containers.status === 'warn').map((n) => n.nodeId),
    (ids) => ({
      id: 'containers:local-state',
      severity: 'warning',
      title: L(`${names(graph, ids)} run their own database or Redis container`, `${names(graph, ids)} 运行着自己的数据库或 Redis 容器`),
      fix: L(
        'Each node then has its own sessions, job queue and data. Set external_database and external_redis (1.x: db_host, redis_url) to the shared services and reinstall.',
        '这样每个节点都有各自的会话、任务队列和数据。请把 external_database 与 external_redis（1.x 为 db_host、redis_url）指向共享服务后重新安装。',
      ),
    }),
  );
