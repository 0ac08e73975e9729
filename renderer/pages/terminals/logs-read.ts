/**
 * The Logs panel's reads (LogsPanel.tsx). Its first read can be asked for from the click on the Logs switch
 * (TerminalsPage.tsx), before the page renders the panel at all: the answer is then on its way during that render.
 */
import type { ApiClient } from '../../../shared/api/client';
import type { LogChunk, LogCursors, LogFilter } from '../../../shared/api/contracts/logs';
import { FIRST_LOG_CHUNK } from '../../../shared/api/contracts/logs';

/** The end of every file (the panel's first read: a screenful many times over), or the chunk before `before`. */
export function readChunk(
  api: ApiClient,
  profileId: string,
  nodeIds: readonly string[],
  filter: LogFilter,
  before?: LogCursors,
): Promise<LogChunk> {
  return api.call('logs.read', { profileId, nodeIds: [...nodeIds], filter, ...(before ? { before } : { chunkBytes: FIRST_LOG_CHUNK }) });
}

/** A first read asked for ahead of the panel, for the cluster and nodes it was asked for. */
let ahead: { readonly key: string; readonly answer: Promise<LogChunk> } | null = null;
const keyOf = (profileId: string, nodeIds: readonly string[]) => JSON.stringify([profileId, nodeIds]);

/** Asks for the panel's first read (no filters) of the nodes now; the panel about to open takes it. */
export function readAhead(api: ApiClient, profileId: string, nodes: readonly { readonly id: string }[]): void {
  const nodeIds = nodes.map((n) => n.id);
  if (nodeIds.length === 0) return;
  const answer = readChunk(api, profileId, nodeIds, {});
  answer.catch(() => undefined); // handled where the panel shows it; this keeps an early failure from being "unhandled"
  ahead = { key: keyOf(profileId, nodeIds), answer };
}

/** The panel's first read: the one asked for ahead when it is for the same cluster and nodes, else asked for now. */
export function takeFirstRead(api: ApiClient, profileId: string, nodeIds: readonly string[]): Promise<LogChunk> | null {
  if (nodeIds.length === 0) return null;
  const taken = ahead?.key === keyOf(profileId, nodeIds) ? ahead.answer : null;
  ahead = null;
  if (taken) return taken;
  const answer = readChunk(api, profileId, nodeIds, {});
  answer.catch(() => undefined); // as above
  return answer;
}
