/**
 * Input size limits (shared/api/limits.ts): how they are measured and derived, and that Electron's
 * IPC path refuses what the WebSocket refuses, in the same words, through the dispatcher.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { createLog, Redactor } from '../../electron/core/log';
import { bindIpc, type IpcMainLike } from '../../electron/main/ipc';
import { MAX_FILE_BYTES, MAX_INPUT_BYTES, MAX_MESSAGE_BYTES, utf8Bytes } from '../../shared/api/limits';
import { IPC_CHANNELS, type Envelope } from '../../shared/api/wire';

describe('measuring and deriving the limits', () => {
  it('counts UTF-8 bytes as Node encodes them, surrogate pairs and lone surrogates included', () => {
    const alphabet = ['a', '\u0001', '\u00e9', '\u4e2d', '\u{1f600}', '\ud800', '\udc00', '\uffff', '"', '\\'];
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let i = randomInt(40); i > 0; i--) text += alphabet[randomInt(alphabet.length)];
      expect(utf8Bytes(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });

  it('lets the largest legal input through in one message, whatever the envelope around it', () => {
    // A file at its limit in its costliest JSON spelling, with the other fields of the import at their limits.
    const input = { fileName: '\u0001'.repeat(255), content: '\u0001'.repeat(MAX_FILE_BYTES), passphrase: '\u0001'.repeat(1024) };
    const inputBytes = Buffer.byteLength(JSON.stringify(input));
    expect(inputBytes).toBeLessThanOrEqual(MAX_INPUT_BYTES);
    // The costliest envelopes: the largest call id, a 128-character name, a 64-character subscription id.
    const name = '\u0001'.repeat(128);
    for (const envelope of [
      { t: 'call', id: Number.MAX_SAFE_INTEGER, name, input: null },
      { t: 'sub', id: 'x'.repeat(64), name, input: null },
    ]) {
      const around = Buffer.byteLength(JSON.stringify(envelope)) - 'null'.length;
      expect(MAX_INPUT_BYTES + around).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    }
  });
});

/** Just enough of ipcMain to invoke the binding's handlers as a trusted window would. */
class IpcMain implements IpcMainLike {
  private readonly handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, ...args: unknown[]): Promise<Envelope> {
    const sender = { id: 1, once: () => undefined, isDestroyed: () => false, send: () => undefined };
    return (await this.handlers.get(channel)!({ sender } as unknown as IpcMainInvokeEvent, ...args)) as Envelope;
  }
}

describe('the IPC path', () => {
  const core = createCore({
    host: {
      name: 'Harbor HA Deployer',
      version: '9.9.9',
      electron: '45.5.0',
      chrome: '140',
      locale: 'en',
      dataDir: mkdtempSync(join(tmpdir(), 'harbor-limits-')),
    },
    log: createLog({ redactor: new Redactor(), minLevel: 'error' }),
    redactor: new Redactor(),
  });
  const ipc = new IpcMain();
  // The trust rule has its own tests (ipc.test.ts); here every sender is our window.
  const binding = bindIpc(ipc, core.dispatcher, () => true);

  afterAll(async () => {
    binding.dispose();
    await core.close();
  });

  it('refuses an input over the limit as the WebSocket does, for calls and subscriptions', async () => {
    const profile = 'x'.repeat(MAX_INPUT_BYTES);
    const viaIpc = await ipc.invoke(IPC_CHANNELS.call, 'profiles.validate', { profile });
    const viaWebSocket = await core.dispatcher.call('profiles.validate', { profile }, { transport: 'websocket' });
    expect(viaIpc).toEqual(viaWebSocket);
    expect(viaIpc).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: '', message: { en: expect.stringContaining('at most 7 MiB') } }] },
    });

    const sub = await ipc.invoke(IPC_CHANNELS.subscribe, 's1', 'app.clock', { intervalMs: 100, pad: profile });
    expect(sub).toMatchObject({ ok: false, error: { code: 'invalid_input', message: { en: expect.stringContaining('at most 7 MiB') } } });
  });

  it('refuses file content over its limit in bytes, though within it in characters', async () => {
    const envelope = await ipc.invoke(IPC_CHANNELS.call, 'profiles.import', { content: '\u4e2d'.repeat(MAX_FILE_BYTES / 3 + 1) });
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'content', message: { en: expect.stringContaining('at most 1 MiB') } }] },
    });
  });

  it('refuses an input that is not plain JSON data (a cycle, which structured clone can carry; nesting too deep) as invalid input', async () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    // As JSON.parse builds it from a message of 2 MB: parsing is iterative, walking it is not.
    const deep = JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`) as unknown;
    for (const profile of [loop, deep]) {
      const envelope = await ipc.invoke(IPC_CHANNELS.call, 'profiles.validate', { profile });
      expect(envelope).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', issues: [{ message: { en: expect.stringMatching(/^the input is not plain JSON data/) } }] },
      });
    }
  });
});
