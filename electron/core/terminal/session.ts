/**
 * One terminal session: an ssh2 shell channel with a PTY, on a connection of its own.
 *
 * Output: bytes are decoded (streaming, per charset) and handed to SessionOutput (output.ts), which
 * writes the transcript, batches the messages and applies flow control to the channel.
 *
 * Connection: a dropped connection (not an exit of the shell) is re-opened automatically with
 * back-off, with the state visible as `reconnecting`; `reconnect()` does it on request.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ClientChannel } from 'ssh2';
import type {
  TerminalCharset,
  TerminalEvent,
  TerminalSessionInfo,
  TerminalSessionSummary,
  TerminalState,
} from '../../../shared/api/contracts/terminal';
import type { Localized } from '../../../shared/i18n/localized';
import type { Redactor } from '../log';
import type { SshConnection } from '../ssh/connect';
import { SshError, classify } from '../ssh/errors';
import { createDecoder, encodeInput, type StreamDecoder } from './charset';
import { SessionOutput, type OutputSink, type SessionStats } from './output';
import { Transcript } from './transcript';
import { controlWindow, type WindowControl } from './window';

export {
  BATCH_MS,
  HIGH_WATERMARK,
  LOW_WATERMARK,
  MAX_BATCH,
  REPLAY_CHARS,
  TRANSCRIPT_BACKLOG,
  type OutputSink,
  type SessionStats,
} from './output';

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 10_000];
const MAX_RECONNECT_ATTEMPTS = 30;

export interface SessionOptions {
  readonly profileId: string;
  readonly nodeId: string;
  readonly cols: number;
  readonly rows: number;
  readonly charset: TerminalCharset;
  /** Write the masked transcript from the start (default on). */
  readonly logging?: boolean;
  /** Opens a new connection to the node (SshPool.open). */
  readonly connect: () => Promise<SshConnection>;
  readonly redactor: Redactor;
  readonly transcriptDir: string;
  readonly onClosed?: (session: TerminalSession) => void;
}

const STATE_TEXT: Record<'reconnecting' | 'closed' | 'exited', Localized> = {
  reconnecting: { en: 'The connection was lost; reconnecting…', 'zh-CN': '连接已断开，正在重连…' },
  closed: { en: 'The session is closed.', 'zh-CN': '会话已关闭。' },
  exited: { en: 'The shell exited. Reconnect to open a new one.', 'zh-CN': 'Shell 已退出。可重新连接以打开新的 Shell。' },
};

export class TerminalSession {
  readonly id = `t${randomBytes(8).toString('hex')}`;
  readonly createdAt = new Date().toISOString();
  readonly stats: SessionStats = { receivedBytes: 0, emittedChars: 0, batches: 0, pauses: 0, resumes: 0, maxUnacked: 0 };
  readonly transcript: Transcript;
  label: string;
  cols: number;
  rows: number;
  state: TerminalState = 'connecting';

  #conn: SshConnection | null = null;
  #channel: ClientChannel | null = null;
  #window: WindowControl | null = null;
  /** Which connection is current; events of an older one are ignored. */
  #generation = 0;
  #decoder: StreamDecoder;
  readonly #output: SessionOutput;
  #closed = false;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #lastState: { state: TerminalState; message?: Localized; attempt?: number } = { state: 'connecting' };
  /** Bytes typed into the channel, for the session's summary. */
  #sentBytes = 0;
  /** Logging was on at some point (the summary tells "partly" from "off"). */
  #everLogged: boolean;
  /** Whether a shell ever opened: a session that never connected leaves no summary. */
  #connectedOnce = false;

