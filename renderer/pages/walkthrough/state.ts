/**
 * The walkthrough page's state and every change to it, as one reducer: what the operator does
 * (choose a profile, select a cell, set options, skip a step, run, answer a dialog) and what the
 * core answers (plan, history, run events, the result of a launch). Pure TypeScript, no React: the
 * page renders this state and performs the calls it asks for — loading a chosen profile's plan,
 * re-reading the history when `runsWanted` grows, and the step a launch `flow` is at.
 *
 * The followed run itself (cells, log, progress) is model.ts's RunModel, folded here from the
 * deploy.events batches of the run on screen.
 */
import type { Disruption, Plan, PlanCheck, RunEvent, RunView } from '../../../shared/api/contracts/deploy';
import type { CallInput, ProfileSummary, ProfileView } from '../../../shared/api';
import { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { applyEvents, CLUSTER, EMPTY_RUN, failedCells, nodesToRetry, type RunModel } from './model';

/** The cell whose details and preview are shown. */
export interface Selection {
  readonly stepId: string;
  /** A node id, or `*` for a cluster step. */
  readonly nodeId: string;
}

export interface LogFilter {
  readonly node?: string | undefined;
  readonly step?: string | undefined;
}

/** An error as the page shows it: the core's own words in both languages, or a plain message. */
export interface ShownError {
  readonly text: Localized | string;
  readonly code?: string;
  /** The finer reason within `code` (`disruption`: the run would stop serving nodes not consented to). */
  readonly reason?: string;
}

export type ExistingDatabase = 'refuse' | 'adopt' | 'reset';

export interface RunOptions {
  readonly existingDatabase: ExistingDatabase;
  readonly installRuntime: boolean;
}

/** What a button asks the core to run. */
export type Launch =
  | { readonly kind: 'start'; readonly only?: readonly string[] }
  | { readonly kind: 'resume'; readonly runId: string; readonly only?: readonly string[]; readonly nodes?: readonly string[] };

/** The call that starts or continues a run, exactly as it is sent. */
export type DeployCall =
  | { readonly name: 'deploy.start'; readonly input: CallInput<'deploy.start'> }
  | { readonly name: 'deploy.resume'; readonly input: CallInput<'deploy.resume'> };

/**
 * A launch on its way: the vault is checked first (the steps read the profile's secrets from it, so
 * a locked vault is unlocked rather than failing every node), then a reset asks for its typed
 * consent, then the call is sent. When the core refuses it because it would stop serving nodes, the
 * page asks the core which (deploy.disruptions), the operator confirms them, and the call goes again
 * with that consent. `null` in the state when nothing is being launched.
 */
export type LaunchFlow =
  | { readonly step: 'vault-check'; readonly launch: Launch }
  | { readonly step: 'vault-unlock'; readonly launch: Launch }
  | { readonly step: 'reset-consent'; readonly launch: Launch }
  | { readonly step: 'disruption-check'; readonly launch: Launch; readonly confirmReset?: string }
  | {
      readonly step: 'disruption-consent';
      readonly launch: Launch;
      readonly confirmReset?: string;
      readonly disruptions: readonly Disruption[];
    }
  | { readonly step: 'sending'; readonly launch: Launch; readonly call: DeployCall };

/** The buttons that run something. */
export type RunAsk =
  | { readonly kind: 'all' }
  | { readonly kind: 'step'; readonly stepId: string }
  | { readonly kind: 'retry-failed' }
  | { readonly kind: 'retry-node'; readonly nodeId: string }
  | { readonly kind: 'resume'; readonly runId: string };

export interface WalkthroughState {
  /** `null` until the list arrives. */
  readonly profiles: readonly ProfileSummary[] | null;
  readonly profileId: string | null;
  readonly plan: Plan | null;
  readonly view: ProfileView | null;
  readonly planError: ShownError | null;
  /** The profile's runs, newest first; `null` while loading. */
  readonly runs: readonly RunView[] | null;
  /** Grows each time the history should be read again; the page reads it for this number. */
  readonly runsWanted: number;
  /** The `runsWanted` the shown history was read for: an older answer arriving late is dropped. */
  readonly runsShown: number;
  /** The run on screen, followed live. */
  readonly currentRunId: string | null;
  /** That run as its events made it: only ever the current run's events (see 'events'). */
  readonly live: RunModel;
  readonly selection: Selection | null;
  readonly options: RunOptions;
  /** Steps to skip in the next run → the operator's reason. */
  readonly skips: Readonly<Record<string, string>>;
  /** The step whose skip reason is being asked. */
  readonly skipFor: string | null;
  readonly flow: LaunchFlow | null;
  readonly error: ShownError | null;
  /** Grows when previews should be made again (after a run, on Refresh). */
  readonly previewVersion: number;
  readonly logFilter: LogFilter;
  /** The latest whole-plan check (deploy.check) of this profile: the grid shows it until a run starts. */
  readonly check: PlanCheck | null;
  /** Grows each time Check plan is pressed; the page asks deploy.check for this number. */
  readonly checkWanted: number;
  readonly checking: boolean;
}

export type WalkthroughAction =
  // The core's answers.
  | { readonly type: 'profiles-loaded'; readonly profiles: readonly ProfileSummary[]; readonly wanted: string | null }
  | { readonly type: 'profiles-failed'; readonly error: ShownError }
  | { readonly type: 'plan-loaded'; readonly profileId: string; readonly plan: Plan; readonly view: ProfileView }
  | { readonly type: 'plan-failed'; readonly profileId: string; readonly error: ShownError }
  | { readonly type: 'runs-loaded'; readonly profileId: string; readonly version: number; readonly runs: readonly RunView[] }
  | { readonly type: 'events'; readonly runId: string; readonly events: readonly RunEvent[] }
  | { readonly type: 'vault-checked'; readonly flow: LaunchFlow; readonly locked: boolean }
  | { readonly type: 'launched'; readonly flow: LaunchFlow; readonly runId: string }
  | { readonly type: 'launch-failed'; readonly flow: LaunchFlow; readonly error: ShownError }
  | { readonly type: 'failed'; readonly error: ShownError }
  | { readonly type: 'check-loaded'; readonly profileId: string; readonly version: number; readonly check: PlanCheck }
  | { readonly type: 'check-failed'; readonly profileId: string; readonly version: number; readonly error: ShownError }
  | { readonly type: 'disruptions-checked'; readonly flow: LaunchFlow; readonly disruptions: readonly Disruption[] }
  // The operator.
  | { readonly type: 'profile-chosen'; readonly profileId: string }
  | { readonly type: 'select'; readonly selection: Selection }
  | { readonly type: 'options'; readonly options: Partial<RunOptions> }
  | { readonly type: 'skip-asked'; readonly stepId: string }
  | { readonly type: 'skip-confirmed'; readonly reason: string }
  | { readonly type: 'skip-cancelled' }
  | { readonly type: 'unskip'; readonly stepId: string }
  | { readonly type: 'run'; readonly ask: RunAsk }
  | { readonly type: 'vault-unlocked' }
  | { readonly type: 'vault-cancelled' }
  | { readonly type: 'reset-confirmed'; readonly typed: string }
  | { readonly type: 'reset-cancelled' }
  | { readonly type: 'check-asked' }
  | { readonly type: 'check-dismissed' }
  | { readonly type: 'disruption-confirmed' }
  | { readonly type: 'disruption-cancelled' }
  | { readonly type: 'open-run'; readonly runId: string }
  | { readonly type: 'refresh' }
  | { readonly type: 'error-dismissed' }
  | { readonly type: 'log-filter'; readonly filter: LogFilter };

export const INITIAL_STATE: WalkthroughState = {
  profiles: null,
  profileId: null,
  plan: null,
  view: null,
  planError: null,
  runs: null,
  runsWanted: 0,
  runsShown: 0,
  currentRunId: null,
  live: EMPTY_RUN,
  selection: null,
  options: { existingDatabase: 'refuse', installRuntime: false },
  skips: {},
  skipFor: null,
  flow: null,
  error: null,
  previewVersion: 0,
  logFilter: {},
  check: null,
  checkWanted: 0,
  checking: false,
};

/** How a failed call is shown: an ApiError in both languages with its code, anything else as its message. */
export function shownError(e: unknown): ShownError {
  if (e instanceof ApiError) return { text: e.localized, code: e.code, ...(e.reason ? { reason: e.reason } : {}) };
  return { text: e instanceof Error ? e.message : String(e) };
}

/** The run on screen, as its events made it (`null` until its first event). */
export function shownRun(s: WalkthroughState): RunView | null {
  return s.live.run;
}

/** A run of the profile is going on, the one on screen or another (started elsewhere). */
export function isActive(s: WalkthroughState): boolean {
  return !!shownRun(s)?.active || !!s.runs?.some((r) => r.active);
}

/** The launch's call is on its way to the core. */
export function isSending(s: WalkthroughState): boolean {
  return s.flow?.step === 'sending';
}

/** Whether the run buttons (and the run options) are usable. */
export function canRun(s: WalkthroughState): boolean {
  return !!s.plan && !!s.profileId && !isActive(s) && s.flow === null;
}

/** The history with the run on screen as it is now (its events are newer than the last read). */
export function historyRows(s: WalkthroughState): readonly RunView[] | null {
  const run = shownRun(s);
  return s.runs && run ? s.runs.map((r) => (r.runId === run.runId ? run : r)) : s.runs;
}

/** The profile a page opens on: the one asked for (address or last used) if it exists, else the only one. */
export function initialProfile(profiles: readonly ProfileSummary[], wanted: string | null): string | null {
  return (profiles.find((p) => p.id === wanted) ?? (profiles.length === 1 ? profiles[0] : undefined))?.id ?? null;
}

export function walkthroughReducer(s: WalkthroughState, a: WalkthroughAction): WalkthroughState {
  switch (a.type) {
    case 'profiles-loaded': {
      const chosen = initialProfile(a.profiles, a.wanted);
      const next = { ...s, profiles: a.profiles };
      return chosen ? chooseProfile(next, chosen) : next;
    }
    case 'profiles-failed':
      return { ...s, profiles: [], error: a.error };
    case 'profile-chosen':
      return chooseProfile(s, a.profileId);
    case 'plan-loaded': {
      if (a.profileId !== s.profileId) return s;
      const first = a.plan.steps[0];
      const selection = first ? { stepId: first.id, nodeId: first.scope === 'cluster' ? CLUSTER : (a.plan.nodes[0]?.id ?? CLUSTER) } : null;
      return { ...follow(s, a.plan.lastRunId), plan: a.plan, view: a.view, selection, runsWanted: s.runsWanted + 1 };
    }
    case 'plan-failed':
      return a.profileId === s.profileId ? { ...s, planError: a.error, runs: [] } : s;
    case 'runs-loaded':
      if (a.profileId !== s.profileId || a.version < s.runsShown) return s;
      return { ...s, runs: a.runs, runsShown: a.version };
    case 'events':
      return a.runId === s.currentRunId ? applyRunEvents(s, a.events) : s;
    case 'failed':
      return { ...s, error: a.error };
    case 'error-dismissed':
      return { ...s, error: null };
    case 'select':
      return { ...s, selection: a.selection };
    case 'options':
      return { ...s, options: { ...s.options, ...a.options } };
    case 'log-filter':
      return { ...s, logFilter: a.filter };
    case 'refresh':
      return { ...s, runsWanted: s.runsWanted + 1, previewVersion: s.previewVersion + 1 };
    case 'open-run':
      return follow(s, a.runId);
    case 'skip-asked':
      return { ...s, skipFor: a.stepId };
    case 'skip-confirmed': {
      const reason = a.reason.trim();
      if (!s.skipFor || !reason) return s;
      return { ...s, skips: { ...s.skips, [s.skipFor]: reason }, skipFor: null };
    }
    case 'skip-cancelled':
      return { ...s, skipFor: null };
    case 'unskip': {
      const { [a.stepId]: _dropped, ...rest } = s.skips;
      return { ...s, skips: rest };
    }
    case 'run': {
      if (!canRun(s)) return s;
      const launch = launchFor(shownRun(s), a.ask);
      if (!launch) return s;
      // Resuming from the history shows that run while it goes on.
      const shown = a.ask.kind === 'resume' ? follow(s, a.ask.runId) : s;
      return { ...shown, flow: { step: 'vault-check', launch } };
    }
    case 'vault-checked':
      if (s.flow !== a.flow || a.flow.step !== 'vault-check') return s;
      return a.locked ? { ...s, flow: { step: 'vault-unlock', launch: a.flow.launch } } : proceed(s, a.flow.launch);
    case 'vault-unlocked':
      return s.flow?.step === 'vault-unlock' ? proceed(s, s.flow.launch) : s;
    case 'vault-cancelled':
      return s.flow?.step === 'vault-unlock' ? { ...s, flow: null } : s;
    case 'reset-confirmed':
      return s.flow?.step === 'reset-consent' ? proceed(s, s.flow.launch, a.typed) : s;
    case 'reset-cancelled':
      return s.flow?.step === 'reset-consent' ? { ...s, flow: null } : s;
    case 'disruptions-checked': {
      if (s.flow !== a.flow || a.flow.step !== 'disruption-check' || !s.profileId) return s;
      const { launch, confirmReset } = a.flow;
      if (!a.disruptions.length) return send(s, s.profileId, launch, confirmReset, []);
      return {
        ...s,
        flow: { step: 'disruption-consent', launch, disruptions: a.disruptions, ...(confirmReset !== undefined ? { confirmReset } : {}) },
      };
    }
    case 'disruption-confirmed': {
      if (s.flow?.step !== 'disruption-consent' || !s.profileId) return s;
      const { launch, confirmReset, disruptions } = s.flow;
      return send(
        s,
        s.profileId,
        launch,
        confirmReset,
        disruptions.map((d) => d.nodeId),
      );
    }
    case 'disruption-cancelled':
      return s.flow?.step === 'disruption-consent' ? { ...s, flow: null } : s;
    case 'check-asked':
      return canRun(s) ? { ...s, checking: true, checkWanted: s.checkWanted + 1 } : s;
    case 'check-loaded':
      if (a.profileId !== s.profileId || a.version !== s.checkWanted) return s;
      return { ...s, check: a.check, checking: false };
    case 'check-failed':
      if (a.profileId !== s.profileId || a.version !== s.checkWanted) return s;
      return { ...s, checking: false, error: a.error };
    case 'check-dismissed':
      return { ...s, check: null };
    case 'launched':
      if (s.flow !== a.flow) return s;
      // The skips were for this run only; the plan check described the nodes before it.
      return { ...follow(s, a.runId), flow: null, skips: {}, runsWanted: s.runsWanted + 1, check: null };
    case 'launch-failed':
      if (s.flow !== a.flow) return s;
      // The core wants a consent: the run would stop serving nodes (it names them when asked), or the typed host did not match.
      if (a.error.code === 'confirmation_required' && a.error.reason === 'disruption')
        return { ...s, flow: { step: 'disruption-check', launch: a.flow.launch, ...confirmResetOf(a.flow) } };
      return {
        ...s,
        error: a.error,
        flow: a.error.code === 'confirmation_required' ? { step: 'reset-consent', launch: a.flow.launch } : null,
      };
  }
}

/** Another profile: everything shown of the previous one goes; the run options stay. */
function chooseProfile(s: WalkthroughState, profileId: string): WalkthroughState {
  if (profileId === s.profileId) return s;
  return {
    ...s,
    profileId,
    plan: null,
    view: null,
    planError: null,
    runs: null,
    runsWanted: 0,
    runsShown: 0,
    currentRunId: null,
    live: EMPTY_RUN,
    selection: null,
    skips: {},
    skipFor: null,
    flow: null,
    error: null,
    logFilter: {},
    check: null,
    checking: false,
  };
}

/** Shows that run (its events start anew) or none. */
function follow(s: WalkthroughState, runId: string | null): WalkthroughState {
  return runId === s.currentRunId ? s : { ...s, currentRunId: runId, live: EMPTY_RUN };
}

/**
 * A batch of the current run's events. When the run starts or stops (not when it is first seen)
 * the history is read again; when it stops, previews are made again (the nodes changed) and the
 * first failure, if any, is opened: its error, the node's last lines, Retry.
 */
function applyRunEvents(s: WalkthroughState, events: readonly RunEvent[]): WalkthroughState {
  const live = applyEvents(s.live, events);
  const before = s.live.run?.active ?? null;
  const after = live.run?.active ?? null;
  const next = { ...s, live };
  if (before === null || after === null || before === after) return next;
  if (after) return { ...next, runsWanted: s.runsWanted + 1 };
  const first = s.plan && live.run ? failedCells(s.plan, live.run)[0] : undefined;
  return {
    ...next,
    runsWanted: s.runsWanted + 1,
    previewVersion: s.previewVersion + 1,
    ...(first ? { selection: { stepId: first.stepId, nodeId: first.nodeId } } : {}),
  };
}

/** What a button runs, given the run on screen; `null` when it has nothing to run. */
function launchFor(run: RunView | null, ask: RunAsk): Launch | null {
  switch (ask.kind) {
    case 'all':
      return { kind: 'start' };
    case 'step':
      // One step continues the run on screen when it is unfinished, otherwise it is a new run of that step.
      return run && !run.active && run.state !== 'finished'
        ? { kind: 'resume', runId: run.runId, only: [ask.stepId] }
        : { kind: 'start', only: [ask.stepId] };
    case 'retry-failed':
      return run ? { kind: 'resume', runId: run.runId, nodes: nodesToRetry(run) } : null;
    case 'retry-node':
      return run ? { kind: 'resume', runId: run.runId, nodes: [ask.nodeId] } : null;
    case 'resume':
      return { kind: 'resume', runId: ask.runId };
  }
}

/** Past the vault: a reset first asks for the typed database host; otherwise the call is sent. */
function proceed(s: WalkthroughState, launch: Launch, confirmReset?: string): WalkthroughState {
  if (!s.profileId) return { ...s, flow: null };
  if (s.options.existingDatabase === 'reset' && confirmReset === undefined) return { ...s, flow: { step: 'reset-consent', launch } };
  return send(s, s.profileId, launch, confirmReset, []);
}

function confirmResetOf(flow: LaunchFlow): { confirmReset?: string } {
  if (flow.step !== 'sending') return {};
  const typed = flow.call.input.confirmReset;
  return typed !== undefined ? { confirmReset: typed } : {};
}

function send(s: WalkthroughState, profileId: string, launch: Launch, confirmReset: string | undefined, confirmed: readonly string[]) {
  return { ...s, error: null, flow: { step: 'sending' as const, launch, call: deployCall(s, profileId, launch, confirmReset, confirmed) } };
}

/** What the disruption check asks about: the steps and nodes the launch will run. */
export function launchSelection(launch: Launch): { only?: string[]; nodes?: string[] } {
  return {
    ...(launch.only ? { only: [...launch.only] } : {}),
    ...(launch.kind === 'resume' && launch.nodes?.length ? { nodes: [...launch.nodes] } : {}),
  };
}

function deployCall(
  s: WalkthroughState,
  profileId: string,
  launch: Launch,
  confirmReset: string | undefined,
  confirmDisruption: readonly string[],
): DeployCall {
  const skips = Object.entries(s.skips);
  const request = {
    options: { ...s.options },
    ...(confirmReset !== undefined ? { confirmReset } : {}),
    ...(confirmDisruption.length ? { confirmDisruption: [...confirmDisruption] } : {}),
    // The reason is the operator's own words, kept as typed whichever language is shown.
    ...(skips.length ? { skip: Object.fromEntries(skips.map(([step, reason]) => [step, { en: reason, 'zh-CN': reason }])) } : {}),
    ...launchSelection(launch),
  };
  return launch.kind === 'start'
    ? { name: 'deploy.start', input: { profileId, ...request } }
    : { name: 'deploy.resume', input: { runId: launch.runId, ...request } };
}
