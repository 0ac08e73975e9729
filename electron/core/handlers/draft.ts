import type { CallsOf } from '../api/dispatcher';
import type { FormTests } from '../profiles/form-tests';

export function draftHandlers(tests: FormTests): CallsOf<'draft'> {
  return {
    'draft.testNodes': ({ profile, nodeIds }) => tests.testNodes(profile, nodeIds),
    'draft.testService': ({ profile, service, fromNode }) => tests.testService(profile, service, fromNode),
    'draft.createHarborAccount': async ({ profile, fromNode }) => {
      await tests.createHarborAccount(profile, fromNode);
      return null;
    },
  };
}
