/**
 * What every problem rule reads, and the helpers they share: a rule is a small pure function from a sweep to the
 * problems it finds (none, one, or one per cause), so each can be read, tested and removed on its own.
 */
import type { LoadBalancerHealth, NodeHealth, TopologyGraph, TopologyProblem } from '../../../../shared/api/contracts/topology';
import type { NodeKind } from '../kind';

export interface ProblemInput {
  readonly graph: TopologyGraph;
  /** What the nodes run: which container is the proxy, which service a health component stands for. */
  readonly kind: NodeKind;
  readonly nodes: readonly NodeHealth[];
  readonly lb: LoadBalancerHealth;
  /** Digests of the shared key files per node (path → digest, or a problem). Never leaves the core. */
  readonly keys: ReadonlyMap<string, readonly { path: string; digest?: string; problem?: string }[]>;
  /** Digest of each node's CSRF key line (the node kind's csrfKey; Harbor 2.x: CSRF_KEY in core/env), or why there is none, and the file read. Never leaves the core. */
  readonly csrf?: ReadonlyMap<string, { path: string; digest?: string; problem?: string }>;
  readonly dataVolume: string;
  /** Where the SSH failure came from, per node: the SshError code. */
  readonly sshCodes: ReadonlyMap<string, string>;
}

/** The input as the rules read it. */
export interface Sweep extends ProblemInput {
  /** The nodes the app could sign in to: only their measurements mean anything. */
  readonly reachable: readonly NodeHealth[];
}

export type Rule = (sweep: Sweep) => TopologyProblem[];

export function sweepOf(input: ProblemInput): Sweep {
  return { ...input, reachable: input.nodes.filter((n) => n.ssh.status === 'ok') };
}

/** `value` appended to the list under `key`, keeping the order in which keys and values came. */
export function group<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  groups.set(key, [...(groups.get(key) ?? []), value]);
}

/**
 * Nodes grouped by a value they should share (a digest, a fingerprint): the nodes outside the
 * largest group, which counts as right (on a tie, the group with node 1).
 */
export function outliers(groups: ReadonlyMap<string, readonly string[]>, graph: TopologyGraph): string[] {
  const first = graph.nodes[0]?.id ?? '';
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length || Number(b.includes(first)) - Number(a.includes(first)));
  return sorted.slice(1).flat();
}

/** How titles list nodes: their names, comma-separated. */
export function names(graph: TopologyGraph, ids: readonly string[]): string {
  return ids.map((id) => graph.nodes.find((n) => n.id === id)?.name ?? id).join(', ');
}

/** How whitelist fixes list nodes: the addresses the services see, comma-separated without spaces (as RDS takes them). */
export function addresses(graph: TopologyGraph, ids: readonly string[]): string {
  return ids.map((id) => graph.nodes.find((n) => n.id === id)?.address ?? id).join(',');
}

/** One problem about these nodes, its subject the first of them; none when there are none. */
export function onNodes(
  ids: readonly string[],
  problem: (ids: readonly string[]) => Omit<TopologyProblem, 'subject' | 'nodes'>,
): TopologyProblem[] {
  if (!ids.length) return [];
  const { id, severity, ...text } = problem(ids);
  return [{ id, severity, subject: { kind: 'node', id: ids[0]! }, nodes: [...ids], ...text }];
}
