/**
 * Harbor's logs across nodes (docs/terminals.md, "Logs"): the files Harbor's `log` container writes under
 * /var/log/harbor on every node, read from the end a chunk at a time (never whole), parsed and merged by time in the
 * core, filtered there; followed live with flow control as terminals are; a proxy request traced into core, registry
 * and jobservice on the node that served it; a range saved as a bundle. Every line is masked with the app's redactor
 * before it leaves the core.
 */
import { z } from 'zod';
import type { Localized } from '../../i18n/localized';
import { call, stream } from '../define';
import { profileId } from './profiles';
import { nodeId } from './ssh';

export const logLevels = ['debug', 'info', 'warning', 'error', 'fatal'] as const;
export type LogLevel = (typeof logLevels)[number];

/** A log file's component: its name without `.log` (core.log → core; 1.x's core is ui.log). */
export const logComponent = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
/** The most bytes one read takes from the end of one file. */
export const MAX_LOG_CHUNK = 4 << 20;
/** What a read takes from the end of each file unless told: thousands of lines per node, a first screen many times over. */
export const DEFAULT_LOG_CHUNK = 256 * 1024;
/**
 * What the Logs panel's first read takes from each file: about a hundred lines per file, the view filled dozens of times
 * over, so the first lines are on screen sooner (the default's ~14 000 lines of four nodes took 430 ms there; 64 KiB's
 * 3 480 lines, about 0.9 MB of JSON, put the first row on screen ~70 ms later than 16 KiB's 870 on a busy machine:
 * the page takes the answer in while busy opening the panel); "Earlier lines" then reads the default chunk before.
 */
export const FIRST_LOG_CHUNK = 16 * 1024;
/** The most lines one answer holds (the newest are kept). */
export const MAX_LOG_LINES = 200_000;

/** One line of a Harbor log, as parsed from its syslog prefix and its component's format. */
export interface LogLine {
  /** Milliseconds since the epoch; a line without a time of its own (a stack trace's) takes its predecessor's. */
  readonly time: number;
  readonly node: string;
  readonly component: string;
  readonly level: LogLevel | null;
  /** core's requestID (2.x) or the registry's http.request.id; nginx logs none (Harbor's proxy passes none on). */
  readonly requestId: string | null;
  /** A proxy access line's request, for tracing. */
  readonly request: { readonly method: string; readonly path: string; readonly status: number } | null;
  /** The component's own text (after the syslog prefix); an odd line is kept whole here. */
  readonly text: string;
}

export const logFilter = z
  .object({
    nodeIds: z.array(nodeId).max(64).optional(),
    components: z.array(logComponent).max(64).optional(),
    levels: z.array(z.enum(logLevels)).max(logLevels.length).optional(),
    /** Case-insensitive text the line must hold. */
    text: z.string().max(500).optional(),
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
  })
  .strict();
export type LogFilter = z.infer<typeof logFilter>;

/** Where the next read of a file (towards its start) ends: byte offset; 0 = nothing earlier. */
export type LogCursors = Readonly<Record<string, Readonly<Record<string, number>>>>;
const cursors = z.record(nodeId, z.record(logComponent, z.number().int().nonnegative()));

export interface LogFileInfo {
  readonly node: string;
  readonly component: string;
  readonly size: number;
}

export interface LogChunk {
  readonly lines: readonly LogLine[];
  readonly files: readonly LogFileInfo[];
  /** Pass back as `before` for the chunk before this one. */
  readonly cursors: LogCursors;
  /** Bytes read from the nodes for this answer. */
  readonly bytesRead: number;
  /** Nodes that could not be read, with why. */
  readonly failures: readonly { readonly node: string; readonly message: Localized }[];
}

export interface LogTrace {
  /** The lines found, merged by time; `match` says how each was found. */
  readonly lines: readonly (LogLine & { readonly match: 'request-id' | 'path' | 'time' })[];
  readonly window: { readonly from: number; readonly to: number };
}

export type LogFollowEvent =
  | { readonly type: 'lines'; readonly seq: number; readonly lines: readonly LogLine[] }
  | { readonly type: 'state'; readonly node: string; readonly state: 'following' | 'ended'; readonly message?: Localized };

const nodes = z.array(nodeId).min(1).max(64);

export const logsContract = {
  'logs.read': call(
    z
      .object({
        profileId,
        nodeIds: nodes,
        /** Read the chunk before these offsets (from `cursors` of the last answer); absent: the end of each file. */
        before: cursors.optional(),
        chunkBytes: z.number().int().min(1024).max(MAX_LOG_CHUNK).default(DEFAULT_LOG_CHUNK),
        filter: logFilter.default({}),
      })
      .strict(),
    'The last chunk (or the chunk before `before`) of every /var/log/harbor/*.log on the nodes, parsed, merged by time and filtered, secrets masked.',
  ).returns<LogChunk>(),
  'logs.trace': call(
    z
      .object({
        profileId,
        nodeId,
        time: z.number().int().nonnegative(),
        method: z.string().regex(/^[A-Z]{1,16}$/),
        path: z.string().min(1).max(4096),
        requestId: z.string().max(128).optional(),
        /** Seconds before and after the proxy line searched when no id links the lines. */
        windowSeconds: z.number().int().min(1).max(600).default(5),
        chunkBytes: z.number().int().min(1024).max(MAX_LOG_CHUNK).default(DEFAULT_LOG_CHUNK),
      })
      .strict(),
    'A proxy request followed on the node that served it: core (1.x ui), registry and jobservice lines with its request id, naming its path, or within the time window.',
  ).returns<LogTrace>(),
  'logs.follow': stream(
    z.object({ profileId, nodeIds: nodes, filter: logFilter.default({}) }).strict(),
    'New lines of every Harbor log on the nodes as they are written (tail -F, one channel per node), filtered and masked; acknowledge them with logs.ack.',
  ).emits<LogFollowEvent>(),
  'logs.ack': call(
    z.object({ profileId, lines: z.number().int().min(1).max(10_000_000) }).strict(),
    'The client has shown this many more followed lines: flow control resumes the channels below the low watermark.',
  ).returns<null>(),
  'logs.bundle': call(
    z
      .object({
        profileId,
        nodeIds: nodes,
        filter: logFilter.default({}),
        chunkBytes: z.number().int().min(1024).max(MAX_LOG_CHUNK).default(DEFAULT_LOG_CHUNK),
        /** A local path the operator chose for a new file (an existing one is never overwritten); a .tar.gz is written there. */
        path: z.string().trim().min(1).max(4096),
      })
      .strict(),
    'Writes the lines `logs.read` would answer as a .tar.gz: merged.log (every node, by time) and one file per node and component, secrets masked.',
  ).returns<{ readonly path: string; readonly lines: number; readonly bytes: number }>(),
} as const;
