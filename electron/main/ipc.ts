/**
 * Binds the contract to Electron IPC. Only imports Electron's types, so tests drive it with an
 * ipcMain-shaped emitter in plain Node. Every message is checked against the trusted-sender rule
 * before the dispatcher (which validates the input with the contract's schema) sees it.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CHANNELS, type Envelope, type StreamMessage } from '../../shared/api/wire';
import { subscriptionId } from '../../shared/api/wire-schema';
import { errors } from '../../shared/errors';
import type { Dispatcher } from '../core/api/dispatcher';

/** The part of `ipcMain` we use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The parts of the invoke event the trust rule and streaming need. */
type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

export const APP_ORIGIN = 'app://harbor';

/**
 * A sender is trusted when it is one of our windows' main frames showing our own origin. An
 * iframe, a navigated-away page or a destroyed frame is refused.
 */
export function isTrustedSender(event: SenderEvent, trustedContents: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  if (!frame || !trustedContents.has(event.sender.id)) return false;
  if (frame !== event.sender.mainFrame) return false;
  try {
    // WHATWG URL gives non-special schemes an opaque origin ("null"), so compare the parts.
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

function senderOrigin(event: SenderEvent): string {
  try {
    if (!event.senderFrame) return 'unknown';
    const url = new URL(event.senderFrame.url);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'unknown';
  }
}

export interface IpcBinding {
  /** Stops every open stream and removes the handlers. */
  dispose(): void;
}

export function bindIpc(ipc: IpcMainLike, dispatcher: Dispatcher, isTrusted: (event: SenderEvent) => boolean): IpcBinding {
  // Streams per WebContents, so a closed or reloaded window stops what it had opened.
  const streams = new Map<WebContents, Map<string, () => void>>();

  const refuse = (event: SenderEvent): Envelope<never> => ({
    ok: false,
    error: errors.untrustedSender(senderOrigin(event)).toData(),
  });

  ipc.handle(IPC_CHANNELS.call, async (event, name, input) => {
    if (!isTrusted(event)) return refuse(event);
    return dispatcher.call(name, input, { transport: 'ipc' });
  });

  ipc.handle(IPC_CHANNELS.subscribe, (event, id, name, input): Envelope<null> => {
    if (!isTrusted(event)) return refuse(event);
    const idCheck = subscriptionId.safeParse(id);
    if (!idCheck.success) {
      return {
        ok: false,
        error: errors
          .invalidInput('subscribe', [{ path: 'id', message: { en: 'invalid subscription id', 'zh-CN': '订阅编号无效' } }])
          .toData(),
      };
    }
    const contents = event.sender;
    let mine = streams.get(contents);
    if (!mine) {
      const own = new Map<string, () => void>();
      streams.set(contents, own);
      const stopAll = () => {
        for (const stop of own.values()) stop();
        own.clear();
        streams.delete(contents);
      };
      contents.once('destroyed', stopAll);
      contents.once('did-navigate', stopAll);
      contents.once('render-process-gone', stopAll);
      mine = own;
    }
    if (mine.has(idCheck.data)) {
      return {
        ok: false,
        error: errors
          .invalidInput('subscribe', [{ path: 'id', message: { en: 'subscription id already in use', 'zh-CN': '订阅编号已被占用' } }])
          .toData(),
      };
    }
    const table = mine;
    const { envelope, stop } = dispatcher.subscribe(
      idCheck.data,
      name,
      input,
      (message: StreamMessage) => {
        if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.stream, message);
        if (message.kind !== 'data') table.delete(message.id);
      },
      { transport: 'ipc' },
    );
    if (envelope.ok) table.set(idCheck.data, stop);
    return envelope;
  });

  ipc.handle(IPC_CHANNELS.unsubscribe, (event, id) => {
    if (!isTrusted(event)) return refuse(event);
    if (typeof id !== 'string') return { ok: true, value: null };
    const table = streams.get(event.sender);
    table?.get(id)?.();
    table?.delete(id);
    return { ok: true, value: null };
  });

  return {
    dispose() {
      for (const channel of Object.values(IPC_CHANNELS)) if (channel !== IPC_CHANNELS.stream) ipc.removeHandler(channel);
      for (const table of streams.values()) for (const stop of table.values()) stop();
      streams.clear();
    },
  };
}
