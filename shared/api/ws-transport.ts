/**
 * The WebSocket transport of serve mode, written against the small part of the WebSocket API that
 * both browsers and the `ws` package share, so the renderer and Node tests use the same code.
 */
import { ApiError, errors, type ApiErrorData } from '../errors';
import { inputSizeIssue, MAX_MESSAGE_BYTES, utf8Bytes } from './limits';
import type { Envelope, ServerMessage, StreamMessage, Transport } from './wire';
import type { ClientMessage } from './wire-schema';
import { decodeBinaryFrame } from './ws-frames';

export interface WebSocketLike {
  readonly readyState: number;
  /** Browsers deliver binary frames as Blobs unless told otherwise (ws-frames.ts). */
  binaryType?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: { data?: unknown; code?: number }) => void): void;
}

const OPEN = 1;

const lostError = {
  code: 'transport' as const,
  message: {
    en: 'The connection to the app core was lost. Reload the page; if serve mode was restarted, open the new URL it printed.',
    'zh-CN': '与应用核心的连接已断开。请刷新页面；如果 serve 模式已重启，请打开它新打印的地址。',
  },
};

/** The server closed the socket for a message over its frame limit (1009). This client checks sizes first, so it is a client of another version. */
const tooLargeError = {
  code: 'transport' as const,
  message: {
    en: 'The app core closed the connection because a message was larger than it accepts. Reload the page.',
    'zh-CN': '应用核心关闭了连接，因为一条消息超过了它接受的大小。请刷新页面。',
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
    socket.addEventListener('close', () => reject(ApiError.from(lostError)));
  });
  // Nobody may be waiting on `ready`; the rejection is reported through pending calls instead.
  ready.catch(() => undefined);

  if (socket.binaryType === 'blob') socket.binaryType = 'arraybuffer';
  socket.addEventListener('message', (event) => {
    let message: ServerMessage;
    try {
      const data = event.data;
      message =
        data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? decodeBinaryFrame(data) : (JSON.parse(String(data)) as ServerMessage);
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
      listeners.get(message.id)?.(streamMessage);
      if (message.kind !== 'data') listeners.delete(message.id);
    }
  });

  socket.addEventListener('close', (event) => {
    closed = true;
    const closedError: ApiErrorData = event.code === 1009 ? tooLargeError : lostError;
    for (const resolve of pendingCalls.values()) resolve({ ok: false, error: closedError });
    for (const resolve of pendingSubs.values()) resolve({ ok: false, error: closedError });
    for (const [id, listener] of listeners) listener({ id, kind: 'error', error: closedError });
    pendingCalls.clear();
    pendingSubs.clear();
    listeners.clear();
  });

  /** Sends, or says why not: an error envelope when the socket is closed or the input too large for the core. */
  async function send(message: ClientMessage): Promise<Envelope<never> | null> {
    let text: string | undefined;
    try {
      text = JSON.stringify(message);
    } catch {
      // Not JSON (a BigInt, a cycle): inputSizeIssue says so below.
    }
    // An input the core would refuse is refused here, with the core's own words, before it could
    // exceed the server's frame limit and cost the connection (and every stream on it). A UTF-16
    // unit is at most 3 bytes of UTF-8, so short messages skip the count.
    if (message.t !== 'unsub' && (text === undefined || (text.length > MAX_MESSAGE_BYTES / 3 && utf8Bytes(text) > MAX_MESSAGE_BYTES))) {
      const issue = inputSizeIssue(message.input);
      if (issue) return { ok: false, error: errors.invalidInput(message.name, [issue]).toData() };
    }
    if (text === undefined) return { ok: false, error: lostError };
    // An open socket takes the message at once, in the caller's task: a call made while the page renders leaves
    // before the render ends rather than after it.
    if (socket.readyState !== OPEN) {
      try {
        await ready;
      } catch {
        return { ok: false, error: lostError };
      }
    }
    if (closed) return { ok: false, error: lostError };
    socket.send(text);
    return null;
  }

  return {
    kind: 'websocket',
    ready,
    close: () => socket.close(1000, 'client closed'),
    call(name, input) {
      const id = ++callId;
      return new Promise<Envelope>((resolve) => {
        pendingCalls.set(id, resolve);
        void send({ t: 'call', id, name, input }).then((failed) => {
          if (failed) {
            pendingCalls.delete(id);
            resolve(failed);
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
        void send({ t: 'sub', id, name, input }).then((failed) => {
          if (failed) {
            pendingSubs.delete(id);
            resolve(failed);
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
