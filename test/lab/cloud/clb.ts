/**
 * The classic load balancer (CLB, API `Slb` 2014-05-15) for the lab: one instance in front of the lab's HAProxy, TCP
 * listeners on 80 and 443 (what HAProxy does), backends named by ECS instance id with weights 0-100. Changes to the
 * backends drive HAProxy through its runtime API, on every listener's backend (CLB backends belong to the load
 * balancer, not to a listener). A test may describe a listener as HTTP/HTTPS with a health-check URI and sticky
 * sessions: that changes only what the API reads back.
 */
import { AcsError } from './errors';
import type { Ecs } from './ecs';
import { healthOf, jsonParam, labId, notFound, REGION, required, type LbRuntime, type Params, type Product } from './product';

export interface ClbListener {
  port: 80 | 443;
  protocol: 'tcp' | 'http' | 'https';
  healthCheckURI?: string;
  stickySession?: boolean;
}

const MAX_PER_CALL = 20;

export class Clb {
  readonly id: string;
  /** ServerId → weight, in the order added */
  readonly backends = new Map<string, number>();
  readonly listeners = new Map<80 | 443, ClbListener>([
    [80, { port: 80, protocol: 'tcp' }],
    [443, { port: 443, protocol: 'tcp' }],
  ]);
  constructor(
    slot: number,
    private readonly ecs: Ecs,
    private readonly lb: LbRuntime,
  ) {
    this.id = labId('lb-', slot);
    for (const i of ecs.instances) this.backends.set(i.InstanceId, 100);
  }

  /** What a listener reads as (read side only). */
  setListener(l: ClbListener): void {
    this.listeners.set(l.port, l);
  }

  private check(p: Params): void {
    if (required(p, 'LoadBalancerId') !== this.id)
      throw notFound('InvalidLoadBalancerId.NotFound', 'The specified LoadBalancerId does not exist.');
  }
  private listener(p: Params): ClbListener {
    const port = Number(required(p, 'ListenerPort'));
    const l = this.listeners.get(port as 80 | 443);
    if (!l) throw notFound('InvalidParameter.ListenerNotFound', 'The specified listener does not exist.');
    return l;
  }
  private backendList(): Record<string, unknown> {
    return {
      BackendServer: [...this.backends].map(([ServerId, Weight]) => ({
        ServerId,
        Weight,
        Type: 'ecs',
        ServerIp: this.ecs.byId(ServerId)?.PrivateIp,
        Description: '',
      })),
    };
  }
  /** The BackendServers parameter: a JSON array of `{ServerId, Weight, Type}` (or of ids, for RemoveBackendServers). */
  private servers(p: Params, needWeight: boolean): Array<{ ServerId: string; Weight?: number }> {
    const raw = jsonParam<unknown[]>(p, 'BackendServers');
    if (!Array.isArray(raw) || !raw.length)
      throw new AcsError(
        400,
        'MissingParameter',
        'The input parameter "BackendServers" that is mandatory for processing this request is not supplied.',
      );
    if (raw.length > MAX_PER_CALL) throw new AcsError(400, 'InvalidParameter', `BackendServers takes at most ${MAX_PER_CALL} servers.`);
    return raw.map((x) => {
      const o = (typeof x === 'string' ? { ServerId: x } : x) as { ServerId?: unknown; Weight?: unknown; Type?: unknown };
      if (typeof o.ServerId !== 'string' || !this.ecs.byId(o.ServerId))
        throw new AcsError(400, 'InvalidBackendServers.ServerIdNotExist', `The backend server ${String(o.ServerId)} does not exist.`);
      if (o.Type !== undefined && o.Type !== 'ecs') throw new AcsError(400, 'InvalidParameter', 'Only Type ecs is supported.');
      const w = o.Weight === undefined ? undefined : Number(o.Weight);
      if (w !== undefined && !(Number.isInteger(w) && w >= 0 && w <= 100))
        throw new AcsError(400, 'InvalidParameter.Weight', 'Weight must be an integer from 0 to 100.');
      if (needWeight && w === undefined) throw new AcsError(400, 'MissingParameter', 'Weight is mandatory for SetBackendServers.');
      return { ServerId: o.ServerId, Weight: w };
    });
  }
  private name(serverId: string): string {
    return this.ecs.byId(serverId)!.InstanceName;
  }
  private async eachPort(f: (port: 80 | 443) => Promise<void>): Promise<void> {
    for (const port of this.listeners.keys()) await f(port);
  }

