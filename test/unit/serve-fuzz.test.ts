/**
 * Serve mode in a process of its own, as `npm run serve` runs it (out/serve/index.cjs), under what
 * a hostile client can send: a crash would take running deployments and terminals with it, and only
 * a separate process shows one (an uncaught exception kills it). Loopback only; the storm is bounded
 * by count and by time. A failing storm prints its seed: FUZZ_SEED=<seed> replays it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../../shared/api/limits';
import { projectRoot } from '../helpers/serve';
import { prng } from '../helpers/prng';

interface ServeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly token: string;
  readonly origin: string;
  stderr(): string;
}

async function startServeProcess(): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(projectRoot, 'out', 'serve', 'index.cjs')], {
    env: { ...process.env, HARBOR_HA_DATA_DIR: mkdtempSync(join(tmpdir(), 'harbor-fuzz-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
      if (m) resolve(new URL(m[1]!));
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL:\n${err}`)));
  });
  return { child, port: Number(url.port), token: url.searchParams.get('token')!, origin: url.origin, stderr: () => err };
}

/** Whether the process is still there (no uncaught exception ended it). */
const running = (p: ServeProcess) => p.child.exitCode === null && p.child.signalCode === null;

/** The child's resident memory in KiB (Linux), or null where /proc is not there. */
function rssKiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Writes raw bytes to the server and resolves with the status code of its answer, or null when the
 * connection ends (or `waitMs` passes) without one. `reset` sends a TCP RST right after writing.
 */
function raw(port: number, bytes: Buffer, options: { reset?: boolean; waitMs?: number } = {}): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (status: number | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(status);
    };
    const timer = setTimeout(() => done(null), options.waitMs ?? 5000);
    socket.on('error', () => done(null));
    socket.on('close', () => done(null));
    socket.on('connect', () => {
      socket.write(bytes);
      if (options.reset) socket.resetAndDestroy();
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(reply);
      if (m) done(Number(m[1]));
      else if (reply.length > 64) done(null);
    });
  });
}

/** Header bytes as given: a string's characters are taken as bytes (latin1), as HTTP/1.1 carries them. */
const latin1 = (value: Buffer | string): Buffer => (typeof value === 'string' ? Buffer.from(value, 'latin1') : value);

function upgradeRequest(p: ServeProcess, extra: { target?: string; cookie?: Buffer | string; origin?: string } = {}): Buffer {
  const head =
    `GET ${extra.target ?? '/api'} HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\nOrigin: ${extra.origin ?? p.origin}\r\n` +
    'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
  const cookie =
    extra.cookie === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from('Cookie: '), latin1(extra.cookie), Buffer.from('\r\n')]);
  return Buffer.concat([Buffer.from(head), cookie, Buffer.from('\r\n')]);
}

