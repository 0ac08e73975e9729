/**
 * The messages that carry the contract over a transport. IPC and WebSocket use the same shapes,
 * so the client in the renderer does not care which one it has. No zod here: the sandboxed
 * preload imports this file and must stay small (the schemas are in wire-schema.ts).
 */
import type { ApiErrorData } from '../errors';

export type Envelope<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiErrorData };

/** What a stream subscription delivers, in order: any number of `data`, then one `end` or `error`. */
export type StreamMessage =
  | { readonly id: string; readonly kind: 'data'; readonly payload: unknown }
  | { readonly id: string; readonly kind: 'end' }
  | { readonly id: string; readonly kind: 'error'; readonly error: ApiErrorData };

/** Server → client over the WebSocket. */
export type ServerMessage =
  | { readonly t: 'result'; readonly id: number; readonly envelope: Envelope }
  | { readonly t: 'subscribed'; readonly id: string; readonly envelope: Envelope<null> }
  | ({ readonly t: 'stream' } & StreamMessage);

/** IPC channel names shared by main and the preload. */
export const IPC_CHANNELS = {
  call: 'harbor:call',
  subscribe: 'harbor:subscribe',
  unsubscribe: 'harbor:unsubscribe',
  stream: 'harbor:stream',
} as const;

/**
 * What the preload exposes as `window.harbor` and what the WebSocket transport implements:
 * untyped at this level; `renderer/api/client.ts` puts the contract's types on top.
 */
export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  call(name: string, input: unknown): Promise<Envelope>;
  subscribe(id: string, name: string, input: unknown, listener: (message: StreamMessage) => void): Promise<Envelope<null>>;
  unsubscribe(id: string): Promise<void>;
}
