/**
 * The app log: one JSON object per line in `<dataDir>/logs/app.log`. Every line passes through the
 * redactor first, so a secret that reached an error message still never reaches the file.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import { secretForms } from './secret-forms';
import { MIN_MASKED_LENGTH, StringMasker } from './string-masker';

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** What a secret becomes in logs. */
const MASK = '******';

/**
 * Masks every registered secret wherever it appears in a string, in each of the forms it takes in
 * what the app writes (percent-encoded, JSON-escaped, shell-quoted, base64: see secret-forms.ts).
 */
export class Redactor {
  /** Each secret with its forms, computed once. */
  readonly #secrets = new Map<string, readonly string[]>();
  /** Rebuilt when the set changes: redact() is on the terminal's output path, so it scans each text once. */
  #masker: StringMasker | null = null;

  /** Values shorter than 4 characters are not masked: they would mask ordinary words. */
  add(secret: string | undefined | null): void {
    // Stryker disable next-line ConditionalExpression: equivalent, adding a known secret again stores the same forms
    if (secret && secret.length >= MIN_MASKED_LENGTH && !this.#secrets.has(secret)) {
      this.#secrets.set(secret, secretForms(secret));
      this.#masker = null;
    }
  }

  delete(secret: string): void {
    if (this.#secrets.delete(secret)) this.#masker = null;
  }

  redact(text: string): string {
    return this.#current().mask(text, MASK);
  }

  /** Where a text still to be continued can be cut and the part before redacted alone (StringMasker.safeCut). */
  safeCut(text: string): number {
    return this.#current().safeCut(text);
  }

  #current(): StringMasker {
    return (this.#masker ??= new StringMasker([...this.#secrets.values()].flat()));
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
    const line = options.redactor.redact(JSON.stringify({ time: new Date().toISOString(), level, message, ...(d ? { detail: d } : {}) }));
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
