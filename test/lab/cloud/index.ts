/**
 * The lab's cloud: an Aliyun OpenAPI endpoint on loopback (HTTPS with a lab CA) that verifies ACS3-HMAC-SHA256
 * signatures, checks RAM permissions per action, and keeps the state of a load balancer (CLB or ALB, driving the lab's
 * HAProxy), ECS instances for the nodes, RDS instances for PostgreSQL and MariaDB and an R-KVStore instance for Redis.
 * See docs/lab.md "The lab's cloud".
 */
import { EventEmitter } from 'node:events';
import { Alb } from './alb';
import { Clb, type ClbListener } from './clb';
import { Ecs, type EcsInstance } from './ecs';
import { REGION, type LbRuntime } from './product';
import { Ram, type AccessKey, type Allowed, type Role } from './ram';
import { Rds } from './rds';
import { RKvstore } from './rkvstore';
import { CloudServer, type RequestLogEntry } from './server';
import { stsProduct } from './sts';
import { makeCloudTls } from './tls';

export type { AccessKey, Allowed, Role } from './ram';
export type { RequestLogEntry } from './server';
export type { ClbListener } from './clb';

export interface LabCloudOptions {
  slot: number;
  /** where the endpoint listens (`127.0.<slot>.44`) */
  address: string;
  port?: number;
  /** where the CA and certificate files go */
  dir: string;
  /** the lab's nodes: one ECS instance each */
  nodes: ReadonlyArray<{ name: string; address: string }>;
  /** the lab's HAProxy, which the load balancer's state drives */
  lb: LbRuntime;
  /** which product owns the lab's load balancer (default `clb`) */
  loadBalancer?: 'clb' | 'alb';
}

export interface LabCloud {
  readonly address: string;
  readonly port: number;
  /** pass as openapi-core `Config.endpoint` (the SDK sends it as Host and builds `https://<endpoint>/`) */
  readonly endpoint: string;
  /** the lab CA (PEM): pass as openapi-core `Config.ca` */
  readonly caPem: string;
  readonly regionId: string;
  readonly loadBalancer: 'clb' | 'alb';
  /** instance ids of the lab's services */
  readonly ids: {
    readonly loadBalancer: string;
    readonly postgres: string;
    readonly mariadb: string;
    readonly redis: string;
    /** ECS instance per node, in node order */
    readonly nodes: readonly EcsInstance[];
  };
  /** ALB only: listener and server-group ids per port */
  readonly albListeners: ReadonlyArray<{ listenerId: string; port: 80 | 443; serverGroupId: string }>;
  /** A new AccessKey allowed `'*'` or the listed RAM actions (`slb:SetBackendServers`, …). */
  accessKey(allowed: Allowed): AccessKey;
  /** A RAM role for STS AssumeRole (`sts:AssumeRole` on the caller's key), its temporary keys allowed these actions. */
  role(allowed: Allowed): Role;
  /** Requests served, oldest first (action, product, key id, code): no secrets. */
  readonly requests: readonly RequestLogEntry[];
  /** Every whitelist entry of an RDS or R-KVStore instance (all groups). */
  whitelist(instanceId: string): string[];
  /** CLB only: what a listener reads as through the API (protocol, health-check URI, sticky session); read side only. */
  setClbListener(l: ClbListener): void;
  on(event: 'whitelist', listener: (instanceId: string, entries: string[]) => void): this;
  off(event: 'whitelist', listener: (instanceId: string, entries: string[]) => void): this;
  stop(): Promise<void>;
}

export async function startLabCloud(o: LabCloudOptions): Promise<LabCloud> {
  const port = o.port ?? 443;
  const tls = await makeCloudTls(o.dir, o.address);
  const events = new EventEmitter();
  const changed = (id: string, entries: string[]) => events.emit('whitelist', id, entries);
  const ram = new Ram();
  const ecs = new Ecs(o.slot, o.nodes);
  const rds = new Rds(o.slot, changed);
  const kv = new RKvstore(o.slot, changed);
  const kind = o.loadBalancer ?? 'clb';
  const clb = kind === 'clb' ? new Clb(o.slot, ecs, o.lb) : undefined;
  const alb = kind === 'alb' ? new Alb(o.slot, ecs, o.lb) : undefined;
  const products = [ecs.product, rds.product, kv.product, (clb ?? alb)!.product, stsProduct(ram)];
  const server = new CloudServer({ address: o.address, port, certPem: tls.certPem, keyPem: tls.keyPem, ram, products });
  await server.start();
  const whitelists = [rds.whitelists, kv.whitelists];
  const handle: LabCloud = {
    address: o.address,
    port,
    endpoint: port === 443 ? o.address : `${o.address}:${port}`,
    caPem: tls.caPem,
    regionId: REGION,
    loadBalancer: kind,
    ids: { loadBalancer: (clb ?? alb)!.id, ...rds.ids, ...kv.ids, nodes: ecs.instances },
    albListeners: alb?.listeners.map((l) => ({ listenerId: l.id, port: l.port, serverGroupId: l.group.id })) ?? [],
    accessKey: (allowed) => ram.accessKey(allowed),
    role: (allowed) => ram.role(allowed),
    requests: server.log,
    whitelist: (id) => {
      const w = whitelists.find((x) => x.has(id));
      if (!w) throw new Error(`lab cloud: no RDS or R-KVStore instance ${id}`);
      return w.union(id);
    },
    setClbListener: (l) => {
      if (!clb) throw new Error('lab cloud: the load balancer is an ALB');
      clb.setListener(l);
    },
    on(event, listener) {
      events.on(event, listener);
      return handle;
    },
    off(event, listener) {
      events.off(event, listener);
      return handle;
    },
    stop: () => server.stop(),
  };
  return handle;
}
