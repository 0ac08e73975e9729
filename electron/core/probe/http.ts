/**
 * HTTP(S) requests for probes and verification: straight from the desktop (optionally connecting to
 * an address other than the URL's host, like `curl --resolve`, so `Host` stays the public name), or
 * opened by a node through its SSH connection (what the node itself would see: RDS whitelists and
 * private addresses are the node's). Every request uses a fresh connection, so behind a round-robin
 * load balancer consecutive requests land on different nodes.
 */
import http, { Agent } from 'node:http';
import https from 'node:https';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { openFromNode } from './tunnel';

/** An HTTP agent whose connections are opened by a node (ssh forwardOut). */
export class NodeAgent extends Agent {
  constructor(
    private readonly client: Client,
    private readonly from: string,
    private readonly timeoutMs = 8000,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(options: { host?: string | null; port?: number | string | null }, callback: (err: Error | null, socket?: Duplex) => void): Duplex | undefined {
    openFromNode(this.client, this.from, String(options.host), Number(options.port ?? 80), this.timeoutMs).then(
      (s) => callback(null, s),
      (e: Error) => callback(e),
    );
    return undefined;
  }
}

/** The same for https: TLS runs over the node's channel, verified against `servername` unless told not to. */
export class NodeTlsAgent extends https.Agent {
  constructor(
    private readonly client: Client,
    private readonly from: string,
    private readonly timeoutMs = 8000,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(options: { host?: string | null; port?: number | string | null; servername?: string; rejectUnauthorized?: boolean }, callback: (err: Error | null, socket?: Duplex) => void): Duplex | undefined {
    openFromNode(this.client, this.from, String(options.host), Number(options.port ?? 443), this.timeoutMs).then(
      (s) => {
        const tls = tlsConnect({ socket: s, servername: options.servername ?? String(options.host), rejectUnauthorized: options.rejectUnauthorized !== false });
        tls.once('secureConnect', () => callback(null, tls));
        tls.once('error', (e) => callback(e));
      },
      (e: Error) => callback(e),
    );
    return undefined;
  }
}

/** The certificate an https server presented, and what this side made of it. */
export interface PeerCertificate {
  /** A CA this computer trusts vouches for it (and for the name asked for). */
  readonly authorized: boolean;
  readonly authorizationError?: string;
  /** It is exactly the certificate pinned in the request (when one was). */
  readonly pinned: boolean;
  /** Why it is not valid for the name asked for (SNI), if it is not. */
  readonly nameError?: string;
  readonly raw: Buffer;
  /** `AA:BB:…`, as `openssl x509 -fingerprint -sha256` prints it. */
  readonly fingerprint256: string;
  readonly subject: string;
  readonly subjectAltName?: string;
  readonly validFrom: string;
  readonly validTo: string;
}

export interface HttpResponse {
  /** https only: the server's certificate. */
  readonly certificate?: PeerCertificate;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  /** Connect here instead of the URL's host (the URL's host stays in `Host` and TLS SNI). */
  readonly connectTo?: { readonly host: string; readonly port?: number };
  /** Open the connection from this node. */
  readonly via?: { readonly client: Client; readonly from: string };
  readonly timeoutMs?: number;
  /** Accept a certificate that does not verify (self-signed lab or staging certificates). */
  readonly insecure?: boolean;
  /**
   * The certificate the operator gave (PEM): accepted when the server presents exactly it, even if no
   * CA vouches for it (a self-signed or private-CA certificate pinned in the profile). Any other
   * certificate must verify as usual.
   */
  readonly pinnedCertificate?: string;
  /** Largest body kept (bytes); more is an error. Default 8 MiB. */
  readonly maxBody?: number;
}

export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const defaultPort = secure ? 443 : 80;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBody = options.maxBody ?? 8 << 20;
  const agent = options.via
    ? secure
      ? new NodeTlsAgent(options.via.client, options.via.from, timeoutMs)
      : new NodeAgent(options.via.client, options.via.from, timeoutMs)
    : false;
  const hostHeader = u.port ? `${u.hostname}:${u.port}` : u.hostname;
  const pinned = secure && options.pinnedCertificate ? pemToDer(options.pinnedCertificate) : null;
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      {
        host: options.connectTo?.host ?? u.hostname,
        port: options.connectTo?.port ?? (u.port ? Number(u.port) : defaultPort),
        path: `${u.pathname}${u.search}`,
        method: options.method ?? 'GET',
        agent,
        servername: u.hostname,
        // With a pinned certificate the check happens below, once the server has shown its certificate.
        rejectUnauthorized: !options.insecure && !pinned,
        headers: { Host: hostHeader, Connection: 'close', ...options.headers },
      },
      (res) => {
        let certificate: PeerCertificate | undefined;
        if (secure) {
          const socket = res.socket as TLSSocket;
          const peer = socket.getPeerCertificate?.();
          const isPinned = !!(pinned && peer?.raw && peer.raw.equals(pinned));
          if (pinned && !options.insecure && !socket.authorized && !isPinned) {
            request.destroy(new Error(`${url}: the server's certificate is neither trusted nor the one in the profile (${String(socket.authorizationError ?? 'not authorized')})`));
            return;
          }
          if (peer?.raw) {
            const nameError = checkServerIdentity(u.hostname, peer)?.message;
            const subject = peer.subject as unknown as Record<string, string | string[]> | undefined;
            certificate = {
              authorized: socket.authorized,
              ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
              pinned: isPinned,
              ...(nameError ? { nameError } : {}),
              raw: peer.raw,
              fingerprint256: peer.fingerprint256,
              subject: Object.entries(subject ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', '),
              ...(peer.subjectaltname ? { subjectAltName: peer.subjectaltname } : {}),
              validFrom: peer.valid_from,
              validTo: peer.valid_to,
            };
          }
        }
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBody) {
            request.destroy(new Error(`${url}: the answer is larger than ${maxBody} bytes`));
            return;
          }
          parts.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), ...(certificate ? { certificate } : {}) }));
        res.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`${options.method ?? 'GET'} ${url}: no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

/** The DER bytes of the first certificate in a PEM text. */
function pemToDer(pem: string): Buffer | null {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : null;
}
