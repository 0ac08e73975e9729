/**
 * Deployment runs: the plan of a profile (steps and nodes), a step's preview (commands, diffs with
 * secrets masked, SQL), runs started, resumed, retried or cancelled, and their live events.
 */
import { z } from 'zod';
import type { Localized } from '../../i18n/localized';
import { call, stream } from '../define';
import { profileId } from './profiles';

export const runId = z.string().regex(/^[0-9TZ-]{20,40}-[a-f0-9]{6}$/, 'a run id as listed by deploy.runs');
const stepId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);
const nodeIdField = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const localizedInput = z.object({ en: z.string().trim().min(1).max(500), 'zh-CN': z.string().trim().min(1).max(500) }).strict();

export type StepScope = 'cluster' | 'each-node' | 'first-then-rest';

/**
 * What a run does: `deploy` installs or changes the cluster (the walkthrough); the others are day-two operations on
 * the same engine (docs/maintenance.md). Runs of one operation form their own history: only the newest resumes.
 */
export const operationId = z.enum(['deploy', 'backup', 'restore', 'upgrade', 'rotate-cert']);
export type OperationId = z.infer<typeof operationId>;
/** `passed`: a step that only looks (preflight, the key comparison, verify) found nothing wrong; `unchanged`: nothing to change. */
export type CellStatus = 'pending' | 'running' | 'succeeded' | 'unchanged' | 'passed' | 'failed' | 'skipped' | 'blocked' | 'interrupted';
export type RunState = 'running' | 'finished' | 'failed' | 'interrupted';

/** A cell in one of these has done its work: the node is as the step wants it. */
export const COMPLETED: readonly CellStatus[] = ['succeeded', 'unchanged', 'passed'];

export interface PlanStep {
  readonly id: string;
  readonly title: Localized;
  readonly explain: Localized;
  readonly scope: StepScope;
  /** Changes nothing (preflight, the key comparison, verify). */
  readonly readOnly?: boolean;
}

export interface PlanNode {
  readonly id: string;
  readonly label: string;
  readonly index: number;
}

export interface Plan {
  readonly profileId: string;
  readonly operation: OperationId;
  readonly generation: 'v1' | 'v2';
  readonly steps: readonly PlanStep[];
  readonly nodes: readonly PlanNode[];
  /** The most recent run of this operation on this profile, if any. */
  readonly lastRunId: string | null;
}

export interface StepPreview {
  readonly commands: readonly string[];
  readonly files: readonly { readonly path: string; readonly diff: string }[];
  readonly sql: readonly string[];
  readonly notes: readonly Localized[];
  /**
   * The earlier steps that must change the node before this preview can be made (the config step before the installer
   * is unpacked); the notes say so in plain words.
   */
  readonly needs?: readonly string[];
}

/**
 * What a step would do on a node if the plan ran now (deploy.check, Ansible's `--check --diff`): `will-change` (with
 * what it would change, the preview as deploy.preview makes it), `unchanged`, `passes`/`fails` for a step that only
 * looks, `needs` when the steps in `needs` must change the node first (the config step before the installer is
 * unpacked), `error` when the node could not be read.
 */
export type CheckStatus = 'will-change' | 'unchanged' | 'passes' | 'fails' | 'needs' | 'error';

export interface CheckCell {
  readonly status: CheckStatus;
  readonly reason?: Localized;
  /** `needs`, or `will-change` decided by an earlier step's change: those steps' ids. */
  readonly needs?: readonly string[];
  /** `will-change`: how many commands, changed files and SQL statements the preview holds. */
  readonly changes?: { readonly commands: number; readonly files: number; readonly sql: number };
  readonly preview?: StepPreview;
  /** Applying stops a service this node serves now (a reinstall of a serving Harbor). */
  readonly disruptive?: boolean;
}

/** How long a node is expected to be down, and where the figure comes from. */
export interface Downtime {
  readonly seconds: number;
  /** `measured`: the duration of that step on `nodeId` in run `runId` (the latest that applied it); `estimate`: a stated figure. */
  readonly source: 'measured' | 'estimate';
  readonly runId?: string;
  readonly nodeId?: string;
}

/** A node a run would stop serving (its Harbor reinstalled), which needs the operator's consent (`confirmDisruption`). */
export interface Disruption {
  readonly nodeId: string;
  readonly label: string;
  readonly stepId: string;
  readonly downtime: Downtime;
}

export interface PlanCheck {
  readonly profileId: string;
  readonly checkedAt: string;
  /** stepId → nodeId (`*` for cluster steps) → what it would do. */
  readonly cells: Readonly<Record<string, Readonly<Record<string, CheckCell>>>>;
  readonly disruptions: readonly Disruption[];
}

export interface RunCell {
  readonly status: CellStatus;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly reason?: Localized;
  readonly error?: Localized;
  /** The profile field the error points at, as a path (`database.port`): the page links to it. */
  readonly field?: string;
}

