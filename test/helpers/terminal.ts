/** A terminal client over a core's dispatcher, as the renderer uses it: subscribe, write, ack. */
import type { TerminalEvent, TerminalSessionInfo, TerminalState } from '../../shared/api/contracts/terminal';
import { ApiError } from '../../shared/errors';
import type { Core } from '../../electron/core/core';

export function caller(core: Pick<Core, 'dispatcher'>) {
  return <T>(name: string, input: unknown) =>
    core.dispatcher.call(name, input, { transport: 'websocket' }).then((env) => {
      if (!env.ok) throw ApiError.from(env.error);
      return env.value as T;
    });
}

export interface ClientOptions {
  /**
   * A slow client: it takes this many ms per batch, one batch after the other (0: acknowledges at
   * once, as xterm's write callback would on an idle page).
   */
  readonly ackDelayMs?: number;
  /** Keep all the text (false for floods: only the last 4 KiB). */
  readonly keep?: boolean;
  readonly onData?: (data: string) => void;
}

let subs = 0;

export class TerminalClient {
  text = '';
  chars = 0;
  acked = 0;
  maxUnacked = 0;
  states: TerminalState[] = [];
  exits: { code: number | null }[] = [];
  ended = false;
  #stop: () => void = () => undefined;
  #waiters: (() => void)[] = [];
  readonly call: ReturnType<typeof caller>;

  private constructor(
    private readonly core: Pick<Core, 'dispatcher'>,
    readonly info: TerminalSessionInfo,
    private readonly options: ClientOptions,
  ) {
    this.call = caller(core);
  }

  static async open(core: Pick<Core, 'dispatcher'>, input: Record<string, unknown>, options: ClientOptions = {}): Promise<TerminalClient> {
    const info = await caller(core)<TerminalSessionInfo>('terminal.open', { cols: 120, rows: 40, ...input });
    const client = new TerminalClient(core, info, options);
    client.attach();
    return client;
  }

  /** A second client for a session that is already open (the page re-opened). */
  static reattach(core: Pick<Core, 'dispatcher'>, info: TerminalSessionInfo, options: ClientOptions = {}): TerminalClient {
    const client = new TerminalClient(core, info, options);
    client.attach();
    return client;
  }

  get id(): string {
    return this.info.sessionId;
  }

  attach(): void {
    const { envelope, stop } = this.core.dispatcher.subscribe(
      `sub${++subs}`,
      'terminal.output',
      { sessionId: this.id },
      (message) => {
        if (message.kind === 'data') this.#event(message.payload as TerminalEvent);
        else this.ended = true;
        this.#wake();
      },
      { transport: 'websocket' },
    );
    if (!envelope.ok) throw ApiError.from(envelope.error);
    this.#stop = stop;
  }

  #busyUntil = 0;

  #event(e: TerminalEvent): void {
    if (e.kind === 'state') this.states.push(e.state);
    else if (e.kind === 'exit') this.exits.push({ code: e.code });
    else {
      this.chars += e.data.length;
      this.text = this.options.keep === false ? (this.text + e.data).slice(-4096) : this.text + e.data;
      this.options.onData?.(e.data);
      const unacked = this.chars - this.acked;
      if (unacked > this.maxUnacked) this.maxUnacked = unacked;
      const n = e.data.length;
      const ack = () => {
        this.acked += n;
        void this.call('terminal.ack', { sessionId: this.id, chars: n }).catch(() => undefined);
      };
      const delay = this.options.ackDelayMs ?? 0;
      if (delay > 0) {
        // Busy until the batches before this one are done, then this one takes `delay`.
        const now = performance.now();
        this.#busyUntil = Math.max(this.#busyUntil, now) + delay;
        setTimeout(ack, this.#busyUntil - now);
      } else ack();
    }
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `test()` holds, checked after every event. */
  async until(test: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; output tail: ${JSON.stringify(this.text.slice(-400))}; states ${this.states.join(',')}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitFor(pattern: RegExp | string, timeoutMs?: number, from = 0): Promise<void> {
    const test = () => (typeof pattern === 'string' ? this.text.indexOf(pattern, from) >= 0 : pattern.test(this.text.slice(from)));
    return this.until(test, timeoutMs, String(pattern));
  }

  send(data: string): Promise<{ delivered: string[] }> {
    return this.call('terminal.input', { sessionIds: [this.id], data });
  }

  /** Runs a command line and waits for a marker printed after it; answers the output between. */
  async run(command: string, timeoutMs = 15_000): Promise<string> {
    const marker = `__done_${Math.random().toString(36).slice(2, 8)}`;
    const from = this.text.length;
    // The marker is built by the shell, so the echoed command line does not match it.
    await this.send(`${command}; echo "${marker.slice(0, 4)}""${marker.slice(4)}"\r`);
    await this.waitFor(`${marker}\r\n`, timeoutMs, from);
    const out = this.text.slice(from);
    // Output starts after the line that echoes the command (found by the quoted half of the marker,
    // which only an echo has); a prompt may or may not come before it. Typed ahead of the prompt, the
    // line is echoed twice (by the tty, then by readline with the prompt), so take the last echo.
    const end = out.indexOf(marker + '\r\n');
    const start = out.indexOf('\r\n', out.lastIndexOf(`"${marker.slice(4)}"`, end));
    return (
      out
        .slice(start + 2, end)
        // eslint-disable-next-line no-control-regex -- removes the terminal's ESC [ … sequences
        .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
        .replace(/\r/g, '')
    );
  }

  detach(): void {
    this.#stop();
  }

  close(): Promise<unknown> {
    this.#stop();
    return this.call('terminal.close', { sessionId: this.id }).catch(() => undefined);
  }
}
