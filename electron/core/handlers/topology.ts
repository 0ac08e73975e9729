import type { CallsOf, StreamsOf } from '../api/dispatcher';
import type { HealthService } from '../health/service';

/** The topology page: the graph of a profile, a sweep on demand, and live health. */
export function topologyHandlers(health: HealthService): { calls: CallsOf<'topology'>; streams: StreamsOf<'topology'> } {
  return {
    calls: {
      'topology.graph': ({ profileId }) => health.graph(profileId),
      'topology.sweep': ({ profileId }) => health.sweep(profileId),
    },
    streams: {
      'topology.watch': ({ profileId, intervalMs }, sink) =>
        health.watch(
          profileId,
          intervalMs,
          (snapshot) => sink.next(snapshot),
          (error) => sink.fail(error),
        ),
    },
  };
}
