/**
 * The Logs view's core (docs/terminals.md, "Logs"): every node's /var/log/harbor/*.log read a chunk at a time from
 * the end over the node's shared command connection, masked with the app's redactor before anything else sees it,
 * parsed, merged by time and filtered here; a proxy request traced on its node; a range saved as a bundle. Live
 * following is in follow.ts.
 */
import type { LogChunk, LogCursors, LogFileInfo, LogFilter, LogLine, LogTrace } from '../../../shared/api/contracts/logs';
import { MAX_LOG_LINES } from '../../../shared/api/contracts/logs';
import type { AuditLog } from '../audit';
import type { Redactor } from '../log';
import type { SshPool } from '../ssh/pool';
import { toApiError } from '../transfer/errors';
import { writeBundle } from './bundle';
import { LogFollower, type FollowSink } from './follow';
import { lineFilter, mergeByTime } from './merge';
import { freshContext, parseText } from './parse';
import { limited, listLogFiles, readEnds, readRange, READS_PER_NODE, type LogFile, type NodeRunner } from './remote';

export interface LogsOptions {
  readonly pool: Pick<SshPool, 'run' | 'shared'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly redactor: Pick<Redactor, 'redact'>;
  readonly now?: () => number;
}

export interface ReadRequest {
  readonly profileId: string;
  readonly nodeIds: readonly string[];
  readonly before?: LogCursors | undefined;
  readonly chunkBytes: number;
  readonly filter: LogFilter;
}

export interface TraceRequest {
  readonly profileId: string;
  readonly nodeId: string;
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly requestId?: string | undefined;
  readonly windowSeconds: number;
  readonly chunkBytes: number;
}

/** The components a request passes through after the proxy: 2.x core (1.x ui), registry, jobservice. */
const TRACED = new Set(['core', 'ui', 'registry', 'jobservice']);
/** How far back a trace reads each file at most: chunks of `chunkBytes` (16 MiB with the default). */
const MAX_TRACE_CHUNKS = 64;

interface FileChunk {
  readonly lines: LogLine[];
  readonly cursor: number;
  readonly bytes: number;
}

export class LogsService {
  readonly #now: () => number;
  readonly #followers = new Map<string, LogFollower>();

  constructor(private readonly options: LogsOptions) {
    this.#now = options.now ?? Date.now;
  }

