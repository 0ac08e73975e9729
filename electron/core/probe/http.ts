/**
 * HTTP(S) requests for probes and verification: straight from the desktop (optionally connecting to
 * an address other than the URL's host, like `curl --resolve`, so `Host` stays the public name), or
 * opened by a node through its SSH connection (what the node itself would see: RDS whitelists and
 * private addresses are the node's). Every request uses a fresh connection, so behind a round-robin
 * load balancer consecutive requests land on different nodes. Over https the server's certificate
 * is judged in the handshake (the pinned one, or a CA's for the name), before the request is handed
 * to the connection: a refused server receives no byte of HTTP.
 */
import { createHash } from 'node:crypto';
import http, { Agent } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { Localized } from '../../../shared/i18n/localized';
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

  override createConnection(
    options: { host?: string | null; port?: number | string | null },
    callback: (err: Error | null, socket?: Duplex) => void,
  ): Duplex | undefined {
    openFromNode(this.client, this.from, String(options.host), Number(options.port ?? 80), this.timeoutMs).then(
      (s) => callback(null, s),
      (e: Error) => callback(e),
    );
    return undefined;
  }
}

/**
 * How a server's certificate is judged. The judgement happens in the TLS handshake, before the
 * connection is handed to HTTP, so a refused server never receives a byte of the request (whose
 * headers may carry the Harbor admin's login).
 */
export interface TlsTrust {
  /** The name the certificate must be for (the URL's host; also sent as SNI unless it is an address). Default: the name HTTP asks for. */
  readonly hostname?: string;
  /** DER of the certificate the operator pinned: accepted as it is, even if no CA vouches for it. */
  readonly pinned?: Buffer | null;
  /** Accept any certificate, only to describe it (requests without credentials). */
  readonly describeOnly?: boolean;
  /** The handshake must finish within this (the request's own timeout starts after it). */
  readonly timeoutMs?: number;
}

/** `AA:BB:…` of DER bytes, as `openssl x509 -fingerprint -sha256` and Node's `fingerprint256` print it. */
export function fingerprint256(der: Buffer): string {
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

/** A server's certificate was refused in the handshake; nothing was sent to it. */
export class CertificateRefused extends Error {
  constructor(
    /** The server, as `host:port` (the name it was asked for). */
    readonly server: string,
    /** SHA-256 of the certificate it presented. */
    readonly seen: string,
    /** SHA-256 of the pinned certificate, when one was pinned. */
    readonly pinned: string | undefined,
    /** Why no CA vouches for it, as Node says it (e.g. DEPTH_ZERO_SELF_SIGNED_CERT). */
    readonly why: string,
  ) {
    super('');
    this.name = 'CertificateRefused';
    this.message = this.localized.en;
  }

  get localized(): Localized {
    const { server, seen, pinned, why } = this;
    return pinned
      ? {
          en: `${server}: refused before sending anything: the server presented the certificate SHA256 ${seen}, the profile pins SHA256 ${pinned}, and no CA this computer trusts vouches for the one presented (${why}). Another server may be answering for this name, or the certificate was replaced without updating the profile.`,
          'zh-CN': `${server}：已在发送任何内容之前拒绝：服务器出示的证书为 SHA256 ${seen}，集群配置中固定的证书为 SHA256 ${pinned}，且本机信任的 CA 均未签发所出示的证书（${why}）。可能有其他服务器在应答该域名，或证书已更换但集群配置未更新。`,
        }
      : {
          en: `${server}: refused before sending anything: the server's certificate (SHA256 ${seen}) does not verify (${why}). A self-signed or private-CA certificate is accepted only when it is the one in the profile.`,
          'zh-CN': `${server}：已在发送任何内容之前拒绝：服务器证书（SHA256 ${seen}）未通过校验（${why}）。自签名或私有 CA 签发的证书，只有与集群配置中的证书完全一致时才会被接受。`,
        };
  }
}

/** Where TLS runs: a new TCP connection to `host`:`port`, or `socket`, a stream a node already opened there. */
export interface TlsTarget {
  readonly host: string;
  readonly port: number;
  /** The name asked for (SNI), when it is not `host`. */
  readonly servername?: string;
  readonly socket?: Duplex;
}

/**
 * TLS to `target`, resolved only once the certificate passed: exactly the pinned one, or vouched for
 * by a CA and valid for the name. Node verifies the chain itself but is told not to reject, so that a
 * pinned self-signed certificate can pass; the decision is made here, on secureConnect, before
 * anyone holds the socket to write to it.
 */
export function verifiedTls(trust: TlsTrust, target: TlsTarget): Promise<TLSSocket> {
  const hostname = trust.hostname ?? target.servername ?? target.host;
  const timeoutMs = trust.timeoutMs ?? 15_000;
  const server = hostname === target.host ? `${target.host}:${target.port}` : `${hostname} (${target.host}:${target.port})`;
  const options: ConnectionOptions = {
    ...(target.socket ? { socket: target.socket } : { host: target.host, port: target.port }),
    ...(isIP(hostname) ? {} : { servername: hostname }),
    rejectUnauthorized: false,
    // Node calls this only when the chain verified; it decides `authorized` for the name asked for, not the address connected to.
    checkServerIdentity: (_host, cert) => checkServerIdentity(hostname, cert),
  };
  return new Promise((resolve, reject) => {
    const tls = tlsConnect(options);
    const fail = (error: Error) => {
      clearTimeout(timer);
      tls.destroy();
      target.socket?.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`${server}: no TLS handshake within ${timeoutMs} ms`)), timeoutMs);
    // Stays attached: an error after the handover goes to HTTP's own listener too, and never goes unheard.
    tls.on('error', fail);
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      const peer = tls.getPeerCertificate();
      if (trust.describeOnly || (trust.pinned && peer.raw?.equals(trust.pinned)) || tls.authorized) {
        resolve(tls);
        return;
      }
      fail(
        new CertificateRefused(
          server,
          peer.fingerprint256 ?? '(none)',
          trust.pinned ? fingerprint256(trust.pinned) : undefined,
          String(tls.authorizationError ?? 'not authorized'),
        ),
      );
    });
  });
}

