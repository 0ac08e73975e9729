/**
 * One terminal tab outside React: the xterm.js instance, its addons, and the session in the core.
 * Output is written with `term.write(data, callback)` and acknowledged from the callback (gathered,
 * see terminal-acks.ts), so the core's flow control follows what xterm has really parsed. Shown terminals render with WebGL
 * (falling back to the DOM renderer if the GPU context is unavailable or lost); hidden ones use
 * the DOM renderer. Rows and columns follow the host element's size (fit addon and a
 * ResizeObserver), and the remote PTY follows them.
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import type { ApiClient } from '../../../shared/api/client';
import { gatherAcks } from '../../../shared/api/terminal-acks';
import {
  MAX_TERMINAL_INPUT,
  type TerminalCharset,
  type TerminalEvent,
  type TerminalSessionInfo,
  type TerminalState,
} from '../../../shared/api/contracts/terminal';
import type { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { keyCommand } from './shortcuts';

/** The terminals' background, also the pane's around them. */
export const TERMINAL_BACKGROUND = '#141414';

export type TabState = TerminalState | 'idle' | 'failed';

export interface TabStatus {
  readonly state: TabState;
  readonly attempt?: number;
  readonly message?: Localized;
  readonly exitCode?: number | null;
}

export interface ControllerHooks {
  /** Where keystrokes go: this session alone, or the broadcast targets. */
  targets(self: string): readonly string[];
  onStatus(status: TabStatus): void;
  onSession(info: TerminalSessionInfo): void;
  /** The core refused to open the shell (host key, vault cancelled, network): the page decides. */
  onOpenError(error: ApiError | Error): void;
}

export class TerminalController {
  readonly term: Terminal;
  readonly fit = new FitAddon();
  readonly search = new SearchAddon();
  #webgl: WebglAddon | null = null;
  #session: TerminalSessionInfo | null = null;
  #unsubscribe: (() => void) | null = null;
  #resizeTimer: ReturnType<typeof setTimeout> | null = null;
  #observer: ResizeObserver | null = null;
  #disposed = false;
  #element: HTMLElement | null = null;
  #opening = false;

