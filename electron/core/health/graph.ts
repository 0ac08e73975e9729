/** The topology of a saved profile: what the page draws and what a sweep checks. No secrets. */
import type { GraphService, TopologyGraph } from '../../../shared/api/contracts/topology';
import { loadBalancerAddress, type Profile } from '../../../shared/profile';
import { ossHost } from '../probe/probes';
import { nodeLabel } from '../ssh/targets';

const SOFTWARE: Record<string, string> = { haproxy: 'HAProxy', nginx: 'nginx', keepalived: 'keepalived (LVS)', other: 'Load balancer' };
const CLOUD_LB = { clb: 'Aliyun CLB', alb: 'Aliyun ALB' } as const;

export function topologyGraph(p: Profile): TopologyGraph {
  const lb = p.loadBalancer;
  const address = loadBalancerAddress(lb);
  const services: GraphService[] = [];
  const db = p.database;
  services.push({
    id: 'database',
    kind: db.engine,
    title: db.engine === 'mysql' ? { en: 'MySQL', 'zh-CN': 'MySQL 数据库' } : { en: 'PostgreSQL', 'zh-CN': 'PostgreSQL 数据库' },
    endpoint: `${db.host}:${db.port}`,
  });
  if (p.harbor.generation === 'v1' && p.clair) {
    services.push({
      id: 'clair',
      kind: 'postgresql',
      title: { en: 'Clair DB (PostgreSQL)', 'zh-CN': 'Clair 数据库（PostgreSQL）' },
      endpoint: `${p.clair.host}:${p.clair.port}`,
    });
  }
  services.push({ id: 'redis', kind: 'redis', title: { en: 'Redis', 'zh-CN': 'Redis' }, endpoint: `${p.redis.host}:${p.redis.port}` });
  services.push({
    id: 'oss',
    kind: 'oss',
    title: { en: `OSS bucket ${p.oss.bucket}`, 'zh-CN': `OSS 存储桶 ${p.oss.bucket}` },
    endpoint: `${ossHost({ bucket: p.oss.bucket, region: p.oss.region, internal: p.oss.internal, ...(p.oss.endpoint ? { endpoint: p.oss.endpoint } : {}) })}:${p.oss.secure ? 443 : 80}`,
  });
  return {
    profileId: p.id,
    profileName: p.name,
    generation: p.harbor.generation,
    version: p.harbor.version,
    domain: p.access.domain,
    protocol: p.access.protocol,
    lb: {
      kind: lb.kind,
      title:
        lb.kind === 'self-hosted'
          ? (SOFTWARE[lb.software] ?? lb.software)
          : `${CLOUD_LB[lb.kind]}${lb.instanceId ? ` ${lb.instanceId}` : ''}`,
      ...(address ? { address } : {}),
      url: `${p.access.protocol}://${p.access.domain}`,
    },
    nodes: p.nodes.map((n, i) => ({
      id: n.id,
      label: nodeLabel(p, n),
      name: n.name || `node ${i + 1}`,
      host: n.host,
      address: n.privateAddress ?? n.host,
    })),
    services,
  };
}

/** host and port of an endpoint `host:port`. */
export function splitEndpoint(endpoint: string): { host: string; port: number } {
  const i = endpoint.lastIndexOf(':');
  return { host: endpoint.slice(0, i), port: Number(endpoint.slice(i + 1)) };
}
