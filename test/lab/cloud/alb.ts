/**
 * The application load balancer (ALB 2020-06-16) for the lab: one instance, an HTTP listener on 80 and an HTTPS one
 * on 443, each forwarding to its own server group (ECS servers on the same port of every node). Server changes
 * drive the lab's HAProxy like CLB's do. ALB's changes are asynchronous and answer a JobId; the lab applies them
 * before answering, so a later List call already shows them (what a caller sees once the job has finished).
 */
import crypto from 'node:crypto';
import { AcsError } from './errors';
import type { Ecs } from './ecs';
import { flatList, healthOf, labId, notFound, required, type LbRuntime, type Params, type Product } from './product';

interface AlbServer {
  ServerId: string;
  ServerIp: string;
  Port: number;
  Weight: number;
  Description: string;
}
interface ServerGroup {
  id: string;
  name: string;
  port: 80 | 443;
  servers: AlbServer[];
  healthCheckPath: string;
  sticky: boolean;
}
interface AlbListener {
  id: string;
  port: 80 | 443;
  protocol: 'HTTP' | 'HTTPS';
  group: ServerGroup;
}

export class Alb {
  readonly id: string;
  readonly listeners: AlbListener[];
  constructor(
    slot: number,
    private readonly ecs: Ecs,
    private readonly lb: LbRuntime,
  ) {
    this.id = labId('alb-', slot);
    const group = (port: 80 | 443): ServerGroup => ({
      id: labId('sgp-', slot),
      name: `harbor-${port}`,
      port,
      servers: ecs.instances.map((i) => ({
        ServerId: i.InstanceId,
        ServerIp: i.PrivateIp,
        Port: port,
        Weight: 100,
        Description: i.InstanceName,
      })),
      healthCheckPath: '/api/v2.0/ping',
      sticky: false,
    });
    this.listeners = [
      { id: labId('lsn-', slot), port: 80, protocol: 'HTTP', group: group(80) },
      { id: labId('lsn-', slot), port: 443, protocol: 'HTTPS', group: group(443) },
    ];
  }

  private group(p: Params): ServerGroup {
    const id = required(p, 'ServerGroupId');
    const g = this.listeners.find((l) => l.group.id === id)?.group;
    if (!g) throw notFound('ResourceNotFound.ServerGroup', `The specified resource ${id} is not found.`);
    return g;
  }
  private requested(p: Params, needWeight: boolean): AlbServer[] {
    const list = flatList(p, 'Servers');
    if (!list.length)
      throw new AcsError(
        400,
        'MissingParameter',
        'The input parameter "Servers" that is mandatory for processing this request is not supplied.',
      );
    return list.map((x) => {
      const o = typeof x === 'string' ? { ServerId: x } : x;
      const inst = o.ServerId ? this.ecs.byId(o.ServerId) : undefined;
      if (!inst) throw notFound('ResourceNotFound.BackendServer', `The specified resource ${o.ServerId ?? ''} is not found.`);
      if (o.ServerType && o.ServerType !== 'Ecs') throw new AcsError(400, 'IllegalParam.ServerType', 'Only ServerType Ecs is supported.');
      const w = o.Weight === undefined ? undefined : Number(o.Weight);
      if (w !== undefined && !(Number.isInteger(w) && w >= 0 && w <= 100))
        throw new AcsError(400, 'IllegalParam.Weight', 'Weight must be an integer from 0 to 100.');
      if (needWeight && w === undefined) throw new AcsError(400, 'MissingParameter', 'The input parameter "Weight" is not supplied.');
      return {
        ServerId: inst.InstanceId,
        ServerIp: inst.PrivateIp,
        Port: Number(o.Port ?? 0),
        Weight: w ?? 100,
        Description: o.Description ?? inst.InstanceName,
      };
    });
  }
  private job() {
    return { JobId: crypto.randomUUID() };
  }
  private name(serverId: string): string {
    return this.ecs.byId(serverId)!.InstanceName;
  }

