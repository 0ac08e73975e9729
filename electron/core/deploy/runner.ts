/**
 * Runs a plan: steps in order; node steps on all nodes at once (bounded), node 1 first where the
 * step says so; a failure stops that node only (its later node steps are "blocked"), and cluster
 * steps that need every node wait for all of them. Every cell goes through check → apply → check,
 * so a finished deployment run again reports "unchanged" everywhere, and a run cut short resumes
 * by running the same plan against the same journal.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { COMPLETED, type OperationId } from '../../../shared/api/contracts/deploy';
import { ApiError } from '../../../shared/errors';
import { type Localized, L } from '../../../shared/i18n/localized';
import { CLUSTER, type Cell, type Journal, type JournalStore } from './journal';
import type { NodeRef, Step, StepContext } from './step';

export interface RunEvents {
  cell: [{ stepId: string; nodeId: string; cell: Cell }];
  log: [{ stepId: string; nodeId: string; line: Localized }];
  progress: [{ stepId: string; nodeId: string; done: number; total: number; unit: 'bytes' | 'items' }];
}

export interface RunOptions {
  /** Parallel node cells at most. Default 8. */
  readonly concurrency?: number;
  /** Run only these steps (the others keep their journal state). */
  readonly only?: readonly string[];
  /** Run only these nodes (e.g. "retry failed nodes"). Cluster steps run unless `only` excludes them. */
  readonly nodes?: readonly string[];
  /** Steps the operator chose to skip, with the reason they gave. */
  readonly skip?: Readonly<Record<string, Localized>>;
  /** The serving nodes the operator agreed this run may stop (Step.disrupts); any other is left serving, its cell failed. */
  readonly confirmDisruption?: readonly string[];
  readonly signal?: AbortSignal;
}

/** A lock taken in turn: `acquire()` resolves with the function that releases it. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const turn = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return turn;
  }
}

/** What newRunId makes: the ISO time it was made with `:` and `.` as `-`, then six hex digits; names sort by time. */
/** The shortest time between two progress reports of one cell: ten a second is smooth to a person. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * A step's progress, passed on at most every PROGRESS_INTERVAL_MS, and always at its end: a stream reports every SSH
 * packet (some 30 000 times a GiB), and each report would reach every subscriber, the run's window included.
 */
function everyInterval(report: StepContext['log']['progress']): StepContext['log']['progress'] {
  let last = -Infinity;
  return (done, total, unit) => {
    const now = performance.now();
    if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    report(done, total, unit);
  };
}

export const RUN_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[a-f0-9]{6}$/;

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

export function newJournal(
  profileId: string,
  steps: readonly { id: string; scope: string }[],
  nodes: readonly NodeRef[],
  operation: OperationId = 'deploy',
): Journal {
  const now = new Date().toISOString();
  const cells: Journal['cells'] = {};
  for (const s of steps) {
    cells[s.id] = {};
    if (s.scope === 'cluster') cells[s.id]![CLUSTER] = { status: 'pending' };
    else for (const n of nodes) cells[s.id]![n.id] = { status: 'pending' };
  }
  return {
    runId: newRunId(),
    profileId,
    ...(operation === 'deploy' ? {} : { operation }),
    createdAt: now,
    updatedAt: now,
    state: 'running',
    steps: steps.map((s) => s.id),
    cells,
  };
}

/** A run picked up after the app stopped: cells left "running" become "interrupted". */
export function markInterrupted(journal: Journal): Journal {
  for (const byNode of Object.values(journal.cells)) {
    for (const c of Object.values(byNode)) if (c.status === 'running') c.status = 'interrupted';
  }
  if (journal.state === 'running') journal.state = 'interrupted';
  return journal;
}

/** An error as a cell (or a plan check) shows it, in both languages. */
export function errorText(error: unknown): Localized {
  if (error instanceof ApiError) return error.localized;
  const e = error as { localized?: Localized; message?: string };
  if (e?.localized) return e.localized;
  const msg = e?.message ?? String(error);
  return { en: msg, 'zh-CN': msg };
}

