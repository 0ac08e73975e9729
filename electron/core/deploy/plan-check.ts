/**
 * The whole plan checked at once, as Ansible's `--check --diff` does: for every step on every node, what a run would
 * do now — change something (its preview, the same plan the run executes), nothing, pass or fail a read-only check, or
 * nothing that can be said yet because an earlier step it depends on (Step.dependsOn) must change the node first.
 * Reads only. The same walk, limited to the steps that can stop a serving node, finds the nodes a run would disrupt.
 */
import type { CheckCell, StepPreview } from '../../../shared/api/contracts/deploy';
import { type Localized, L } from '../../../shared/i18n/localized';
import { CLUSTER } from './journal';
import type { CheckResult, NodeRef, Preview, Step, StepContext } from './step';

export interface CheckScope<C> {
  readonly steps: readonly Step<C>[];
  readonly nodes: readonly NodeRef[];
  /** The context of a cell (node undefined for a cluster step), as a preview gets it. */
  context(node: NodeRef | undefined): C & StepContext;
  /** Secrets masked out of what a preview shows. */
  mask(preview: Preview): StepPreview;
  /** Why a check or preview could not be made, in the operator's words. */
  errorText(error: unknown): Localized;
}

/** Cells whose step will still change the node (or cannot be judged yet): a step depending on them is not final. */
const UNSETTLED: readonly CheckCell['status'][] = ['will-change', 'needs', 'fails', 'error'];

/**
 * Evaluates cells on demand, each once: a step's cell first settles the cells of the steps it depends on. `full`
 * also makes the preview of every cell that will change (the whole-plan check); without it, only what decides
 * whether a cell changes is read (the disruption check before a run).
 */
export class PlanChecker<C> {
  readonly #cells = new Map<string, Promise<CheckCell>>();
  constructor(
    private readonly scope: CheckScope<C>,
    private readonly full: boolean,
  ) {}

  cell(step: Step<C>, node: NodeRef | undefined): Promise<CheckCell> {
    const key = `${step.id}\u0000${node?.id ?? CLUSTER}`;
    let c = this.#cells.get(key);
    if (!c) {
      c = this.#evaluate(step, node);
      this.#cells.set(key, c);
    }
    return c;
  }

  /** Every cell of these steps (node steps on all nodes at once, steps in plan order). */
  async all(steps: readonly Step<C>[], nodes: readonly NodeRef[]): Promise<Record<string, Record<string, CheckCell>>> {
    const out: Record<string, Record<string, CheckCell>> = {};
    for (const s of steps) {
      const where = s.scope === 'cluster' ? [undefined] : nodes;
      const cells = await Promise.all(where.map((n) => this.cell(s, n)));
      out[s.id] = Object.fromEntries(where.map((n, i) => [n?.id ?? CLUSTER, cells[i]!]));
    }
    return out;
  }

  /**
   * Why this step cannot be judged on this node yet — the steps it depends on that will still change it — or null
   * when nothing it depends on is pending (a preview that failed then failed for its own reason).
   */
  async waiting(step: Step<C>, node: NodeRef | undefined): Promise<CheckCell | null> {
    const pending = await this.#unsettled(step, node);
    return pending.length ? this.#waits(pending) : null;
  }

  #waits(pending: readonly { step: Step<C> }[]): CheckCell {
    const en = pending.map((d) => `"${d.step.title.en}"`).join(', ');
    const zh = pending.map((d) => `“${d.step.title['zh-CN']}”`).join('、');
    return {
      status: 'needs',
      needs: pending.map((d) => d.step.id),
      reason: L(
        `Needs ${en} first: that step has not changed the node yet, and what this step does is decided from what it leaves there.`,
        `需要先运行${zh}：该步骤尚未改变节点，而此步骤要做什么取决于它在节点上留下的内容。`,
      ),
    };
  }

  /** The unsettled cells of the steps this one depends on: on its node, or on every node for a cluster step. */
  async #unsettled(step: Step<C>, node: NodeRef | undefined): Promise<{ step: Step<C>; cell: CheckCell }[]> {
    const out: { step: Step<C>; cell: CheckCell }[] = [];
    for (const id of step.dependsOn ?? []) {
      const dep = this.scope.steps.find((s) => s.id === id);
      if (!dep) continue;
      const where = dep.scope === 'cluster' ? [undefined] : node ? [node] : this.scope.nodes;
      for (const n of where) {
        const cell = await this.cell(dep, n);
        if (UNSETTLED.includes(cell.status)) {
          out.push({ step: dep, cell });
          break;
        }
      }
    }
    // A step waiting for one that itself waits names the one that will change first.
    const changing = out.filter((d) => d.cell.status !== 'needs');
    return changing.length ? changing : out;
  }

  async #evaluate(step: Step<C>, node: NodeRef | undefined): Promise<CheckCell> {
    const pending = await this.#unsettled(step, node);
    const needs = pending.map((d) => d.step.id);
    const names = pending.map((d) => `"${d.step.title.en}"`).join(', ');
    const namesZh = pending.map((d) => `“${d.step.title['zh-CN']}”`).join('、');
    const waits = () => this.#waits(pending);
    // A step that only looks would look at the node as it is before the change it exists to check.
    if (step.readOnly && pending.length) return waits();
    const ctx = this.scope.context(node);
    let r: CheckResult;
    try {
      r = await step.check(ctx);
    } catch (error) {
      return pending.length ? waits() : { status: 'error', reason: this.scope.errorText(error) };
    }
    const disruptive = r.disruptive ? { disruptive: true } : {};
    if (step.readOnly) return { status: r.done ? 'passes' : 'fails', ...(r.reason ? { reason: r.reason } : {}) };
    if (r.done) {
      if (!pending.length) return { status: 'unchanged', ...(r.reason ? { reason: r.reason } : {}) };
      // An earlier step that fails or cannot be read stops the run there: nothing says this one will run again.
      if (pending.every((d) => d.cell.status === 'fails' || d.cell.status === 'error')) return waits();
      // Done for the node as it is; the earlier step's change makes it run again (the install after a new harbor.cfg).
      return {
        status: 'will-change',
        needs,
        ...disruptive,
        reason: L(`runs again after ${names} changes the node`, `${namesZh}改变节点之后会再次运行`),
      };
    }
    if (!this.full) return { status: 'will-change', ...disruptive, ...(r.reason ? { reason: r.reason } : {}) };
    try {
      const preview = this.scope.mask(await step.preview(ctx));
      return {
        status: 'will-change',
        ...disruptive,
        ...(r.reason ? { reason: r.reason } : {}),
        changes: { commands: preview.commands.length, files: preview.files.filter((f) => f.diff !== '').length, sql: preview.sql.length },
        preview,
      };
    } catch (error) {
      return pending.length ? waits() : { status: 'error', reason: this.scope.errorText(error) };
    }
  }
}
