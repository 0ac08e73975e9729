/**
 * The TLS certificate Harbor presents, judged as docker clients will judge it: real certificates
 * made with openssl, served by real https servers on loopback, asked through the same probe the
 * topology uses for the load balancer; then the problems and fixes that follow from them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERT_WARN_DAYS, certificateCheck, harborThroughLb } from '../../electron/core/health/checks';
import { topologyGraph } from '../../electron/core/health/graph';
import { harborNodes } from '../../electron/core/harbor/adapter';
import { findProblems } from '../../electron/core/health/problems';
import { httpRequest } from '../../electron/core/probe/http';
import type { NodeHealth, TopologyGraph } from '../../shared/api/contracts/topology';
import { profileSchema } from '../../shared/profile';
import { selfSignedCertificate } from '../helpers/certificates';
import { v2Profile } from '../helpers/profiles';

const DOMAIN = 'registry.example.test';
let dir: string;
const servers: Server[] = [];

/** An https server answering Harbor 2.x's health with `pair`; its port. */
async function harbor(pair: { cert: string; key: string }): Promise<number> {
  const server = createServer(pair, (req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(
      req.url === '/api/v2.0/health' ? JSON.stringify({ status: 'healthy', components: [{ name: 'core', status: 'healthy' }] }) : '{}',
    );
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function graphFor(port: number): TopologyGraph {
  const g = topologyGraph(profileSchema.parse(v2Profile()));
  return { ...g, domain: `${DOMAIN}:${port}`, protocol: 'https', lb: { ...g.lb, address: '127.0.0.1', url: `https://${DOMAIN}:${port}` } };
}

let good: { cert: string; key: string };
let wrongName: { cert: string; key: string };
let soon: { cert: string; key: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'topology-cert-'));
  good = selfSignedCertificate({ dir, name: 'good', cn: DOMAIN, days: 365 });
  wrongName = selfSignedCertificate({ dir, name: 'wrong', cn: 'other.example.test', days: 365 });
  soon = selfSignedCertificate({ dir, name: 'soon', cn: DOMAIN, days: 10 });
});

afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the certificate through the load balancer', () => {
  it('is fine when it is the one pinned in the profile, and untrusted when nothing vouches for it', async () => {
    const port = await harbor(good);
    const pinned = await harborThroughLb(harborNodes, graphFor(port), good.cert);
    expect(pinned.status).toBe('ok');
    expect(pinned.certificate).toMatchObject({ status: 'ok' });
    expect(pinned.certificate!.daysLeft).toBeGreaterThanOrEqual(363);
    expect(pinned.certificate!.detail).toContain(`DNS:${DOMAIN}`);
    expect(pinned.certificate!.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const unpinned = await harborThroughLb(harborNodes, graphFor(port));
    expect(unpinned.status).toBe('ok'); // Harbor itself answers
    expect(unpinned.certificate).toMatchObject({ status: 'fail', reason: 'untrusted' });
    expect(unpinned.certificate!.error!.en).toContain('not the one in the profile');
  });

  it('fails a certificate for another name even when pinned, and warns before expiry', async () => {
    const other = await harborThroughLb(harborNodes, graphFor(await harbor(wrongName)), wrongName.cert);
    expect(other.certificate).toMatchObject({ status: 'fail', reason: 'name' });
    expect(other.certificate!.error!.en).toContain('not for this domain');

    const expiring = await harborThroughLb(harborNodes, graphFor(await harbor(soon)), soon.cert);
    expect(expiring.certificate).toMatchObject({ status: 'warn', reason: 'expiring' });
    expect(expiring.certificate!.daysLeft).toBeLessThan(CERT_WARN_DAYS);
  });

  it('is not asked over http', async () => {
    const g = graphFor(1);
    const r = await harborThroughLb(harborNodes, { ...g, protocol: 'http', lb: { ...g.lb, url: 'http://127.0.0.1:1' } });
    expect(r.certificate).toBeUndefined();
  });

  it('judges expiry and a start in the future against the clock it is given', async () => {
    const port = await harbor(good);
    const seen = (
      await httpRequest(`https://${DOMAIN}:${port}/api/v2.0/health`, {
        connectTo: { host: '127.0.0.1', port },
        insecure: true,
        pinnedCertificate: good.cert,
      })
    ).certificate;
    expect(seen?.pinned).toBe(true);
    const later = certificateCheck(seen, 'lb', 'now', Date.now() + 400 * 86_400_000);
    expect(later).toMatchObject({ status: 'fail', reason: 'expired' });
    expect(later.error!['zh-CN']).toContain('过期');
    expect(certificateCheck(seen, 'lb', 'now', Date.now() - 2 * 86_400_000)).toMatchObject({ status: 'fail', reason: 'not_yet_valid' });
  });
});

describe('certificate problems', () => {
  const G: TopologyGraph = { ...topologyGraph(profileSchema.parse(v2Profile())), protocol: 'https' };
  const ok = { status: 'ok' as const, checkedAt: 'now' };
  const node = (nodeId: string, certificate: NodeHealth['certificate']): NodeHealth => ({
    nodeId,
    status: 'ok',
    checking: false,
    ssh: ok,
    harbor: ok,
    containers: { ...ok, list: [] },
    disks: ok,
    clock: ok,
    reach: { database: ok, redis: ok, oss: ok },
    ...(certificate ? { certificate } : {}),
  });
  const A = { status: 'ok' as const, fingerprint: 'AA' };
  const B = { status: 'ok' as const, fingerprint: 'BB' };

  it('names the node that presents a different certificate than the others', () => {
    const p = findProblems({
      kind: harborNodes,
      graph: G,
      nodes: [node('n1', A), node('n2', B), node('n3', A)],
      lb: { status: 'ok', harbor: ok },
      keys: new Map(),
      dataVolume: '/data',
      sshCodes: new Map(),
    });
    const differ = p.find((x) => x.id === 'tls:differ')!;
    expect(differ).toMatchObject({ severity: 'error', nodes: ['n2'] });
    expect(differ.fix.en).toContain('rerun the deployment');
  });

  it('turns an expired certificate at the load balancer into an error with the x509 message docker prints', () => {
    const expired = {
      status: 'fail' as const,
      reason: 'expired' as const,
      error: { en: 'SLB: the certificate expired on 2026-01-01', 'zh-CN': 'SLB：证书已于 2026-01-01 过期' },
    };
    const p = findProblems({
      kind: harborNodes,
      graph: G,
      nodes: [node('n1', undefined)],
      lb: { status: 'fail', harbor: ok, certificate: expired },
      keys: new Map(),
      dataVolume: '/data',
      sshCodes: new Map(),
    });
    const e = p.find((x) => x.id === 'tls:expired')!;
    expect(e).toMatchObject({ severity: 'error', subject: { kind: 'lb' }, nodes: [] });
    expect(e.fix.en).toContain('x509: certificate has expired');
    expect(e.fix.en).toContain('HTTPS listener');
    expect(e.fix['zh-CN']).toContain('续期');
  });
});
