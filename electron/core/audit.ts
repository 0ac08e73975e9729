/**
 * The audit log: one JSON line per command the app ran on a server (time, profile, node, command, exit code,
 * duration, purpose, origin and what it printed), every secret masked. The Activity page reads it.
 *
 * Two files. `audit.log` holds the operator's commands (deploy steps, previews, connection tests, transfers), kept
 * whole. `audit-automatic.log` holds the checks the app runs by itself: a health sweep writes one entry per node
 * every 30 s (a 30-line script and its report, about 6 KB), which in one file would bury the operator's commands and
 * make every read of them scan a day of sweeps. That file is rotated at {@link AUTOMATIC_FILE_BYTES} to
 * `audit-automatic.1.log` (one previous file kept), so about a day of a 3-node cluster's sweeps stays.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ActivityEntry, ActivityOrigin, ActivityOutput } from '../../shared/api/contracts/ssh';
import { OUTPUT_KEEP_CHARS } from '../../shared/audit-output';
import type { Redactor } from './log';

/** One command run on a server as the Activity page shows it (shared/api/contracts/ssh.ts). */
export type AuditEntry = ActivityEntry;

/** A stream as the command runner got it. */
export interface CapturedStream {
  readonly text: string;
  /** False when the runner kept only the start of a longer stream (its maxBuffer). */
  readonly whole: boolean;
}

/** What a writer hands in: the output as captured (masked and bounded here), the origin the operator's unless said. */
export interface AuditRecord extends Omit<AuditEntry, 'origin' | 'output'> {
  readonly origin?: ActivityOrigin;
  readonly output?: { readonly stdout: CapturedStream; readonly stderr: CapturedStream };
}

/**
 * Each output stream keeps {@link OUTPUT_KEEP_CHARS} characters: its start and its end, half each. A command's first
 * lines say what it did and its last ones why it failed; what lies between is in the deployment's run log when it
 * matters. The bound keeps an entry near the size of its command line (the sweeps write one per node every 30 s), so
 * the page's reads of the log stay quick.
 */
export { OUTPUT_KEEP_CHARS };
/** Stands for what was left out between the start and the end of a stream. */
export const OUTPUT_GAP = '\n[…]\n';
/** The automatic checks' file is moved aside beyond this size (see the top of this file). */
export const AUTOMATIC_FILE_BYTES = 16 << 20;

/** The first words of the purposes of the only automatic checks written before entries carried their origin. */
const LEGACY_AUTOMATIC_PURPOSE = 'topology:';

/** A masked stream within the bound; `cut` when something was left out. */
function bounded(masked: string, whole: boolean): { text: string; cut: boolean } {
  if (masked.length <= OUTPUT_KEEP_CHARS) return { text: masked, cut: !whole };
  const half = OUTPUT_KEEP_CHARS / 2;
  // A stream the runner cut ends where the cut fell, possibly inside a secret the redactor could then not
  // recognise: only its start is kept, far from the cut.
  if (!whole) return { text: masked.slice(0, OUTPUT_KEEP_CHARS), cut: true };
  return { text: `${masked.slice(0, half)}${OUTPUT_GAP}${masked.slice(-half)}`, cut: true };
}

/** Old lines lack the origin: the sweeps' purposes told them apart. */
function normalized(raw: Partial<AuditEntry> & Pick<AuditEntry, 'time' | 'node' | 'command'>): AuditEntry {
  const origin: ActivityOrigin =
    raw.origin === 'automatic' || raw.origin === 'operator'
      ? raw.origin
      : raw.purpose?.startsWith(LEGACY_AUTOMATIC_PURPOSE)
        ? 'automatic'
        : 'operator';
  return { ...raw, exitCode: raw.exitCode ?? null, durationMs: raw.durationMs ?? 0, origin };
}

function parseLine(line: string): AuditEntry | null {
  try {
    const raw: unknown = JSON.parse(line);
    if (!raw || typeof raw !== 'object') return null;
    const r = raw as Record<string, unknown>;
    if (typeof r.time !== 'string' || typeof r.node !== 'string' || typeof r.command !== 'string') return null;
    return normalized(r as Partial<AuditEntry> & Pick<AuditEntry, 'time' | 'node' | 'command'>);
  } catch {
    return null;
  }
}

export interface AuditQuery {
  readonly profileId?: string;
  /** Both when absent. */
  readonly origin?: ActivityOrigin;
  readonly limit?: number;
}

export class AuditLog {
  /** Where the automatic checks go (next to `file`). */
  readonly automaticFile: string;

  constructor(
    /** The operator's commands (and, in files written before the split, everything). */
    readonly file: string,
    private readonly redactor: Redactor,
  ) {
    this.automaticFile = join(dirname(file), 'audit-automatic.log');
  }

  /** Every file the audit writes, newest first within each origin. */
  get files(): readonly string[] {
    return [this.file, this.automaticFile, this.#previousAutomatic];
  }

  get #previousAutomatic(): string {
    return join(dirname(this.file), 'audit-automatic.1.log');
  }

  record(entry: AuditRecord): void {
    const { output, origin = 'operator', ...rest } = entry;
    const safe: AuditEntry = {
      ...rest,
      origin,
      command: this.redactor.redact(entry.command),
      durationMs: Math.round(entry.durationMs),
      ...(output ? { output: this.#output(output.stdout, output.stderr) } : {}),
    };
    const file = origin === 'automatic' ? this.automaticFile : this.file;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (origin === 'automatic' && existsSync(file) && statSync(file).size > AUTOMATIC_FILE_BYTES) renameSync(file, this.#previousAutomatic);
    // The whole line is masked again: a secret's JSON-escaped forms only exist once it is inside the line.
    appendFileSync(file, `${this.redactor.redact(JSON.stringify(safe))}\n`, { mode: 0o600 });
  }

  /** Masked first, then bounded: a bound applied first could cut a secret into pieces the redactor cannot see. */
  #output(stdout: CapturedStream, stderr: CapturedStream): ActivityOutput {
    const out = bounded(this.redactor.redact(stdout.text), stdout.whole);
    const err = bounded(this.redactor.redact(stderr.text), stderr.whole);
    return { stdout: out.text, stderr: err.text, truncated: out.cut || err.cut };
  }

  /** The newest entries first (by start time), at most `limit`, filtered before the limit. */
  read(query: AuditQuery | number = {}): AuditEntry[] {
    const { profileId, origin, limit = 500 } = typeof query === 'number' ? { limit: query } : query;
    const files =
      origin === 'operator'
        ? [this.file]
        : // Files written before the split hold automatic checks in `file` too.
          origin === 'automatic'
          ? [this.automaticFile, this.#previousAutomatic, this.file]
          : this.files;
    const entries: AuditEntry[] = [];
    for (const f of files) {
      if (!existsSync(f)) continue;
      const lines = readFileSync(f, 'utf8').split('\n');
      let taken = 0;
      // From the end: the newest are last, and a file can hold far more than the limit.
      for (let i = lines.length - 1; i >= 0 && taken < limit; i--) {
        const e = lines[i] ? parseLine(lines[i]!) : null;
        if (!e || (profileId && e.profileId !== profileId) || (origin && e.origin !== origin)) continue;
        entries.push(e);
        taken++;
      }
    }
    return entries.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0)).slice(0, limit);
  }
}