export interface RunView {
  readonly runId: string;
  readonly profileId: string;
  readonly operation: OperationId;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly state: RunState;
  readonly steps: readonly string[];
  /** stepId → nodeId (`*` for cluster steps) → cell. */
  readonly cells: Readonly<Record<string, Readonly<Record<string, RunCell>>>>;
  /** Whether this process is executing it now. */
  readonly active: boolean;
  /** What was asked when it was started or last resumed: only some steps or nodes, skipped steps. */
  readonly request?: {
    readonly only?: readonly string[];
    readonly nodes?: readonly string[];
    readonly skip?: readonly string[];
    readonly resumed?: boolean;
  };
}

export interface LogLine {
  readonly time: string;
  readonly stepId: string;
  readonly nodeId: string;
  /** In both languages; what a command printed is the same text in each. */
  readonly line: Localized;
}

/** The latest progress of a transfer on a node (so a page opened mid-transfer shows its bar at once). */
export interface ProgressReport {
  readonly stepId: string;
  readonly nodeId: string;
  readonly done: number;
  readonly total: number;
  readonly unit: 'bytes' | 'items';
}

export type RunEvent =
  | { readonly kind: 'snapshot'; readonly run: RunView; readonly log: readonly LogLine[]; readonly progress?: readonly ProgressReport[] }
  | { readonly kind: 'cell'; readonly stepId: string; readonly nodeId: string; readonly cell: RunCell }
  | { readonly kind: 'log'; readonly entry: LogLine }
  | ({ readonly kind: 'progress' } & ProgressReport)
  | { readonly kind: 'state'; readonly state: RunState; readonly active: boolean };

export const runOptions = z
  .object({
    existingDatabase: z.enum(['refuse', 'adopt', 'reset']).optional(),
    installRuntime: z.boolean().optional(),
  })
  .strict();

const selection = {
  /** Run only these steps. */
  only: z.array(stepId).max(40).optional(),
  /** Run only these nodes (retry failed nodes). */
  nodes: z.array(nodeIdField).max(16).optional(),
  /** Steps to skip, each with the operator's reason. */
  skip: z.record(stepId, localizedInput).optional(),
  concurrency: z.number().int().min(1).max(16).optional(),
};

/** The nodes the operator agreed to stop serving while they are reinstalled (deploy.disruptions names them). */
const confirmDisruption = z.array(nodeIdField).max(16).optional();

export const deployContract = {
  'deploy.plan': call(
    z.object({ profileId, operation: operationId.default('deploy') }).strict(),
    'The steps and nodes a run of this operation (a deployment by default) goes through on this profile.',
  ).returns<Plan>(),
  'deploy.preview': call(
    z.object({ profileId, stepId, nodeId: nodeIdField.optional(), options: runOptions.optional() }).strict(),
    "Exactly what a step would do on a node (or the cluster) in a run with these options: commands, diffs against the node's files with secrets masked, SQL.",
  ).returns<StepPreview>(),
  'deploy.check': call(
    z.object({ profileId, options: runOptions.optional(), only: selection.only, nodes: selection.nodes }).strict(),
    'What every step would do on every node if the plan ran now with these options (a dry run: reads only): will change (with its preview), unchanged, passes or fails, or needs an earlier step first; and the serving nodes a run would stop.',
  ).returns<PlanCheck>(),
  'deploy.disruptions': call(
    z.object({ profileId, options: runOptions.optional(), only: selection.only, nodes: selection.nodes }).strict(),
    'The serving nodes a run with this selection would stop (reinstall), with the expected downtime of each: what deploy.start and deploy.resume ask consent for.',
  ).returns<Disruption[]>(),
  'deploy.start': call(
    z
      .object({
        profileId,
        options: runOptions.default({}),
        /** `existingDatabase: reset` drops a live database: the caller must repeat the database host here. */
        confirmReset: z.string().max(255).optional(),
        confirmDisruption,
        ...selection,
      })
      .strict(),
    'Starts a new run in the background; answers its id.',
  ).returns<{ runId: string }>(),
  'deploy.resume': call(
    z
      .object({ runId, options: runOptions.default({}), confirmReset: z.string().max(255).optional(), confirmDisruption, ...selection })
      .strict(),
    'Continues a run (after a restart, a dropped connection, or to retry failed nodes or a step) with the same journal.',
  ).returns<{ runId: string }>(),
  'deploy.cancel': call(z.object({ runId }).strict(), 'Stops a running run after the commands in flight.').returns<{
    cancelled: boolean;
  }>(),
  'deploy.runs': call(
    z.object({ profileId, operation: operationId.default('deploy') }).strict(),
    'Runs of one operation (deployments by default) on a profile, newest first.',
  ).returns<RunView[]>(),
  'deploy.run': call(z.object({ runId }).strict(), 'One run with its log.').returns<{ run: RunView; log: LogLine[] }>(),
  'deploy.events': stream(
    z.object({ runId }).strict(),
    'A snapshot of the run, then every change, log line and progress report.',
  ).emits<RunEvent>(),
} as const;
