/**
 * What a certificate rotation judges before anything changes, and how the topology warns before expiry: real
 * certificates and chains made with openssl; the runner's rolling order over steps of an in-memory cluster.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalStore } from '../../electron/core/deploy/journal';
import { newJournal, Runner } from '../../electron/core/deploy/runner';
import { EMPTY_PREVIEW, type NodeRef, type Step } from '../../electron/core/deploy/step';
import { CERT_URGENT_DAYS, CERT_WARN_DAYS, certificateCheck } from '../../electron/core/health/checks';
import { badCertificates } from '../../electron/core/health/problems/certificates';
import type { PeerCertificate } from '../../electron/core/probe/http';
import { rotationIssues } from '../../electron/core/maintenance/rotate-cert';

const DOMAIN = 'registry.example.test';
const DAY = 86_400_000;
let dir: string;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A key and a certificate for `cn`: self-signed, or signed by `ca` (a CA when `isCa`). */
function make(name: string, cn: string, o: { ca?: string; isCa?: boolean } = {}): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const crt = join(dir, `${name}.crt`);
  const ext = o.isCa ? 'basicConstraints=critical,CA:TRUE' : `subjectAltName=DNS:${cn}`;
  if (!o.ca)
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '90',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      ext,
      '-keyout',
      key,
      '-out',
      crt,
    );
  else {
    const csr = join(dir, `${name}.csr`);
    const extFile = join(dir, `${name}.ext`);
    execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', ext, extFile]);
    openssl(
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      key,
      '-out',
      csr,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(dir, `${o.ca}.crt`),
      '-CAkey',
      join(dir, `${o.ca}.key`),
      '-CAcreateserial',
      '-days',
      '90',
      '-extfile',
      extFile,
      '-out',
      crt,
    );
  }
  return { cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8') };
}

