/**
 * The sandboxed preload: exposes the contract's transport as `window.harbor` and nothing else.
 * Only the four channels of the contract are reachable, and the page never gets `ipcRenderer`
 * or an IPC event object.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type Envelope, type StreamMessage, type Transport } from '../../shared/api/wire';

/**
 * Names look like `area.action`. Main checks them against the contract; this only keeps junk
 * off the wire without pulling the contract's schemas (and zod) into the preload.
 */
const NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;
const isName = (name: unknown): name is string => typeof name === 'string' && name.length <= 128 && NAME.test(name);

const listeners = new Map<string, (message: StreamMessage) => void>();

ipcRenderer.on(IPC_CHANNELS.stream, (_event, message: StreamMessage) => {
  const listener = listeners.get(message.id);
  if (!listener) return;
  if (message.kind !== 'data') listeners.delete(message.id);
  listener(message);
});

const unknown = (name: unknown): Envelope<never> => ({
  ok: false,
  error: {
    code: 'unknown_call',
    message: {
      en: `Unknown API call "${String(name)}".`,
      'zh-CN': `未知的 API 调用“${String(name)}”。`,
    },
  },
});

const harbor: Transport = {
  kind: 'ipc',
  async call(name, input) {
    if (!isName(name)) return unknown(name);
    return (await ipcRenderer.invoke(IPC_CHANNELS.call, name, input)) as Envelope;
  },
  async subscribe(id, name, input, listener) {
    if (!isName(name)) return unknown(name);
    // Listen first: the first event may arrive right behind the acknowledgement.
    listeners.set(id, listener);
    const envelope = (await ipcRenderer.invoke(IPC_CHANNELS.subscribe, id, name, input)) as Envelope<null>;
    if (!envelope.ok) listeners.delete(id);
    return envelope;
  },
  async unsubscribe(id) {
    listeners.delete(id);
    await ipcRenderer.invoke(IPC_CHANNELS.unsubscribe, id);
  },
};

contextBridge.exposeInMainWorld('harbor', harbor);