  constructor(
    private readonly api: ApiClient,
    readonly profileId: string,
    readonly nodeId: string,
    readonly charset: TerminalCharset,
    private readonly hooks: ControllerHooks,
  ) {
    this.term = new Terminal({
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "Noto Sans Mono CJK SC", monospace',
      fontSize: 13,
      scrollback: 10_000,
      cursorBlink: true,
      allowProposedApi: true,
      theme: { background: TERMINAL_BACKGROUND, foreground: '#d9d9d9' },
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(
      new WebLinksAddon((event, uri) => {
        event.preventDefault();
        window.open(uri, '_blank', 'noopener,noreferrer');
      }),
    );
    this.term.onData((data) => this.send(data));
    this.term.onBinary((data) => this.send(data));
    this.term.onResize(({ cols, rows }) => this.#scheduleResize(cols, rows));
    // The page's shortcuts never reach the shell. Copy and paste act on this terminal; the others bubble to the
    // page's key listener (xterm.js does not stop the event), which also hears them from outside a terminal.
    this.term.attachCustomKeyEventHandler((e) => {
      const command = keyCommand(e);
      if (command === 'copy') void this.copy();
      if (command === 'paste') void this.pasteFromClipboard();
      if (command) e.preventDefault();
      return !command;
    });
  }

  get session(): TerminalSessionInfo | null {
    return this.#session;
  }

  /** Puts the terminal into `element` (once) and keeps it fitted to the element's size. */
  mount(element: HTMLElement): void {
    if (this.#element === element) return;
    this.#element = element;
    this.term.open(element);
    this.#fit();
    this.#observer = new ResizeObserver(() => this.#fit());
    this.#observer.observe(element);
  }

  #fit(): void {
    if (!this.#element || this.#element.offsetWidth === 0 || this.#element.offsetHeight === 0) return;
    try {
      this.fit.fit();
    } catch {
      // Not laid out yet.
    }
  }

  /** Visible tabs render with WebGL; hidden ones drop it (the DOM renderer takes over). */
  setVisible(visible: boolean): void {
    if (visible) {
      this.#fit();
      if (!this.#webgl && this.#element) {
        try {
          const webgl = new WebglAddon();
          webgl.onContextLoss(() => {
            webgl.dispose();
            if (this.#webgl === webgl) this.#webgl = null;
          });
          this.term.loadAddon(webgl);
          this.#webgl = webgl;
        } catch {
          this.#webgl = null;
        }
      }
    } else if (this.#webgl) {
      this.#webgl.dispose();
      this.#webgl = null;
    }
  }

  focus(): void {
    this.term.focus();
  }

  get renderer(): 'webgl' | 'dom' {
    return this.#webgl ? 'webgl' : 'dom';
  }

  /** Opens a shell in the core (or re-attaches to `existing`) and streams it into the terminal. */
  async open(existing?: TerminalSessionInfo): Promise<void> {
    if (this.#opening || this.#disposed) return;
    this.#opening = true;
    try {
      let info = existing;
      if (!info) {
        this.hooks.onStatus({ state: 'connecting' });
        try {
          info = await this.api.call('terminal.open', {
            profileId: this.profileId,
            nodeId: this.nodeId,
            cols: Math.max(2, this.term.cols),
            rows: Math.max(1, this.term.rows),
            charset: this.charset,
          });
        } catch (error) {
          this.hooks.onStatus({ state: 'failed' });
          this.hooks.onOpenError(error as ApiError);
          return;
        }
      }
      if (this.#disposed) {
        if (!existing) void this.api.call('terminal.close', { sessionId: info.sessionId }).catch(() => undefined);
        return;
      }
      this.#session = info;
      this.hooks.onSession(info);
      await this.#subscribe(info.sessionId);
      if (this.term.cols !== info.cols || this.term.rows !== info.rows) this.#scheduleResize(this.term.cols, this.term.rows);
    } finally {
      this.#opening = false;
    }
  }

  async #subscribe(sessionId: string): Promise<void> {
    this.#unsubscribe?.();
    const ack = gatherAcks((chars) => void this.api.call('terminal.ack', { sessionId, chars }).catch(() => undefined));
    this.#unsubscribe = await this.api.subscribe(
      'terminal.output',
      { sessionId },
      {
        next: (event) => this.#onEvent(event, ack),
        error: () => this.hooks.onStatus({ state: 'closed' }),
        complete: () => undefined,
      },
    );
  }

  #onEvent(event: TerminalEvent, ack: (chars: number) => void): void {
    if (event.kind === 'data') {
      const chars = event.data.length;
      this.term.write(event.data, () => ack(chars));
    } else if (event.kind === 'state') {
      this.hooks.onStatus({
        state: event.state,
        ...(event.attempt ? { attempt: event.attempt } : {}),
        ...(event.message ? { message: event.message } : {}),
      });
    } else {
      this.hooks.onStatus({ state: 'closed', exitCode: event.code });
    }
  }

  /** Keystrokes or pasted text, to this session or the broadcast targets, in pieces the core accepts. */
  send(data: string): void {
    const self = this.#session?.sessionId;
    if (!self) return;
    const sessionIds = [...this.hooks.targets(self)];
    let i = 0;
    while (i < data.length) {
      let end = Math.min(data.length, i + MAX_TERMINAL_INPUT);
      // Never split a surrogate pair between two calls.
      const last = data.charCodeAt(end - 1);
      if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--;
      void this.api.call('terminal.input', { sessionIds, data: data.slice(i, end) }).catch(() => undefined);
      i = end;
    }
  }

  #scheduleResize(cols: number, rows: number): void {
    const id = this.#session?.sessionId;
    if (!id) return;
    if (this.#resizeTimer) clearTimeout(this.#resizeTimer);
    this.#resizeTimer = setTimeout(() => {
      void this.api.call('terminal.resize', { sessionId: id, cols: Math.max(2, cols), rows: Math.max(1, rows) }).catch(() => undefined);
    }, 60);
  }

  async reconnect(): Promise<void> {
    const id = this.#session?.sessionId;
    if (!id) return this.open();
    this.hooks.onStatus({ state: 'connecting' });
    try {
      await this.api.call('terminal.reconnect', { sessionId: id });
    } catch (error) {
      // The session may be gone (closed elsewhere): open a new one.
      if ((error as ApiError).code === 'not_found') {
        this.#session = null;
        return this.open();
      }
      this.hooks.onStatus({ state: 'closed', message: (error as ApiError).localized });
    }
  }

  async copy(): Promise<boolean> {
    const text = this.term.getSelection();
    if (!text) return false;
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  }

  async pasteFromClipboard(): Promise<boolean> {
    try {
      const text = await navigator.clipboard.readText();
      if (text) this.term.paste(text);
      return true;
    } catch {
      return false;
    }
  }

  /** Detaches from the session (it stays open in the core) and frees the terminal. */
  dispose(): void {
    this.#disposed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#observer?.disconnect();
    if (this.#resizeTimer) clearTimeout(this.#resizeTimer);
    this.#webgl?.dispose();
    this.term.dispose();
  }

  /** Ends the session in the core too. */
  async close(): Promise<void> {
    const id = this.#session?.sessionId;
    this.dispose();
    if (id) await this.api.call('terminal.close', { sessionId: id }).catch(() => undefined);
  }

  /** The visible text of the buffer (tests and search). */
  text(): string {
    const b = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n').trimEnd();
  }
}
