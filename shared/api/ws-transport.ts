/**
 * The WebSocket transport of serve mode, written against the small part of the WebSocket API that
 * both browsers and the `ws` package share, so the renderer and Node tests use the same code.
 */
import { ApiError } from '../errors';
import type { Envelope, ServerMessage, StreamMessage, Transport } from './wire';

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: { data?: unknown }) => void): void;
}

const OPEN = 1;

const closedError = {
  code: 'transport' as const,
  message: {
    en: 'The connection to the app core was lost. Reload the page; if serve mode was restarted, open the new URL it printed.',
    'zh-CN': '与应用核心的连接已断开。请刷新页面；如果 serve 模式已重启，请打开它新打印的地址。',
  },
};

export interface WsTransport extends Transport {
  /** Resolves when the socket is open; rejects if it closes first (e.g. refused by the server). */
  readonly ready: Promise<void>;
  close(): void;
}

export function createWsTransport(socket: WebSocketLike): WsTransport {
  let callId = 0;
  const pendingCalls = new Map<number, (e: Envelope) => void>();
  const pendingSubs = new Map<string, (e: Envelope<null>) => void>();
  const listeners = new Map<string, (m: StreamMessage) => void>();
  let closed = false;

  const ready = new Promise<void>((resolve, reject) => {
    if (socket.readyState === OPEN) resolve();
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('close', () => reject(ApiError.from(closedError)));
  });
  // Nobody may be waiting on `ready`; the rejection is reported through pending calls instead.
  ready.catch(() => undefined);

  socket.addEventListener('message', (event) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.t === 'result') {
      pendingCalls.get(message.id)?.(message.envelope);
      pendingCalls.delete(message.id);
    } else if (message.t === 'subscribed') {
      pendingSubs.get(message.id)?.(message.envelope);
      pendingSubs.delete(message.id);
    } else if (message.t === 'stream') {
      const { t: _t, ...streamMessage } = message;
      listeners.get(message.id)?.(streamMessage as StreamMessage);
      if (message.kind !== 'data') listeners.delete(message.id);
    }
  });

  socket.addEventListener('close', () => {
    closed = true;
    for (const resolve of pendingCalls.values()) resolve({ ok: false, error: closedError });
    for (const resolve of pendingSubs.values()) resolve({ ok: false, error: closedError });
    for (const [id, listener] of listeners) listener({ id, kind: 'error', error: closedError });
    pendingCalls.clear();
    pendingSubs.clear();
    listeners.clear();
  });

  async function send(message: unknown): Promise<boolean> {
    try {
      await ready;
    } catch {
      return false;
    }
    if (closed) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  return {
    kind: 'websocket',
    ready,
    close: () => socket.close(1000, 'client closed'),
    call(name, input) {
      const id = ++callId;
      return new Promise<Envelope>((resolve) => {
        pendingCalls.set(id, resolve);
        void send({ t: 'call', id, name, input }).then((sent) => {
          if (!sent) {
            pendingCalls.delete(id);
            resolve({ ok: false, error: closedError });
          }
        });
      });
    },
    subscribe(id, name, input, listener) {
      return new Promise<Envelope<null>>((resolve) => {
        pendingSubs.set(id, (envelope) => {
          if (envelope.ok) listeners.set(id, listener);
          resolve(envelope);
        });
        void send({ t: 'sub', id, name, input }).then((sent) => {
          if (!sent) {
            pendingSubs.delete(id);
            resolve({ ok: false, error: closedError });
          }
        });
      });
    },
    async unsubscribe(id) {
      listeners.delete(id);
      await send({ t: 'unsub', id });
    },
  };
}