  constructor(private readonly options: SessionOptions) {
    this.cols = options.cols;
    this.rows = options.rows;
    this.label = options.nodeId;
    this.#decoder = createDecoder(options.charset);
    const stamp = this.createdAt.replace(/[:.]/g, '-');
    this.transcript = new Transcript(
      join(options.transcriptDir, `${stamp}-${options.profileId}-${options.nodeId}-${this.id}.log`),
      options.transcriptDir,
      options.redactor,
      options.logging ?? true,
    );
    this.#everLogged = options.logging ?? true;
    this.#output = new SessionOutput(this.transcript, this.stats, {
      pause: () => {
        this.#channel?.pause();
        this.#window?.pause();
      },
      resume: () => {
        this.#channel?.resume();
        this.#window?.resume();
      },
    });
  }

  get profileId(): string {
    return this.options.profileId;
  }
  get nodeId(): string {
    return this.options.nodeId;
  }
  get charset(): TerminalCharset {
    return this.options.charset;
  }
  /** Characters queued or sent and not yet acknowledged. */
  get unacked(): number {
    return this.#output.unacked;
  }
  get paused(): boolean {
    return this.#output.paused;
  }
  /** Whether the SSH window of the current channel follows flow control (see window.ts). */
  get windowControlled(): boolean {
    return this.#window?.active ?? false;
  }

  info(): TerminalSessionInfo {
    return {
      sessionId: this.id,
      profileId: this.profileId,
      nodeId: this.nodeId,
      label: this.label,
      charset: this.charset,
      cols: this.cols,
      rows: this.rows,
      state: this.state,
      createdAt: this.createdAt,
      transcript: this.transcript.path,
      logging: this.transcript.enabled,
    };
  }

  /** The masked transcript on or off from now on. */
  setLogging(on: boolean): this {
    this.transcript.setEnabled(on);
    if (on) this.#everLogged = true;
    return this;
  }

  /** What the Activity log keeps of the session once it has ended (null when no shell ever opened). */
  summary(endedAt: string): TerminalSessionSummary | null {
    if (!this.#connectedOnce) return null;
    return {
      sessionId: this.id,
      startedAt: this.createdAt,
      endedAt,
      receivedBytes: this.stats.receivedBytes,
      sentBytes: this.#sentBytes,
      logged: !this.#everLogged ? 'off' : this.transcript.whole ? 'whole' : 'partly',
      ...(this.transcript.exists ? { transcript: this.transcript.path } : {}),
    };
  }

  /** Connects and opens the shell; rejects with the SSH cause (the session is then closed). */
  async start(): Promise<void> {
    try {
      await this.#connect();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  // ---- connection ----

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    const conn = await this.options.connect();
    if (this.#closed || generation !== this.#generation) {
      conn.close();
      throw new SshError('disconnected', this.label);
    }
    this.label = conn.target.label;
    let channel: ClientChannel;
    try {
      channel = await new Promise<ClientChannel>((resolve, reject) => {
        conn.client.shell({ term: 'xterm-256color', cols: this.cols, rows: this.rows, width: 0, height: 0 }, (error, ch) =>
          error ? reject(error) : resolve(ch),
        );
      });
    } catch (error) {
      conn.close();
      throw classify(error, this.label);
    }
    if (this.#closed || generation !== this.#generation) {
      conn.close();
      throw new SshError('disconnected', this.label);
    }
    this.#conn = conn;
    this.#channel = channel;
    this.#window = controlWindow(channel);
    const window = this.#window;
    this.#decoder = createDecoder(this.charset);
    this.#output.sourceChanged();

    let exited = false;
    const onData = (chunk: Buffer) => {
      if (generation !== this.#generation) return;
      this.#onBytes(chunk);
      window.consumed(chunk.length);
    };
    channel.on('data', onData);
    channel.stderr.on('data', onData);
    channel.on('exit', (code: number | null, signal?: string) => {
      exited = true;
      if (generation !== this.#generation) return;
      this.#emit({ kind: 'exit', code: typeof code === 'number' ? code : null, ...(signal ? { signal } : {}) });
    });
    channel.on('close', () => {
      if (generation !== this.#generation || this.#closed) return;
      if (exited) {
        this.#flushDecoder();
        this.transcript.note('shell exited');
        this.#detach();
        conn.close();
        this.#setState('closed', STATE_TEXT.exited);
      } else this.#lost(generation);
    });
    conn.client.on('close', () => {
      if (generation === this.#generation && !this.#closed && !exited) this.#lost(generation);
    });
    conn.client.on('error', () => undefined);
    this.#connectedOnce = true;
    this.#setState('connected');
  }

  #detach(): void {
    this.#generation++;
    this.#channel = null;
    this.#window = null;
    const conn = this.#conn;
    this.#conn = null;
    conn?.close();
  }

  #flushDecoder(): void {
    const rest = this.#decoder.end();
    if (rest) this.#output.write(rest);
  }

  /** The connection dropped: reconnect with back-off until it works, a host key problem, or the limit. */
  #lost(generation: number): void {
    if (generation !== this.#generation) return;
    this.#flushDecoder();
    this.#detach();
    this.transcript.note('connection lost');
    this.#scheduleReconnect(1);
  }

  #scheduleReconnect(attempt: number): void {
    if (this.#closed) return;
    this.#setState('reconnecting', STATE_TEXT.reconnecting, attempt);
    const delay = RECONNECT_DELAYS_MS[Math.min(attempt - 1, RECONNECT_DELAYS_MS.length - 1)]!;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connect().then(
        () => this.transcript.note('reconnected'),
        (error: unknown) => {
          if (this.#closed) return;
          const e = classify(error, this.label);
          const hopeless = e.code.startsWith('host_key') || e.code === 'auth' || e.code === 'key_file' || e.code === 'agent';
          if (hopeless || attempt >= MAX_RECONNECT_ATTEMPTS) this.#setState('closed', e.localized);
          else this.#scheduleReconnect(attempt + 1);
        },
      );
    }, delay);
    this.#reconnectTimer.unref?.();
  }

  /** Closes the current connection (if any) and opens a new shell. */
  async reconnect(): Promise<void> {
    if (this.#closed) throw new SshError('disconnected', this.label);
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    if (this.#conn) this.#flushDecoder();
    this.#detach();
    this.#setState('connecting');
    try {
      await this.#connect();
      this.transcript.note('reconnected');
    } catch (error) {
      const e = classify(error, this.label);
      if (!this.#closed) this.#setState('closed', e.localized);
      throw e;
    }
  }

  // ---- output ----

  #onBytes(chunk: Buffer): void {
    this.stats.receivedBytes += chunk.length;
    const text = this.#decoder.write(chunk);
    if (text) this.#output.write(text);
  }

  /** The client wrote `chars` more characters. */
  ack(chars: number): void {
    this.#output.ack(chars);
  }

  #emit(event: TerminalEvent): void {
    this.#output.emit(event);
  }

  #setState(state: TerminalState, message?: Localized, attempt?: number): void {
    this.state = state;
    this.#lastState = { state, ...(message ? { message } : {}), ...(attempt ? { attempt } : {}) };
    this.#emit({ kind: 'state', ...this.#lastState });
  }

  /** Delivers output to `sink` from now on, starting with the recent output and the current state (see SessionOutput). */
  subscribe(sink: OutputSink): () => void {
    return this.#output.subscribe(sink, { kind: 'state', ...this.#lastState });
  }

  // ---- input ----

  /** Sends keystrokes or pasted text; false when there is no shell to receive them. */
  write(text: string): boolean {
    const channel = this.#channel;
    if (!channel || this.state !== 'connected') return false;
    const bytes = encodeInput(this.charset, text);
    this.#sentBytes += bytes.length;
    channel.write(bytes);
    return true;
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.#channel?.setWindow(rows, cols, 0, 0);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    if (this.#conn) this.#flushDecoder();
    this.#output.flush();
    this.#setState('closed', STATE_TEXT.closed);
    this.#closed = true;
    this.#detach();
    this.#output.end();
    await this.transcript.close();
    this.options.onClosed?.(this);
  }

  get closed(): boolean {
    return this.#closed;
  }
}
