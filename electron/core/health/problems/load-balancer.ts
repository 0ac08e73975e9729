/** The load balancer, judged against the nodes behind it. */
import { L } from '../checks';
import { names, type Rule } from './sweep';

/**
 * Harbor answers on nodes but not through the load balancer: the fault is the LB's (listeners, backends, its health
 * check: GET on the ping path, probes from 100.64.0.0/10; a layer-4 SLB hairpins from the nodes themselves; harbor-facts
 * §6, "Things the app must get right" 10–11). Not when the LB passes Harbor's own "unhealthy" on: that is Harbor's.
 */
export const lbDown: Rule = ({ graph, lb, reachable }) => {
  if (lb.harbor.status !== 'fail' || lb.harbor.detail === 'unhealthy' || !reachable.some((n) => n.harbor.status === 'ok')) return [];
  return [
    {
      id: 'lb:down',
      severity: 'error',
      subject: { kind: 'lb' },
      nodes: [],
      title: L(`Harbor answers on the nodes but not through ${graph.lb.title}`, `Harbor 在节点上有响应，但通过 ${graph.lb.title} 无法访问`),
      fix: L(
        'Check the listeners (80/443 → the nodes’ 80/443), that the nodes are its backends, and its health check: HTTP GET on /api/ping (1.x) or /api/v2.0/ping (2.x), http_2xx; allow 100.64.0.0/10 in the security group. From a node itself a layer-4 SLB hairpins unless NAT rules exist.',
        '请检查监听（80/443 → 节点的 80/443）、后端服务器是否为这些节点，以及健康检查：HTTP GET /api/ping（1.x）或 /api/v2.0/ping（2.x），http_2xx；安全组放行 100.64.0.0/10。四层 SLB 从节点自身访问会因回环而失败，除非配置了 NAT 规则。',
      ),
    },
  ];
};

/**
 * The load balancer answers although some nodes' Harbor fails: its health check does not take them out (HEAD on the
 * ping path may get 405 where GET works, harbor-facts §6), so some clients' requests still land on a broken node.
 */
export const lbPartial: Rule = ({ graph, lb, reachable }) => {
  const bad = reachable.filter((n) => n.harbor.status === 'fail').map((n) => n.nodeId);
  if (lb.harbor.status !== 'ok' || !bad.length) return [];
  return [
    {
      id: 'lb:partial',
      severity: 'warning',
      subject: { kind: 'lb' },
      nodes: bad,
      title: L(
        `${graph.lb.title} answers, but ${names(graph, bad)} is not healthy`,
        `${graph.lb.title} 有响应，但 ${names(graph, bad)} 不健康`,
      ),
      fix: L(
        'Make sure the load balancer’s health check takes unhealthy nodes out (HTTP GET on the ping path; HEAD may get 405), or remove them from its backends until fixed.',
        '请确认负载均衡的健康检查会摘除不健康的节点（对 ping 路径使用 HTTP GET；HEAD 可能返回 405），或在修复前将其移出后端。',
      ),
    },
  ];
};