  #runner(profileId: string, nodeId: string): NodeRunner {
    return (argv, o) => this.options.pool.run(profileId, nodeId, argv, { ...o, auditOutput: false });
  }

  /** One file's chunk ending at `end`: its lines (a partial first line left for the next chunk) and where that starts. */
  async #chunk(run: NodeRunner, nodeId: string, file: LogFile, end: number, chunkBytes: number, now: number): Promise<FileChunk> {
    // A file rotated by copytruncate since the last chunk is shorter now: read its end again.
    const stop = Math.min(end, file.size);
    const start = Math.max(0, stop - chunkBytes);
    if (stop === 0) return { lines: [], cursor: 0, bytes: 0 };
    return this.#linesOf(nodeId, file, start, await readRange(run, nodeId, file.path, start, stop - start), now);
  }

  /** The lines of a file's bytes from `start`: a partial first line is left for the chunk before. */
  #linesOf(nodeId: string, file: LogFile, start: number, buf: Buffer, now: number): FileChunk {
    const newline = start > 0 ? buf.indexOf(10) : -1;
    // A line longer than the chunk (no newline before the chunk's last byte) is shown cut rather than never.
    const from = newline >= 0 && newline < buf.length - 1 ? newline + 1 : 0;
    const text = this.options.redactor.redact(buf.subarray(from).toString('utf8'));
    return { lines: parseText(text, freshContext(nodeId, file.component, now)), cursor: start + from, bytes: buf.length };
  }

  /** A node's files and the chunk of each that the request asks for (the end of every file: one command, readEnds). */
  async #nodeChunks(req: ReadRequest, nodeId: string, now: number) {
    const run = this.#runner(req.profileId, nodeId);
    const wantedFile = (f: LogFile) =>
      (!req.filter.components?.length || req.filter.components.includes(f.component)) &&
      (!req.before || req.before[nodeId]?.[f.component] !== undefined);
    if (!req.before) {
      const ends = await readEnds(run, nodeId, req.chunkBytes);
      const chosen = ends.filter((e) => wantedFile(e.file));
      return {
        files: ends.map((e) => e.file),
        chosen: chosen.map((e) => e.file),
        chunks: chosen.map((e) => this.#linesOf(nodeId, e.file, e.start, e.bytes, now)),
      };
    }
    const files = await listLogFiles(run, nodeId);
    const chosen = files.filter(wantedFile);
    const chunks = await limited(
      READS_PER_NODE,
      chosen.map((f) => () => this.#chunk(run, nodeId, f, req.before?.[nodeId]?.[f.component] ?? f.size, req.chunkBytes, now)),
    );
    return { files, chosen, chunks };
  }

  async read(req: ReadRequest): Promise<LogChunk> {
    const now = this.#now();
    const keep = lineFilter(req.filter);
    const wanted = req.filter.nodeIds?.length ? req.nodeIds.filter((n) => req.filter.nodeIds!.includes(n)) : req.nodeIds;
    const perNode = await Promise.all(
      wanted.map(async (nodeId) => {
        try {
          return { nodeId, ...(await this.#nodeChunks(req, nodeId, now)) };
        } catch (error) {
          return { nodeId, error: toApiError(error, nodeId) };
        }
      }),
    );
    const lists: LogLine[][] = [];
    const files: LogFileInfo[] = [];
    const cursors: Record<string, Record<string, number>> = {};
    const failures: LogChunk['failures'][number][] = [];
    let bytesRead = 0;
    for (const n of perNode) {
      if ('error' in n) {
        failures.push({ node: n.nodeId, message: n.error!.localized });
        continue;
      }
      files.push(...n.files.map((f) => ({ node: n.nodeId, component: f.component, size: f.size })));
      const c: Record<string, number> = (cursors[n.nodeId] = {});
      n.chosen.forEach((f, k) => {
        const chunk = n.chunks[k]!;
        c[f.component] = chunk.cursor;
        bytesRead += chunk.bytes;
        lists.push(chunk.lines.filter(keep));
      });
    }
    const merged = mergeByTime(lists);
    return { lines: merged.slice(-MAX_LOG_LINES), files, cursors, bytesRead, failures };
  }

  /**
   * A proxy request on the node that served it. Harbor's nginx logs no request id and passes none on; 2.x core makes
   * one (requestID) and the registry its own (http.request.id). So lines in the time window that name the request's
   * path give the ids, and every line with one of those ids (or the id the caller gave) belongs to the request.
   */
  async trace(req: TraceRequest): Promise<LogTrace> {
    const now = this.#now();
    const run = this.#runner(req.profileId, req.nodeId);
    const files = (await listLogFiles(run, req.nodeId)).filter((f) => TRACED.has(f.component));
    const window = { from: req.time - req.windowSeconds * 1000, to: req.time + req.windowSeconds * 1000 };
    const perFile = await limited(
      READS_PER_NODE,
      files.map((f) => () => this.#linesSince(run, req.nodeId, f, window.from, req.chunkBytes, now)),
    );
    const lines = mergeByTime(perFile);
    const inWindow = (l: LogLine) => l.time >= window.from && l.time <= window.to;
    const path = req.path.split('?')[0]!;
    // "/" would name every request.
    const namesPath = (l: LogLine) =>
      path.length > 1 && (l.request?.path.split('?')[0] === path || l.text.includes(`${req.method} ${path}`));
    const ids = new Set<string>(req.requestId ? [req.requestId] : []);
    for (const l of lines) if (l.requestId && inWindow(l) && namesPath(l)) ids.add(l.requestId);
    const found: LogTrace['lines'][number][] = [];
    for (const l of lines) {
      if (l.requestId && ids.has(l.requestId)) found.push({ ...l, match: 'request-id' });
      else if (inWindow(l)) found.push({ ...l, match: namesPath(l) ? 'path' : 'time' });
    }
    return { lines: found, window };
  }

  /**
   * A file's lines from the end back to the first one before `since` (a request picked after "Earlier lines" is not in
   * the last chunk), a chunk at a time and at most MAX_TRACE_CHUNKS of them.
   */
  async #linesSince(run: NodeRunner, nodeId: string, file: LogFile, since: number, chunkBytes: number, now: number): Promise<LogLine[]> {
    const parts: LogLine[][] = [];
    let end = file.size;
    for (let k = 0; k < MAX_TRACE_CHUNKS && end > 0; k++) {
      const chunk = await this.#chunk(run, nodeId, file, end, chunkBytes, now);
      parts.unshift(chunk.lines);
      // Time 0: a cut line with no time around it, which says nothing about where the chunk is.
      const first = chunk.lines.find((l) => l.time > 0);
      if (chunk.cursor >= end || (first && first.time < since)) break;
      end = chunk.cursor;
    }
    return parts.flat();
  }

  /** Starts following; a new follow of the profile replaces the previous one (one Logs view per profile). */
  follow(profileId: string, nodeIds: readonly string[], filter: LogFilter, sink: FollowSink): () => void {
    this.#followers.get(profileId)?.stop();
    const follower = new LogFollower({
      pool: this.options.pool,
      audit: this.options.audit,
      redactor: this.options.redactor,
      now: this.#now,
      profileId,
      nodeIds,
      filter,
      sink,
    });
    this.#followers.set(profileId, follower);
    follower.start();
    return () => {
      follower.stop();
      if (this.#followers.get(profileId) === follower) this.#followers.delete(profileId);
    };
  }

  ack(profileId: string, lines: number): void {
    this.#followers.get(profileId)?.ack(lines);
  }

  /** The lines `read` answers, written as a .tar.gz at the operator's path. */
  async bundle(req: ReadRequest & { readonly path: string }): Promise<{ path: string; lines: number; bytes: number }> {
    const chunk = await this.read(req);
    const bytes = await writeBundle(req.path, chunk.lines);
    return { path: req.path, lines: chunk.lines.length, bytes };
  }

  closeAll(): void {
    for (const f of this.#followers.values()) f.stop();
    this.#followers.clear();
  }
}
