/**
 * Embedded terminals: an interactive shell (PTY) per session on its own SSH connection.
 * Output arrives on `terminal.output` in batches; the client acknowledges the characters it has
 * written (`terminal.ack`) and the core pauses the SSH channel while too many are unacknowledged,
 * so a flood never drops output and never grows memory without bound.
 */
import { z } from 'zod';
import type { Localized } from '../../i18n/localized';
import { call, stream } from '../define';
import { profileId } from './profiles';
import { nodeId } from './ssh';

export const terminalCharsets = ['utf-8', 'gbk'] as const;
export type TerminalCharset = (typeof terminalCharsets)[number];

export const sessionId = z.string().regex(/^t[a-z0-9]{6,24}$/);
const cols = z.number().int().min(2).max(1000);
const rows = z.number().int().min(1).max(500);
/** Input per call: at most 64 KiB of text (a paste larger than that is sent in pieces). */
export const MAX_TERMINAL_INPUT = 65_536;

export type TerminalState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface TerminalSessionInfo {
  readonly sessionId: string;
  readonly profileId: string;
  readonly nodeId: string;
  /** How messages name the node, e.g. `node-1 (192.168.10.10)`. */
  readonly label: string;
  readonly charset: TerminalCharset;
  readonly cols: number;
  readonly rows: number;
  readonly state: TerminalState;
  readonly createdAt: string;
  /** Transcript file of the session (secrets masked). */
  readonly transcript: string;
  /** Whether output is written to the transcript now (the operator's switch per terminal). */
  readonly logging: boolean;
}

/** What the Activity page shows of a terminal session when it has ended. */
export interface TerminalSessionSummary {
  readonly sessionId: string;
  readonly startedAt: string;
  readonly endedAt: string;
  /** Bytes the node sent (output) and the client typed (input), as they crossed the SSH channel. */
  readonly receivedBytes: number;
  readonly sentBytes: number;
  /** whole: the transcript has all of it; partly: logging was off for a while; off: never on. */
  readonly logged: 'whole' | 'partly' | 'off';
  /** The transcript file, when one was written. */
  readonly transcript?: string;
}

export type TerminalEvent =
  /** A batch of output; `seq` counts batches of the session from 1. */
  | { readonly kind: 'data'; readonly data: string; readonly seq: number }
  /** The connection state changed; `message` says why for reconnecting / closed. */
  | { readonly kind: 'state'; readonly state: TerminalState; readonly message?: Localized; readonly attempt?: number }
  /** The remote shell exited (the session stays, and can be reconnected). */
  | { readonly kind: 'exit'; readonly code: number | null; readonly signal?: string };

export const terminalContract = {
  'terminal.open': call(
    z
      .object({
        profileId,
        nodeId,
        cols,
        rows,
        charset: z.enum(terminalCharsets).default('utf-8'),
        /** Write the masked transcript (on unless the operator turned it off). */
        logging: z.boolean().default(true),
      })
      .strict(),
    'Opens an interactive shell (xterm-256color PTY) on a node over a connection of its own. Fails with the SSH cause (host_key_unknown: run ssh.test, then ssh.trustHostKey).',
  ).returns<TerminalSessionInfo>(),
  'terminal.output': stream(
    z.object({ sessionId }).strict(),
    'Output batches and state changes of a session, starting with recent output (replay) and the current state. A new subscription replaces the previous one.',
  ).emits<TerminalEvent>(),
  'terminal.input': call(
    z
      .object({
        sessionIds: z.array(sessionId).min(1).max(64),
        data: z.string().min(1).max(MAX_TERMINAL_INPUT),
      })
      .strict(),
    'Sends keystrokes or pasted text to one session, or broadcasts it to several; answers the ids that received it.',
  ).returns<{ readonly delivered: readonly string[] }>(),
  'terminal.ack': call(
    z.object({ sessionId, chars: z.number().int().min(1).max(100_000_000) }).strict(),
    'The client wrote this many more characters of output: flow control resumes the channel below the low watermark.',
  ).returns<null>(),
  'terminal.resize': call(z.object({ sessionId, cols, rows }).strict(), 'Changes the PTY size.').returns<null>(),
  'terminal.reconnect': call(
    z.object({ sessionId }).strict(),
    'Closes the session’s connection (if any) and opens a new shell.',
  ).returns<null>(),
  'terminal.setLogging': call(
    z.object({ sessionId, on: z.boolean() }).strict(),
    'Turns the masked transcript of a session on or off from now on; the file notes where a gap starts and ends. Answers the session.',
  ).returns<TerminalSessionInfo>(),
  'terminal.close': call(
    z.object({ sessionId }).strict(),
    'Ends the session and its connection; a summary (node, start, end, bytes each way, whether it was logged, the transcript) goes to the Activity log.',
  ).returns<null>(),
  'terminal.list': call(z.object({ profileId: profileId.optional() }).strict(), 'The open sessions (of a profile), oldest first.').returns<
    TerminalSessionInfo[]
  >(),
} as const;
