/**
 * The preview is the plan. A planned step says what it will do on a node as a list of actions, decided from what it
 * read on the node; the preview renders that list and apply executes the same list, so what the operator approved is
 * command for command what runs. Reads a step makes to decide (which rules exist, whether a folder is there) go through
 * {@link readShell}, recorded in the audit log under their own purpose, so the audit shows the plan's commands apart.
 */
import type { Readable } from 'node:stream';
import type { Localized } from '../../../shared/i18n/localized';
import type { DeployEnv } from './context';
import { deployError, uploadArgv, writeArgv, type NodeShell, type RunOnNode } from './remote';
import { EMPTY_PREVIEW, type CheckResult, type FilePreview, type Preview, type Step, type StepContext } from './step';
import { commandLine } from '../ssh/quote';
import type { ExecResult } from '../ssh/exec';

export type Action =
  /**
   * A command on the node; a non-zero exit fails the step with `failure` when given (a message, or one made from the
   * result: which exit code meant what, the command's own error), else with the command and its output.
   */
  | {
      readonly kind: 'run';
      readonly argv: readonly string[];
      readonly options?: RunOnNode;
      readonly failure?: Localized | ((r: ExecResult) => Localized);
      /** The log's line once it ran. */
      readonly done?: Localized;
    }
  /**
   * A file written atomically (NodeShell.write): the preview shows its command; the content goes through stdin only.
   * Content given as a function is made when the write runs (a stamp of what an earlier action produced).
   */
  | {
      readonly kind: 'write';
      readonly path: string;
      readonly content: string | Buffer | (() => Promise<string>);
      readonly mode: number;
      readonly done?: Localized;
    }
  /**
   * A large file streamed to the node (a database dump out of a backup archive): kept only when its sha256 is the
   * expected one (NodeShell.upload). The preview shows its command; the bytes go through stdin only.
   */
  | {
      readonly kind: 'upload';
      readonly path: string;
      readonly sha256: string;
      readonly mode: number;
      open(): Readable;
      readonly done?: Localized;
    }
  /** The step ends failed with this message (a cluster check that found a problem). */
  | { readonly kind: 'fail'; readonly message: Localized; readonly reason?: string; readonly field?: string }
  /** Waits until the node is in a state (e.g. Harbor healthy again); its polls are reads (readShell), not commands. */
  | { readonly kind: 'wait'; readonly what: Localized; until(): Promise<void> }
  /**
   * A statement on a database server, reached through the node (its whitelist is the node's): the preview shows
   * `statement`, apply runs it with `run` and the audit log records it beside the node's commands, `server` naming
   * where it ran. A statement too long to show whole (an imported script) is shown as a line that names it.
   */
  | { readonly kind: 'sql'; readonly statement: string; readonly server: string; run(): Promise<void>; readonly done?: Localized }
  /** A condition checked once after the actions before it (the account can read what was imported); throws when not. */
  | { readonly kind: 'check'; readonly what: Localized; holds(): Promise<void> }
  /** The deployment's own bookkeeping on this computer (which database this cluster owns); no command on a node. */
  | { readonly kind: 'record'; readonly what: Localized; run(): Promise<void> };

export interface StepPlan {
  readonly actions: readonly Action[];
  /** What the operator should know that is not a command (why nothing runs, what a command will do). */
  readonly notes?: readonly Localized[];
  /** Diffs of the files the write actions change, against what the node has now. */
  readonly files?: readonly FilePreview[];
}

/** A step with a plan instead of its own preview and apply. */
export type PlannedStep<C extends DeployEnv> = Omit<Step<C>, 'preview' | 'apply'> & {
  /** What apply will do, from what is on the node now; reads only (through readShell). */
  readonly plan: (ctx: C & StepContext) => Promise<StepPlan>;
};

/** The audit purpose of a planned step's reads, apart from the commands of its plan (`deploy: <id>`). */
export const readPurpose = (stepId: string) => `${stepId} (reading)`;

/** A shell for the reads a step makes to decide (check, plan). */
export function readShell(ctx: DeployEnv & StepContext, stepId: string, node = ctx.node!): NodeShell {
  return ctx.shell(node, readPurpose(stepId), ctx);
}

/** The commands of a plan as the operator reads them: exactly the command lines apply runs. */
export function commandsOf(actions: readonly Action[]): string[] {
  return actions.flatMap((a) =>
    a.kind === 'run'
      ? [commandLine(a.argv)]
      : a.kind === 'write'
        ? [commandLine(writeArgv(a.path, a.mode))]
        : a.kind === 'upload'
          ? [commandLine(uploadArgv(a.path, a.mode, a.sha256))]
          : [],
  );
}

