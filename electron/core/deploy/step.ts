/**
 * A deployment step: `check` (already done? why not?), `preview` (exactly what apply would do) and
 * `apply`. Steps are idempotent: after apply, check must say done, and a second run reports
 * "unchanged". Harbor generations contribute steps; the runner does not know what they do.
 */
import type { Localized } from '../../../shared/i18n/localized';

/** cluster: once; each-node: all nodes at once; first-then-rest: node 1, then the others at once. */
export type StepScope = 'cluster' | 'each-node' | 'first-then-rest';

export interface NodeRef {
  readonly id: string;
  /** How messages name it, e.g. `node-1 (192.168.10.10)`. */
  readonly label: string;
  /** 0-based position in the profile; node 1 is index 0. */
  readonly index: number;
}

export interface StepLog {
  /**
   * A line for the live log (secrets are masked before it is stored or shown): prose in both languages, so the
   * log reads in the operator's; a plain string is what a command printed, the same in every language.
   */
  line(text: Localized | string): void;
  /** Progress of a long part (a transfer): done and total in the same unit. */
  progress(done: number, total: number, unit?: 'bytes' | 'items'): void;
}

export interface StepContext {
  /** The node a node-scoped step runs on; undefined for cluster steps. */
  readonly node: NodeRef | undefined;
  readonly nodes: readonly NodeRef[];
  /** The nodes this step runs on in this run (node steps): failed or unselected nodes left out. */
  readonly peers: readonly NodeRef[];
  readonly signal: AbortSignal;
  readonly log: StepLog;
}

export interface CheckResult {
  readonly done: boolean;
  /** Why it is not done (or what was found), shown beside the status. */
  readonly reason?: Localized;
  /** The profile field whose value is why it is not done (`database.port`), when a setting is the cause. */
  readonly field?: string;
  /**
   * Applying stops a service this node is serving right now (a reinstall of a running Harbor). The
   * runner applies such cells one node at a time, each (apply and its check) finished before the
   * next starts, so the load balancer always has the other nodes; fresh installs still run at once.
   * A step that `disrupts` also says it when its check passes (the node serves): a change of a step
   * it depends on would make it apply, and the plan check names that node before a run stops it.
   */
  readonly disruptive?: boolean;
}

export interface FilePreview {
  readonly path: string;
  /** Unified diff against what is on the node now (shared/diff.ts); empty when equal. */
  readonly diff: string;
}

export interface Preview {
  readonly commands: readonly string[];
  readonly files: readonly FilePreview[];
  readonly sql: readonly string[];
  readonly notes: readonly Localized[];
}

export const EMPTY_PREVIEW: Preview = { commands: [], files: [], sql: [], notes: [] };

export interface Step<C> {
  readonly id: string;
  readonly title: Localized;
  /** What the step does and why, in plain language (and where the seed runbook was wrong). */
  readonly explain: Localized;
  readonly scope: StepScope;
  /**
   * each-node: one node at a time in node order, each cell (apply and its check) finished before the next starts, and
   * a node that fails stops the rest (blocked). A rolling change of what serves clients (a certificate rotation): the
   * nodes not reached yet keep serving as they were, whatever happens to the one being changed.
   */
  readonly rolling?: boolean;
  /** Cluster steps that need every node (e.g. verification through the load balancer) wait for all of them. */
  readonly needsAllNodes?: boolean;
  /**
   * Nothing after this step may run while any of its cells failed (preflight: nothing changes
   * anywhere until every check passes). Cluster steps always gate.
   */
  readonly gate?: boolean;
  /** Changes nothing: its check is the whole work (preflight, the key comparison, verify); a passing cell is "passed". */
  readonly readOnly?: boolean;
  /**
   * Applying may stop a service the node serves (a reinstall): a run that would do so on a serving node needs the
   * operator's consent naming that node (deploy.start's `confirmDisruption`), and the plan check names it.
   */
  readonly disrupts?: boolean;
  /**
   * The earlier steps whose result on the node this step reads (the config step reads what unpack put there; the
   * install's stamp covers the config's files). While one of them will still change the node, this step's check
   * describes the node before that change: the plan check reports it as "needs <step> first" or "will change".
   */
  readonly dependsOn?: readonly string[];
  check(ctx: C & StepContext): Promise<CheckResult>;
  preview(ctx: C & StepContext): Promise<Preview>;
  apply(ctx: C & StepContext): Promise<void>;
}

/** A step that reads what the named earlier steps leave on the node (Step.dependsOn). */
export function after<C>(step: Step<C>, dependsOn: readonly string[]): Step<C> {
  return { ...step, dependsOn };
}
