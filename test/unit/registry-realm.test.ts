/**
 * The admin's login goes only to the registry's own scheme, host and port. A registry stand-in over
 * https (its self-signed certificate pinned, as in the profile) whose /v2/ challenge names a realm
 * elsewhere — http:// (a load balancer ending TLS without X-Forwarded-Proto) or another host — and
 * plain recording servers where that realm points: no request reaches them, the stand-in itself
 * never sees an Authorization header, and verification fails with the realm seen and the fix.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifySpec } from '../../electron/core/harbor/common/verify/check';
import { registryThroughLb } from '../../electron/core/harbor/common/verify/through-lb';
import { RealmRefused, token, type RegistryEndpoint } from '../../electron/core/harbor/registry';
import { profileSchema } from '../../shared/profile';
import { v1Profile, v2Profile } from '../helpers/profiles';

const DOMAIN = 'registry.example.test';
/** Stands for the Harbor admin's password; never printed. */
const PASSWORD = 'realm-test-password';

let dir: string;
let cert: string;
let key: string;
const servers: Server[] = [];

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
}

const record = (req: IncomingMessage, into: Seen[]) =>
  into.push({
    method: req.method ?? '',
    url: req.url ?? '',
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A plain http server that records every request it gets and would hand out a token. */
async function recorder(): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const port = await listen(
    createHttpServer((req, res) => {
      record(req, seen);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ token: 'stolen' }));
    }),
  );
  return { port, seen };
}

/** The registry over https: /v2/ answers 401 with the realm `realm(port)`; any other request is recorded and refused. */
async function registry(realm: (port: number) => string): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  let port = 0;
  port = await listen(
    createHttpsServer({ cert, key }, (req, res) => {
      record(req, seen);
      if (req.url === '/v2/') {
        res.writeHead(401, {
          'WWW-Authenticate': `Bearer realm="${realm(port)}",service="harbor-registry"`,
          'Content-Type': 'application/json',
        });
        res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      res.writeHead(404).end();
    }),
  );
  return { port, seen };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'registry-realm-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
      '-days',
      '30',
      '-subj',
      `/CN=${DOMAIN}`,
      '-addext',
      `subjectAltName=DNS:${DOMAIN},IP:127.0.0.1`,
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'c.pem'), 'utf8');
  key = readFileSync(join(dir, 'k.pem'), 'utf8');
});

afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the token call', () => {
  it('sends no request to an http:// realm of an https registry', async () => {
    const rec = await recorder();
    const realm = `http://127.0.0.1:${rec.port}/service/token`;
    const reg = await registry(() => realm);
    const ep: RegistryEndpoint = { baseUrl: `https://127.0.0.1:${reg.port}`, connect: { pinnedCertificate: cert } };
    const e = await token(ep, realm, 'harbor-registry', 'admin', PASSWORD, 'repository:library/x:pull').then(
      () => null,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(RealmRefused);
    expect((e as RealmRefused).localized.en).toContain(realm);
    expect((e as RealmRefused).localized['zh-CN']).toContain(realm);
    expect(rec.seen).toEqual([]);
    expect(reg.seen).toEqual([]);
  });

  it('asks the registry’s own realm, with the login', async () => {
    const seen: Seen[] = [];
    const port = await listen(
      createHttpsServer({ cert, key }, (req, res) => {
        record(req, seen);
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ token: 'granted' }));
      }),
    );
    const base = `https://127.0.0.1:${port}`;
    expect(
      await token({ baseUrl: base, connect: { pinnedCertificate: cert } }, `${base}/service/token`, 'harbor-registry', 'admin', PASSWORD),
    ).toBe('granted');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toMatch(/^\/service\/token\?service=harbor-registry/);
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`);
  });
});

describe('verification through the load balancer', () => {
  const V2: VerifySpec = { generation: 'v2' };
  const V1: VerifySpec = { generation: 'v1' };

  /** Verification as the deploy runs it, against the stand-in at the load balancer's address; the password is counted when asked for. */
  async function verifyAgainst(spec: VerifySpec, reg: { port: number }, profile: ReturnType<typeof profileSchema.parse>) {
    let asked = 0;
    const ep: RegistryEndpoint = {
      baseUrl: `https://${profile.access.domain}`,
      connect: { connectTo: { host: '127.0.0.1', port: reg.port }, pinnedCertificate: cert },
    };
    const r = await registryThroughLb(
      spec,
      profile,
      ep,
      () => {
        asked++;
        return PASSWORD;
      },
      'tag1',
      `load balancer 127.0.0.1`,
    );
    return { ...r, asked };
  }

  it('fails on an http:// realm with the X-Forwarded-Proto fix, and pushes nothing', async () => {
    const rec = await recorder();
    const reg = await registry(() => `http://${DOMAIN}:${rec.port}/service/token`);
    const profile = profileSchema.parse(
      v2Profile((p) => void (p.access = { ...p.access, domain: `${DOMAIN}:${reg.port}`, protocol: 'https', tlsTermination: 'lb' })),
    );
    const r = await verifyAgainst(V2, reg, profile);
    expect(r.checks.map((c) => [c.id, c.ok])).toEqual([['realm', false]]);
    const { en, 'zh-CN': zh } = r.checks[0]!.message;
    expect(en).toContain(`realm http://${DOMAIN}:${rec.port}/service/token`);
    expect(en).toContain(`clients need https://${DOMAIN}:${reg.port}/service/token`);
    expect(en).toContain('X-Forwarded-Proto: https');
    expect(zh).toContain('X-Forwarded-Proto: https');
    expect(zh).toContain('未推送');
    expect(r.pushed).toBeUndefined();
    expect(r.asked).toBe(0);
    expect(rec.seen).toEqual([]);
    expect(reg.seen.map((s) => s.url)).toEqual(['/v2/']);
    expect(reg.seen.some((s) => s.authorization)).toBe(false);
  });

  it('for Harbor 1.x with TLS at the load balancer, names EXT_ENDPOINT as the fix', async () => {
    const rec = await recorder();
    const reg = await registry(() => `http://${DOMAIN}:${rec.port}/service/token`);
    const profile = profileSchema.parse(
      v1Profile((p) => void (p.access = { ...p.access, domain: `${DOMAIN}:${reg.port}`, protocol: 'https', tlsTermination: 'lb' })),
    );
    const r = await verifyAgainst(V1, reg, profile);
    expect(r.checks[0]).toMatchObject({ id: 'realm', ok: false });
    expect(r.checks[0]!.message.en).toContain('EXT_ENDPOINT');
    expect(r.checks[0]!.message.en).toContain(`https://${DOMAIN}:${reg.port}`);
    expect(r.checks[0]!.message['zh-CN']).toContain('EXT_ENDPOINT');
    expect(r.asked).toBe(0);
    expect(rec.seen).toEqual([]);
    expect(reg.seen.some((s) => s.authorization)).toBe(false);
  });

  it('fails on a realm on another host, and sends the login nowhere', async () => {
    const reg = await registry((port) => `https://harbor.elsewhere.test:${port}/service/token`);
    const profile = profileSchema.parse(
      v2Profile((p) => void (p.access = { ...p.access, domain: `${DOMAIN}:${reg.port}`, protocol: 'https', tlsTermination: 'lb' })),
    );
    const r = await verifyAgainst(V2, reg, profile);
    expect(r.checks.map((c) => [c.id, c.ok])).toEqual([['realm', false]]);
    expect(r.checks[0]!.message.en).toContain(
      `Harbor names itself https://harbor.elsewhere.test:${reg.port}, but clients use https://${DOMAIN}:${reg.port}`,
    );
    expect(r.checks[0]!.message['zh-CN']).toContain('请重新运行配置步骤');
    expect(r.asked).toBe(0);
    expect(reg.seen.map((s) => s.url)).toEqual(['/v2/']);
    expect(reg.seen.some((s) => s.authorization)).toBe(false);
  });
});
