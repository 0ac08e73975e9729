/**
 * The classic load balancer (CLB, formerly SLB) as the nodes need it: its listeners and health checks as Aliyun holds
 * them, each backend with its weight and health beside the node it is, and the changes a rolling operation makes
 * (a node's weight to 0 and back, a node added or taken out). CLB backends are ECS instances by id; the app finds
 * each node's instance from its address (ECS DescribeInstances), so the profile needs no instance ids.
 */
import type { CloudBackend, CloudListener, CloudLoadBalancer } from '../../../shared/api/contracts/cloud';
import type { Profile } from '../../../shared/profile';
import type { CloudSession } from './session';
import { nodeSourceAddresses } from './whitelists';

/** What DescribeHealthStatus says of a backend on a listener. */
export type BackendHealth = 'normal' | 'abnormal' | 'unavailable';

type Json = Record<string, unknown>;
const list = <T>(v: unknown, key: string): T[] => ((v as Json | undefined)?.[key] as T[] | undefined) ?? [];

/** Each node's ECS instance id, found by its private address. */
export async function nodeInstances(session: CloudSession, p: Profile): Promise<Map<string, { instanceId: string; address: string }>> {
  const nodes = nodeSourceAddresses(p).filter((n): n is { nodeId: string; address: string } => n.address !== undefined);
  const out = new Map<string, { instanceId: string; address: string }>();
  if (!nodes.length) return out;
  const answer = await session.typed('ecs', (client, models, runtime) =>
    client.describeInstancesWithOptions(
      new models.DescribeInstancesRequest({
        regionId: session.region,
        privateIpAddresses: JSON.stringify(nodes.map((n) => n.address)),
        pageSize: 100,
      }),
      runtime,
    ),
  );
  for (const instance of answer.body?.instances?.instance ?? []) {
    const addresses = instance.vpcAttributes?.privateIpAddress?.ipAddress ?? [];
    for (const n of nodes)
      if (instance.instanceId && addresses.includes(n.address)) out.set(n.nodeId, { instanceId: instance.instanceId, address: n.address });
  }
  return out;
}

function listenerOf(l: Json): CloudListener {
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const protocol = text(l.ListenerProtocol, '').toLowerCase();
  const cfg = (l.TCPListenerConfig ?? l.HTTPListenerConfig ?? l.HTTPSListenerConfig ?? l.UDPListenerConfig ?? {}) as Json;
  const on = cfg.HealthCheck !== 'off';
  const type = protocol === 'tcp' ? text(cfg.HealthCheckType, 'tcp') : 'http';
  const uri = typeof cfg.HealthCheckURI === 'string' && cfg.HealthCheckURI ? cfg.HealthCheckURI : undefined;
  return {
    port: Number(l.ListenerPort),
    protocol,
    healthCheck: on ? (type === 'http' ? 'http' : 'tcp') : 'off',
    ...(uri && type === 'http' ? { healthCheckUri: uri } : {}),
    ...(protocol === 'http' || protocol === 'https' ? { stickySession: cfg.StickySession === 'on' } : {}),
  };
}

/** The load balancer as Aliyun holds it, with each backend placed beside the profile's node it is. */
export async function describeClb(session: CloudSession, p: Profile, instanceId: string): Promise<CloudLoadBalancer> {
  const [attribute, listeners, health, instances] = await Promise.all([
    session.rpc('slb', 'DescribeLoadBalancerAttribute', { LoadBalancerId: instanceId }),
    session.rpc('slb', 'DescribeLoadBalancerListeners', { 'LoadBalancerId.1': instanceId, MaxResults: 100 }),
    session.rpc('slb', 'DescribeHealthStatus', { LoadBalancerId: instanceId }),
    nodeInstances(session, p),
  ]);
  const nodeOf = new Map([...instances].map(([nodeId, i]) => [i.instanceId, { nodeId, address: i.address }]));
  const healthRows = list<Json>(health.BackendServers, 'BackendServer');
  const backends = list<Json>(attribute.BackendServers, 'BackendServer').map((b): CloudBackend => {
    const serverId = String(b.ServerId);
    const node = nodeOf.get(serverId);
    const address = node?.address ?? (typeof b.ServerIp === 'string' ? b.ServerIp : undefined);
    return {
      serverId,
      ...(node ? { nodeId: node.nodeId } : {}),
      ...(address ? { address } : {}),
      weight: Number(b.Weight),
      health: healthRows
        .filter((h) => h.ServerId === serverId)
        .map((h) => ({ port: Number(h.ListenerPort ?? h.Port), status: String(h.ServerHealthStatus) })),
    };
  });
  const attached = new Set(backends.map((b) => b.serverId));
  return {
    product: 'clb',
    instanceId,
    ...(typeof attribute.Address === 'string' ? { address: attribute.Address } : {}),
    ...(typeof attribute.LoadBalancerStatus === 'string' ? { status: attribute.LoadBalancerStatus } : {}),
    listeners: ((listeners.Listeners as Json[] | undefined) ?? []).map(listenerOf).sort((a, b) => a.port - b.port),
    backends,
    notAttached: [...instances].filter(([, i]) => !attached.has(i.instanceId)).map(([nodeId]) => nodeId),
    noInstance: p.nodes.filter((n) => !instances.has(n.id)).map((n) => n.id),
  };
}

/** Sets the weight of attached backends (0: no new connections; those open go on until they close). */
export async function setClbWeights(
  session: CloudSession,
  instanceId: string,
  serverIds: readonly string[],
  weight: number,
): Promise<void> {
  await session.rpc('slb', 'SetBackendServers', {
    LoadBalancerId: instanceId,
    BackendServers: JSON.stringify(serverIds.map((ServerId) => ({ ServerId, Weight: weight, Type: 'ecs' }))),
  });
}

/** Attaches instances as backends with a weight (Aliyun's default is 100). */
export async function addClbBackends(session: CloudSession, instanceId: string, serverIds: readonly string[], weight = 100): Promise<void> {
  await session.rpc('slb', 'AddBackendServers', {
    LoadBalancerId: instanceId,
    BackendServers: JSON.stringify(serverIds.map((ServerId) => ({ ServerId, Weight: weight, Type: 'ecs' }))),
  });
}

export async function removeClbBackends(session: CloudSession, instanceId: string, serverIds: readonly string[]): Promise<void> {
  await session.rpc('slb', 'RemoveBackendServers', {
    LoadBalancerId: instanceId,
    BackendServers: JSON.stringify(serverIds.map((ServerId) => ({ ServerId, Type: 'ecs' }))),
  });
}
