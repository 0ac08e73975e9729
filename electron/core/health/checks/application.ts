/**
 * The application's own health, asked where it is served: on each node over the node's SSH connection, and through
 * the load balancer from this machine as clients ask it; over https with the certificate it presented. What to ask
 * and how to read the answer is the kind's; how the asking went (time taken, how a request failed) is said here.
 */
import type { Client } from 'ssh2';
import type { CertificateCheck, Check, TopologyGraph } from '../../../../shared/api/contracts/topology';
import type { Localized } from '../../../../shared/i18n/localized';
import type { Profile } from '../../../../shared/profile';
import { httpRequest, type PeerCertificate } from '../../probe/http';
import { ReachError } from '../../probe/tunnel';
import type { Get, HealthVerdict, NodeKind } from '../kind';
import { certificateCheck } from './certificate';
import { L, LIMITS, now } from './common';

export type HarborCheck = Check & Pick<HealthVerdict, 'components' | 'version'>;

/** A probe's `get` that also keeps the certificate of the first https answer. */
function keepingCertificate(get: Get): { get: Get; seen: () => PeerCertificate | undefined } {
  let seen: PeerCertificate | undefined;
  return {
    get: (path) =>
      get(path).then((r) => {
        seen ??= r.certificate;
        return r;
      }),
    seen: () => seen,
  };
}

function httpProblem(where: string, error: unknown): Localized {
  if (error instanceof ReachError) return error.localized;
  const m = (error as Error).message;
  return L(`${where}: ${m}`, `${where}：${m}`);
}

/** The kind's health verdict through `get`, timed; a request that failed is a failed check saying how (its detail: the ReachError kind). */
async function askHealth(kind: NodeKind, graph: TopologyGraph, get: Get, where: string): Promise<HarborCheck> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const verdict = await kind.health(graph, get, where);
    return { ...verdict, checkedAt: now(), latencyMs: took() };
  } catch (error) {
    return {
      status: 'fail',
      checkedAt: now(),
      latencyMs: took(),
      detail: error instanceof ReachError ? error.kind : 'error',
      error: httpProblem(where, error),
    };
  }
}

/**
 * The application as the node itself serves it: first on 127.0.0.1 (Harbor's proxy publishes its ports on
 * every address), then on the node's own address when loopback refuses. `preferred` remembers which
 * answered last time.
 */
export async function harborOnNode(
  kind: NodeKind,
  client: Client,
  label: string,
  p: Profile,
  graph: TopologyGraph,
  address: string,
  preferred: { host?: string },
): Promise<HarborCheck & { certificate?: CertificateCheck }> {
  const ep = kind.nodeEndpoint(p);
  const hosts = [...new Set([preferred.host, '127.0.0.1', address].filter((h): h is string => !!h))];
  const domainHost = graph.domain.replace(/:\d+$/, '');
  let last: HarborCheck | undefined;
  const pinned = p.access.certificate;
  for (const host of hosts) {
    const probe = keepingCertificate((path) =>
      httpRequest(`${ep.scheme}://${domainHost}${path}`, {
        via: { client, from: label },
        connectTo: { host, port: ep.port },
        timeoutMs: LIMITS.httpMs,
        insecure: true,
        maxBody: 1 << 20,
        ...(pinned ? { pinnedCertificate: pinned } : {}),
      }),
    );
    const where = `${label} ${ep.scheme}://${host}:${ep.port}`;
    const r = await askHealth(kind, graph, probe.get, where);
    if (r.detail !== 'refused') {
      preferred.host = host;
      return ep.scheme === 'https' ? { ...r, certificate: certificateCheck(probe.seen(), where, now()) } : r;
    }
    last = r;
  }
  return last!;
}

/** The application through the load balancer, from this machine, as clients reach it (and, over https, the certificate they get). */
export async function harborThroughLb(
  kind: NodeKind,
  graph: TopologyGraph,
  pinnedCertificate?: string,
): Promise<HarborCheck & { certificate?: CertificateCheck }> {
  const m = /^(.*?)(?::(\d+))?$/.exec(graph.domain)!;
  const port = m[2] ? Number(m[2]) : graph.protocol === 'https' ? 443 : 80;
  const probe = keepingCertificate((path) =>
    httpRequest(`${graph.lb.url}${path}`, {
      ...(graph.lb.address ? { connectTo: { host: graph.lb.address, port } } : {}),
      timeoutMs: LIMITS.httpMs,
      insecure: true,
      maxBody: 1 << 20,
      ...(pinnedCertificate ? { pinnedCertificate } : {}),
    }),
  );
  const where = `${graph.lb.title} ${graph.lb.url}`;
  const r = await askHealth(kind, graph, probe.get, where);
  return graph.protocol === 'https' ? { ...r, certificate: certificateCheck(probe.seen(), where, now()) } : r;
}