  private async health(portFilter?: number): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    for (const l of this.listeners.values()) {
      if (portFilter !== undefined && l.port !== portFilter) continue;
      const state = await this.lb.serverState(l.port);
      for (const id of this.backends.keys()) {
        const s = state.find((x) => x.name === this.name(id));
        out.push({
          ServerId: id,
          ServerIp: this.ecs.byId(id)!.PrivateIp,
          Port: l.port,
          ListenerPort: l.port,
          Protocol: l.protocol,
          ServerHealthStatus: healthOf(s?.status),
        });
      }
    }
    return out;
  }

  private listenerAttribute(l: ClbListener): Record<string, unknown> {
    const common = {
      ListenerPort: l.port,
      BackendServerPort: l.protocol === 'https' ? 80 : l.port,
      Status: 'running',
      Scheduler: 'wrr',
      Bandwidth: -1,
      HealthCheck: 'on',
      HealthyThreshold: 1,
      UnhealthyThreshold: 2,
      HealthCheckInterval: 1,
      HealthCheckConnectPort: l.protocol === 'https' ? 80 : l.port,
    };
    if (l.protocol === 'tcp') return { ...common, HealthCheckType: 'tcp', HealthCheckConnectTimeout: 2, PersistenceTimeout: 0 };
    return {
      ...common,
      HealthCheckURI: l.healthCheckURI ?? '/',
      HealthCheckHttpCode: 'http_2xx,http_3xx',
      HealthCheckTimeout: 2,
      HealthCheckMethod: 'head',
      StickySession: l.stickySession ? 'on' : 'off',
      ...(l.stickySession ? { StickySessionType: 'insert', CookieTimeout: 86400 } : {}),
      XForwardedFor: 'on',
      XForwardedFor_proto: l.protocol === 'https' ? 'on' : 'off',
      ...(l.protocol === 'https' ? { ServerCertificateId: `${this.id}-cert` } : {}),
    };
  }
  private attributeOf(protocol: ClbListener['protocol']) {
    return (p: Params) => {
      this.check(p);
      const l = this.listener(p);
      if (l.protocol !== protocol)
        throw new AcsError(400, 'InvalidParameter.ListenerProtocol', `The listener on ${l.port} is ${l.protocol.toUpperCase()}.`);
      return this.listenerAttribute(l);
    };
  }

  readonly product: Product = {
    code: 'Slb',
    version: '2014-05-15',
    ramService: 'slb',
    actions: {
      DescribeLoadBalancers: (p) => ({
        LoadBalancers: {
          LoadBalancer:
            p.LoadBalancerId && !p.LoadBalancerId.split(',').includes(this.id)
              ? []
              : [
                  {
                    LoadBalancerId: this.id,
                    LoadBalancerName: 'harbor-lab',
                    LoadBalancerStatus: 'active',
                    Address: this.lb.address,
                    AddressType: 'intranet',
                    RegionId: REGION,
                    NetworkType: 'vpc',
                  },
                ],
        },
        TotalCount: 1,
      }),
      DescribeLoadBalancerAttribute: (p) => {
        this.check(p);
        const ls = [...this.listeners.values()];
        return {
          LoadBalancerId: this.id,
          LoadBalancerName: 'harbor-lab',
          LoadBalancerStatus: 'active',
          Address: this.lb.address,
          AddressType: 'intranet',
          AddressIPVersion: 'ipv4',
          NetworkType: 'vpc',
          RegionId: REGION,
          RegionIdAlias: REGION,
          ListenerPorts: { ListenerPort: ls.map((l) => l.port) },
          ListenerPortsAndProtocol: { ListenerPortAndProtocol: ls.map((l) => ({ ListenerPort: l.port, ListenerProtocol: l.protocol })) },
          ListenerPortsAndProtocal: { ListenerPortAndProtocal: ls.map((l) => ({ ListenerPort: l.port, ListenerProtocal: l.protocol })) },
          BackendServers: this.backendList(),
        };
      },
      DescribeLoadBalancerListeners: (p) => {
        const ids = Object.entries(p)
          .filter(([k]) => k === 'LoadBalancerId' || /^LoadBalancerId\.\d+$/.test(k))
          .map(([, v]) => v);
        const mine = !ids.length || ids.includes(this.id);
        const ls = mine
          ? [...this.listeners.values()].filter((l) => !p.ListenerProtocol || p.ListenerProtocol.toLowerCase() === l.protocol)
          : [];
        return {
          Listeners: ls.map((l) => {
            const a = this.listenerAttribute(l);
            const cfg =
              l.protocol === 'tcp'
                ? { TCPListenerConfig: a }
                : l.protocol === 'http'
                  ? { HTTPListenerConfig: a }
                  : { HTTPSListenerConfig: a };
            return {
              LoadBalancerId: this.id,
              ListenerPort: l.port,
              ListenerProtocol: l.protocol,
              BackendServerPort: a.BackendServerPort,
              Status: 'running',
              Scheduler: 'wrr',
              Bandwidth: -1,
              ...cfg,
            };
          }),
          TotalCount: ls.length,
          MaxResults: 100,
          NextToken: '',
        };
      },
      DescribeLoadBalancerTCPListenerAttribute: this.attributeOf('tcp'),
      DescribeLoadBalancerHTTPListenerAttribute: this.attributeOf('http'),
      DescribeLoadBalancerHTTPSListenerAttribute: this.attributeOf('https'),
      DescribeHealthStatus: async (p) => {
        this.check(p);
        return { BackendServers: { BackendServer: await this.health(p.ListenerPort ? Number(p.ListenerPort) : undefined) } };
      },
      AddBackendServers: async (p) => {
        this.check(p);
        for (const s of this.servers(p, false)) {
          const w = s.Weight ?? 100;
          const i = this.ecs.byId(s.ServerId)!;
          if (this.backends.has(s.ServerId)) await this.eachPort((port) => this.lb.setWeight(port, i.InstanceName, w));
          else await this.eachPort((port) => this.lb.addServer(port, i.InstanceName, i.PrivateIp, w));
          this.backends.set(s.ServerId, w);
        }
        return { LoadBalancerId: this.id, BackendServers: this.backendList() };
      },
      RemoveBackendServers: async (p) => {
        this.check(p);
        for (const s of this.servers(p, false)) {
          if (!this.backends.has(s.ServerId)) continue;
          await this.eachPort((port) => this.lb.removeServer(port, this.name(s.ServerId)));
          this.backends.delete(s.ServerId);
        }
        return { LoadBalancerId: this.id, BackendServers: this.backendList() };
      },
      SetBackendServers: async (p) => {
        this.check(p);
        const list = this.servers(p, true);
        for (const s of list)
          if (!this.backends.has(s.ServerId))
            throw new AcsError(
              400,
              'InvalidParameter.BackendServerNotAttached',
              `The backend server ${s.ServerId} is not attached to the load balancer.`,
            );
        for (const s of list) {
          await this.eachPort((port) => this.lb.setWeight(port, this.name(s.ServerId), s.Weight!));
          this.backends.set(s.ServerId, s.Weight!);
        }
        return { LoadBalancerId: this.id, BackendServers: this.backendList() };
      },
    },
  };
}
