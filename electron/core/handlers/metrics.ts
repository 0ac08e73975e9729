import type { StreamsOf } from '../api/dispatcher';
import type { MetricsService } from '../metrics/service';

/** The Terminals page's Metrics panel: a node's live metrics while it is watched. */
export function metricsHandlers(metrics: MetricsService): { streams: StreamsOf<'metrics'> } {
  return {
    streams: {
      'metrics.watch': ({ profileId, nodeId }, sink) => metrics.watch(profileId, nodeId, (event) => sink.next(event)),
    },
  };
}