function getRequest(p: ServeProcess, path: string, headers = ''): Buffer {
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\n${headers}Connection: close\r\n\r\n`);
}

/** An authorized API socket (the `ws` client), or the reason it was refused. */
function apiSocket(p: ServeProcess): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${p.port}/api`, { headers: { Origin: p.origin, Cookie: `harbor_token=${p.token}` } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends one text message on a fresh socket and resolves with the code the server closed it with. */
async function closeCodeFor(p: ServeProcess, data: Buffer): Promise<number> {
  const ws = await apiSocket(p);
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send(data, { binary: false });
  return closed;
}

/** A full round trip through the API: the server still does its work, not only accepts sockets. */
async function appInfo(p: ServeProcess): Promise<unknown> {
  const ws = await apiSocket(p);
  try {
    return await new Promise((resolve) => {
      ws.once('message', (data) => resolve((JSON.parse((data as Buffer).toString('utf8')) as { envelope: unknown }).envelope)); // one Buffer (binaryType 'nodebuffer')
      ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.info', input: {} }));
    });
  } finally {
    ws.close();
  }
}

/** Still running, still refusing strangers, still answering the holder of the token. */
async function expectHealthy(p: ServeProcess, context: string) {
  expect(running(p), `${context}: serve exited\n${p.stderr()}`).toBe(true);
  expect(await raw(p.port, getRequest(p, '/')), context).toBe(401);
  expect(await raw(p.port, upgradeRequest(p)), context).toBe(401);
  expect(await appInfo(p), context).toMatchObject({ ok: true, value: { transport: 'websocket' } });
}

// A fresh process per test, so each case shows its own crash rather than the previous one's.
let serve: ServeProcess;

beforeEach(async () => {
  serve = await startServeProcess();
});

afterEach(() => {
  serve?.child.kill('SIGTERM');
});

describe('serve mode survives what a client sends', () => {
  it('answers 401 to a token of the right length in characters but not in bytes, in the cookie of an upgrade and in the URL', async () => {
    // 43 bytes of 0xE9 arrive as 43 characters "é", which are 86 bytes of UTF-8. No token needed to send it.
    const cookie = Buffer.concat([Buffer.from('harbor_token='), Buffer.alloc(43, 0xe9)]);
    expect(await raw(serve.port, upgradeRequest(serve, { cookie }))).toBe(401);
    expect(await raw(serve.port, getRequest(serve, '/', `Cookie: ${cookie.toString('latin1')}\r\n`))).toBe(401);
    expect(await raw(serve.port, getRequest(serve, `/?token=${'%C3%A9'.repeat(43)}`))).toBe(401);
    await expectHealthy(serve, 'after multibyte tokens');
  });

  it('answers 400 to a request target that is no URL, on an upgrade and on a page', async () => {
    expect(await raw(serve.port, upgradeRequest(serve, { target: '//[' }))).toBe(400);
    expect(await raw(serve.port, getRequest(serve, '//['))).toBe(400);
    await expectHealthy(serve, 'after a target that is no URL');
  });

  it('closes the socket of a message over the limit (1009), and goes on serving', async () => {
    expect(await closeCodeFor(serve, Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20))).toBe(1009);
    await expectHealthy(serve, 'after a message over the limit');
  });

  it('closes the socket of a message with invalid UTF-8 (1007), and goes on serving', async () => {
    expect(await closeCodeFor(serve, Buffer.from([0x22, 0xff, 0xfe, 0x22]))).toBe(1007);
    await expectHealthy(serve, 'after invalid UTF-8');
  });

  it('survives a storm of random requests, headers, cookies and frames, and holds no more memory than before plus a bound', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? randomBytes(4).readUInt32LE());
    const context = `FUZZ_SEED=${seed}`;
    const fuzz = new Fuzzer(seed, serve);
    // Warm up (JIT, buffers, first sockets) so the measure before is of a server that has worked.
    for (let i = 0; i < 40; i++) await fuzz.one();
    const before = rssKiB(serve.child.pid!);

    const cases = 1000;
    const deadline = Date.now() + 40_000;
    const statuses = new Map<number | null, number>();
    for (let i = 0; i < cases && Date.now() < deadline; i += 8) {
      const batch = await Promise.all(Array.from({ length: 8 }, () => fuzz.one()));
      for (const { kind, status } of batch) {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // Nothing without the token is ever served, redirected or upgraded.
        if (kind === 'http') expect([101, 200, 303], `${context}: a request without the token got ${status}`).not.toContain(status);
      }
      expect(running(serve), `${context}: serve exited after ${i + 8} cases\n${serve.stderr()}`).toBe(true);
    }

    await expectHealthy(serve, context);
    const after = rssKiB(serve.child.pid!);
    if (before !== null && after !== null) {
      // Generous: the heap may keep what the largest messages needed; a leak per connection or a
      // message kept after its socket closed would exceed it.
      expect(after - before, `${context}: RSS ${before} → ${after} KiB`).toBeLessThan(128 * 1024);
    }
    // The storm really reached both the HTTP and the WebSocket code.
    expect(statuses.get(401), context).toBeGreaterThan(0);
    expect(fuzz.frames, context).toBeGreaterThan(100);
  }, 120_000);
});

class Fuzzer {
  private readonly r: ReturnType<typeof prng>;
  /** WebSocket frames sent so far. */
  frames = 0;
  /** Oversized messages are few: each costs the server a moment, not the storm its time. */
  private large = 0;

  constructor(
    seed: number,
    private readonly p: ServeProcess,
  ) {
    this.r = prng(seed);
  }

  async one(): Promise<{ kind: 'http' | 'ws'; status: number | null }> {
    if (this.r.chance(0.55)) return { kind: 'http', status: await this.http() };
    return { kind: 'ws', status: await this.ws() };
  }

  /** Text a header may carry: printable, bytes above 0x7F, sometimes a control byte or a lone CR or LF. */
  private headerText(max: number): Buffer {
    const r = this.r;
    const n = r.int(max);
    if (r.chance(0.1)) return r.bytes(n);
    if (r.chance(0.4)) return r.bytes(n, 0x80, 0x100);
    return r.bytes(n, 0x20, 0x7f);
  }

