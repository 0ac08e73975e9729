/**
 * The run journal: every step × node cell with its status, times, reason and error, persisted after
 * every change with an atomic write, so a run survives an app restart or a dropped connection and
 * resumes where it stopped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { operationId, type CellStatus, type OperationId } from '../../../shared/api/contracts/deploy';
import type { Localized } from '../../../shared/i18n/localized';
import { writeFileAtomic } from '../vault/atomic';

export type { CellStatus };

export interface Cell {
  status: CellStatus;
  startedAt?: string;
  finishedAt?: string;
  /** For unchanged/skipped/blocked: why. */
  reason?: Localized;
  error?: Localized;
  /** The profile field the error points at (ApiErrorData.field), for "Edit this field". */
  field?: string;
}

export const CLUSTER = '*';

export interface RunRequest {
  readonly only?: readonly string[];
  readonly nodes?: readonly string[];
  readonly skip?: readonly string[];
  readonly resumed?: boolean;
}

export interface Journal {
  readonly runId: string;
  readonly profileId: string;
  /** What the run does; journals written before day-two operations existed are deployments. */
  readonly operation?: OperationId;
  readonly createdAt: string;
  updatedAt: string;
  state: 'running' | 'finished' | 'failed' | 'interrupted';
  /** Steps in plan order. */
  readonly steps: readonly string[];
  /** What the operator asked for when the run was started or last resumed (a run may be one step, or a retry). */
  request?: RunRequest;
  /** stepId → nodeId (or `*` for cluster steps) → cell. */
  readonly cells: Record<string, Record<string, Cell>>;
}

const localized = z.object({ en: z.string(), 'zh-CN': z.string() });
const cell = z.object({
  status: z.enum(['pending', 'running', 'succeeded', 'unchanged', 'passed', 'failed', 'skipped', 'blocked', 'interrupted']),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  reason: localized.optional(),
  error: localized.optional(),
  field: z.string().optional(),
});
const journalSchema = z.object({
  runId: z.string(),
  profileId: z.string(),
  operation: operationId.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: z.enum(['running', 'finished', 'failed', 'interrupted']),
  steps: z.array(z.string()),
  request: z
    .object({
      only: z.array(z.string()).optional(),
      nodes: z.array(z.string()).optional(),
      skip: z.array(z.string()).optional(),
      resumed: z.boolean().optional(),
    })
    .optional(),
  cells: z.record(z.string(), z.record(z.string(), cell)),
});

/** The operation of a journal (absent: a deployment). */
export const operationOf = (j: Pick<Journal, 'operation'>): OperationId => j.operation ?? 'deploy';

export class JournalStore {
  /** `mask` runs over every text before it is written (secrets in an error message never reach the file). */
  constructor(
    readonly dir: string,
    private readonly mask: (text: string) => string = (t) => t,
  ) {}

  #file(runId: string) {
    return join(this.dir, `${runId}.json`);
  }

  /** Persists the journal (atomically); serialised so concurrent cells never interleave writes. */
  #queue: Promise<void> = Promise.resolve();
  save(journal: Journal): Promise<void> {
    journal.updatedAt = new Date().toISOString();
    const text = JSON.stringify(journal, (_key, value: unknown) => (typeof value === 'string' ? this.mask(value) : value), 1);
    const write = this.#queue.then(() => writeFileAtomic(this.#file(journal.runId), text));
    this.#queue = write.catch(() => undefined);
    return write;
  }

  load(runId: string): Journal {
    return journalSchema.parse(JSON.parse(readFileSync(this.#file(runId), 'utf8')));
  }

  /** Run ids, newest first (ids start with a timestamp). */
  list(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .sort()
        .reverse();
    } catch {
      return [];
    }
  }
}
