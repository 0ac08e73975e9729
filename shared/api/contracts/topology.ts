/**
 * The cluster topology and its live health: the graph drawn from a profile (load balancer → Harbor
 * nodes → database, Clair DB, Redis, OSS) and health measured where it matters, from each node over
 * SSH (its reach to the services, Harbor's own health, containers, free space, clock) and through
 * the load balancer from this machine. Nothing secret is in any of it.
 */
import { z } from 'zod';
import type { Localized } from '../../i18n/localized';
import { call, stream } from '../define';
import { profileId } from './profiles';

/** ok: green; warn: works but something needs attention; fail: red; unknown: not checked (yet), or could not be. */
export type Health = 'ok' | 'warn' | 'fail' | 'unknown';

export const serviceIds = ['database', 'clair', 'redis', 'oss'] as const;
export type ServiceId = (typeof serviceIds)[number];

/** One measurement. */
export interface Check {
  readonly status: Health;
  /** ISO time the check finished. */
  readonly checkedAt?: string;
  readonly latencyMs?: number;
  /** What was found (a version, an answer), for people. */
  readonly detail?: string;
  /** What is wrong. */
  readonly error?: Localized;
}

export interface GraphNode {
  readonly id: string;
  /** How messages name the node, e.g. `node-1 (192.168.10.10)`. */
  readonly label: string;
  readonly name: string;
  readonly host: string;
  /** The address the services see (the profile's private address, else the host). */
  readonly address: string;
}

export interface GraphService {
  readonly id: ServiceId;
  readonly kind: 'mysql' | 'postgresql' | 'redis' | 'oss';
  readonly title: Localized;
  /** host:port the nodes connect to. */
  readonly endpoint: string;
}

export interface GraphLoadBalancer {
  readonly kind: 'clb' | 'alb' | 'self-hosted';
  /** e.g. `Aliyun CLB lb-2ze…` or `HAProxy`. */
  readonly title: string;
  /** The address requests are sent to; absent when the domain's DNS decides. */
  readonly address?: string;
  /** The URL clients use, e.g. `https://registry.example.com`. */
  readonly url: string;
}

export interface TopologyGraph {
  readonly profileId: string;
  readonly profileName: string;
  readonly generation: 'v1' | 'v2';
  readonly version: string;
  readonly domain: string;
  readonly protocol: 'http' | 'https';
  readonly lb: GraphLoadBalancer;
  readonly nodes: readonly GraphNode[];
  readonly services: readonly GraphService[];
}

/** The TLS certificate Harbor presents, as clients will judge it. */
export interface CertificateCheck extends Check {
  /** `expiring`: within 30 days (a warning); `expiring_soon`: within 7 (an error: renew now). */
  readonly reason?: 'expired' | 'not_yet_valid' | 'name' | 'untrusted' | 'expiring_soon' | 'expiring';
  /** SHA-256 fingerprint, `AA:BB:…`. */
  readonly fingerprint?: string;
  readonly validTo?: string;
  readonly daysLeft?: number;
}

export interface HarborComponent {
  readonly name: string;
  readonly status: string;
  readonly error?: string;
}

export interface ContainerState {
  readonly name: string;
  readonly image: string;
  /** As `docker ps` prints it, e.g. `Up 3 hours (healthy)`. */
  readonly status: string;
  readonly state: 'running' | 'restarting' | 'unhealthy' | 'exited' | 'missing' | 'other';
}

export interface DiskUsage {
  readonly path: string;
  readonly mount: string;
  readonly sizeBytes: number;
  readonly freeBytes: number;
  readonly usedPercent: number;
}

export interface NodeHealth {
  readonly nodeId: string;
  /** The worst of the node's checks; fail when it cannot be reached. */
  readonly status: Health;
  /** When the node's last check finished. */
  readonly checkedAt?: string;
  /** A check of this node is under way. */
  readonly checking: boolean;
  readonly ssh: Check;
  /** Harbor's own health asked on the node (1.x /api/ping + /api/systeminfo, 2.x /api/v2.0/health). */
  readonly harbor: Check & { readonly components?: readonly HarborComponent[]; readonly version?: string };
  readonly containers: Check & { readonly list?: readonly ContainerState[] };
  readonly disks: Check & { readonly list?: readonly DiskUsage[] };
  readonly clock: Check & { readonly skewMs?: number };
  /** When TLS ends on the nodes: the certificate this node presents. */
  readonly certificate?: CertificateCheck;
  /** The node's TCP reach to each service of the graph (the edges node → service). */
  readonly reach: Partial<Record<ServiceId, Check>>;
}

export interface ServiceHealth {
  readonly id: ServiceId;
  /** fail: no node reaches it; warn: some nodes do not, or Harbor reports it unhealthy. */
  readonly status: Health;
  readonly checkedAt?: string;
  /** e.g. `reachable from 3 of 3 nodes`. */
  readonly summary?: Localized;
  readonly lastError?: { readonly nodeId?: string; readonly message: Localized; readonly at: string };
}

export interface LoadBalancerHealth {
  readonly status: Health;
  readonly checkedAt?: string;
  /** Harbor asked through the load balancer from this machine. */
  readonly harbor: Check;
  /** https: the certificate clients get through the load balancer. */
  readonly certificate?: CertificateCheck;
}

export interface TopologyProblem {
  /** Stable for the same problem across sweeps, e.g. `reach:redis`. */
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly subject: { readonly kind: 'node' | 'service' | 'lb' | 'cluster'; readonly id?: string };
  /** Nodes concerned. */
  readonly nodes: readonly string[];
  readonly title: Localized;
  /** The known fix. */
  readonly fix: Localized;
  /** Where the fix comes from (issue tracker references), e.g. `goharbor/harbor#20865`. */
  readonly refs?: readonly string[];
}

export interface TopologySnapshot {
  readonly profileId: string;
  /** Grows with every snapshot of this profile. */
  readonly seq: number;
  readonly sweep: {
    readonly running: boolean;
    /** Sweeps finished so far. */
    readonly count: number;
    readonly startedAt?: string;
    readonly finishedAt?: string;
    readonly durationMs?: number;
  };
  /** locked: nodes that sign in with a stored password cannot be checked until the vault is unlocked. */
  readonly vault: 'ok' | 'locked';
  readonly lb: LoadBalancerHealth;
  readonly nodes: readonly NodeHealth[];
  readonly services: readonly ServiceHealth[];
  readonly problems: readonly TopologyProblem[];
}

export const TOPOLOGY_INTERVAL = { min: 5_000, max: 3_600_000, default: 30_000 } as const;

export const topologyContract = {
  'topology.graph': call(
    z.object({ profileId }).strict(),
    'The topology drawn from a saved profile: load balancer, Harbor nodes and the services they use.',
  ).returns<TopologyGraph>(),
  'topology.sweep': call(
    z.object({ profileId }).strict(),
    'Checks the whole cluster now (or joins the sweep under way) and answers the snapshot when it is done. Fails with vault_locked when a node needs a stored password and the vault is locked.',
  ).returns<TopologySnapshot>(),
  'topology.watch': stream(
    z
      .object({
        profileId,
        intervalMs: z.number().int().min(TOPOLOGY_INTERVAL.min).max(TOPOLOGY_INTERVAL.max).default(TOPOLOGY_INTERVAL.default),
      })
      .strict(),
    'Live health: the latest snapshot at once, then a new one whenever a node, service or the load balancer has been checked. Sweeps repeat every intervalMs (the shortest of all watchers) while anyone watches.',
  ).emits<TopologySnapshot>(),
} as const;
