/**
 * The walkthrough's view of a run, kept apart from the components: a run's cells, its log (capped)
 * and transfer progress, folded from the core's deploy.events stream; and the small questions the
 * buttons ask (which nodes failed? is everything done?). Pure functions, no React.
 */
import {
  COMPLETED,
  type CellStatus,
  type LogLine,
  type Plan,
  type RunCell,
  type RunEvent,
  type RunView,
} from '../../../shared/api/contracts/deploy';

/** The node id of a cluster step's single cell. */
export const CLUSTER = '*';

/** Log lines kept in memory per run; older ones are dropped (the core keeps the full log). */
export const LOG_CAP = 5000;

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly unit: 'bytes' | 'items';
}

export interface RunModel {
  readonly run: RunView | null;
  readonly log: readonly LogLine[];
  /** Lines received in all, including the ones dropped by the cap. */
  readonly logTotal: number;
  /** `stepId \0 nodeId` → the last progress report. */
  readonly progress: Readonly<Record<string, Progress>>;
  /** How many times the run was seen to stop (end, failure, cancel) while followed. */
  readonly stops: number;
}

export const EMPTY_RUN: RunModel = { run: null, log: [], logTotal: 0, progress: {}, stops: 0 };

export const progressKey = (stepId: string, nodeId: string) => `${stepId}\u0000${nodeId}`;

/** Applies a batch of events (the page batches them so a flood of log lines renders once). */
export function applyEvents(model: RunModel, events: readonly RunEvent[]): RunModel {
  let { run, log, logTotal, progress, stops } = model;
  let appended: LogLine[] | null = null;
  for (const e of events) {
    switch (e.kind) {
      case 'snapshot':
        run = e.run;
        log = e.log.slice(-LOG_CAP);
        logTotal = e.log.length;
        appended = null;
        progress = Object.fromEntries(
          (e.progress ?? []).map((r) => [progressKey(r.stepId, r.nodeId), { done: r.done, total: r.total, unit: r.unit }]),
        );
        break;
      case 'cell': {
        if (!run) break;
        const byNode = { ...(run.cells[e.stepId] ?? {}), [e.nodeId]: e.cell };
        const steps = run.steps.includes(e.stepId) ? run.steps : [...run.steps, e.stepId];
        run = {
          ...run,
          steps,
          cells: { ...run.cells, [e.stepId]: byNode },
          updatedAt: e.cell.finishedAt ?? e.cell.startedAt ?? run.updatedAt,
        };
        break;
      }
      case 'log':
        (appended ??= []).push(e.entry);
        logTotal += 1;
        break;
      case 'progress':
        progress = { ...progress, [progressKey(e.stepId, e.nodeId)]: { done: e.done, total: e.total, unit: e.unit } };
        break;
      case 'state':
        if (run) run = { ...run, state: e.state, active: e.active };
        if (!e.active) stops += 1;
        break;
    }
  }
  if (appended) {
    log = [...log, ...appended].slice(-LOG_CAP);
  }
  return { run, log, logTotal, progress, stops };
}

/** The cell of a step on a node (`*` for cluster steps), if the run has one. */
export function cellOf(run: RunView | null, stepId: string, nodeId: string): RunCell | undefined {
  return run?.cells[stepId]?.[nodeId];
}

const BAD: readonly CellStatus[] = ['failed', 'interrupted'];
export const DONE = COMPLETED;

/**
 * Nodes (not the cluster) with a failed, interrupted or blocked cell: what "Retry failed nodes" sends. A node blocked
 * by another's failure (preflight gates every node) goes with it, or it would stay blocked and a cluster step after it
 * would wait for it again.
 */
export function nodesToRetry(run: RunView | null): string[] {
  if (!run) return [];
  const out = new Set<string>();
  for (const byNode of Object.values(run.cells)) {
    for (const [nodeId, c] of Object.entries(byNode))
      if (nodeId !== CLUSTER && (BAD.includes(c.status) || c.status === 'blocked')) out.add(nodeId);
  }
  return [...out];
}

/** Whether anything in the run failed, was interrupted or blocked (so a retry has something to do). */
export function hasProblems(run: RunView | null): boolean {
  if (!run) return false;
  return Object.values(run.cells).some((byNode) => Object.values(byNode).some((c) => BAD.includes(c.status) || c.status === 'blocked'));
}

