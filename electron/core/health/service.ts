/**
 * Live health as the API offers it: one monitor per profile (monitor.ts), shared by everyone who
 * watches that profile; a sweep asked for while the vault it needs is locked is refused at once.
 */
import type { TopologyGraph, TopologySnapshot } from '../../../shared/api/contracts/topology';
import { ApiError } from '../../../shared/errors';
import { L } from './checks';
import { topologyGraph } from './graph';
import { needsVault, ProfileMonitor, type HealthServiceOptions, type Listener, type Watcher } from './monitor';

export class HealthService {
  readonly #monitors = new Map<string, ProfileMonitor>();

  constructor(private readonly options: HealthServiceOptions) {}

  #monitor(profileId: string): ProfileMonitor {
    let m = this.#monitors.get(profileId);
    if (!m) {
      m = new ProfileMonitor(profileId, this.options);
      this.#monitors.set(profileId, m);
    }
    return m;
  }

  graph(profileId: string): TopologyGraph {
    return topologyGraph(this.options.profiles.get(profileId).profile);
  }

  /** Checks the cluster now (or joins the sweep under way). */
  async sweep(profileId: string): Promise<TopologySnapshot> {
    const profile = this.options.profiles.get(profileId).profile;
    const state = this.options.vault.status().state;
    if (needsVault(profile) && state !== 'unlocked') {
      throw new ApiError({
        code: 'vault_locked',
        reason: state,
        message: L(
          'Unlock the vault to check the nodes: their SSH passwords are stored there.',
          '请解锁保险库后再检查节点：节点的 SSH 密码保存在其中。',
        ),
      });
    }
    return this.#monitor(profileId).sweep();
  }

  /** The latest snapshot at once, then one per change; sweeps every `intervalMs` while watched. */
  watch(profileId: string, intervalMs: number, listener: Listener, onError: (error: ApiError) => void): () => void {
    this.options.profiles.get(profileId);
    const m = this.#monitor(profileId);
    const w: Watcher = { intervalMs, listener, onError };
    m.watchers.add(w);
    listener(m.snapshot());
    if (!m.running) {
      const due = !m.finishedAt || Date.now() - Date.parse(m.finishedAt) >= intervalMs;
      if (due) void m.sweep().catch((error: unknown) => m.fail(error));
      else m.schedule();
    }
    return () => {
      m.watchers.delete(w);
      m.schedule();
    };
  }

  /** Stops every timer (the core is closing). */
  close(): void {
    for (const m of this.#monitors.values()) {
      m.watchers.clear();
      m.schedule();
    }
  }
}
