import type { CallsOf } from '../api/dispatcher';
import type { CloudService } from '../cloud/service';

/** The profile's Aliyun resources: read, the nodes let into a whitelist with consent, the RAM policy. */
export function cloudHandlers(cloud: CloudService): { calls: CallsOf<'cloud'> } {
  return {
    calls: {
      'cloud.status': ({ profileId }) => cloud.status(profileId),
      'cloud.allowNodes': ({ profileId, service, nodeIds }) => cloud.allowNodes(profileId, service, nodeIds),
      'cloud.policy': ({ profileId }) => cloud.policy(profileId),
    },
  };
}
