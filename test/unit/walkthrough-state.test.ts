/**
 * The walkthrough page's state (renderer/pages/walkthrough/state.ts) through the operator's own
 * sequences, against a real core: the plan, the history, the vault and the deploy answers are the
 * core's, a run's events come from its deploy.events stream, and every call the state asks for is
 * checked by the real contract. The profile's nodes are loopback addresses on a port where nothing
 * listens, so every run fails at its first SSH step on every node, at once and always the same way.
 *
 * The last part feeds what a real core answers only by chance — late, out of order, for a run or
 * profile no longer on screen — built from the same plan.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core';
import type { Plan, RunEvent, RunView } from '../../shared/api/contracts/deploy';
import type { ProfileSummary, ProfileView } from '../../shared/api/types';
import { ApiError } from '../../shared/errors';
import { profileSchema } from '../../shared/profile';
import { failedCells, nodesToRetry } from '../../renderer/pages/walkthrough/model';
import {
  canRun,
  historyRows,
  INITIAL_STATE,
  isActive,
  shownError,
  shownRun,
  walkthroughReducer,
  type LaunchFlow,
  type WalkthroughAction,
  type WalkthroughState,
} from '../../renderer/pages/walkthrough/state';
import { testCore } from '../helpers/core';
import { v1Profile } from '../helpers/profiles';

const PASSPHRASE = 'walkthrough state test passphrase';
const PROFILE = 'prod-1';
const ctx = { transport: 'websocket' } as const;

let core: Core;
let plan: Plan;
let view: ProfileView;
let summary: ProfileSummary;

const call = <T>(name: string, input: unknown): Promise<T> =>
  core.dispatcher.call(name, input, ctx).then((env) => {
    if (!env.ok) throw ApiError.from(env.error);
    return env.value as T;
  });

/** A port on 127.0.0.1 that was free a moment ago: nothing answers there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  core = testCore();
  await core.vault.initialize(PASSPHRASE);
  const port = await closedPort();
  await core.profiles.save(
    profileSchema.parse(v1Profile((p) => (p.nodes = p.nodes.map((n, i) => ({ ...n, host: `127.0.0.${i + 2}`, port }))))),
  );
  plan = await call<Plan>('deploy.plan', { profileId: PROFILE });
  view = await call<ProfileView>('profiles.get', { id: PROFILE });
  summary = (await call<ProfileSummary[]>('profiles.list', {}))[0]!;
});

afterAll(() => core?.close());

/**
 * The page without React: the reducer's state, and the calls its effects make — the plan of the
 * chosen profile, the history when it is wanted, a launch's vault check and deploy call, and the
 * deploy.events of the run on screen (one subscription per run shown, as useRunEvents keeps).
 */
class Page {
  state: WalkthroughState = INITIAL_STATE;
  readonly sent: LaunchFlow[] = [];
  #followed: string | null = null;
  #stop: (() => void) | undefined;
  #wake: (() => void) | undefined;
  static #subs = 0;

  do(a: WalkthroughAction): void {
    this.state = walkthroughReducer(this.state, a);
    this.#follow();
    this.#wake?.();
  }

  async loadPlan(): Promise<void> {
    const profileId = this.state.profileId!;
    try {
      const [p, v] = await Promise.all([call<Plan>('deploy.plan', { profileId }), call<ProfileView>('profiles.get', { id: profileId })]);
      this.do({ type: 'plan-loaded', profileId, plan: p, view: v });
    } catch (e) {
      this.do({ type: 'plan-failed', profileId, error: shownError(e) });
    }
  }

  /** Reads the history if the state wants it (as the page's effect on `runsWanted`). */
  async readRuns(): Promise<void> {
    const { profileId, runsWanted } = this.state;
    if (!profileId || runsWanted === this.state.runsShown) return;
    this.do({ type: 'runs-loaded', profileId, version: runsWanted, runs: await call<RunView[]>('deploy.runs', { profileId }) });
  }

  /** Makes the call the launch is waiting for, and hands the core's answer back. */
  async answer(): Promise<void> {
    const flow = this.state.flow;
    if (flow?.step === 'vault-check') {
      const status = await call<{ state: string }>('vault.status', {});
      this.do({ type: 'vault-checked', flow, locked: status.state === 'locked' });
    } else if (flow?.step === 'sending') {
      this.sent.push(flow);
      try {
        const { runId } = await call<{ runId: string }>(flow.call.name, flow.call.input);
        this.do({ type: 'launched', flow, runId });
      } catch (e) {
        this.do({ type: 'launch-failed', flow, error: shownError(e) });
      }
    } else throw new Error(`nothing to answer: the launch is at ${flow?.step ?? 'none'}`);
  }

