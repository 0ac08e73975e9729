/**
 * Remote commands: always an argument vector, turned into one command line by `commandLine`.
 * Output streams as it comes; the result has the exit code (never inferred from stderr).
 */
import type { Client } from 'ssh2';
import { commandLine } from './quote';
import { SshError } from './errors';

export interface ExecOptions {
  readonly stdin?: string | Buffer;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** Kills the command (closes the channel) after this long. */
  readonly timeoutMs?: number;
  /** Keep at most this many bytes of each stream in the result (the callbacks still see all). Default 1 MiB. */
  readonly maxBuffer?: number;
  readonly signal?: AbortSignal;
}

export interface ExecResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

export interface Command {
  readonly argv: readonly string[];
}

function collector(limit: number) {
  const parts: Buffer[] = [];
  let size = 0;
  return {
    push(chunk: Buffer) {
      if (size >= limit) return;
      const take = chunk.subarray(0, limit - size);
      parts.push(take);
      size += take.length;
    },
    text: () => Buffer.concat(parts).toString('utf8'),
  };
}

/** Runs `argv` on the connection. Rejects only when the command could not be started. */
export function execArgv(client: Client, argv: readonly string[], label: string, options: ExecOptions = {}): Promise<ExecResult> {
  const line = commandLine(argv);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    client.exec(line, (error, channel) => {
      if (error) return reject(new SshError('protocol', label, { cause: error.message }));
      const limit = options.maxBuffer ?? 1 << 20;
      const out = collector(limit);
      const err = collector(limit);
      let code: number | null = null;
      let signal: string | null = null;
      let timedOut = false;
      const timer = options.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            channel.close();
          }, options.timeoutMs)
        : undefined;
      const abort = () => channel.close();
      options.signal?.addEventListener('abort', abort, { once: true });
      channel.on('data', (chunk: Buffer) => {
        out.push(chunk);
        options.onStdout?.(chunk);
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        err.push(chunk);
        options.onStderr?.(chunk);
      });
      channel.on('exit', (c: number | null, s?: string) => {
        code = c;
        signal = s ?? null;
      });
      channel.on('close', () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        resolve({ code, signal, stdout: out.text(), stderr: err.text(), durationMs: performance.now() - started, timedOut });
      });
      if (options.stdin !== undefined) channel.end(options.stdin);
      else channel.end();
    });
  });
}
