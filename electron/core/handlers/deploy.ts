import type { CallsOf, StreamsOf } from '../api/dispatcher';
import type { DeployService } from '../deploy/service';

export function deployHandlers(deploy: DeployService): { calls: CallsOf<'deploy'>; streams: StreamsOf<'deploy'> } {
  return {
    calls: {
      'deploy.plan': ({ profileId, operation }) => deploy.plan(profileId, operation),
      'deploy.preview': ({ profileId, stepId, nodeId, options }) => deploy.preview(profileId, stepId, nodeId, options),
      'deploy.check': ({ profileId, options, ...selection }) => deploy.check(profileId, options, selection),
      'deploy.disruptions': ({ profileId, options, ...selection }) => deploy.disruptions(profileId, options, selection),
      'deploy.start': ({ profileId, ...request }) => deploy.start(profileId, request),
      'deploy.resume': ({ runId, ...request }) => deploy.resume(runId, request),
      'deploy.cancel': ({ runId }) => ({ cancelled: deploy.cancel(runId) }),
      'deploy.runs': ({ profileId, operation }) => deploy.runs(profileId, operation),
      'deploy.run': ({ runId }) => deploy.run(runId),
    },
    streams: {
      'deploy.events': ({ runId }, sink) => deploy.subscribe(runId, (e) => sink.next(e)),
    },
  };
}
