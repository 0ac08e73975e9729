/**
 * What the page says about a run as a whole, kept apart from the components: its failures grouped across nodes,
 * how far it is and how long the rest should take (from this profile's earlier runs only), which run may be
 * resumed, and its log as a text file. Pure functions, no React.
 */
import type { LogLine, Plan, RunCell, RunView } from '../../../shared/api/contracts/deploy';
import type { Locale, Localized } from '../../../shared/i18n/localized';
import { CLUSTER, DONE, failedCells } from './model';

/** Marks where a node named itself in a failure shared by several nodes (replaced by "each node" when shown). */
export const NODE_MARK = '\u0000';

export interface FailureGroup {
  readonly stepId: string;
  /** The nodes that failed the same way, in plan order (`*` alone for a cluster step). */
  readonly nodeIds: readonly string[];
  /** The first of them: its status, field, and its own error. */
  readonly cell: RunCell;
  /** The error with each node's own name replaced by NODE_MARK, when the group has more than one node. */
  readonly shared?: Localized;
}

/** A node's label is `name (host)`: both are how a message names that node. */
function ownNames(label: string): string[] {
  const host = /\(([^()]+)\)$/.exec(label)?.[1];
  return host ? [label, host] : [label];
}

function withoutNode(text: string, names: readonly string[]): string {
  return names.reduce((t, n) => t.split(n).join(NODE_MARK), text);
}

/**
 * Failed cells in plan order, those of one step that failed the same way on several nodes as one group: same
 * status, same field, and the same error once each node's own name and address are taken out of it.
 */
export function groupFailures(plan: Plan, run: RunView | null): FailureGroup[] {
  const groups: { key: string; stepId: string; nodeIds: string[]; cell: RunCell; shared: Localized | undefined }[] = [];
  for (const f of failedCells(plan, run)) {
    const label = plan.nodes.find((n) => n.id === f.nodeId)?.label;
    const names = f.nodeId === CLUSTER || !label ? [] : ownNames(label);
    const shared = f.cell.error && { en: withoutNode(f.cell.error.en, names), 'zh-CN': withoutNode(f.cell.error['zh-CN'], names) };
    const key = [f.stepId, f.cell.status, f.cell.field ?? '', shared?.en ?? ''].join('\u0001');
    const same = f.nodeId === CLUSTER ? undefined : groups.find((g) => g.key === key);
    if (same) same.nodeIds.push(f.nodeId);
    else groups.push({ key, stepId: f.stepId, nodeIds: [f.nodeId], cell: f.cell, shared });
  }
  return groups.map(({ stepId, nodeIds, cell, shared }) => ({
    stepId,
    nodeIds,
    cell,
    ...(nodeIds.length > 1 && shared ? { shared } : {}),
  }));
}

/** `#/profiles?edit=ID&field=PATH`: the profile editor opened on that field. */
export function editFieldHref(profileId: string, field: string): string {
  return `#/profiles?edit=${encodeURIComponent(profileId)}&field=${encodeURIComponent(field)}`;
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);
const FINISHED = new Set(['succeeded', 'unchanged', 'passed', 'failed', 'skipped', 'blocked', 'interrupted']);

/** The steps and nodes a run was asked to go through (a run of one step, or a retry of some nodes, is smaller). */
function scope(plan: Plan, run: RunView): { stepId: string; nodeIds: string[] }[] {
  const only = run.request?.only;
  const nodes = run.request?.nodes;
  return plan.steps
    .filter((s) => !only || only.includes(s.id))
    .map((s) => ({
      stepId: s.id,
      nodeIds: s.scope === 'cluster' ? [CLUSTER] : plan.nodes.map((n) => n.id).filter((id) => !nodes || nodes.includes(id)),
    }));
}

/** How long a step took in a run, first start to last end over its cells; none unless every cell of it is done. */
function stepDuration(run: RunView, stepId: string): number | null {
  const cells = Object.values(run.cells[stepId] ?? {});
  if (!cells.length || !cells.every((c) => DONE.includes(c.status))) return null;
  const start = Math.min(...cells.map((c) => ms(c.startedAt)));
  const end = Math.max(...cells.map((c) => ms(c.finishedAt)));
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : null;
}

export interface RunTiming {
  /** Cells of the run's scope that have ended, and all of them. */
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** What is left by the same steps' durations in this profile's earlier runs; null when any step has none. */
  readonly remainingMs: number | null;
}

/**
 * Progress of `run`: cells ended of those it was asked to run, time since it started, and an estimate of the rest.
 * The estimate adds, for each step not ended, how long that step took in the newest earlier run of this profile
 * where it completed (less what it has run already); a step that never completed before leaves no estimate at all,
 * rather than a guess.
 */
export function runTiming(plan: Plan, run: RunView, history: readonly RunView[], now: number): RunTiming {
  const parts = scope(plan, run);
  let done = 0;
  let total = 0;
  let remainingMs: number | null = 0;
  const earlier = history
    .filter((r) => r.runId !== run.runId && r.createdAt < run.createdAt)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  for (const { stepId, nodeIds } of parts) {
    const cells = nodeIds.map((id) => run.cells[stepId]?.[id]);
    const ended = cells.filter((c) => c && FINISHED.has(c.status)).length;
    done += ended;
    total += nodeIds.length;
    if (ended === nodeIds.length || remainingMs === null) continue;
    const typical = earlier.map((r) => stepDuration(r, stepId)).find((d) => d !== null) ?? null;
    if (typical === null) {
      remainingMs = null;
      continue;
    }
    const started = Math.min(...cells.map((c) => ms(c?.startedAt)).filter(Number.isFinite));
    remainingMs += Math.max(0, typical - (Number.isFinite(started) ? now - started : 0));
  }
  const lastEnd = Math.max(
    ...Object.values(run.cells)
      .flatMap((byNode) => Object.values(byNode).map((c) => ms(c.finishedAt)))
      .filter(Number.isFinite),
  );
  const end = run.active || !Number.isFinite(lastEnd) ? now : lastEnd;
  return { done, total, elapsedMs: Math.max(0, end - ms(run.createdAt)), remainingMs: run.active ? remainingMs : 0 };
}

/** 75 s → "1 min 15 s"; 2 h 5 min → "2 h 5 min" (seconds dropped past an hour). */
export function formatDuration(msTotal: number, locale: Locale): string {
  const s = Math.round(msTotal / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const unit = locale === 'zh-CN' ? { h: ' 小时', m: ' 分', s: ' 秒' } : { h: ' h', m: ' min', s: ' s' };
  const parts = h ? [`${h}${unit.h}`, `${m}${unit.m}`] : m ? [`${m}${unit.m}`, `${sec}${unit.s}`] : [`${sec}${unit.s}`];
  return parts.join(' ');
}

/** The only run that may be resumed: the newest (run ids start with their start time). */
export function newestRunId(runs: readonly RunView[] | null): string | null {
  if (!runs?.length) return null;
  return runs.reduce((a, b) => (b.createdAt > a.createdAt || (b.createdAt === a.createdAt && b.runId > a.runId) ? b : a)).runId;
}

/** The run's log as a text file, each line `time [node · step] text` in the operator's language. */
export function logFileText(plan: Plan, log: readonly LogLine[], locale: Locale, clusterName: string): string {
  const node = (id: string) => (id === CLUSTER ? clusterName : (plan.nodes.find((n) => n.id === id)?.label ?? id));
  return log.map((l) => `${l.time} [${node(l.nodeId)} · ${l.stepId || '-'}] ${l.line[locale]}\n`).join('');
}
