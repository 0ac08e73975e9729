/**
 * Samples one node while anyone watches it: one command every interval over the node's kept command connection (the
 * pool's shared one, host key verified as for every command), the history of the session kept in a ring. The
 * command is recorded in the audit log once each time sampling starts, with its interval: a line every 3 s per
 * node would drown the commands people ran.
 */
import type { MetricsEvent, MetricsSample } from '../../../shared/api/contracts/metrics';
import { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import type { AuditLog } from '../audit';
import { L } from '../health/checks/common';
import type { NodeKind } from '../health/kind';
import { SshError } from '../ssh/errors';
import { execArgv } from '../ssh/exec';
import type { SshPool } from '../ssh/pool';
import { commandLine } from '../ssh/quote';
import { nodeLabel } from '../ssh/targets';
import { metricsArgv, sections } from './command';
import { readSections, type Readings } from './readings';
import { makeSample } from './sample';

export interface SamplerOptions {
  readonly pool: Pick<SshPool, 'shared'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly kind: NodeKind;
  /** The stored profile; throws not_found for an unknown id. */
  readonly profile: (profileId: string) => Profile;
  readonly intervalMs: number;
  readonly historyMs: number;
}

interface Setup {
  readonly profile: Profile;
  readonly label: string;
  readonly argv: readonly string[];
}

export type MetricsListener = (event: MetricsEvent) => void;

/** The output of a sample is a few kilobytes; more is not a node's counters. */
const MAX_OUTPUT = 256 << 10;
/** After failed samples the interval doubles, up to this many times itself. */
export const BACKOFF_MAX = 20;

export class NodeSampler {
  readonly #listeners = new Set<MetricsListener>();
  readonly #history: MetricsSample[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort: AbortController | undefined;
  #before: { readings: Readings; at: number } | undefined;
  #audited = false;
  #failures = 0;
  #current: Setup | undefined;

  constructor(
    private readonly options: SamplerOptions,
    private readonly profileId: string,
    private readonly nodeId: string,
  ) {}

  /** What every sample of a start of sampling uses, read from the stored profile once (its edits apply at the next start). */
  #setup(): Setup {
    const profile = this.options.profile(this.profileId);
    const node = profile.nodes.find((n) => n.id === this.nodeId);
    const argv = metricsArgv(this.options.kind.containerList.argv, profile.options.dataVolume, this.options.kind.logFolder);
    return { profile, label: node ? nodeLabel(profile, node) : this.nodeId, argv };
  }

  /** Adds a watcher: it gets the history at once; the first one starts sampling. Returns its unsubscribe. */
  watch(listener: MetricsListener): () => void {
    const setup = this.#abort && this.#current ? this.#current : this.#setup();
    this.#listeners.add(listener);
    listener({ nodeId: this.nodeId, label: setup.label, intervalMs: this.options.intervalMs, samples: [...this.#history] });
    if (!this.#abort) this.#start(setup);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.stop();
    };
  }

  get sampling(): boolean {
    return this.#abort !== undefined;
  }

  stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // The next start measures rates afresh: a rate across the pause would be an average nobody asked for.
    this.#before = undefined;
  }

  #start(setup: Setup): void {
    const abort = new AbortController();
    this.#abort = abort;
    this.#current = setup;
    this.#audited = false;
    this.#failures = 0;
    void this.#tick(setup, abort.signal);
  }

  async #tick(setup: Setup, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    const event = await this.#sample(setup, signal);
    if (signal.aborted) return;
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A watcher whose transport went away meanwhile: the others still get the sample, the timer still runs.
      }
    }
    // A node that does not answer (or refuses the login) is asked less and less often, up to once a minute: every
    // 3 s would fill its auth log and could get this machine banned (fail2ban).
    this.#failures = event.error ? this.#failures + 1 : 0;
    const wait = this.options.intervalMs * Math.min(2 ** this.#failures, BACKOFF_MAX);
    this.#timer = setTimeout(() => void this.#tick(setup, signal), Math.max(0, wait - (Date.now() - started)));
  }

  async #sample({ profile, label, argv }: Setup, signal: AbortSignal): Promise<MetricsEvent> {
    const base = { nodeId: this.nodeId, label, intervalMs: this.options.intervalMs };
    try {
      const connection = await this.options.pool.shared(this.profileId, this.nodeId);
      const result = await execArgv(connection.ssh, argv, label, {
        signal,
        timeoutMs: Math.max(this.options.intervalMs * 3, 10_000),
        maxBuffer: MAX_OUTPUT,
      });
      if (!this.#audited) {
        this.#audited = true;
        this.options.audit.record({
          time: new Date(Date.now() - result.durationMs).toISOString(),
          profileId: this.profileId,
          node: label,
          command: commandLine(argv),
          exitCode: result.code,
          durationMs: Math.round(result.durationMs),
          purpose: `metrics: every ${this.options.intervalMs / 1000} s while watched`,
          origin: 'automatic',
        });
      }
      if (result.timedOut) throw new SshError('timeout', label);
      const at = Date.now();
      const readings = readSections(sections(result.stdout));
      const sample = makeSample(this.options.kind, profile, readings, this.#before?.readings, at, at - (this.#before?.at ?? at));
      this.#before = { readings, at };
      this.#remember(sample);
      return { ...base, samples: [sample] };
    } catch (error) {
      return { ...base, samples: [], error: describe(error) };
    }
  }

  #remember(sample: MetricsSample): void {
    this.#history.push(sample);
    const oldest = sample.at - this.options.historyMs;
    let drop = 0;
    while (drop < this.#history.length && this.#history[drop]!.at < oldest) drop++;
    if (drop) this.#history.splice(0, drop);
  }
}

function describe(error: unknown): Localized {
  if (error instanceof SshError) return error.localized;
  if (error instanceof ApiError) return error.localized;
  const text = error instanceof Error ? error.message : String(error);
  return L(`Sampling failed: ${text}`, `采样失败：${text}`);
}