/** How many cells of the run are in each status. */
export function counts(run: RunView | null): Partial<Record<CellStatus, number>> {
  const out: Partial<Record<CellStatus, number>> = {};
  if (!run) return out;
  for (const byNode of Object.values(run.cells)) for (const c of Object.values(byNode)) out[c.status] = (out[c.status] ?? 0) + 1;
  return out;
}

/** One status for a step's row: the most urgent of its cells. */
export function stepStatus(run: RunView | null, stepId: string): CellStatus | 'none' {
  const cells = Object.values(run?.cells[stepId] ?? {});
  if (!cells.length) return 'none';
  const order: readonly CellStatus[] = [
    'running',
    'failed',
    'interrupted',
    'blocked',
    'pending',
    'skipped',
    'succeeded',
    'passed',
    'unchanged',
  ];
  const present = new Set(cells.map((c) => c.status));
  // A step is "unchanged" only when every cell is; mixed done cells count as succeeded.
  if ([...present].every((s) => s === 'unchanged')) return 'unchanged';
  return order.find((s) => present.has(s)) ?? 'pending';
}

/** Every cell of the plan is done (succeeded or unchanged) in this run. */
export function allDone(plan: Plan, run: RunView | null): boolean {
  if (!run) return false;
  return plan.steps.every((s) => {
    const ids = s.scope === 'cluster' ? [CLUSTER] : plan.nodes.map((n) => n.id);
    return ids.every((id) => DONE.includes(cellOf(run, s.id, id)?.status ?? 'pending'));
  });
}

/** The last `n` log lines of a step on a node (shown beside a failure). */
export function lastLines(log: readonly LogLine[], stepId: string, nodeId: string, n: number): LogLine[] {
  const out: LogLine[] = [];
  for (let i = log.length - 1; i >= 0 && out.length < n; i--) {
    const l = log[i]!;
    if (l.stepId === stepId && l.nodeId === nodeId) out.push(l);
  }
  return out.reverse();
}

/** Lines matching the filters, at most `limit` of the newest. */
export function filterLog(
  log: readonly LogLine[],
  filter: { node?: string | undefined; step?: string | undefined; text?: string | undefined },
  limit: number,
): { lines: LogLine[]; matched: number } {
  const text = filter.text?.trim().toLowerCase();
  const lines: LogLine[] = [];
  let matched = 0;
  for (let i = log.length - 1; i >= 0; i--) {
    const l = log[i]!;
    if (filter.node && l.nodeId !== filter.node) continue;
    if (filter.step && l.stepId !== filter.step) continue;
    // Either language matches: the operator may search for what they read, or for the English original.
    if (text && !`${l.line.en}\n${l.line['zh-CN']}`.toLowerCase().includes(text)) continue;
    matched += 1;
    if (lines.length < limit) lines.push(l);
  }
  return { lines: lines.reverse(), matched };
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** Lines of a unified diff, classified for colouring. */
export type DiffKind = 'file' | 'hunk' | 'add' | 'del' | 'ctx';
export function classifyDiff(diff: string): { kind: DiffKind; text: string }[] {
  if (!diff) return [];
  return diff
    .replace(/\n$/, '')
    .split('\n')
    .map((text) => ({
      text,
      kind:
        text.startsWith('+++') || text.startsWith('---')
          ? 'file'
          : text.startsWith('@@')
            ? 'hunk'
            : text.startsWith('+')
              ? 'add'
              : text.startsWith('-')
                ? 'del'
                : 'ctx',
    }));
}

/** Failed or interrupted cells in plan order (steps, then nodes): what went wrong, where. */
export function failedCells(plan: Plan, run: RunView | null): { stepId: string; nodeId: string; cell: RunCell }[] {
  if (!run) return [];
  const out: { stepId: string; nodeId: string; cell: RunCell }[] = [];
  for (const s of plan.steps) {
    const ids = s.scope === 'cluster' ? [CLUSTER] : plan.nodes.map((n) => n.id);
    for (const nodeId of ids) {
      const cell = cellOf(run, s.id, nodeId);
      if (cell && BAD.includes(cell.status)) out.push({ stepId: s.id, nodeId, cell });
    }
  }
  return out;
}
