/** Serve mode over real HTTP and WebSocket on loopback: token, Host, Origin, and the API itself. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe, type ServeHandle } from '../../electron/core/serve/server';
import { parseServeArgs } from '../../electron/core/serve/cli';
import { allowedHosts, isLoopback } from '../../electron/core/serve/security';
import { createClient } from '../../shared/api/client';
import { MAX_FILE_BYTES, MAX_INPUT_BYTES, MAX_MESSAGE_BYTES } from '../../shared/api/limits';
import { createWsTransport, type WebSocketLike } from '../../shared/api/ws-transport';
import { ApiError } from '../../shared/errors';
import { testCore } from '../helpers/core';

let serve: ServeHandle;
const core = testCore();

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: serve.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = () => `harbor_token=${serve.token}`;

/** Opens the API socket; resolves with the socket or the HTTP status that refused it. */
function openSocket(headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/api`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'harbor-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>shell</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'harbor-secret-outside.txt'), 'outside');
  serve = await startServe({ dispatcher: core.dispatcher, log: core.log, staticDir });
});

afterAll(async () => {
  await serve.close();
});

describe('serve mode HTTP', () => {
  it('binds loopback and prints one URL with a long random token', () => {
    expect(serve.host).toBe('127.0.0.1');
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 without a token, with a wrong token and with a wrong cookie', async () => {
    for (const [path, headers] of [
      ['/', {}],
      ['/assets/app.js', {}],
      [`/?token=${'x'.repeat(43)}`, {}],
      ['/?token=', {}],
      ['/', { Cookie: 'harbor_token=nope' }],
      ['/', { Cookie: `harbor_token=${serve.token}x` }],
    ] as const) {
      const reply = await get(path, headers);
      expect(reply.status, path).toBe(401);
      expect(reply.body).toContain('npm run serve');
      expect(reply.body).not.toContain(serve.token);
    }
  });

  it('trades the URL token for an HttpOnly SameSite=Strict cookie and a redirect that drops it', async () => {
    const reply = await get(`/?token=${serve.token}`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    const setCookie = String(reply.headers['set-cookie']);
    expect(setCookie).toContain(`harbor_token=${serve.token}`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
  });

  it('serves the app with the cookie, with a strict CSP', async () => {
    const reply = await get('/', { Cookie: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<title>shell</title>');
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/app.js', { Cookie: cookie() })).status).toBe(200);
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of [
      '/../harbor-secret-outside.txt',
      '/%2e%2e/harbor-secret-outside.txt',
      '/assets/..%2f..%2fharbor-secret-outside.txt',
    ]) {
      const reply = await get(path, { Cookie: cookie() });
      expect(reply.body).not.toBe('outside');
      expect([400, 404]).toContain(reply.status);
    }
  });

  it('compares tokens as bytes: one of the right length in characters but not in bytes gets 401, not an error', async () => {
    // "é" is one character and two bytes of UTF-8; in a header it arrives from the byte 0xE9.
    expect((await get(`/?token=${'%C3%A9'.repeat(43)}`)).status).toBe(401);
    expect((await get('/', { Cookie: `harbor_token=${'\u00e9'.repeat(43)}` })).status).toBe(401);
    expect((await get('/', { Cookie: cookie() })).status).toBe(200);
  });

  it('refuses requests for another Host name (DNS rebinding)', async () => {
    const reply = await get('/', { Cookie: cookie(), Host: `evil.example:${serve.port}` });
    expect(reply.status).toBe(421);
    expect((await get('/', { Cookie: cookie(), Host: `localhost:${serve.port}` })).status).toBe(200);
  });
});

describe('serve mode WebSocket', () => {
  const origin = () => `http://127.0.0.1:${serve.port}`;

  it('refuses an upgrade from a foreign Origin even with a valid token', async () => {
    for (const o of ['http://evil.example', `http://127.0.0.1:${serve.port + 1}`, 'null', `https://127.0.0.1:${serve.port}`]) {
      const r = await openSocket({ Origin: o, Cookie: cookie() });
      expect(r.ws, o).toBeUndefined();
      expect(r.status).toBe(403);
    }
    const none = await openSocket({ Cookie: cookie() });
    expect(none.status).toBe(403);
  });

  it('refuses an upgrade without the token', async () => {
    const r = await openSocket({ Origin: origin() });
    expect(r.status).toBe(401);
    const wrong = await openSocket({ Origin: origin(), Cookie: 'harbor_token=abc' });
    expect(wrong.status).toBe(401);
  });

  it('carries calls and streams of the contract, validating input', async () => {
    const { ws } = await openSocket({ Origin: origin(), Cookie: cookie() });
    expect(ws).toBeDefined();
    const transport = createWsTransport(ws as unknown as WebSocketLike);
    const client = createClient(transport);
    const info = await client.call('app.info', {});
    expect(info).toMatchObject({ transport: 'websocket', version: '0.0.0-test', versions: { node: process.versions.node } });

    const error = await client.call('app.info', { x: 1 } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_input');

    const ticks: number[] = [];
    const stop = await client.subscribe('app.clock', { intervalMs: 100 }, { next: (t) => ticks.push(t.seq) });
    await new Promise((r) => setTimeout(r, 350));
    stop();
    expect(ticks.slice(0, 3)).toEqual([0, 1, 2]);
    const bad = await client.subscribe('app.clock', { intervalMs: 1 }, { next: () => undefined }).catch((e: unknown) => e);
    expect((bad as ApiError).code).toBe('invalid_input');
    transport.close();
  });

  async function apiClient() {
    const { ws } = await openSocket({ Origin: origin(), Cookie: cookie() });
    const transport = createWsTransport(ws as unknown as WebSocketLike);
    return { ws: ws!, transport, client: createClient(transport) };
  }

  it('accepts the largest legal input: a file at its limit in the costliest JSON spelling', async () => {
    const { client, transport } = await apiClient();
    // Every character a control character: JSON spells each as six bytes (\u0001), 6 MiB on the wire.
    const content = '\u0001'.repeat(MAX_FILE_BYTES);
    const error = (await client.call('profiles.import', { content }).catch((e: unknown) => e)) as ApiError;
    // The importer itself read it and said what it is not.
    expect(error.localized.en).toMatch(/not a profile exported by Harbor HA Deployer/);
    expect((await client.call('app.info', {})).transport).toBe('websocket');
    transport.close();
  });

  it('refuses file content over its limit in UTF-8 bytes, naming the limit', async () => {
    const { client, transport } = await apiClient();
    // Half as many characters as the limit has bytes, plus one: two bytes each in UTF-8.
    const content = '\u00e9'.repeat(MAX_FILE_BYTES / 2 + 1);
    const error = (await client
      .call('profiles.importHarborConfig', { fileName: 'harbor.yml', content })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('invalid_input');
    expect(error.issues?.[0]).toMatchObject({
      path: 'content',
      message: { en: 'the file is 1048578 B; at most 1 MiB (1048576 B) can be imported' },
    });
    expect(error.issues?.[0]?.message['zh-CN']).toContain('1 MiB');
    transport.close();
  });

  it('answers an input over the limit with invalid_input naming the limit, and keeps the connection', async () => {
    const { client, transport } = await apiClient();
    // {"profile":"xx…x"}: 14 bytes around the text. Just over the input limit, still within one message:
    // the core itself answers.
    const justOver = 'x'.repeat(MAX_INPUT_BYTES - 14 + 100);
    expect(JSON.stringify({ t: 'call', id: 2, name: 'profiles.validate', input: { profile: justOver } }).length).toBeLessThan(
      MAX_MESSAGE_BYTES,
    );
    // Far over: the client refuses it in the core's words before it could cost the connection.
    const farOver = 'x'.repeat(MAX_MESSAGE_BYTES + 1);
    for (const profile of [justOver, farOver]) {
      const error = (await client.call('profiles.validate', { profile }).catch((e: unknown) => e)) as ApiError;
      expect(error.code).toBe('invalid_input');
      // Both sizes round to the limit's 7 MiB, so the message gives bytes.
      const size = profile.length + 14;
      expect(error.localized.en).toBe(
        `The request to "profiles.validate" has invalid input: (input): the input is ${size} B as sent; at most 7 MiB (${MAX_INPUT_BYTES} B) is accepted`,
      );
      expect(error.localized['zh-CN']).toContain(`最多接受 7 MiB (${MAX_INPUT_BYTES} B)`);
    }
    const sub = await client
      .subscribe('app.clock', { intervalMs: 100, pad: 'x'.repeat(MAX_INPUT_BYTES) } as never, { next: () => undefined })
      .catch((e: unknown) => e);
    expect((sub as ApiError).code).toBe('invalid_input');
    expect((sub as ApiError).localized.en).toContain('at most 7 MiB');
    expect((await client.call('app.info', {})).transport).toBe('websocket');
    transport.close();
  });

  it('tells a waiting client why the server closed its socket for a message over the limit (1009)', async () => {
    const { ws, client } = await apiClient();
    let failed: (error: ApiError) => void = () => undefined;
    const streamError = new Promise<ApiError>((resolve) => (failed = resolve));
    await client.subscribe('app.clock', { intervalMs: 60_000 }, { next: () => undefined, error: (e) => failed(e) });
    // Past the client's own check: what no client of this version sends.
    ws.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), { binary: false });
    const error = await streamError;
    expect(error.code).toBe('transport');
    expect(error.localized.en).toContain('larger than it accepts');
  });

  it('closes the socket on a malformed message', async () => {
    const { ws } = await openSocket({ Origin: origin(), Cookie: cookie() });
    const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
    ws!.send('{"t":"call","id":"not a number","name":"app.info","input":{}}');
    expect(await closed).toBe(1008);
  });
});

describe('serve options', () => {
  it('parses --port and --host, refusing bad values', () => {
    expect(parseServeArgs([])).toEqual({ port: 0, host: '127.0.0.1', help: false });
    expect(parseServeArgs(['--port', '8080', '--host=::1'])).toEqual({ port: 8080, host: '::1', help: false });
    expect(() => parseServeArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseServeArgs(['--host'])).toThrow(/--host needs a value/);
    expect(() => parseServeArgs(['--bogus'])).toThrow(/unknown option/);
  });

  it('treats only loopback as private', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.5')).toBe(false);
    expect([...allowedHosts('::1', 80)]).toContain('[::1]:80');
  });
});