  /** Waits for the core's events to bring the state there. */
  async until(done: (s: WalkthroughState) => boolean): Promise<void> {
    while (!done(this.state)) await new Promise<void>((resolve) => (this.#wake = resolve));
  }

  /** Waits until the run on screen has stopped `n` times while followed. */
  async stops(n: number): Promise<RunView> {
    await this.until((s) => s.live.stops >= n);
    return shownRun(this.state)!;
  }

  /** What the core recorded as asked of the run on screen (events carry cells and states, not this). */
  async request(): Promise<RunView['request']> {
    await this.readRuns();
    return this.state.runs!.find((r) => r.runId === this.state.currentRunId)?.request;
  }

  close(): void {
    this.#stop?.();
  }

  #follow(): void {
    const runId = this.state.currentRunId;
    if (runId === this.#followed) return;
    this.#stop?.();
    this.#stop = undefined;
    this.#followed = runId;
    if (!runId) return;
    const { envelope, stop } = core.dispatcher.subscribe(
      `walk-${++Page.#subs}`,
      'deploy.events',
      { runId },
      (m) => {
        if (m.kind === 'data') this.do({ type: 'events', runId, events: [m.payload as RunEvent] });
      },
      ctx,
    );
    if (!envelope.ok) throw ApiError.from(envelope.error);
    this.#stop = stop;
  }
}

describe('the walkthrough page against a real core', () => {
  const page = new Page();
  afterAll(() => page.close());

  it('opens on the only profile: its plan, its first step selected, an empty history, ready to run', async () => {
    page.do({ type: 'profiles-loaded', profiles: await call<ProfileSummary[]>('profiles.list', {}), wanted: null });
    expect(page.state.profileId).toBe(PROFILE);
    expect(canRun(page.state)).toBe(false);
    await page.loadPlan();
    const first = plan.steps[0]!;
    expect(page.state.selection).toEqual({ stepId: first.id, nodeId: first.scope === 'cluster' ? '*' : 'n1' });
    expect(page.state.runs).toBeNull();
    await page.readRuns();
    expect(page.state.runs).toEqual([]);
    expect(page.state.currentRunId).toBeNull();
    expect(canRun(page.state)).toBe(true);
  });

  it('unlocks a locked vault before Run all (cancelling starts nothing), then follows the run the core started to its end', async () => {
    core.vault.lock();
    page.do({ type: 'run', ask: { kind: 'all' } });
    await page.answer();
    expect(page.state.flow?.step).toBe('vault-unlock');
    expect(canRun(page.state)).toBe(false);
    page.do({ type: 'vault-cancelled' });
    expect(page.state.flow).toBeNull();
    expect(await call<RunView[]>('deploy.runs', { profileId: PROFILE })).toEqual([]);

    // The operator looks at the last step while the run goes on.
    const last = plan.steps.at(-1)!;
    page.do({ type: 'select', selection: { stepId: last.id, nodeId: last.scope === 'cluster' ? '*' : 'n2' } });
    page.do({ type: 'run', ask: { kind: 'all' } });
    await page.answer();
    expect(page.state.flow?.step).toBe('vault-unlock');
    await core.vault.unlock(PASSPHRASE);
    page.do({ type: 'vault-unlocked' });
    expect(page.state.flow).toMatchObject({
      step: 'sending',
      call: { name: 'deploy.start', input: { profileId: PROFILE, options: { existingDatabase: 'refuse', installRuntime: false } } },
    });
    const previews = page.state.previewVersion;
    await page.answer();
    const runId = page.state.currentRunId!;
    expect(runId).toMatch(/-[a-f0-9]{6}$/);
    expect(page.state.flow).toBeNull();

    const run = await page.stops(1);
    expect(run.runId).toBe(runId);
    expect(run.state).toBe('failed');
    expect(isActive(page.state)).toBe(false);
    // The run stopped: previews are made again and the first failure is opened.
    expect(page.state.previewVersion).toBe(previews + 1);
    const first = failedCells(plan, run)[0]!;
    expect(page.state.selection).toEqual({ stepId: first.stepId, nodeId: first.nodeId });
    await page.readRuns();
    expect(page.state.runs!.map((r) => [r.runId, r.active])).toEqual([[runId, false]]);
    expect(canRun(page.state)).toBe(true);
  });

  it('retries one node on the same run, and the failed nodes all together', async () => {
    const runId = page.state.currentRunId!;
    expect(nodesToRetry(shownRun(page.state))).toEqual(['n1', 'n2']);
    page.do({ type: 'run', ask: { kind: 'retry-node', nodeId: 'n2' } });
    await page.answer();
    expect(page.state.flow).toMatchObject({ step: 'sending', call: { name: 'deploy.resume', input: { runId, nodes: ['n2'] } } });
    await page.answer();
    expect(page.state.currentRunId).toBe(runId);
    await page.stops(2);
    expect((await page.request())?.nodes).toEqual(['n2']);

    page.do({ type: 'run', ask: { kind: 'retry-failed' } });
    await page.answer();
    expect(page.state.flow).toMatchObject({ call: { name: 'deploy.resume', input: { runId, nodes: ['n1', 'n2'] } } });
    await page.answer();
    await page.stops(3);
    expect((await page.request())?.nodes).toEqual(['n1', 'n2']);
    expect(page.state.runs).toHaveLength(1);
  });

  it('runs one step: continuing the unfinished run on screen', async () => {
    const runId = page.state.currentRunId!;
    const step = plan.steps[1]!.id;
    page.do({ type: 'run', ask: { kind: 'step', stepId: step } });
    await page.answer();
    expect(page.state.flow).toMatchObject({ call: { name: 'deploy.resume', input: { runId, only: [step] } } });
    expect(page.state.flow).not.toHaveProperty('call.input.nodes');
    await page.answer();
    await page.stops(4);
    expect((await page.request())?.only).toEqual([step]);
  });

  it('asks for the database host before a reset, and asks again when the core refuses the host typed', async () => {
    const runs = (await call<RunView[]>('deploy.runs', { profileId: PROFILE })).length;
    page.do({ type: 'options', options: { existingDatabase: 'reset' } });
    page.do({ type: 'run', ask: { kind: 'all' } });
    await page.answer();
    expect(page.state.flow?.step).toBe('reset-consent');
    page.do({ type: 'reset-cancelled' });
    expect(page.state.flow).toBeNull();

    page.do({ type: 'run', ask: { kind: 'all' } });
    await page.answer();
    page.do({ type: 'reset-confirmed', typed: 'not-the-host' });
    expect(page.state.flow).toMatchObject({
      step: 'sending',
      call: { name: 'deploy.start', input: { confirmReset: 'not-the-host', options: { existingDatabase: 'reset' } } },
    });
    await page.answer();
    expect(page.state.error?.code).toBe('confirmation_required');
    expect(page.state.flow?.step).toBe('reset-consent');
    page.do({ type: 'reset-cancelled' });
    page.do({ type: 'options', options: { existingDatabase: 'refuse' } });
    expect(await call<RunView[]>('deploy.runs', { profileId: PROFILE })).toHaveLength(runs);
  });

  it('skips a step in the next run only, with the reason the operator gave', async () => {
    const step = plan.steps.at(-1)!;
    page.do({ type: 'skip-asked', stepId: step.id });
    page.do({ type: 'skip-confirmed', reason: '  checked by hand  ' });
    expect(page.state.skipFor).toBeNull();
    expect(page.state.skips).toEqual({ [step.id]: 'checked by hand' });
    page.do({ type: 'run', ask: { kind: 'all' } });
    await page.answer();
    expect(page.state.flow).toMatchObject({
      call: { name: 'deploy.start', input: { skip: { [step.id]: { en: 'checked by hand', 'zh-CN': 'checked by hand' } } } },
    });
    const before = page.state.currentRunId;
    await page.answer();
    expect(page.state.currentRunId).not.toBe(before);
    expect(page.state.skips).toEqual({});
    // A new run is followed from its own first event: its stops count anew.
    const run = await page.stops(1);
    expect((await page.request())?.skip).toEqual([step.id]);
    expect(historyRows(page.state)!.map((r) => r.runId)).toEqual([run.runId, before]);
  });

  it('shows a run opened from the history without re-reading anything, and resumes it', async () => {
    const [newest, older] = page.state.runs!;
    const wanted = page.state.runsWanted;
    const previews = page.state.previewVersion;
    page.do({ type: 'open-run', runId: older!.runId });
    expect(shownRun(page.state)).toBeNull();
    await page.until((s) => shownRun(s) !== null);
    // The snapshot of a stopped run is no stop seen, and nothing is read again for it.
    expect(shownRun(page.state)?.runId).toBe(older!.runId);
    expect([page.state.live.stops, page.state.runsWanted, page.state.previewVersion]).toEqual([0, wanted, previews]);

    page.do({ type: 'run', ask: { kind: 'resume', runId: newest!.runId } });
    expect(page.state.currentRunId).toBe(newest!.runId);
    await page.answer();
    expect(page.state.flow).toMatchObject({ call: { name: 'deploy.resume', input: { runId: newest!.runId } } });
    await page.answer();
    await page.stops(1);
    expect((await page.request())?.resumed).toBe(true);
  });
});

describe('what a real core answers only by chance', () => {
  const L = (s: string) => ({ en: s, 'zh-CN': s });
  const RUN_A = '2026-11-26T01-00-00-000Z-aaaaaa';
  const RUN_B = '2026-11-26T02-00-00-000Z-bbbbbb';
  const runView = (runId: string, active: boolean, cells: RunView['cells'] = {}): RunView => ({
    runId,
    profileId: PROFILE,
    operation: 'deploy',
    createdAt: '2026-11-26T01:00:00.000Z',
    updatedAt: '2026-11-26T01:00:00.000Z',
    state: active ? 'running' : 'finished',
    steps: plan.steps.map((s) => s.id),
    cells,
    active,
  });
  const reduce = (s: WalkthroughState, ...actions: WalkthroughAction[]) => actions.reduce(walkthroughReducer, s);
  /** A page on the profile with its plan, the history read once, following `lastRunId`. */
  const opened = (lastRunId: string | null = null) =>
    reduce(
      INITIAL_STATE,
      { type: 'profiles-loaded', profiles: [summary], wanted: null },
      { type: 'plan-loaded', profileId: PROFILE, plan: { ...plan, lastRunId }, view },
      { type: 'runs-loaded', profileId: PROFILE, version: 1, runs: [] },
    );

  it('chooses the profile asked for, else the only one, else none', () => {
    const other = { ...summary, id: 'other' };
    expect(reduce(INITIAL_STATE, { type: 'profiles-loaded', profiles: [summary, other], wanted: 'other' }).profileId).toBe('other');
    expect(reduce(INITIAL_STATE, { type: 'profiles-loaded', profiles: [summary, other], wanted: 'gone' }).profileId).toBeNull();
    expect(reduce(INITIAL_STATE, { type: 'profiles-loaded', profiles: [summary], wanted: 'gone' }).profileId).toBe(PROFILE);
    const failed = reduce(INITIAL_STATE, {
      type: 'profiles-failed',
      error: shownError(new ApiError({ code: 'storage', message: L('cannot read') })),
    });
    expect([failed.profiles, failed.error?.code]).toEqual([[], 'storage']);
  });

  it('drops a history read before the run ended when it is answered after a newer read', () => {
    let s = reduce(opened(RUN_A), { type: 'events', runId: RUN_A, events: [{ kind: 'snapshot', run: runView(RUN_A, true), log: [] }] });
    expect(s.runsWanted).toBe(1);
    s = reduce(s, { type: 'events', runId: RUN_A, events: [{ kind: 'state', state: 'finished', active: false }] });
    expect(s.runsWanted).toBe(2);
    s = reduce(
      s,
      { type: 'runs-loaded', profileId: PROFILE, version: 2, runs: [runView(RUN_A, false)] },
      { type: 'runs-loaded', profileId: PROFILE, version: 1, runs: [runView(RUN_A, true)] },
    );
    expect(s.runs!.map((r) => r.active)).toEqual([false]);
    expect(isActive(s)).toBe(false);
    expect(canRun(s)).toBe(true);
  });

  it('drops events of a run no longer on screen, and starts the events of the one opened anew', () => {
    const snapshotOfA: RunEvent = {
      kind: 'snapshot',
      run: runView(RUN_A, false),
      log: [
        { time: '2026-11-26T01:00:01.000Z', stepId: plan.steps[0]!.id, nodeId: 'n1', line: { en: 'a line of A', 'zh-CN': 'a line of A' } },
      ],
    };
    let s = reduce(opened(RUN_A), { type: 'events', runId: RUN_A, events: [snapshotOfA] });
    expect(s.live.log).toHaveLength(1);
    s = reduce(s, { type: 'open-run', runId: RUN_B });
    expect([shownRun(s), s.live.log, s.live.stops]).toEqual([null, [], 0]);
    // A's subscription, closing, still delivers a batch.
    s = reduce(s, { type: 'events', runId: RUN_A, events: [snapshotOfA, { kind: 'state', state: 'finished', active: false }] });
    expect([shownRun(s), s.live.log, s.live.stops]).toEqual([null, [], 0]);
    s = reduce(s, { type: 'events', runId: RUN_B, events: [{ kind: 'snapshot', run: runView(RUN_B, false), log: [] }] });
    expect(shownRun(s)?.runId).toBe(RUN_B);
  });

  it('keeps everything when the same profile is chosen again, and forgets all of it for another', () => {
    const s = reduce(
      opened(RUN_A),
      { type: 'skip-asked', stepId: plan.steps[1]!.id },
      { type: 'skip-confirmed', reason: 'later' },
      { type: 'options', options: { installRuntime: true } },
      { type: 'log-filter', filter: { node: 'n2' } },
      { type: 'run', ask: { kind: 'all' } },
    );
    expect(reduce(s, { type: 'profile-chosen', profileId: PROFILE })).toBe(s);
    const other = reduce(s, { type: 'profile-chosen', profileId: 'other' });
    expect(other).toMatchObject({
      profileId: 'other',
      plan: null,
      view: null,
      runs: null,
      currentRunId: null,
      selection: null,
      skips: {},
      flow: null,
      logFilter: {},
    });
    // The run options are the operator's, not the profile's.
    expect(other.options.installRuntime).toBe(true);
    // The plan of the profile left behind, answered late, is not shown for the new one.
    expect(reduce(other, { type: 'plan-loaded', profileId: PROFILE, plan, view }).plan).toBeNull();
    expect(reduce(other, { type: 'runs-loaded', profileId: PROFILE, version: 1, runs: [runView(RUN_A, true)] }).runs).toBeNull();
  });

  it('does not take the page over with a launch answered after the operator moved to another profile', () => {
    let s = reduce(opened(), { type: 'run', ask: { kind: 'all' } });
    const checking = s.flow!;
    s = reduce(s, { type: 'vault-checked', flow: checking, locked: false });
    const sending = s.flow!;
    expect(sending.step).toBe('sending');
    // An answer for a step the launch has left is not taken either.
    expect(reduce(s, { type: 'vault-checked', flow: checking, locked: true })).toBe(s);
    const moved = reduce(s, { type: 'profile-chosen', profileId: 'other' });
    expect(reduce(moved, { type: 'launched', flow: sending, runId: RUN_A }).currentRunId).toBeNull();
  });

  it('runs nothing while a run of the profile is going on elsewhere; a single step after a finished run is a new run', () => {
    const busy = reduce(opened(), { type: 'runs-loaded', profileId: PROFILE, version: 2, runs: [runView(RUN_B, true)] });
    expect(canRun(busy)).toBe(false);
    expect(reduce(busy, { type: 'run', ask: { kind: 'all' } })).toBe(busy);

    const done = reduce(opened(RUN_A), {
      type: 'events',
      runId: RUN_A,
      events: [{ kind: 'snapshot', run: runView(RUN_A, false), log: [] }],
    });
    const step = plan.steps[2]!.id;
    const s = reduce(done, { type: 'run', ask: { kind: 'step', stepId: step } });
    expect(s.flow).toEqual({ step: 'vault-check', launch: { kind: 'start', only: [step] } });
  });

  it("retries a run whose failures are the cluster's by resuming it whole", () => {
    const cluster = plan.steps.find((st) => st.scope === 'cluster')!;
    const failed = {
      ...runView(RUN_A, false, { [cluster.id]: { '*': { status: 'failed', error: L('no database') } } }),
      state: 'failed' as const,
    };
    const s = reduce(
      opened(RUN_A),
      { type: 'events', runId: RUN_A, events: [{ kind: 'snapshot', run: failed, log: [] }] },
      { type: 'run', ask: { kind: 'retry-failed' } },
    );
    const sent = reduce(s, { type: 'vault-checked', flow: s.flow!, locked: false }).flow;
    expect(sent).toEqual({
      step: 'sending',
      launch: { kind: 'resume', runId: RUN_A, nodes: [] },
      call: { name: 'deploy.resume', input: { runId: RUN_A, options: { existingDatabase: 'refuse', installRuntime: false } } },
    });
  });

  it('keeps a skip only with a reason, and drops it when the operator takes it back', () => {
    const step = plan.steps[1]!.id;
    const asked = reduce(opened(), { type: 'skip-asked', stepId: step });
    expect(reduce(asked, { type: 'skip-confirmed', reason: '   ' })).toBe(asked);
    const kept = reduce(asked, { type: 'skip-confirmed', reason: 'done by hand' });
    expect(kept.skips).toEqual({ [step]: 'done by hand' });
    expect(reduce(kept, { type: 'unskip', stepId: step }).skips).toEqual({});
    expect(reduce(asked, { type: 'skip-cancelled' })).toMatchObject({ skipFor: null, skips: {} });
  });
});
