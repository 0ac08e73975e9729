/**
 * The audit log: one JSON line per command the app ran on a server (time, profile, node, command
 * with secrets masked, exit code, duration) in `<dataDir>/audit.log`. The Activity page reads it.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ActivityEntry } from '../../shared/api/contracts/ssh';
import type { Redactor } from './log';

/** One command run on a server; the Activity page shows these (shared/api/contracts/ssh.ts). */
export type AuditEntry = ActivityEntry;

export class AuditLog {
  constructor(
    readonly file: string,
    private readonly redactor: Redactor,
  ) {}

  record(entry: AuditEntry): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const safe = { ...entry, command: this.redactor.redact(entry.command), durationMs: Math.round(entry.durationMs) };
    appendFileSync(this.file, `${this.redactor.redact(JSON.stringify(safe))}\n`, { mode: 0o600 });
  }

  /** The newest entries first. */
  read(limit = 500): AuditEntry[] {
    if (!existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8').trim().split('\n').filter(Boolean);
    return lines
      .slice(-limit)
      .reverse()
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as AuditEntry];
        } catch {
          return [];
        }
      });
  }
}
