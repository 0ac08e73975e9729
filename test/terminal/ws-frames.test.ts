/**
 * Terminal output over serve mode's WebSocket, as the renderer receives it (shared/api/ws-transport.ts
 * over the `ws` package, the same code the page runs): binary frames that carry the text as the
 * UTF-8 the shell printed, with nothing escaped, and put back exactly into the events.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../../electron/core/serve/server';
import { createClient } from '../../shared/api/client';
import type { TerminalEvent } from '../../shared/api/contracts/terminal';
import { createWsTransport, type WebSocketLike, type WsTransport } from '../../shared/api/ws-transport';
import { testCore } from '../helpers/core';
import { saveLabProfile } from '../helpers/lab-profile';
import { caller } from '../helpers/terminal';
import * as lab from '../lab';

let l: lab.Lab;
let serve: ServeHandle;
let transport: WsTransport | undefined;
const core = testCore();

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: [] });
  await core.vault.initialize('vault passphrase for the frame tests');
  await saveLabProfile(core.profiles, l);
  const call = caller(core);
  const first = await call<{ status: string; fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId: 'n1' });
  if (first.status === 'host_key_unknown') await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
  serve = await startServe({ dispatcher: core.dispatcher, log: core.log, staticDir: mkdtempSync(join(tmpdir(), 'harbor-frames-static-')) });
}, 180_000);

afterAll(async () => {
  transport?.close();
  await serve?.close();
  await core.close();
  await l?.down();
});

describe('terminal output on the WebSocket', () => {
  it('arrives in binary frames holding the UTF-8 the shell printed, and as the same text in the events', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${serve.port}/api`, {
      headers: { Origin: serve.origin, Cookie: `harbor_token=${serve.token}` },
      perMessageDeflate: false,
    });
    /** Every frame from the core: binary or text, and its size. */
    const frames: { binary: boolean; bytes: number }[] = [];
    socket.on('message', (data: Buffer, isBinary: boolean) => frames.push({ binary: isBinary, bytes: data.length }));
    transport = createWsTransport(socket as unknown as WebSocketLike);
    await transport.ready;
    const api = createClient(transport);
    const info = await api.call('terminal.open', { profileId: 'lab', nodeId: 'n1', cols: 120, rows: 40 });
    let text = '';
    let dataEvents = 0;
    await api.subscribe(
      'terminal.output',
      { sessionId: info.sessionId },
      {
        next: (e: TerminalEvent) => {
          if (e.kind !== 'data') return;
          dataEvents++;
          text += e.data;
          void api.call('terminal.ack', { sessionId: info.sessionId, chars: e.data.length });
        },
      },
    );
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 600 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(test()).toBe(true);
    };
    await until(() => /[#$] $/.test(text));

    // Colours (ESC, which JSON writes as six bytes), Chinese, an emoji (a surrogate pair) and CR LF, many times over.
    const line = '\x1b[1;31m红色 harbor 🚢\x1b[0m';
    const start = text.length;
    const framesBefore = frames.length;
    await api.call('terminal.input', {
      sessionIds: [info.sessionId],
      data: `for i in $(seq 3000); do printf '\\033[1;31m红色 harbor 🚢\\033[0m\\n'; done; echo "DONE""-MARK"\r`,
    });
    await until(() => text.includes('DONE-MARK\r\n'));
    const output = text.slice(start);
    expect(output.split(`${line}\r\n`).length - 1).toBe(3000);
    expect(output).not.toContain('\ufffd');

    const dataFrames = frames.slice(framesBefore).filter((f) => f.binary);
    expect(dataFrames.length).toBeGreaterThan(0);
    // Every data event came in a binary frame; text frames are the answers to calls.
    expect(frames.filter((f) => f.binary)).toHaveLength(dataEvents);
    // The wire carries the output's own UTF-8 and a small header per frame, nothing escaped.
    const utf8 = Buffer.byteLength(output);
    const wire = dataFrames.reduce((sum, f) => sum + f.bytes, 0);
    expect(wire).toBeLessThan(utf8 * 1.02 + dataFrames.length * 128);
    await api.call('terminal.close', { sessionId: info.sessionId });
  });
});
