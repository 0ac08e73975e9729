/**
 * What the core throws reaches the client alike over IPC and over the WebSocket, in the API's
 * terms (the dispatcher's one error table, electron/core/api/errors.ts): an SshError or VaultError
 * raised deep inside a call as its code, reason, node and both languages; anything unexpected as
 * the generic internal error, with a reference to the log and nothing of its own message. Each
 * code is one the call's documented errors list.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher, type Dispatcher, type Handlers } from '../../electron/core/api/dispatcher';
import { createCore, type Core } from '../../electron/core/core';
import { createLog, Redactor, type Log } from '../../electron/core/log';
import { startServe } from '../../electron/core/serve/server';
import { CALL_ERRORS, EVERY_CALL } from '../../shared/api/call-errors';
import { IPC_CHANNELS, type Envelope } from '../../shared/api/wire';
import { createWsTransport, type WebSocketLike } from '../../shared/api/ws-transport';
import type { ApiErrorData } from '../../shared/errors';
import { ipcWindow } from '../helpers/ipc';
import { v2Profile } from '../helpers/profiles';

const PASSPHRASE = 'api errors vault passphrase';
const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Both transports over one dispatcher: the desktop window's IPC and serve mode's WebSocket. */
async function transports(dispatcher: Dispatcher, log: Log) {
  const staticDir = mkdtempSync(join(tmpdir(), 'harbor-api-errors-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>shell</title>');
  const serve = await startServe({ dispatcher, log, staticDir });
  cleanup.push(() => serve.close());
  const origin = `http://127.0.0.1:${serve.port}`;
  const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/api`, { headers: { Origin: origin, Cookie: `harbor_token=${serve.token}` } });
  const socket = createWsTransport(ws as unknown as WebSocketLike);
  await socket.ready;
  cleanup.push(() => socket.close());
  const ipc = ipcWindow(dispatcher);
  cleanup.push(() => ipc.binding.dispose());
  return {
    /**
     * Calls (or subscribes) over both; the two answers must be the same, but for an internal
     * error's reference. Answers both errors.
     */
    async failures(name: string, input: unknown, kind: 'call' | 'subscribe' = 'call'): Promise<[ApiErrorData, ApiErrorData]> {
      const [overIpc, overWs] = await Promise.all(
        kind === 'call'
          ? [ipc.call(name, input), socket.call(name, input)]
          : [
              ipc.ipc.invoke(ipc.mainEvent, IPC_CHANNELS.subscribe, 's1', name, input),
              socket.subscribe('s1', name, input, () => undefined),
            ],
      );
      if (overIpc.ok || overWs.ok) throw new Error(`${name} succeeded`);
      const withoutRef = (e: ApiErrorData) => JSON.stringify(e).replace(/\b[0-9a-f]{8}\b/g, 'REF');
      expect(withoutRef(overWs.error), `${name} over the WebSocket and over IPC`).toBe(withoutRef(overIpc.error));
      // What docs/api.md says the call answers (shared/api/call-errors.ts) includes this code.
      expect(Object.keys({ ...EVERY_CALL, ...CALL_ERRORS[name as keyof typeof CALL_ERRORS] }), `the errors listed for ${name}`).toContain(
        overIpc.error.code,
      );
      return [overIpc.error, overWs.error];
    },
    async failure(name: string, input: unknown): Promise<ApiErrorData> {
      return (await this.failures(name, input))[0];
    },
    async ok(name: string, input: unknown): Promise<Envelope> {
      const answer = await ipc.call(name, input);
      expect(answer.ok, JSON.stringify(answer)).toBe(true);
      return answer;
    },
  };
}

function openCore(dataDir: string): Core {
  const redactor = new Redactor();
  const core = createCore({
    host: { name: 'Harbor HA Deployer', version: '0.0.0-test', electron: null, chrome: null, locale: 'en', dataDir },
    log: createLog({ file: join(dataDir, 'logs', 'test.log'), redactor }),
    redactor,
  });
  cleanup.push(() => core.close());
  return core;
}

/** A loopback port nobody listens on: connecting is refused by the kernel. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One node on a refusing loopback port, signing in with a password kept in the vault. */
async function refusingProfile() {
  const port = await closedPort();
  const profile = v2Profile((p) => {
    p.nodes = [
      { id: 'n1', name: 'node-1', host: '127.0.0.1', port, auth: { kind: 'password', password: { value: 'Node-Pw-Api-Errors-1' } } },
    ];
  });
  return profile;
}

describe('errors thrown deep in the core', () => {
  it('reach the client as their API error, over IPC and the WebSocket alike', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'harbor-api-errors-'));
    const core = openCore(dataDir);
    const api = await transports(core.dispatcher, core.log);

    // VaultError, from the vault itself.
    expect(await api.failure('vault.unlock', { passphrase: PASSPHRASE })).toMatchObject({
      code: 'vault_locked',
      reason: 'uninitialized',
      message: { en: expect.stringContaining('has not been set up yet'), 'zh-CN': expect.stringContaining('尚未初始化') },
    });
    await api.ok('vault.setup', { passphrase: PASSPHRASE });
    expect(await api.failure('vault.setup', { passphrase: PASSPHRASE })).toMatchObject({ code: 'vault', reason: 'already_initialized' });
    expect(await api.failure('vault.changePassphrase', { current: 'not the passphrase', next: 'another long passphrase' })).toMatchObject({
      code: 'vault',
      reason: 'wrong_passphrase',
      message: { en: expect.stringContaining('The passphrase is wrong'), 'zh-CN': expect.stringContaining('主密码错误') },
    });

    // SshError, from the connection: the kernel refuses, the pool classifies, the handler only calls.
    await api.ok('profiles.save', { profile: await refusingProfile() });
    const refused = await api.failure('ssh.test', { profileId: 'prod-1', nodeId: 'n1' });
    expect(refused).toMatchObject({
      code: 'ssh',
      reason: 'refused',
      node: 'node-1 (127.0.0.1)',
      message: {
        en: expect.stringContaining('node-1 (127.0.0.1): the connection was refused'),
        'zh-CN': expect.stringContaining('连接被拒绝'),
      },
    });
    expect(await api.failure('terminal.open', { profileId: 'prod-1', nodeId: 'n1', cols: 80, rows: 24 })).toEqual(refused);
    expect(await api.failure('ssh.trustHostKey', { fingerprint: `SHA256:${'A'.repeat(43)}` })).toMatchObject({
      code: 'ssh',
      reason: 'protocol',
      node: 'host',
    });

    // VaultError again, from reading the node's password for the connection.
    await api.ok('vault.lock', {});
    expect(await api.failure('ssh.test', { profileId: 'prod-1', nodeId: 'n1' })).toMatchObject({
      code: 'vault_locked',
      reason: 'locked',
      message: { en: expect.stringContaining('vault is locked') },
    });
  });

  it('a damaged vault entry met while validating a profile says so, not "something went wrong"', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'harbor-api-errors-'));
    const first = openCore(dataDir);
    await first.vault.initialize(PASSPHRASE);
    const saved = await first.dispatcher.call('profiles.save', { profile: await refusingProfile() }, { transport: 'ipc' });
    expect(saved.ok).toBe(true);
    await cleanup.pop()!();
    // One flipped bit in the stored Redis password.
    const file = join(dataDir, 'vault.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, { data: string }> };
    const entry = doc.entries['profile/prod-1/redis.password']!;
    const data = Buffer.from(entry.data, 'base64');
    data[0]! ^= 1;
    entry.data = data.toString('base64');
    writeFileSync(file, JSON.stringify(doc));

    const core = openCore(dataDir);
    await core.vault.unlock(PASSPHRASE);
    const api = await transports(core.dispatcher, core.log);
    const stored = core.profiles.get('prod-1').profile;
    const error = await api.failure('profiles.validate', { profile: stored });
    expect(error).toMatchObject({
      code: 'vault',
      reason: 'corrupt',
      message: { en: expect.stringContaining('is damaged'), 'zh-CN': expect.stringContaining('已损坏') },
    });
    expect(error.message.en).toContain('profile/prod-1/redis.password');
  });
});

describe('an unexpected error', () => {
  it('becomes the internal error with a reference, over IPC and the WebSocket alike, and only the log has its message', async () => {
    const logged: string[] = [];
    const log = {
      ...createLog({ redactor: new Redactor(), minLevel: 'error' }),
      error: (m: string, d?: unknown) => void logged.push(`${m} ${String(d)}`),
    };
    const deep = () => {
      throw new Error('driver said: password=Hunter2-Api-Errors');
    };
    const handlers = {
      calls: { 'app.info': () => deep() } as unknown as Handlers['calls'],
      streams: { 'app.clock': () => deep() } as unknown as Handlers['streams'],
    } satisfies Handlers;
    const api = await transports(createDispatcher(handlers, log), log);
    const answers = [...(await api.failures('app.info', {})), ...(await api.failures('app.clock', { intervalMs: 1000 }, 'subscribe'))];
    for (const answer of answers) {
      expect(answer.code).toBe('internal');
      expect(answer.message.en).toMatch(/^Something went wrong inside the app \(reference [0-9a-f]{8}\)/);
      expect(answer.message['zh-CN']).toMatch(/^应用内部出错（编号 [0-9a-f]{8}）/);
      expect(JSON.stringify(answer)).not.toContain('Hunter2');
      const ref = /reference ([0-9a-f]{8})/.exec(answer.message.en)![1]!;
      expect(logged.find((line) => line.includes(ref))).toContain('Hunter2');
    }
  });
});
