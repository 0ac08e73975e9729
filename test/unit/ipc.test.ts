/** The IPC binding of electron/main, driven through an ipcMain-shaped emitter (test/helpers/ipc.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { createLog, Redactor } from '../../electron/core/log';
import { IPC_CHANNELS } from '../../shared/api/wire';
import { FakeWebContents, ipcWindow } from '../helpers/ipc';

function setup() {
  const core = createCore({
    host: {
      name: 'Harbor HA Deployer',
      version: '9.9.9',
      electron: '45.5.0',
      chrome: '140',
      locale: 'zh-CN',
      dataDir: mkdtempSync(join(tmpdir(), 'harbor-ipc-')),
    },
    log: createLog({ redactor: new Redactor(), minLevel: 'error' }),
    redactor: new Redactor(),
  });
  return ipcWindow(core.dispatcher);
}

describe('IPC binding', () => {
  it('answers the trusted window with values from the core', async () => {
    const { ipc, mainEvent } = setup();
    const env = await ipc.invoke(mainEvent, IPC_CHANNELS.call, 'app.info', {});
    expect(env.ok).toBe(true);
    expect(env.ok && env.value).toMatchObject({ version: '9.9.9', transport: 'ipc', locale: 'zh-CN', versions: { electron: '45.5.0' } });
  });

  it('refuses untrusted senders before anything reaches the core', async () => {
    const { ipc, window } = setup();
    const stranger = new FakeWebContents('app://harbor/index.html'); // not one of our windows
    const iframe = { url: 'app://harbor/index.html' }; // a subframe of our window
    const foreign = new FakeWebContents('https://evil.example/');
    const cases = [
      { sender: stranger, senderFrame: stranger.mainFrame },
      { sender: window, senderFrame: iframe },
      { sender: window, senderFrame: null },
      { sender: foreign, senderFrame: foreign.mainFrame },
    ];
    for (const event of cases) {
      for (const [channel, args] of [
        [IPC_CHANNELS.call, ['app.info', {}]],
        [IPC_CHANNELS.subscribe, ['s1', 'app.clock', { intervalMs: 1000 }]],
        [IPC_CHANNELS.unsubscribe, ['s1']],
      ] as const) {
        const env = await ipc.invoke(event, channel, ...args);
        expect(env.ok).toBe(false);
        if (!env.ok) {
          expect(env.error.code).toBe('untrusted_sender');
          expect(env.error.message['zh-CN']).toContain('不受信任');
        }
      }
    }
    expect(stranger.sent).toHaveLength(0);
  });

  it('refuses a trusted window once it shows another origin', async () => {
    const { ipc, window, mainEvent } = setup();
    window.mainFrame.url = 'https://evil.example/phish';
    const env = await ipc.invoke(mainEvent, IPC_CHANNELS.call, 'app.info', {});
    expect(!env.ok && env.error.code).toBe('untrusted_sender');
    expect(!env.ok && env.error.message.en).toContain('https://evil.example');
  });

  it('validates input with the contract schema', async () => {
    const { ipc, mainEvent } = setup();
    const env = await ipc.invoke(mainEvent, IPC_CHANNELS.call, 'app.info', { extra: true });
    expect(!env.ok && env.error.code).toBe('invalid_input');
    const unknown = await ipc.invoke(mainEvent, IPC_CHANNELS.call, 'fs.readFile', { path: '/etc/shadow' });
    expect(!unknown.ok && unknown.error.code).toBe('unknown_call');
    const badId = await ipc.invoke(mainEvent, IPC_CHANNELS.subscribe, '../x y', 'app.clock', { intervalMs: 1000 });
    expect(!badId.ok && badId.error.code).toBe('invalid_input');
  });

  it('streams events to the subscribing window and stops when told, or when the window goes away', async () => {
    const { ipc, window, mainEvent } = setup();
    const sub = await ipc.invoke(mainEvent, IPC_CHANNELS.subscribe, 'tick1', 'app.clock', { intervalMs: 100 });
    expect(sub.ok).toBe(true);
    const dup = await ipc.invoke(mainEvent, IPC_CHANNELS.subscribe, 'tick1', 'app.clock', { intervalMs: 100 });
    expect(dup.ok).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect(window.sent.length).toBeGreaterThanOrEqual(2);
    expect(window.sent.every((m) => m.id === 'tick1' && m.kind === 'data')).toBe(true);
    await ipc.invoke(mainEvent, IPC_CHANNELS.unsubscribe, 'tick1');
    const after = window.sent.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(window.sent.length).toBe(after);

    await ipc.invoke(mainEvent, IPC_CHANNELS.subscribe, 'tick2', 'app.clock', { intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 150));
    window.destroy();
    const atDestroy = window.sent.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(window.sent.length).toBe(atDestroy);
  });

  it('removes its handlers and stops streams on dispose', async () => {
    const { ipc, binding, window, mainEvent } = setup();
    await ipc.invoke(mainEvent, IPC_CHANNELS.subscribe, 't', 'app.clock', { intervalMs: 100 });
    binding.dispose();
    expect(ipc.handlers.size).toBe(0);
    const count = window.sent.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(window.sent.length).toBe(count);
  });
});