type ConnectionRequest = { host?: string | null; port?: number | string | null; servername?: string | null };

/** An https agent whose connections reach HTTP only after {@link verifiedTls} accepted the certificate. */
export class VerifiedTlsAgent extends https.Agent {
  constructor(private readonly trust: TlsTrust) {
    super({ keepAlive: false });
  }

  override createConnection(options: ConnectionRequest, callback: (err: Error | null, socket?: Duplex) => void): Duplex | undefined {
    verifiedTls(this.trust, {
      host: String(options.host),
      port: Number(options.port ?? 443),
      ...(options.servername ? { servername: options.servername } : {}),
    }).then(
      (s) => callback(null, s),
      (e: Error) => callback(e),
    );
    return undefined;
  }
}

/** The same over a channel a node opens through its SSH connection (what the node itself would reach). */
export class NodeTlsAgent extends https.Agent {
  constructor(
    private readonly client: Client,
    private readonly from: string,
    private readonly trust: TlsTrust,
    private readonly timeoutMs = 8000,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(options: ConnectionRequest, callback: (err: Error | null, socket?: Duplex) => void): Duplex | undefined {
    const host = String(options.host);
    const port = Number(options.port ?? 443);
    openFromNode(this.client, this.from, host, port, this.timeoutMs)
      .then((socket) => verifiedTls(this.trust, { host, port, socket, ...(options.servername ? { servername: options.servername } : {}) }))
      .then(
        (s) => callback(null, s),
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
  /**
   * Accept any certificate, to describe it (the topology shows an expired, misnamed or untrusted
   * certificate; health probes ask Harbor anyway). Such a request may carry no credentials: one with
   * an Authorization, Proxy-Authorization or Cookie header is refused before connecting.
   */
  readonly insecure?: boolean;
  /**
   * The certificate the operator gave (PEM): accepted when the server presents exactly it, even if no
   * CA vouches for it (a self-signed or private-CA certificate pinned in the profile). Any other
   * certificate must verify as usual. Either way it is judged in the handshake, before the request.
   */
  readonly pinnedCertificate?: string;
  /** Largest body kept (bytes); more is an error. Default 8 MiB. */
  readonly maxBody?: number;
}

/** Headers that prove who is asking: never sent to a server whose certificate was not verified. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const defaultPort = secure ? 443 : 80;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBody = options.maxBody ?? 8 << 20;
  if (options.insecure && Object.keys(options.headers ?? {}).some((h) => CREDENTIAL_HEADERS.has(h.toLowerCase()))) {
    return Promise.reject(new Error(`${url}: refusing to send credentials to a server whose certificate is not verified`));
  }
  const pinned = secure && options.pinnedCertificate ? pemToDer(options.pinnedCertificate) : null;
  // An IPv6 host keeps its brackets in a URL, not in a certificate.
  const trust: TlsTrust = { hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'), pinned, describeOnly: !!options.insecure, timeoutMs };
  const agent = secure
    ? options.via
      ? new NodeTlsAgent(options.via.client, options.via.from, trust, timeoutMs)
      : new VerifiedTlsAgent(trust)
    : options.via
      ? new NodeAgent(options.via.client, options.via.from, timeoutMs)
      : false;
  const hostHeader = u.port ? `${u.hostname}:${u.port}` : u.hostname;
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      {
        host: options.connectTo?.host ?? u.hostname,
        port: options.connectTo?.port ?? (u.port ? Number(u.port) : defaultPort),
        path: `${u.pathname}${u.search}`,
        method: options.method ?? 'GET',
        agent,
        headers: { Host: hostHeader, Connection: 'close', ...options.headers },
      },
      (res) => {
        const certificate = secure ? describePeer(res.socket as TLSSocket, u.hostname, pinned) : undefined;
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
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts),
            ...(certificate ? { certificate } : {}),
          }),
        );
        res.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`${options.method ?? 'GET'} ${url}: no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

/** What the server presented and what this side made of it (it already passed {@link verifiedTls}). */
function describePeer(socket: TLSSocket, hostname: string, pinned: Buffer | null): PeerCertificate | undefined {
  const peer = socket.getPeerCertificate?.();
  if (!peer?.raw) return undefined;
  const nameError = checkServerIdentity(hostname, peer)?.message;
  const subject = peer.subject as unknown as Record<string, string | string[]> | undefined;
  return {
    authorized: socket.authorized,
    ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
    pinned: !!pinned && peer.raw.equals(pinned),
    ...(nameError ? { nameError } : {}),
    raw: peer.raw,
    fingerprint256: peer.fingerprint256,
    subject: Object.entries(subject ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
      .join(', '),
    ...(peer.subjectaltname ? { subjectAltName: peer.subjectaltname } : {}),
    validFrom: peer.valid_from,
    validTo: peer.valid_to,
  };
}

/** The DER bytes of the first certificate in a PEM text. */
function pemToDer(pem: string): Buffer | null {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : null;
}