  readonly product: Product = {
    code: 'Alb',
    version: '2020-06-16',
    ramService: 'alb',
    actions: {
      ListListeners: (p) => {
        const lbIds = flatList(p, 'LoadBalancerIds');
        const ids = flatList(p, 'ListenerIds');
        const ls = this.listeners.filter((l) => (!lbIds.length || lbIds.includes(this.id)) && (!ids.length || ids.includes(l.id)));
        return {
          Listeners: ls.map((l) => ({
            ListenerId: l.id,
            ListenerPort: l.port,
            ListenerProtocol: l.protocol,
            ListenerStatus: 'Running',
            LoadBalancerId: this.id,
            DefaultActions: [{ Type: 'ForwardGroup', ForwardGroupConfig: { ServerGroupTuples: [{ ServerGroupId: l.group.id }] } }],
          })),
          TotalCount: ls.length,
          MaxResults: 20,
          NextToken: '',
        };
      },
      ListServerGroups: (p) => {
        const ids = flatList(p, 'ServerGroupIds');
        const gs = this.listeners.map((l) => l.group).filter((g) => !ids.length || ids.includes(g.id));
        return {
          ServerGroups: gs.map((g) => ({
            ServerGroupId: g.id,
            ServerGroupName: g.name,
            ServerGroupStatus: 'Available',
            ServerGroupType: 'Instance',
            Protocol: 'HTTP',
            Scheduler: 'Wrr',
            ServerCount: g.servers.length,
            HealthCheckConfig: {
              HealthCheckEnabled: true,
              HealthCheckPath: g.healthCheckPath,
              HealthCheckProtocol: 'HTTP',
              HealthCheckInterval: 1,
              HealthyThreshold: 1,
              UnhealthyThreshold: 2,
            },
            StickySessionConfig: {
              StickySessionEnabled: g.sticky,
              ...(g.sticky ? { StickySessionType: 'Insert', CookieTimeout: 1000 } : {}),
            },
          })),
          TotalCount: gs.length,
          MaxResults: 20,
          NextToken: '',
        };
      },
      ListServerGroupServers: async (p) => {
        const g = this.group(p);
        const state = await this.lb.serverState(g.port);
        return {
          Servers: g.servers.map((s) => ({
            ...s,
            ServerGroupId: g.id,
            ServerType: 'Ecs',
            Status: state.some((x) => x.name === this.name(s.ServerId)) ? 'Available' : 'Configuring',
          })),
          TotalCount: g.servers.length,
          MaxResults: 20,
          NextToken: '',
        };
      },
      AddServersToServerGroup: async (p) => {
        const g = this.group(p);
        for (const s of this.requested(p, false)) {
          if (g.servers.some((x) => x.ServerId === s.ServerId))
            throw new AcsError(
              400,
              'ResourceAlreadyAssociated.BackendServer',
              `The backend server ${s.ServerId} is already in the server group.`,
            );
          await this.lb.addServer(g.port, this.name(s.ServerId), s.ServerIp, s.Weight);
          g.servers.push({ ...s, Port: s.Port || g.port });
        }
        return this.job();
      },
      RemoveServersFromServerGroup: async (p) => {
        const g = this.group(p);
        for (const s of this.requested(p, false)) {
          if (!g.servers.some((x) => x.ServerId === s.ServerId)) continue;
          await this.lb.removeServer(g.port, this.name(s.ServerId));
          g.servers = g.servers.filter((x) => x.ServerId !== s.ServerId);
        }
        return this.job();
      },
      UpdateServerGroupServersAttribute: async (p) => {
        const g = this.group(p);
        const list = this.requested(p, true);
        for (const s of list)
          if (!g.servers.some((x) => x.ServerId === s.ServerId))
            throw notFound('ResourceNotFound.BackendServer', `The specified resource ${s.ServerId} is not found.`);
        for (const s of list) {
          await this.lb.setWeight(g.port, this.name(s.ServerId), s.Weight);
          g.servers.find((x) => x.ServerId === s.ServerId)!.Weight = s.Weight;
        }
        return this.job();
      },
      GetListenerHealthStatus: async (p) => {
        const id = required(p, 'ListenerId');
        const l = this.listeners.find((x) => x.id === id);
        if (!l) throw notFound('ResourceNotFound.Listener', `The specified resource ${id} is not found.`);
        const state = await this.lb.serverState(l.port);
        const nonNormal = l.group.servers
          .map((s) => ({ s, h: healthOf(state.find((x) => x.name === this.name(s.ServerId))?.status) }))
          .filter((x) => x.h !== 'normal')
          .map(({ s, h }) => ({
            ServerId: s.ServerId,
            ServerIp: s.ServerIp,
            Port: s.Port,
            Status: h === 'abnormal' ? 'Unhealthy' : 'Unavailable',
            Reason: { ReasonCode: h === 'abnormal' ? 'CONNECT_TIMEOUT' : 'UNAVAILABLE' },
          }));
        return {
          ListenerHealthStatus: [
            {
              ListenerId: l.id,
              ListenerPort: l.port,
              ListenerProtocol: l.protocol,
              ServerGroupInfos: [
                { ServerGroupId: l.group.id, ActionType: 'ForwardGroup', HealthCheckEnabled: 'on', NonNormalServers: nonNormal },
              ],
            },
          ],
          RuleHealthStatus: [],
          NextToken: '',
        };
      },
    },
  };
}