  /** A request without the token: random method, target, Host, Origin, cookies, upgrade headers and stray headers. */
  private async http(): Promise<number | null> {
    const r = this.r;
    const p = this.p;
    const method = r.chance(0.8) ? 'GET' : r.pick(['HEAD', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'CONNECT', 'G\xe9T', 'GET GET']);
    const target = r.pick([
      '/',
      '/api',
      '/api?x=1',
      '/assets/app.js',
      `/?token=${r.bytes(43, 0x41, 0x5b).toString('latin1')}`,
      `/?token=${'%C3%A9'.repeat(43)}`,
      `/?token=${'%F0%9F%98%80'.repeat(r.int(30))}`,
      '/?token=%',
      '//[',
      '/%',
      '/%00',
      '/../../etc/passwd',
      '*',
      'http://evil.example/',
      `/${this.headerText(64).toString('latin1')}`,
    ]);
    const lines: Buffer[] = [Buffer.from(`${method} ${target} HTTP/1.${r.chance(0.9) ? '1' : r.pick(['0', '9'])}\r\n`)];
    const header = (name: string, value: Buffer | string) =>
      lines.push(Buffer.concat([Buffer.from(`${name}: `), latin1(value), Buffer.from('\r\n')]));
    if (r.chance(0.95))
      header(
        'Host',
        r.chance(0.8) ? r.pick([`127.0.0.1:${p.port}`, `localhost:${p.port}`]) : r.pick(['evil.example', this.headerText(40)]),
      );
    if (r.chance(0.6)) header('Origin', r.pick([p.origin, 'null', 'http://evil.example', this.headerText(40)]));
    if (r.chance(0.7)) {
      const value = (): Buffer =>
        r.pick([
          Buffer.alloc(43, 0xe9),
          r.bytes(43, 0x80, 0x100),
          r.bytes(43, 0x21, 0x7f),
          Buffer.from('é'.repeat(43)),
          Buffer.from(''),
          this.headerText(200),
        ]);
      const cookies: Buffer[] = [];
      for (let i = 0, n = 1 + r.int(3); i < n; i++)
        cookies.push(Buffer.concat([Buffer.from(r.pick(['harbor_token=', 'harbor_token =', 'x=', '=', ''])), value()]));
      header('Cookie', Buffer.concat(cookies.flatMap((c, i) => (i ? [Buffer.from('; '), c] : [c]))));
    }
    if (r.chance(0.6)) {
      header('Upgrade', r.pick(['websocket', 'WebSocket', 'h2c', '']));
      header('Connection', r.pick(['Upgrade', 'keep-alive, Upgrade', 'close']));
      if (r.chance(0.8)) header('Sec-WebSocket-Version', r.pick(['13', '8', '', '13, 13']));
      if (r.chance(0.8)) header('Sec-WebSocket-Key', r.pick(['dGhlIHNhbXBsZSBub25jZQ==', 'short', this.headerText(30)]));
      if (r.chance(0.3))
        header(
          'Sec-WebSocket-Extensions',
          r.pick(['permessage-deflate', 'permessage-deflate; client_max_window_bits', this.headerText(30)]),
        );
    }
    for (let i = 0, n = r.chance(0.3) ? r.int(4) : 0; i < n; i++)
      header(r.pick(['X-A', 'Content-Length', 'Transfer-Encoding', 'Expect', 'X-\xff']), this.headerText(r.chance(0.05) ? 20_000 : 80));
    const request = Buffer.concat([...lines, Buffer.from('\r\n')]);
    // Cut short, or reset mid-answer: the server must let go without an answer.
    if (r.chance(0.15)) return raw(p.port, request.subarray(0, r.int(request.length)), { waitMs: 50 });
    return raw(p.port, request, { reset: r.chance(0.15), waitMs: 3000 });
  }

