/**
 * Serve mode: the core and the renderer for a browser, on loopback by default. One HTTP server
 * serves the built renderer and upgrades `/api` to the WebSocket transport.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../../../shared/api/limits';
import type { ServerMessage } from '../../../shared/api/wire';
import { clientMessage } from '../../../shared/api/wire-schema';
import { HEADER_LENGTH_BYTES, splitBulkText } from '../../../shared/api/ws-frames';
import type { Dispatcher } from '../api/dispatcher';
import type { Log } from '../log';
import { allowedHosts, cookieToken, isLoopback, newToken, originAllowed, RENDERER_CSP, TOKEN_COOKIE, tokenMatches } from './security';

export interface ServeOptions {
  readonly dispatcher: Dispatcher;
  readonly log: Log;
  /** The built renderer (index.html and assets). */
  readonly staticDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** For tests; otherwise a new random token per run. */
  readonly token?: string;
}

export interface ServeHandle {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly host: string;
  readonly token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const UNAUTHORIZED_TEXT =
  'Unauthorized: open the exact URL that `npm run serve` printed (it carries the access token).\n' +
  '未授权：请打开 `npm run serve` 打印的完整地址（其中带有访问令牌）。\n';

/** The path and query of a request target, or null when it is no URL path at all (e.g. `//[`). */
function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://serve.invalid');
  } catch {
    return null;
  }
}

/** A message with bulk text as one binary frame (layout in shared/api/ws-frames.ts), the text encoded straight into it. */
function binaryFrame(header: string, text: string): Buffer {
  const headerBytes = Buffer.byteLength(header);
  const frame = Buffer.allocUnsafe(HEADER_LENGTH_BYTES + headerBytes + Buffer.byteLength(text));
  frame.writeUInt32BE(headerBytes, 0);
  frame.write(header, HEADER_LENGTH_BYTES, 'utf8');
  frame.write(text, HEADER_LENGTH_BYTES + headerBytes, 'utf8');
  return frame;
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const root = resolve(options.staticDir);
  let hosts = new Set<string>();

  function plain(res: ServerResponse, status: number, text: string) {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
    res.end(text);
  }

  async function sendFile(res: ServerResponse, pathname: string, head: boolean) {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return plain(res, 400, 'Bad request\n');
    }
    if (rel.includes('\0')) return plain(res, 400, 'Bad request\n');
    let file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return plain(res, 404, 'Not found\n');
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    // Client-side routes fall back to the app shell; asset paths with an extension do not.
    if (!info && !extname(rel)) {
      file = join(root, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return plain(res, 404, 'Not found\n');
    const isHtml = extname(file) === '.html';
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': isHtml ? 'no-store' : 'private, max-age=3600',
      ...SECURITY_HEADERS,
    });
    if (head) return void res.end();
    // The file can vanish between stat and read (a rebuild): end this response, not the process.
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    if (!req.headers.host || !hosts.has(req.headers.host.toLowerCase())) {
      return plain(res, 421, 'Misdirected request: this server answers only to the address it printed.\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed\n');
    const url = requestUrl(req.url);
    if (!url) return plain(res, 400, 'Bad request\n');
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      if (!tokenMatches(token, queryToken)) return plain(res, 401, UNAUTHORIZED_TEXT);
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        Location: url.pathname + url.search,
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
        ...SECURITY_HEADERS,
      });
      return void res.end();
    }
    if (!tokenMatches(token, cookieToken(req.headers.cookie))) return plain(res, 401, UNAUTHORIZED_TEXT);
    await sendFile(res, url.pathname, req.method === 'HEAD');
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      options.log.error('serve: request failed', error);
      if (!res.headersSent) plain(res, 500, 'Internal error\n');
      else res.destroy();
    });
  });

  // A message over maxPayload closes its socket with 1009; every legal input fits (shared/api/limits.ts).
  // No compression: a small compressed frame must not inflate into a large one.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over without its error listener; a reset while we answer must not
    // become an uncaught exception.
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = requestUrl(req.url);
    if (!url) return refuse(400, 'Bad Request');
    if (url.pathname !== '/api') return refuse(404, 'Not Found');
    if (!req.headers.host || !hosts.has(req.headers.host.toLowerCase())) return refuse(421, 'Misdirected Request');
    if (!originAllowed(req.headers.origin, req.headers.host, hosts)) {
      options.log.warn(`serve: refused a WebSocket from origin ${JSON.stringify(req.headers.origin ?? null)}`);
      return refuse(403, 'Forbidden');
    }
    if (!tokenMatches(token, cookieToken(req.headers.cookie))) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  function connection(ws: WebSocket) {
    const subscriptions = new Map<string, () => void>();
    const send = (message: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      const bulk = splitBulkText(message);
      if (bulk) ws.send(binaryFrame(bulk.header, bulk.text), { binary: true });
      else ws.send(JSON.stringify(message));
    };
    // ws closes the socket itself (1009 too large, 1007 invalid UTF-8, 1002 bad frame) and then
    // reports why here; without a listener that report would be an uncaught exception.
    ws.on('error', (error) => options.log.warn(`serve: closed a WebSocket: ${error.message}`));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only');
      let parsed;
      try {
        // ws's binaryType is left at 'nodebuffer': a message arrives as one Buffer.
        parsed = clientMessage.safeParse(JSON.parse((data as Buffer).toString('utf8')));
      } catch {
        return ws.close(1007, 'invalid JSON');
      }
      if (!parsed.success) return ws.close(1008, 'invalid message');
      const message = parsed.data;
      if (message.t === 'call') {
        void options.dispatcher
          .call(message.name, message.input, { transport: 'websocket' })
          .then((envelope) => send({ t: 'result', id: message.id, envelope }))
          .catch((error: unknown) => options.log.error('serve: could not send an answer', error));
      } else if (message.t === 'sub') {
        if (subscriptions.has(message.id)) {
          return send({
            t: 'subscribed',
            id: message.id,
            envelope: {
              ok: false,
              error: { code: 'invalid_input', message: { en: 'Subscription id already in use.', 'zh-CN': '订阅编号已被占用。' } },
            },
          });
        }
        const { envelope, stop } = options.dispatcher.subscribe(
          message.id,
          message.name,
          message.input,
          (streamMessage) => {
            // The dispatcher holds events back until after 'subscribed' below has been sent.
            send({ t: 'stream', ...streamMessage });
            if (streamMessage.kind !== 'data') subscriptions.delete(message.id);
          },
          { transport: 'websocket' },
        );
        if (envelope.ok) subscriptions.set(message.id, stop);
        send({ t: 'subscribed', id: message.id, envelope });
      } else {
        subscriptions.get(message.id)?.();
        subscriptions.delete(message.id);
      }
    });
    ws.on('close', () => {
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
    });
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  // Later server errors (accept failing with EMFILE) are reported, not thrown.
  server.on('error', (error) => options.log.error('serve: server error', error));
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const shown = host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shown}:${port}`;
  if (!isLoopback(host)) {
    options.log.warn(`serve: listening on ${host}, which is reachable from other machines; anyone with the URL controls this app`);
  }

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    host,
    token,
    close: () =>
      new Promise<void>((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
