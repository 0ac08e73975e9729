/**
 * Live health of clusters. A sweep checks every node at once, each over an SSH connection of its
 * own (kept while the cluster is watched, see connections.ts: a node whose sshd stopped, or that
 * vanished behind a stale connection, shows within the connect timeout), and the load balancer from
 * this machine in parallel. Every finished node is published at once; watchers share one monitor per
 * profile, which sweeps on the shortest interval any of them asked for and stops when the last one
 * leaves (closing its connections).
 */
import type {
  Check,
  LoadBalancerHealth,
  NodeHealth,
  ServiceHealth,
  ServiceId,
  TopologyGraph,
  TopologySnapshot,
} from '../../../shared/api/contracts/topology';
import type { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import { toClientError } from '../api/errors';
import type { Log } from '../log';
import type { ProfileService } from '../profiles/service';
import type { SshPool } from '../ssh/pool';
import type { Vault } from '../vault/vault';
import { harborThroughLb, harborOnNode, L, LIMITS, nodeArgv, now, reachCheck, type NodeReport } from './checks';
import { HealthConnections } from './connections';
import { topologyGraph } from './graph';
import type { NodeKind } from './kind';
import { commandChecks, connectFailure } from './node-answers';
import { findProblems } from './problems';
import { aggregate, blankNode, serviceHealth, UNKNOWN } from './summary';

export interface HealthServiceOptions {
  readonly pool: SshPool;
  readonly profiles: ProfileService;
  readonly vault: Vault;
  /** What runs on the nodes and how their health reads (core.ts injects the Harbor adapter). */
  readonly kind: NodeKind;
  /** Where an unexpected failure of a watched sweep is told in full (its watchers get a reference). */
  readonly log: Pick<Log, 'error'>;
}

export type Listener = (snapshot: TopologySnapshot) => void;

export interface Watcher {
  readonly intervalMs: number;
  readonly listener: Listener;
  readonly onError: (error: ApiError) => void;
}

/** Whether checking the nodes reads the vault: a node or a hop in front of it logs in with a stored password or passphrase. */
export function needsVault(p: Profile): boolean {
  const auths = p.nodes.flatMap((n) => [n.auth, ...n.jumpHosts.map((j) => j.auth)]);
  return auths.some((a) => a.kind === 'password' || (a.kind === 'key' && 'set' in a.passphrase && a.passphrase.set));
}

export class ProfileMonitor {
  graph: TopologyGraph;
  profile: Profile;
  seq = 0;
  count = 0;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  running: Promise<TopologySnapshot> | null = null;
  vaultLocked = false;
  nodes = new Map<string, NodeHealth>();
  lb: LoadBalancerHealth = { status: 'unknown', harbor: UNKNOWN };
  keys = new Map<string, NodeReport['keys']>();
  csrf = new Map<string, NonNullable<NodeReport['csrf']>>();
  sshCodes = new Map<string, string>();
  lastErrors = new Map<ServiceId, NonNullable<ServiceHealth['lastError']>>();
  harborHost = new Map<string, { host?: string }>();
  watchers = new Set<Watcher>();
  timer: NodeJS.Timeout | null = null;
  readonly connections: HealthConnections;
  #emitQueued = false;

  constructor(
    readonly profileId: string,
    private readonly options: HealthServiceOptions,
  ) {
    this.profile = options.profiles.get(profileId).profile;
    this.graph = topologyGraph(this.profile);
    this.connections = new HealthConnections(options.pool, profileId);
    this.#reset();
  }

  #reset(): void {
    const old = this.nodes;
    this.nodes = new Map(this.graph.nodes.map((n) => [n.id, old.get(n.id) ?? blankNode(n.id, this.graph.services)]));
  }

  snapshot(): TopologySnapshot {
    const nodes = this.graph.nodes.map((n) => this.nodes.get(n.id) ?? blankNode(n.id, this.graph.services));
    return {
      profileId: this.profileId,
      seq: ++this.seq,
      sweep: {
        running: this.running !== null,
        count: this.count,
        ...(this.startedAt ? { startedAt: this.startedAt } : {}),
        ...(this.finishedAt ? { finishedAt: this.finishedAt } : {}),
        ...(this.durationMs !== undefined ? { durationMs: this.durationMs } : {}),
      },
      vault: this.vaultLocked ? 'locked' : 'ok',
      lb: this.lb,
      nodes,
      services: this.graph.services.map((s) => serviceHealth(s, nodes, this.options.kind, this.lastErrors.get(s.id))),
      problems: findProblems({
        graph: this.graph,
        kind: this.options.kind,
        nodes,
        lb: this.lb,
        keys: this.keys,
        csrf: this.csrf,
        dataVolume: this.profile.options.dataVolume,
        sshCodes: this.sshCodes,
      }),
    };
  }

  emitSoon(): void {
    if (this.#emitQueued || this.watchers.size === 0) return;
    this.#emitQueued = true;
    queueMicrotask(() => {
      this.#emitQueued = false;
      const snap = this.snapshot();
      for (const w of this.watchers) w.listener(snap);
    });
  }

  #noteError(service: ServiceId, nodeId: string | undefined, message: Localized | undefined, at: string | undefined): void {
    if (!message) return;
    this.lastErrors.set(service, { ...(nodeId ? { nodeId } : {}), message, at: at ?? now() });
  }

  sweep(): Promise<TopologySnapshot> {
    this.running ??= (async () => {
      try {
        await this.#sweep();
      } finally {
        this.running = null;
        this.schedule();
      }
      this.emitSoon();
      return this.snapshot();
    })();
    return this.running;
  }

  async #sweep(): Promise<void> {
    // A profile edited since the last sweep is drawn and checked as it is now.
    this.profile = this.options.profiles.get(this.profileId).profile;
    this.graph = topologyGraph(this.profile);
    this.#reset();
    this.connections.prune(this.profile.nodes.map((n) => n.id));
    this.vaultLocked = needsVault(this.profile) && this.options.vault.status().state !== 'unlocked';
    const started = performance.now();
    this.startedAt = now();
    for (const [id, n] of this.nodes) this.nodes.set(id, { ...n, checking: true });
    this.emitSoon();
    const graph = this.graph;
    await Promise.all([
      ...graph.nodes.map((n) => this.#checkNode(n.id).catch((error: unknown) => this.#nodeCrashed(n.id, error))),
      harborThroughLb(this.options.kind, graph, this.profile.access.certificate).then(({ certificate, ...harbor }) => {
        this.lb = {
          status: aggregate([harbor, ...(certificate ? [certificate] : [])]),
          ...(harbor.checkedAt ? { checkedAt: harbor.checkedAt } : {}),
          harbor,
          ...(certificate ? { certificate } : {}),
        };
        this.emitSoon();
      }),
    ]);
    this.count++;
    this.finishedAt = now();
    this.durationMs = Math.round(performance.now() - started);
  }

  #nodeCrashed(nodeId: string, error: unknown): void {
    const message = (error as Error)?.message ?? String(error);
    const prev = this.nodes.get(nodeId) ?? blankNode(nodeId, this.graph.services);
    this.nodes.set(nodeId, {
      ...prev,
      checking: false,
      status: 'unknown',
      checkedAt: now(),
      ssh: { status: 'unknown', checkedAt: now(), error: L(`The check failed: ${message}`, `检查失败：${message}`) },
    });
    this.emitSoon();
  }

  async #checkNode(nodeId: string): Promise<void> {
    const graphNode = this.graph.nodes.find((n) => n.id === nodeId)!;
    const services = this.graph.services;
    const started = performance.now();
    const profileNode = this.profile.nodes.find((n) => n.id === nodeId)!;
    let lease;
    try {
      lease = await this.connections.lease(profileNode, graphNode.label);
    } catch (error) {
      const { status, ssh, code } = connectFailure(error, started);
      if (code !== undefined) this.sshCodes.set(nodeId, code);
      this.nodes.set(nodeId, { ...blankNode(nodeId, services), status, checkedAt: ssh.checkedAt, ssh });
      this.keys.delete(nodeId);
      this.csrf.delete(nodeId);
      this.emitSoon();
      return;
    }
    this.sshCodes.delete(nodeId);
    const { connection } = lease;
    let broken = false;
    const ssh: Check = {
      status: 'ok',
      checkedAt: now(),
      latencyMs: Math.round(performance.now() - started),
      detail: connection.fingerprint,
    };
    try {
      const { client, target } = connection;
      const preferred = this.harborHost.get(nodeId) ?? {};
      this.harborHost.set(nodeId, preferred);
      const sentAt = Date.now();
      const [command, harbor, ...reach] = await Promise.all([
        this.options.pool
          .runOn(connection.ssh, target.label, nodeArgv(this.options.kind, this.profile), {
            profileId: this.profileId,
            purpose: 'topology: health check',
            origin: 'automatic',
            timeoutMs: LIMITS.commandMs,
          })
          .then((r) => ({ r, receivedAt: Date.now() }))
          .catch((error: unknown) => ({ error: error as Error, receivedAt: Date.now() })),
        harborOnNode(this.options.kind, client, target.label, this.profile, this.graph, graphNode.address, preferred),
        ...services.map((s) => reachCheck(client, target.label, s)),
      ]);
      const at = now();
      const { containers, disks, clock, report } = commandChecks(this.options.kind, this.profile, command, sentAt, at);
      if (report) {
        this.keys.set(nodeId, report.keys);
        if (report.csrf) this.csrf.set(nodeId, report.csrf);
        else this.csrf.delete(nodeId);
      } else {
        broken = true;
        this.keys.delete(nodeId);
        this.csrf.delete(nodeId);
      }
      for (const c of harbor.components ?? []) {
        const s = this.options.kind.componentService(c.name);
        if (s && c.status !== 'healthy' && services.some((x) => x.id === s)) {
          this.#noteError(
            s,
            nodeId,
            L(
              `Harbor on ${graphNode.name}: ${c.name} unhealthy${c.error ? `: ${c.error}` : ''}`,
              `${graphNode.name} 上的 Harbor：${c.name} 不健康${c.error ? `：${c.error}` : ''}`,
            ),
            harbor.checkedAt,
          );
        }
      }
      // The node's own measurement is the last word on a service's error.
      const reachBy: Partial<Record<ServiceId, Check>> = {};
      services.forEach((s, i) => {
        const r = reach[i]!;
        reachBy[s.id] = r;
        if (r.status === 'fail') this.#noteError(s.id, nodeId, r.error, r.checkedAt);
      });
      const { certificate, ...harborCheck } = harbor;
      const checks = [ssh, harborCheck, containers, disks, clock, ...(certificate ? [certificate] : []), ...Object.values(reachBy)];
      this.nodes.set(nodeId, {
        nodeId,
        status: aggregate(checks),
        checkedAt: at,
        checking: false,
        ssh,
        harbor: harborCheck,
        containers,
        disks,
        clock,
        ...(certificate ? { certificate } : {}),
        reach: reachBy,
      });
      this.emitSoon();
    } finally {
      lease.release(broken);
    }
  }

  shortestInterval(): number | null {
    let min: number | null = null;
    for (const w of this.watchers) min = min === null ? w.intervalMs : Math.min(min, w.intervalMs);
    return min;
  }

  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const interval = this.shortestInterval();
    if (this.running) return;
    // Nobody watches: the kept connections go too.
    if (interval === null) {
      this.connections.prune();
      return;
    }
    const since = this.finishedAt ? Date.now() - Date.parse(this.finishedAt) : interval;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.sweep().catch((error: unknown) => this.fail(error));
      },
      Math.max(0, interval - since),
    );
    this.timer.unref();
  }

  fail(error: unknown): void {
    // As the dispatcher answers a call: the message of an unexpected error may quote anything, so only the log has it.
    const api = toClientError(error, this.options.log);
    for (const w of [...this.watchers]) w.onError(api);
    this.watchers.clear();
    this.schedule();
  }
}