  /** An authorized socket that then sends random frames: well-formed or not, JSON or not, some too large. */
  private async ws(): Promise<number | null> {
    const r = this.r;
    const socket = await this.handshake();
    if (!socket) return null;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    for (let i = 0, n = 1 + r.int(6); i < n && !socket.destroyed; i++) {
      this.frames += 1;
      socket.write(this.frame());
    }
    // Let the server read and answer, then go (sometimes abruptly).
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 20 + r.int(60)))]);
    if (r.chance(0.3)) socket.resetAndDestroy();
    else socket.destroy();
    return 101;
  }

  /** The opening handshake with the token, by hand, so every frame after it can be anything. */
  private handshake(): Promise<Socket | null> {
    const p = this.p;
    return new Promise((resolve) => {
      const socket = connect(p.port, '127.0.0.1');
      let reply = '';
      socket.on('error', () => resolve(null));
      socket.once('connect', () => socket.write(upgradeRequest(p, { cookie: `harbor_token=${p.token}` })));
      const onData = (chunk: Buffer) => {
        reply += chunk.toString('latin1');
        if (!reply.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        socket.on('data', () => undefined);
        if (reply.startsWith('HTTP/1.1 101')) resolve(socket);
        else {
          socket.destroy();
          resolve(null);
        }
      };
      socket.on('data', onData);
    });
  }

  private payload(): Buffer {
    const r = this.r;
    const names = [
      'app.info',
      'app.clock',
      'profiles.list',
      'profiles.validate',
      'profiles.import',
      'vault.status',
      'nope',
      '__proto__',
      'constructor',
      '',
    ];
    const value = (depth: number): unknown => {
      switch (r.int(depth > 3 ? 4 : 7)) {
        case 0:
          return r.int(1e6) - 5e5;
        case 1:
          return r.bytes(r.int(30), 0x20, 0x7f).toString('latin1');
        case 2:
          return null;
        case 3:
          return r.chance(0.5);
        case 4:
          return Array.from({ length: r.int(4) }, () => value(depth + 1));
        case 5:
          return Object.fromEntries(
            Array.from({ length: r.int(4) }, () => [r.pick(['t', 'id', 'name', 'input', '__proto__', 'x']), value(depth + 1)]),
          );
        default:
          return '\u0001é😀'.repeat(r.int(20));
      }
    };
    switch (r.int(9)) {
      case 0:
        return r.bytes(r.int(200));
      case 1:
        return Buffer.from([0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22]);
      case 2: {
        // Nesting: unterminated, or complete and deep, as the input of a call.
        const depth = 1000 + r.int(200_000);
        if (r.chance(0.5)) return Buffer.from('['.repeat(depth));
        return Buffer.from(`{"t":"call","id":1,"name":"profiles.validate","input":{"profile":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
      }
      case 3:
        return Buffer.from(JSON.stringify({ t: 'unsub', id: r.pick(['s1', '', '../x', 'a'.repeat(100)]) }));
      case 4:
        return Buffer.from(
          JSON.stringify({
            t: 'sub',
            id: `s${r.int(5)}`,
            name: r.pick(names),
            input: r.chance(0.5) ? { intervalMs: r.int(2000) } : value(0),
          }),
        );
      default:
        return Buffer.from(
          JSON.stringify({
            t: r.pick(['call', 'call', 'sub', 'x']),
            id: r.chance(0.9) ? r.int(1000) : value(0),
            name: r.pick(names),
            input: value(0),
          }),
        );
    }
  }

  /** One client frame: masked (as clients must) or not, any opcode and reserved bits, fragments, lengths that lie, some too large. */
  private frame(): Buffer {
    const r = this.r;
    let payload = this.payload();
    let declared: number | bigint | null = null;
    if (this.large < 4 && r.chance(0.02)) {
      this.large += 1;
      payload = Buffer.alloc(MAX_MESSAGE_BYTES + 1 + r.int(1 << 20), 0x20);
    } else if (r.chance(0.05)) {
      // A length far beyond the limit, with no payload behind it.
      declared = r.pick([2n ** 63n - 1n, 2n ** 32n, BigInt(MAX_MESSAGE_BYTES + 1)]);
      payload = Buffer.alloc(0);
    }
    if (r.chance(0.05)) return r.bytes(1 + r.int(64));
    const fin = r.chance(0.85);
    const rsv = r.chance(0.05) ? r.int(8) : 0;
    const opcode = r.chance(0.85) ? (r.chance(0.9) ? 1 : 0) : r.pick([2, 3, 8, 9, 10, 11, 15]);
    const masked = r.chance(0.95);
    const length = declared ?? payload.length;
    const head: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
    const maskBit = masked ? 0x80 : 0;
    const extended = Buffer.alloc(typeof length === 'bigint' || length > 0xffff ? 8 : length > 125 ? 2 : 0);
    if (extended.length === 8) {
      head.push(maskBit | 127);
      extended.writeBigUInt64BE(BigInt(length));
    } else if (extended.length === 2) {
      head.push(maskBit | 126);
      extended.writeUInt16BE(Number(length));
    } else head.push(maskBit | Number(length));
    if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
    const mask = r.bytes(4);
    const body = Buffer.from(payload);
    for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
    return Buffer.concat([Buffer.from(head), extended, mask, body]);
  }
}