let root: { cert: string; key: string };
let intermediate: { cert: string; key: string };
let leaf: { cert: string; key: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rotate-rules-'));
  root = make('root', 'Lab Root CA', { isCa: true });
  intermediate = make('intermediate', 'Lab Intermediate CA', { ca: 'root', isCa: true });
  leaf = make('leaf', DOMAIN, { ca: 'intermediate' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a rotation’s new certificate', () => {
  it('passes a chain in the order TLS sends it, with its own key', () => {
    expect(rotationIssues(leaf.cert + intermediate.cert + root.cert, leaf.key, DOMAIN)).toEqual([]);
  });

  it('refuses a chain out of order, naming the certificate field and the certificate that is out of place', () => {
    const issues = rotationIssues(intermediate.cert + leaf.cert, leaf.key, DOMAIN);
    expect(issues.map((i) => i.path)).toContain('certificate');
    const order = issues.find((i) => /out of order/.test(i.message.en))!;
    expect(order.message.en).toContain('certificate 1 (CN=Lab Intermediate CA)');
    expect(order.message['zh-CN']).toContain('证书链顺序错误');
  });

  it('refuses another certificate’s key, naming the key field', () => {
    const other = make('other', DOMAIN);
    expect(rotationIssues(leaf.cert + intermediate.cert, other.key, DOMAIN)).toEqual([
      expect.objectContaining({ path: 'privateKey', message: expect.objectContaining({ en: expect.stringMatching(/does not belong/) }) }),
    ]);
  });

  it('refuses a certificate for another name, an expired one, and a key pasted among the certificates', () => {
    const elsewhere = make('elsewhere', 'other.example.test');
    expect(rotationIssues(elsewhere.cert, elsewhere.key, DOMAIN).map((i) => i.path)).toEqual(['certificate']);
    const later = new Date(Date.now() + 200 * DAY);
    expect(rotationIssues(leaf.cert, leaf.key, DOMAIN, later)[0]!.message.en).toMatch(/expired/);
    const withKey = rotationIssues(leaf.cert + leaf.key, leaf.key, DOMAIN);
    expect(withKey).toHaveLength(1);
    expect(withKey[0]!.path).toBe('certificate');
    expect(withKey[0]!.message.en).toContain('PRIVATE KEY');
  });
});

describe('the topology’s expiry warnings', () => {
  const peer = (daysLeft: number, now: number): PeerCertificate => ({
    authorized: false,
    pinned: true,
    raw: Buffer.alloc(0),
    fingerprint256: 'AA:BB',
    subject: `CN=${DOMAIN}`,
    subjectAltName: `DNS:${DOMAIN}`,
    validFrom: new Date(now - 30 * DAY).toUTCString(),
    validTo: new Date(now + daysLeft * DAY + 3_600_000).toUTCString(),
  });
  const now = Date.parse('2026-06-01T12:00:00Z');
  const judge = (days: number) => certificateCheck(peer(days, now), 'lb', new Date(now).toISOString(), now);

  it('says nothing 30 days out, warns within 30, and warns harder within 7', () => {
    expect([CERT_WARN_DAYS, CERT_URGENT_DAYS]).toEqual([30, 7]);
    expect(judge(CERT_WARN_DAYS)).toMatchObject({ status: 'ok' });
    expect(judge(CERT_WARN_DAYS - 1)).toMatchObject({ status: 'warn', reason: 'expiring', daysLeft: 29 });
    expect(judge(CERT_URGENT_DAYS)).toMatchObject({ status: 'warn', reason: 'expiring' });
    const urgent = judge(CERT_URGENT_DAYS - 1);
    expect(urgent).toMatchObject({ status: 'warn', reason: 'expiring_soon', daysLeft: 6 });
    expect(urgent.error!.en).toContain('renew it now');
    expect(urgent.error!['zh-CN']).toContain('请立即续期');
  });

  it('makes the 30-day level a warning and the 7-day level an error, each with how to rotate', () => {
    const problems = (days: number) =>
      badCertificates({
        graph: { domain: DOMAIN, protocol: 'https', lb: { title: 'SLB' } },
        lb: { certificate: judge(days) },
        nodes: [],
        reachable: [],
      } as unknown as Parameters<typeof badCertificates>[0]);
    expect(problems(20)).toEqual([expect.objectContaining({ id: 'tls:expiring', severity: 'warning' })]);
    const [urgent] = problems(3);
    expect(urgent).toMatchObject({ id: 'tls:expiring_soon', severity: 'error' });
    expect(urgent!.fix.en).toContain('Renew it now');
  });
});

describe('a rolling step', () => {
  type Ctx = { order: string[]; broken: string | null };
  const nodes: NodeRef[] = [0, 1, 2].map((i) => ({ id: `n${i + 1}`, label: `node-${i + 1}`, index: i }));
  const rolling = (ctx: Ctx): Step<Ctx> => ({
    id: 'roll',
    title: { en: 'roll', 'zh-CN': 'roll' },
    explain: { en: 'roll', 'zh-CN': 'roll' },
    scope: 'each-node',
    rolling: true,
    async check({ node }) {
      return { done: ctx.order.includes(`end ${node!.id}`) };
    },
    async preview() {
      return EMPTY_PREVIEW;
    },
    async apply({ node }) {
      ctx.order.push(`start ${node!.id}`);
      await new Promise((r) => setTimeout(r, 10));
      if (ctx.broken === node!.id) throw new Error(`${node!.id} broke`);
      ctx.order.push(`end ${node!.id}`);
    },
  });
  const run = async (ctx: Ctx) => {
    const steps = [rolling(ctx)];
    const store = new JournalStore(mkdtempSync(join(dir, 'runs-')));
    return new Runner<Ctx>(steps, nodes, () => ctx, store, newJournal('p', steps, nodes)).run();
  };

  it('changes one node at a time, in node order', async () => {
    const ctx: Ctx = { order: [], broken: null };
    const j = await run(ctx);
    expect(j.state).toBe('finished');
    expect(ctx.order).toEqual(['start n1', 'end n1', 'start n2', 'end n2', 'start n3', 'end n3']);
  });

  it('stops at a node that fails: the nodes after it are not touched, and say why', async () => {
    const ctx: Ctx = { order: [], broken: 'n2' };
    const j = await run(ctx);
    expect(j.state).toBe('failed');
    expect(ctx.order).toEqual(['start n1', 'end n1', 'start n2']);
    expect(j.cells['roll']!['n1']!.status).toBe('succeeded');
    expect(j.cells['roll']!['n2']!.status).toBe('failed');
    expect(j.cells['roll']!['n3']).toMatchObject({ status: 'blocked' });
    expect(j.cells['roll']!['n3']!.reason!.en).toContain('node-2 failed this step');
  });
});
