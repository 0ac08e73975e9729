/**
 * The app log: one JSON object per line in `<dataDir>/logs/app.log`. Every line passes through the
 * redactor first, so a secret that reached an error message still never reaches the file.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** Masks every registered secret value wherever it appears in a string. */
export class Redactor {
  readonly #secrets = new Set<string>();
  /** Longest first, so a secret that contains another is masked whole; rebuilt when the set changes. */
  #ordered: string[] | null = null;

  /** Values shorter than 4 characters are not masked: they would mask ordinary words. */
  add(secret: string | undefined | null): void {
    if (secret && secret.length >= 4 && !this.#secrets.has(secret)) {
      this.#secrets.add(secret);
      this.#ordered = null;
    }
  }

  delete(secret: string): void {
    if (this.#secrets.delete(secret)) this.#ordered = null;
  }

  redact(text: string): string {
    this.#ordered ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    let out = text;
    // `includes` first: terminal output passes through here, and almost none of it holds a secret.
    for (const s of this.#ordered) if (out.includes(s)) out = out.split(s).join('******');
    return out;
  }
}

export interface Log {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export interface LogOptions {
  /** File to append to; without it lines go to stderr only. */
  readonly file?: string;
  readonly redactor: Redactor;
  /** Also echo to stderr (serve mode and development). */
  readonly echo?: boolean;
  readonly minLevel?: Level;
}

const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function describe(detail: unknown): string | undefined {
  if (detail === undefined) return undefined;
  if (detail instanceof Error) return detail.stack ?? `${detail.name}: ${detail.message}`;
  return typeof detail === 'string' ? detail : inspect(detail, { depth: 4, breakLength: Infinity });
}

export function createLog(options: LogOptions): Log {
  const min = ORDER[options.minLevel ?? 'info'];
  if (options.file) mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
  const write = (level: Level, message: string, detail?: unknown) => {
    if (ORDER[level] < min) return;
    const d = describe(detail);
    const line = options.redactor.redact(
      JSON.stringify({ time: new Date().toISOString(), level, message, ...(d ? { detail: d } : {}) }),
    );
    if (options.file) appendFileSync(options.file, `${line}\n`, { mode: 0o600 });
    if (options.echo || !options.file) process.stderr.write(`${line}\n`);
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}
