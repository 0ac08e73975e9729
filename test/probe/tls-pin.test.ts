/**
 * The certificate is judged in the TLS handshake, before the HTTP request is handed to the
 * connection: a server presenting another certificate than the pinned one (or, with nothing pinned,
 * one no CA vouches for) receives not one byte of HTTP, so the admin's `Authorization` never
 * reaches it. Real TLS servers on loopback with openssl-made certificates, asked directly and
 * through a lab node's SSH connection (TLS over the channel).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateRefused, httpRequest, type HttpRequestOptions } from '../../electron/core/probe/http';
import type { SshConnection } from '../../electron/core/ssh/connect';
import { selfSignedCertificate, type TestCertificate } from '../helpers/certificates';
import { connectToLabNode } from '../helpers/lab-ssh';
import * as lab from '../lab';

const DOMAIN = 'registry.example.test';
/** Stands for the Harbor admin's login; never printed. */
const AUTH = `Basic ${Buffer.from('admin:pin-test-password').toString('base64')}`;

let dir: string;
const servers: Server[] = [];

/** A TLS server presenting `pair` that counts connections, keeps every decrypted byte it receives, and answers any request with 200. */
async function recordingServer(pair: TestCertificate): Promise<{ port: number; received: () => string; connections: () => number }> {
  let received = '';
  let connections = 0;
  const server = createServer({ cert: pair.cert, key: pair.key }, (socket: TLSSocket) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
    socket.on('error', () => undefined);
  });
  // Counted on accept: the server answers the client's hello after this, so it precedes any verdict of the client's.
  server.on('connection', () => connections++);
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, received: () => received, connections: () => connections };
}

let pinned: TestCertificate;
let impostor: TestCertificate;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tls-pin-'));
  pinned = selfSignedCertificate({ dir, name: 'pinned', cn: DOMAIN, days: 30 });
  impostor = selfSignedCertificate({ dir, name: 'impostor', cn: DOMAIN, days: 30 });
});

afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request carrying the admin's credentials to DOMAIN, connected to the server on loopback. */
function adminRequest(port: number, extra: HttpRequestOptions = {}) {
  return httpRequest(`https://${DOMAIN}:${port}/service/token?service=harbor-registry`, {
    connectTo: { host: '127.0.0.1', port },
    headers: { Authorization: AUTH },
    timeoutMs: 10_000,
    ...extra,
  });
}

async function refusal(p: Promise<unknown>): Promise<CertificateRefused> {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(CertificateRefused);
  return e as CertificateRefused;
}

describe('a pinned certificate, checked in the handshake', () => {
  it('sends the request to the server presenting exactly the pinned certificate', async () => {
    const s = await recordingServer(pinned);
    const r = await adminRequest(s.port, { pinnedCertificate: pinned.cert });
    expect(r.status).toBe(200);
    expect(r.certificate).toMatchObject({ pinned: true, authorized: false, fingerprint256: pinned.fingerprint });
    expect(s.received()).toContain(`Authorization: ${AUTH}`);
  });

  it('sends not one byte of HTTP to a server with another certificate for the same name, and names both fingerprints', async () => {
    const s = await recordingServer(impostor);
    const e = await refusal(adminRequest(s.port, { pinnedCertificate: pinned.cert }));
    expect(s.connections()).toBe(1);
    expect(s.received()).toBe('');
    expect(e.seen).toBe(impostor.fingerprint);
    expect(e.pinned).toBe(pinned.fingerprint);
    for (const text of [e.message, e.localized.en, e.localized['zh-CN']]) {
      expect(text).toContain(impostor.fingerprint);
      expect(text).toContain(pinned.fingerprint);
    }
    expect(e.localized['zh-CN']).toContain('证书');
  });

  it('with nothing pinned, sends nothing to a server whose certificate no CA vouches for', async () => {
    const s = await recordingServer(impostor);
    const e = await refusal(adminRequest(s.port));
    expect(s.connections()).toBe(1);
    expect(s.received()).toBe('');
    expect(e.seen).toBe(impostor.fingerprint);
    expect(e.pinned).toBeUndefined();
    expect(e.localized.en).toContain(impostor.fingerprint);
  });

  it('describes any certificate when told not to verify, but never with credentials', async () => {
    const s = await recordingServer(impostor);
    const described = await httpRequest(`https://${DOMAIN}:${s.port}/api/v2.0/health`, {
      connectTo: { host: '127.0.0.1', port: s.port },
      insecure: true,
      pinnedCertificate: pinned.cert,
    });
    expect(described.certificate).toMatchObject({ pinned: false, authorized: false, fingerprint256: impostor.fingerprint });
    expect(s.connections()).toBe(1);
    for (const header of [{ Authorization: AUTH }, { cookie: 'sid=x' }] as Record<string, string>[]) {
      await expect(
        httpRequest(`https://${DOMAIN}:${s.port}/`, { connectTo: { host: '127.0.0.1', port: s.port }, insecure: true, headers: header }),
      ).rejects.toThrow(/credentials/);
    }
    expect(s.connections()).toBe(1);
    expect(s.received()).not.toContain(AUTH);
  });
});

describe('a pinned certificate over a node’s SSH connection', () => {
  let l: lab.Lab;
  let c: SshConnection;

  beforeAll(async () => {
    l = await lab.up({ nodes: 1, services: [] });
    c = await connectToLabNode(l.node(1));
  }, 180_000);

  afterAll(async () => {
    c?.close();
    await l?.down();
  });

  it('sends the request when the pin matches, and not one byte when it does not', async () => {
    const good = await recordingServer(pinned);
    const via = { client: c.client, from: 'node-1' };
    const ok = await adminRequest(good.port, { via, pinnedCertificate: pinned.cert });
    expect(ok.certificate?.pinned).toBe(true);
    expect(good.received()).toContain(`Authorization: ${AUTH}`);

    const bad = await recordingServer(impostor);
    const e = await refusal(adminRequest(bad.port, { via, pinnedCertificate: pinned.cert }));
    expect(bad.connections()).toBe(1);
    expect(bad.received()).toBe('');
    expect(e.message).toContain(impostor.fingerprint);
    expect(e.message).toContain(pinned.fingerprint);

    const unpinned = await refusal(adminRequest(bad.port, { via }));
    expect(unpinned.seen).toBe(impostor.fingerprint);
    expect(bad.received()).toBe('');
  });
});
