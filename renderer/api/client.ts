/**
 * The renderer's one way to the core: the Electron preload's `window.harbor` when there is one,
 * otherwise the serve-mode WebSocket on the page's own origin (the token travels as a cookie).
 */
import { createClient, type ApiClient } from '../../shared/api/client';
import { createWsTransport } from '../../shared/api/ws-transport';

export function connect(): ApiClient {
  if (window.harbor) return createClient(window.harbor);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const transport = createWsTransport(new WebSocket(`${scheme}//${location.host}/api`));
  return createClient(transport);
}
