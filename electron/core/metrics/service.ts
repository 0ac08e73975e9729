/** Live metrics per (profile, node): one sampler each, kept for the session so its history outlives a closed panel. */
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { METRICS } from '../../../shared/api/contracts/metrics';
import { NodeSampler, type MetricsListener, type SamplerOptions } from './sampler';

export type MetricsServiceOptions = Omit<SamplerOptions, 'intervalMs' | 'historyMs'> &
  Partial<Pick<SamplerOptions, 'intervalMs' | 'historyMs'>>;

export class MetricsService {
  readonly #samplers = new Map<string, NodeSampler>();
  readonly #options: SamplerOptions;

  constructor(options: MetricsServiceOptions) {
    this.#options = { intervalMs: METRICS.intervalMs, historyMs: METRICS.historyMs, ...options };
  }

  /** The node's history at once, then each sample; throws not_found for an unknown profile or node. */
  watch(profileId: string, nodeId: string, listener: MetricsListener): () => void {
    const profile = this.#options.profile(profileId);
    if (!profile.nodes.some((n) => n.id === nodeId)) {
      throw new ApiError({
        code: 'not_found',
        message: L(`The profile has no node "${nodeId}".`, `集群配置中没有节点“${nodeId}”。`),
      });
    }
    const key = `${profileId}/${nodeId}`;
    let sampler = this.#samplers.get(key);
    if (!sampler) {
      sampler = new NodeSampler(this.#options, profileId, nodeId);
      this.#samplers.set(key, sampler);
    }
    return sampler.watch(listener);
  }

  /** Whether the node is being sampled (someone watches it). */
  sampling(profileId: string, nodeId: string): boolean {
    return this.#samplers.get(`${profileId}/${nodeId}`)?.sampling ?? false;
  }

  /** Stops every sampler (the core is closing). */
  close(): void {
    for (const s of this.#samplers.values()) s.stop();
  }
}