/** The SQL of a plan as the operator reads it: exactly the statements apply runs. */
export function statementsOf(actions: readonly Action[]): string[] {
  return actions.flatMap((a) => (a.kind === 'sql' ? [a.statement] : []));
}

export function renderPlan(plan: StepPlan): Preview {
  const fails = plan.actions.flatMap((a) => (a.kind === 'fail' ? [a.message] : []));
  const waits = plan.actions.flatMap((a) =>
    a.kind === 'wait' ? [{ en: `Then waits ${a.what.en}.`, 'zh-CN': `然后等待${a.what['zh-CN']}。` }] : [],
  );
  const records = plan.actions.flatMap((a) =>
    a.kind === 'record'
      ? [a.what]
      : a.kind === 'check'
        ? [{ en: `Then checks that ${a.what.en}.`, 'zh-CN': `然后检查${a.what['zh-CN']}。` }]
        : [],
  );
  return {
    ...EMPTY_PREVIEW,
    commands: commandsOf(plan.actions),
    sql: statementsOf(plan.actions),
    files: [...(plan.files ?? [])],
    notes: [...(plan.notes ?? []), ...records, ...waits, ...fails],
  };
}

/** Runs the plan's actions in order on `shell`; the first failing one ends the step. */
export async function executePlan(shell: NodeShell, plan: StepPlan, ctx: StepContext, where: string): Promise<void> {
  for (const a of plan.actions) {
    if (a.kind === 'fail') throw deployError(where, a.message, a.reason, a.field);
    if (a.kind === 'wait' || a.kind === 'record' || a.kind === 'check') {
      await (a.kind === 'wait' ? a.until() : a.kind === 'check' ? a.holds() : a.run());
      if (a.kind === 'record') ctx.log.line(a.what);
      continue;
    }
    if (a.kind === 'sql') {
      await shell.audited(a.server, a.statement, () => a.run());
      if (a.done) ctx.log.line(a.done);
      continue;
    }
    if (a.kind === 'upload') await shell.upload(a.path, a.open(), a.sha256, a.mode);
    else if (a.kind === 'write') await shell.write(a.path, typeof a.content === 'function' ? await a.content() : a.content, a.mode);
    else if (a.failure) {
      const r = await shell.run(a.argv, a.options);
      if (r.code !== 0) throw deployError(where, typeof a.failure === 'function' ? a.failure(r) : a.failure);
    } else await shell.ok(a.argv, a.options);
    if (a.done) ctx.log.line(a.done);
  }
}

/**
 * A step that only looks (preflight, verify): its check is the whole work, and its plan is the check's verdict, a
 * failure with the check's reason or nothing. Apply uses the verdict of the check the runner just made on that node
 * in this run rather than probing again (verify pushes an image; a second round could also answer differently from
 * the one the operator was shown); a preview, which has no such check, makes the reads itself.
 */
export function readOnly<C extends DeployEnv>(
  s: Omit<Step<C>, 'preview' | 'apply'> & { readonly reads: Localized; readonly failReason: string },
): Step<C> {
  const verdicts = new Map<string, CheckResult>();
  const key = (ctx: C & StepContext) => `${ctx.runId}\u0000${ctx.node?.id ?? '*'}`;
  const { reads, failReason, ...step } = s;
  return planned<C>({
    ...step,
    readOnly: true,
    async check(ctx) {
      const r = await s.check(ctx);
      if (r.done) verdicts.delete(key(ctx));
      else verdicts.set(key(ctx), r);
      return r;
    },
    async plan(ctx) {
      const r = verdicts.get(key(ctx)) ?? (await s.check(ctx));
      verdicts.delete(key(ctx));
      return {
        notes: [reads],
        actions: r.done
          ? []
          : [
              {
                kind: 'fail',
                message: r.reason ?? { en: `${s.id} failed`, 'zh-CN': `${s.id} 未通过` },
                reason: failReason,
                ...(r.field ? { field: r.field } : {}),
              },
            ],
      };
    },
  });
}

/** A step whose preview and apply are its plan. Cluster steps run their plan on node 1. */
export function planned<C extends DeployEnv>(s: PlannedStep<C>): Step<C> {
  const target = (ctx: C & StepContext) => ctx.node ?? ctx.nodes.find((n) => n.index === 0)!;
  const { plan, ...step } = s;
  return {
    ...step,
    preview: async (ctx) => renderPlan(await plan(ctx)),
    async apply(ctx) {
      const node = target(ctx);
      await executePlan(ctx.shell(node, s.id, ctx), await plan(ctx), ctx, node.label);
    },
  };
}
