/** The open terminal sessions of the core. Each has its own SSH connection from the pool. */
import { join } from 'node:path';
import type { TerminalCharset, TerminalSessionInfo } from '../../../shared/api/contracts/terminal';
import { ApiError } from '../../../shared/errors';
import type { AuditLog } from '../audit';
import type { Redactor } from '../log';
import type { SshPool } from '../ssh/pool';
import { TerminalSession } from './session';

export interface TerminalManagerOptions {
  readonly pool: Pick<SshPool, 'open'>;
  readonly redactor: Redactor;
  readonly dataDir: string;
  /** Where an ended session's summary goes (the Activity page). */
  readonly audit?: Pick<AuditLog, 'record'>;
  /** At most this many sessions at once (default 64). */
  readonly maxSessions?: number;
}

export interface OpenRequest {
  readonly profileId: string;
  readonly nodeId: string;
  readonly cols: number;
  readonly rows: number;
  readonly charset: TerminalCharset;
  readonly logging?: boolean;
}

export class TerminalManager {
  readonly #sessions = new Map<string, TerminalSession>();

  constructor(private readonly options: TerminalManagerOptions) {}

  get transcriptDir(): string {
    return join(this.options.dataDir, 'transcripts');
  }

  async open(request: OpenRequest): Promise<TerminalSession> {
    if (this.#sessions.size >= (this.options.maxSessions ?? 64)) {
      throw new ApiError({
        code: 'conflict',
        reason: 'too_many_sessions',
        message: { en: 'Too many terminals are open; close some first.', 'zh-CN': '打开的终端过多，请先关闭一些。' },
      });
    }
    const session = new TerminalSession({
      ...request,
      connect: () => this.options.pool.open(request.profileId, request.nodeId),
      redactor: this.options.redactor,
      transcriptDir: this.transcriptDir,
      onClosed: (s) => {
        this.#sessions.delete(s.id);
        this.#recordEnd(s);
      },
    });
    this.#sessions.set(session.id, session);
    try {
      await session.start();
    } catch (error) {
      this.#sessions.delete(session.id);
      throw error;
    }
    return session;
  }

  /** One line in the Activity log per ended session: where, how long, how much each way, and where its transcript is. */
  #recordEnd(s: TerminalSession): void {
    const endedAt = new Date().toISOString();
    const summary = s.summary(endedAt);
    if (!summary || !this.options.audit) return;
    this.options.audit.record({
      time: endedAt,
      profileId: s.profileId,
      node: s.label,
      command: `terminal session ${s.id}`,
      exitCode: null,
      durationMs: Date.parse(endedAt) - Date.parse(summary.startedAt),
      purpose: 'terminal: session ended',
      terminal: summary,
    });
  }

  get(sessionId: string): TerminalSession {
    const s = this.#sessions.get(sessionId);
    if (!s)
      throw new ApiError({
        code: 'not_found',
        reason: 'terminal_session',
        message: { en: 'This terminal session no longer exists.', 'zh-CN': '该终端会话已不存在。' },
      });
    return s;
  }

  list(profileId?: string): TerminalSessionInfo[] {
    return [...this.#sessions.values()].filter((s) => !profileId || s.profileId === profileId).map((s) => s.info());
  }

  /** Sends text to every listed session that has a shell; answers which ones got it. */
  input(sessionIds: readonly string[], data: string): string[] {
    const delivered: string[] = [];
    for (const id of new Set(sessionIds)) {
      const s = this.#sessions.get(id);
      if (s?.write(data)) delivered.push(id);
    }
    if (delivered.length === 0 && sessionIds.length === 1) this.get(sessionIds[0]!);
    return delivered;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions.values()].map((s) => s.close()));
  }
}
