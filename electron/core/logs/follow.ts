/**
 * Following Harbor's logs live: per node one exec channel on its shared connection running `tail -n 0 -F` of the
 * files there, its lines masked, parsed, filtered and sent in batches. Flow control as the terminals have it
 * (terminal/output.ts, terminal/window.ts): every line sent counts until the client acknowledges it; above
 * HIGH_WATERMARK the channels are paused and their SSH windows not re-granted, so the nodes stop sending; below
 * LOW_WATERMARK they resume. Nothing is dropped, and what the core holds stays bounded.
 */
import type { ClientChannel } from 'ssh2';
import type { LogFilter, LogFollowEvent, LogLine } from '../../../shared/api/contracts/logs';
import { L, type Localized } from '../../../shared/i18n/localized';
import type { AuditLog } from '../audit';
import type { Redactor } from '../log';
import { stopChannel } from '../ssh/exec';
import type { SshPool } from '../ssh/pool';
import { commandLine } from '../ssh/quote';
import { controlWindow, type WindowControl } from '../terminal/window';
import { toApiError } from '../transfer/errors';
import { lineFilter } from './merge';
import { parseLine, type ParseContext } from './parse';
import { listLogFiles, type NodeRunner } from './remote';

export const HIGH_WATERMARK = 20_000;
export const LOW_WATERMARK = 10_000;
/** Lines are gathered this long before a batch is sent, so a flood becomes a few messages. */
export const BATCH_MS = 50;
/** A line longer than this (a node writing without newlines) is cut, so the core's buffer stays bounded. */
const MAX_LINE_CHARS = 64 * 1024;
/** `tail -F` with several files says which one the next lines are from. */
const HEADER = /^==> \/var\/log\/harbor\/([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\.log <==$/;

export interface FollowSink {
  next(event: LogFollowEvent): void;
  end(): void;
}

export interface FollowOptions {
  readonly pool: Pick<SshPool, 'run' | 'shared'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly redactor: Pick<Redactor, 'redact'>;
  readonly now: () => number;
  readonly profileId: string;
  readonly nodeIds: readonly string[];
  readonly filter: LogFilter;
  readonly sink: FollowSink;
}

interface Tail {
  channel?: ClientChannel;
  window?: WindowControl;
}

export class LogFollower {
  readonly #tails = new Map<string, Tail>();
  readonly #keep: (l: LogLine) => boolean;
  #pending: LogLine[] = [];
  #timer: NodeJS.Timeout | null = null;
  #unacked = 0;
  #paused = false;
  #stopped = false;
  #seq = 0;

  constructor(private readonly o: FollowOptions) {
    this.#keep = lineFilter(o.filter);
  }

  start(): void {
    const nodes = this.o.filter.nodeIds?.length ? this.o.nodeIds.filter((n) => this.o.filter.nodeIds!.includes(n)) : this.o.nodeIds;
    for (const nodeId of nodes) void this.#tail(nodeId);
  }

  async #tail(nodeId: string): Promise<void> {
    const tail: Tail = {};
    this.#tails.set(nodeId, tail);
    const ended = (message?: Localized): void => {
      if (!this.#stopped) this.o.sink.next({ type: 'state', node: nodeId, state: 'ended', ...(message ? { message } : {}) });
    };
    try {
      const run: NodeRunner = (argv, opts) => this.o.pool.run(this.o.profileId, nodeId, argv, { ...opts, auditOutput: false });
      const files = (await listLogFiles(run, nodeId)).filter(
        (f) => !this.o.filter.components?.length || this.o.filter.components.includes(f.component),
      );
      if (this.#stopped) return;
      if (files.length === 0) return ended(L('no Harbor log files on this node', '该节点没有 Harbor 日志文件'));
      const connection = await this.o.pool.shared(this.o.profileId, nodeId);
      // -n 0: only what is written from now on (what was there is read with logs.read); -F: across rotation.
      const argv = ['tail', '-n', '0', '-F', '--', ...files.map((f) => f.path)];
      const started = Date.now();
      const contexts = new Map<string, ParseContext>();
      // With one file tail prints no header: its lines are that file's.
      let component = files.length === 1 ? files[0]!.component : '';
      let partial = '';
      connection.client.exec(commandLine(argv), (error, channel) => {
        if (error) return ended(toApiError(error, nodeId).localized);
        if (this.#stopped) return stopChannel(channel);
        tail.channel = channel;
        tail.window = controlWindow(channel);
        if (this.#paused) this.#pauseTail(tail);
        this.o.sink.next({ type: 'state', node: nodeId, state: 'following' });
        let code: number | null = null;
        channel.on('exit', (c: number | null) => (code = c));
        channel.stderr.on('data', () => undefined);
        channel.on('data', (d: Buffer) => {
          tail.window?.consumed(d.length);
          const parts = (partial + d.toString('utf8')).split('\n');
          partial = parts.pop()!.slice(-MAX_LINE_CHARS);
          for (const raw of parts) {
            const header = HEADER.exec(raw);
            if (header) {
              component = header[1]!;
              continue;
            }
            if (raw === '' || !component) continue;
            let ctx = contexts.get(component);
            if (!ctx) contexts.set(component, (ctx = { node: nodeId, component, now: this.o.now(), previousTime: this.o.now() }));
            const line = parseLine(this.o.redactor.redact(raw), ctx);
            if (this.#keep(line)) this.#queue(line);
          }
        });
        channel.on('close', () => {
          this.o.audit.record({
            time: new Date(started).toISOString(),
            profileId: this.o.profileId,
            node: connection.target.label,
            command: commandLine(argv),
            exitCode: code,
            durationMs: Date.now() - started,
            purpose: 'logs: follow',
          });
          ended();
        });
      });
    } catch (error) {
      ended(toApiError(error, nodeId).localized);
    }
  }

  #queue(line: LogLine): void {
    this.#pending.push(line);
    this.#unacked++;
    if (!this.#paused && this.#unacked >= HIGH_WATERMARK) {
      this.#paused = true;
      for (const t of this.#tails.values()) this.#pauseTail(t);
    }
    this.#timer ??= setTimeout(() => this.#flush(), BATCH_MS);
  }

  #flush(): void {
    this.#timer = null;
    if (this.#stopped || this.#pending.length === 0) return;
    const lines = this.#pending;
    this.#pending = [];
    this.o.sink.next({ type: 'lines', seq: ++this.#seq, lines });
  }

  #pauseTail(t: Tail): void {
    t.channel?.pause();
    t.window?.pause();
  }

  ack(lines: number): void {
    this.#unacked = Math.max(0, this.#unacked - lines);
    if (this.#paused && this.#unacked <= LOW_WATERMARK) {
      this.#paused = false;
      for (const t of this.#tails.values()) {
        t.channel?.resume();
        t.window?.resume();
      }
    }
  }

  /** Whether flow control holds the channels now. */
  get paused(): boolean {
    return this.#paused;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const t of this.#tails.values()) if (t.channel) stopChannel(t.channel);
    this.o.sink.end();
  }
}
