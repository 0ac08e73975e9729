import type { CallsOf } from '../api/dispatcher';
import type { SnippetService } from '../snippets/service';

export function snippetHandlers(snippets: SnippetService): CallsOf<'snippets'> {
  return {
    'snippets.list': ({ profileId }) => snippets.list(profileId),
    'snippets.render': ({ profileId, id, parameters }) => snippets.render(profileId, id, parameters),
    'snippets.save': ({ profileId, id, name, description, command }) =>
      snippets.save(profileId, { ...(id ? { id } : {}), name, description, command }),
    'snippets.delete': ({ profileId, id }) => snippets.delete(profileId, id),
  };
}