/** Runs `fn` over items with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

export class Runner<C> extends EventEmitter<RunEvents> {
  /** Held by a disruptive cell while it applies (see CheckResult.disruptive). */
  readonly #rolling = new Mutex();
  /** The nodes this run may stop serving (RunOptions.confirmDisruption). */
  #consented: ReadonlySet<string> = new Set();
  constructor(
    private readonly steps: readonly Step<C>[],
    private readonly nodes: readonly NodeRef[],
    /** The adapter's context for a cell (ssh, profile, vault…). */
    private readonly contextFor: (node: NodeRef | undefined) => C,
    private readonly store: JournalStore,
    readonly journal: Journal,
  ) {
    super();
  }

  async run(options: RunOptions = {}): Promise<Journal> {
    const journal = this.journal;
    this.#consented = new Set(options.confirmDisruption ?? []);
    journal.state = 'running';
    await this.store.save(journal);
    const signal = options.signal ?? new AbortController().signal;
    const selectedNodes = this.nodes.filter((n) => !options.nodes || options.nodes.includes(n.id));
    // Nodes that failed in this run, or earlier and were not selected again.
    const failed = new Set<string>();
    for (const byNode of Object.values(journal.cells)) {
      for (const [nodeId, c] of Object.entries(byNode))
        if (c.status === 'failed' && nodeId !== CLUSTER && !selectedNodes.some((n) => n.id === nodeId)) failed.add(nodeId);
    }

    // Set when a gating step failed: every later cell is blocked with this reason.
    let gateClosed: Localized | null = null;
    for (const step of this.steps) {
      if (signal.aborted) break;
      if (options.only && !options.only.includes(step.id)) continue;
      if (gateClosed) {
        const reason = gateClosed;
        for (const nodeId of Object.keys(journal.cells[step.id] ?? {})) {
          if (nodeId === CLUSTER || selectedNodes.some((n) => n.id === nodeId))
            await this.#set(step.id, nodeId, { status: 'blocked', reason });
        }
        continue;
      }
      const skipReason = options.skip?.[step.id];
      const closeGateIfFailed = () => {
        const byNode = journal.cells[step.id] ?? {};
        // A cluster step that only waits for failed nodes (needsAllNodes) does not stop the healthy ones.
        const bad = Object.entries(byNode).filter(([, c]) => c.status === 'failed' || c.status === 'interrupted');
        if ((step.gate || step.scope === 'cluster') && bad.length > 0) {
          const where = bad.map(([id]) => (id === CLUSTER ? '' : this.#label(id))).filter(Boolean);
          const at = where.length ? ` (${where.join(', ')})` : '';
          const atZh = where.length ? `（${where.join('、')}）` : '';
          gateClosed = L(`"${step.title.en}" must pass first${at}`, `必须先通过“${step.title['zh-CN']}”${atZh}`);
        }
      };
      if (step.scope === 'cluster') {
        const waiting = step.needsAllNodes && !skipReason ? this.#notReady(step, options) : [];
        if (skipReason) await this.#set(step.id, CLUSTER, { status: 'skipped', reason: skipReason });
        else if (waiting.length > 0) {
          await this.#set(step.id, CLUSTER, {
            status: 'blocked',
            reason: L(
              `waits for every node; not ready: ${waiting.map((w) => w.en).join('; ')}`,
              `需要所有节点都完成之前的步骤；未就绪：${waiting.map((w) => w['zh-CN']).join('；')}`,
            ),
          });
        } else await this.#cell(step, undefined, signal, []);
        closeGateIfFailed();
        continue;
      }
      const runnable = selectedNodes.filter((n) => !failed.has(n.id));
      for (const n of selectedNodes.filter((m) => failed.has(m.id))) {
        await this.#set(step.id, n.id, { status: 'blocked', reason: L('an earlier step failed on this node', '此节点上之前的步骤失败了') });
      }
      if (skipReason) {
        for (const n of runnable) await this.#set(step.id, n.id, { status: 'skipped', reason: skipReason });
        continue;
      }
      const runOne = async (n: NodeRef) => {
        const ok = await this.#cell(step, n, signal, runnable);
        if (!ok) failed.add(n.id);
      };
      if (step.scope === 'first-then-rest') {
        const [first, ...rest] = [...runnable].sort((a, b) => a.index - b.index);
        if (first && first.index === 0) {
          await runOne(first);
          if (failed.has(first.id)) {
            for (const n of rest) {
              failed.add(n.id);
              await this.#set(step.id, n.id, {
                status: 'blocked',
                reason: L(`${first.label} must finish this step first, and it failed`, `${first.label} 必须先完成此步骤，但它失败了`),
              });
            }
            closeGateIfFailed();
            continue;
          }
          await pool(rest, options.concurrency ?? 8, runOne);
        } else {
          // Node 1 was not selected (retrying others): it must have completed this step before.
          const nodeOne = this.nodes.find((n) => n.index === 0);
          const status = nodeOne ? journal.cells[step.id]?.[nodeOne.id]?.status : undefined;
          const done = nodeOne ? !!status && COMPLETED.includes(status) : true;
          if (!done) {
            for (const n of runnable) {
              failed.add(n.id);
              await this.#set(step.id, n.id, {
                status: 'blocked',
                reason: L('node 1 has not completed this step', '节点 1 尚未完成此步骤'),
              });
            }
            continue;
          }
          await pool(runnable, options.concurrency ?? 8, runOne);
        }
      } else if (step.rolling) {
        const order = [...runnable].sort((a, b) => a.index - b.index);
        for (const [i, n] of order.entries()) {
          if (signal.aborted) break;
          await runOne(n);
          if (!failed.has(n.id)) continue;
          for (const rest of order.slice(i + 1)) {
            failed.add(rest.id);
            await this.#set(step.id, rest.id, {
              status: 'blocked',
              reason: L(
                `${n.label} failed this step, so the rollout stopped before this node, which keeps serving as it was`,
                `${n.label} 上此步骤失败，滚动操作在此节点之前停止，此节点保持原样继续提供服务`,
              ),
            });
          }
          break;
        }
      } else {
        await pool(runnable, options.concurrency ?? 8, runOne);
      }
      closeGateIfFailed();
    }

    const all = Object.values(journal.cells).flatMap((byNode) => Object.values(byNode));
    journal.state = signal.aborted
      ? 'interrupted'
      : all.some((c) => c.status === 'failed' || c.status === 'blocked')
        ? 'failed'
        : 'finished';
    await this.store.save(journal);
    return journal;
  }

  /**
   * The nodes a cluster step that needs every node cannot compare yet: for each, the first earlier node step of this
   * run it has not completed and its state (failed, blocked, not run yet). Such a step waits instead of running, so
   * it never reports a node that simply has not run as one whose result differs.
   */
  #notReady(step: Step<C>, options: RunOptions): Localized[] {
    const earlier = this.steps
      .slice(0, this.steps.indexOf(step))
      .filter((s) => s.scope !== 'cluster' && (!options.only || options.only.includes(s.id)));
    const word: Partial<Record<Cell['status'], Localized>> = {
      failed: L('failed', '失败'),
      blocked: L('blocked', '被阻塞'),
      interrupted: L('interrupted', '已中断'),
    };
    const out: Localized[] = [];
    for (const n of this.nodes) {
      const s = earlier.find((e) => {
        const c = this.journal.cells[e.id]?.[n.id];
        return !c || !(COMPLETED.includes(c.status) || c.status === 'skipped');
      });
      if (!s) continue;
      const how = word[this.journal.cells[s.id]?.[n.id]?.status ?? 'pending'] ?? L('not run yet', '尚未运行');
      out.push(L(`${n.label}: "${s.title.en}" ${how.en}`, `${n.label}：“${s.title['zh-CN']}”${how['zh-CN']}`));
    }
    return out;
  }

  #label(nodeId: string): string {
    return this.nodes.find((n) => n.id === nodeId)?.label ?? nodeId;
  }

  async #set(stepId: string, nodeId: string, cell: Cell): Promise<void> {
    const byNode = (this.journal.cells[stepId] ??= {});
    byNode[nodeId] = cell;
    this.emit('cell', { stepId, nodeId, cell });
    await this.store.save(this.journal);
  }

  /** check → apply → check for one cell; true when the cell ends succeeded or unchanged. */
  async #cell(step: Step<C>, node: NodeRef | undefined, signal: AbortSignal, peers: readonly NodeRef[]): Promise<boolean> {
    const nodeId = node?.id ?? CLUSTER;
    const startedAt = new Date().toISOString();
    const ctx: C & StepContext = {
      ...this.contextFor(node),
      node,
      nodes: this.nodes,
      peers,
      signal,
      log: {
        line: (text) => this.emit('log', { stepId: step.id, nodeId, line: typeof text === 'string' ? L(text, text) : text }),
        progress: everyInterval((done, total, unit = 'bytes') => this.emit('progress', { stepId: step.id, nodeId, done, total, unit })),
      },
    };
    await this.#set(step.id, nodeId, { status: 'running', startedAt });
    try {
      const before = await step.check(ctx);
      if (before.done) {
        await this.#set(step.id, nodeId, {
          status: step.readOnly ? 'passed' : 'unchanged',
          startedAt,
          finishedAt: new Date().toISOString(),
          ...(before.reason ? { reason: before.reason } : {}),
        });
        return true;
      }
      // A node serving now is stopped only with the operator's consent. deploy.start asks for it before the run; this
      // holds where that check could not read the node in time (or the node began serving since).
      if (before.disruptive && step.disrupts && node && !this.#consented.has(node.id)) {
        await this.#set(step.id, nodeId, {
          status: 'failed',
          startedAt,
          finishedAt: new Date().toISOString(),
          error: L(
            `${node.label} serves clients now and this run has no consent to stop it; nothing was reinstalled. Run again confirming this node (confirmDisruption).`,
            `${node.label} 正在为客户端提供服务，而此次运行未获准停止它；没有重新安装。请确认此节点后再次运行（confirmDisruption）。`,
          ),
        });
        return false;
      }
      // One disruptive cell at a time across the run: a rolling restart of the serving nodes.
      const release = before.disruptive ? await this.#rolling.acquire() : null;
      let after: Awaited<ReturnType<typeof step.check>>;
      try {
        if (release) {
          ctx.log.line(
            node
              ? L(
                  `applying on ${node.label} while the other nodes keep serving (one node at a time)`,
                  `正在 ${node.label} 上执行，其他节点继续提供服务（一次一个节点）`,
                )
              : L('applying on the cluster', '正在集群上执行'),
          );
          signal.throwIfAborted();
        }
        await step.apply(ctx);
        after = await step.check(ctx);
      } finally {
        release?.();
      }
      if (!after.done) {
        const why = after.reason ?? L('no reason given', '未给出原因');
        await this.#set(step.id, nodeId, {
          status: 'failed',
          startedAt,
          finishedAt: new Date().toISOString(),
          error: L(`the step ran, but its check still fails: ${why.en}`, `步骤已执行，但检查仍未通过：${why['zh-CN']}`),
          ...(after.field ? { field: after.field } : {}),
        });
        return false;
      }
      await this.#set(step.id, nodeId, { status: 'succeeded', startedAt, finishedAt: new Date().toISOString() });
      return true;
    } catch (error) {
      await this.#set(step.id, nodeId, {
        status: signal.aborted ? 'interrupted' : 'failed',
        startedAt,
        finishedAt: new Date().toISOString(),
        error: errorText(error),
        ...(error instanceof ApiError && error.field ? { field: error.field } : {}),
      });
      return false;
    }
  }
}
