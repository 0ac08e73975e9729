/**
 * Electron's ipcMain and a window's WebContents, as far as the IPC binding of electron/main uses
 * them: Electron itself cannot run in the tests, but the binding only needs `handle`, the
 * sender's frame and `send`.
 */
import { EventEmitter } from 'node:events';
import type { IpcMainInvokeEvent } from 'electron';
import type { Dispatcher } from '../../electron/core/api/dispatcher';
import { bindIpc, isTrustedSender, type IpcMainLike } from '../../electron/main/ipc';
import { IPC_CHANNELS, type Envelope, type StreamMessage } from '../../shared/api/wire';

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  async invoke(event: unknown, channel: string, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return (await handler(event as IpcMainInvokeEvent, ...args)) as Envelope;
  }
}

export class FakeWebContents extends EventEmitter {
  static next = 1;
  readonly id = FakeWebContents.next++;
  readonly sent: StreamMessage[] = [];
  destroyed = false;
  readonly mainFrame: { url: string };
  constructor(url: string) {
    super();
    this.mainFrame = { url };
  }
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, message: StreamMessage) {
    if (channel === IPC_CHANNELS.stream) this.sent.push(message);
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

/** The IPC binding over `dispatcher` with one trusted app window, as the desktop app has it. */
export function ipcWindow(dispatcher: Dispatcher) {
  const ipc = new FakeIpcMain();
  const trusted = new Set<number>();
  const binding = bindIpc(ipc, dispatcher, (e) => isTrustedSender(e, trusted));
  const window = new FakeWebContents('app://harbor/index.html');
  trusted.add(window.id);
  const mainEvent = { sender: window, senderFrame: window.mainFrame };
  return {
    ipc,
    trusted,
    binding,
    window,
    mainEvent,
    call: (name: string, input: unknown) => ipc.invoke(mainEvent, IPC_CHANNELS.call, name, input),
  };
}
