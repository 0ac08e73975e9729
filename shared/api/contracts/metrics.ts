/**
 * Live metrics of a node beside its terminal (docs/terminals.md, "Metrics"): CPU, memory, load, the disks of the data
 * volume and the log folder, network and each container's state, sampled every few seconds over the node's kept
 * connection with one command, judged with the topology's levels. The core keeps the session's history per node.
 */
import { z } from 'zod';
import type { Localized } from '../../i18n/localized';
import { stream } from '../define';
import { profileId } from './profiles';
import { nodeId } from './ssh';
import type { ContainerState, DiskUsage, Health } from './topology';

/** How often a watched node is sampled, and how much of the session is kept per node. */
export const METRICS = { intervalMs: 3_000, historyMs: 30 * 60_000 } as const;

export interface MetricsContainer extends ContainerState {
  /** How often the engine restarted it (`docker inspect`'s RestartCount); absent when the node did not tell. */
  readonly restarts?: number;
}

export interface MetricsProblem {
  readonly status: Exclude<Health, 'ok'>;
  readonly message: Localized;
}

export interface MetricsSample {
  /** When the node answered, ms since the epoch. */
  readonly at: number;
  /** The node judged with the topology's levels: the worst of its readings. */
  readonly status: Health;
  /** Busy share of all CPUs since the previous sample (absent for the first one). */
  readonly cpuPercent?: number;
  readonly memory?: { readonly totalBytes: number; readonly availableBytes: number; readonly usedPercent: number };
  readonly load?: { readonly one: number; readonly five: number; readonly fifteen: number; readonly cpus: number };
  readonly disks: readonly DiskUsage[];
  /** Bytes per second over every interface but loopback since the previous sample (absent for the first one). */
  readonly network?: { readonly rxBytesPerSecond: number; readonly txBytesPerSecond: number };
  readonly containers: readonly MetricsContainer[];
  /** Why the status is not ok, one line each, with the level of that reading. */
  readonly problems: readonly MetricsProblem[];
}

export interface MetricsEvent {
  readonly nodeId: string;
  readonly label: string;
  readonly intervalMs: number;
  /** The first event holds the session's history; each later one the new sample. */
  readonly samples: readonly MetricsSample[];
  /** The last sample failed (the node did not answer, the connection dropped): sampling goes on. */
  readonly error?: Localized;
}

export const metricsContract = {
  'metrics.watch': stream(
    z.object({ profileId, nodeId }).strict(),
    'Live metrics of a node: the history kept this session at once, then each new sample. The node is sampled every 3 s with one command over its kept connection while anyone watches (recorded once in the audit log when sampling starts).',
  ).emits<MetricsEvent>(),
} as const;
