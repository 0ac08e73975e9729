/** How a snapshot sums up what a sweep measured: a node not measured yet, a node's state, a service's state. */
import type { Check, GraphService, Health, NodeHealth, ServiceHealth } from '../../../shared/api/contracts/topology';
import type { Localized } from '../../../shared/i18n/localized';
import { L, worst } from './checks';
import type { NodeKind } from './kind';

export const UNKNOWN: Check = { status: 'unknown' };

export function blankNode(nodeId: string, services: readonly GraphService[]): NodeHealth {
  return {
    nodeId,
    status: 'unknown',
    checking: false,
    ssh: UNKNOWN,
    harbor: UNKNOWN,
    containers: UNKNOWN,
    disks: UNKNOWN,
    clock: UNKNOWN,
    reach: Object.fromEntries(services.map((s) => [s.id, UNKNOWN])),
  };
}

/** The worst of the checks that ran; unknown only when none did. */
export function aggregate(checks: readonly Check[]): Health {
  const known = checks.map((c) => c.status).filter((s) => s !== 'unknown');
  return known.length ? worst(...known) : 'unknown';
}

/**
 * A service as the nodes measured it: failing when no node reaches it, a warning when some do not or Harbor on a node
 * reports a component that depends on it unhealthy; with its last error.
 */
export function serviceHealth(
  s: GraphService,
  nodes: readonly NodeHealth[],
  kind: Pick<NodeKind, 'componentService'>,
  lastError: ServiceHealth['lastError'],
): ServiceHealth {
  const measured = nodes.filter((n) => n.ssh.status === 'ok' && n.reach[s.id] && n.reach[s.id]!.status !== 'unknown');
  const failing = measured.filter((n) => n.reach[s.id]!.status === 'fail');
  const harborSays = nodes.filter((n) =>
    n.harbor.components?.some((c) => kind.componentService(c.name) === s.id && c.status !== 'healthy'),
  );
  let status: Health = 'unknown';
  if (measured.length) status = failing.length === measured.length ? 'fail' : failing.length ? 'warn' : harborSays.length ? 'warn' : 'ok';
  const times = measured
    .map((n) => n.reach[s.id]!.checkedAt)
    .filter((t): t is string => !!t)
    .sort();
  const ok = measured.length - failing.length;
  const summary: Localized | undefined = measured.length
    ? L(
        `reachable from ${ok} of ${measured.length} nodes${harborSays.length ? `; Harbor reports it unhealthy on ${harborSays.length}` : ''}`,
        `${measured.length} 个节点中 ${ok} 个可访问${harborSays.length ? `；${harborSays.length} 个节点上 Harbor 报告其不健康` : ''}`,
      )
    : undefined;
  return {
    id: s.id,
    status,
    ...(times.length ? { checkedAt: times.at(-1)! } : {}),
    ...(summary ? { summary } : {}),
    ...(lastError ? { lastError } : {}),
  };
}
