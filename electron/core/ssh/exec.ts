/**
 * Remote commands: always an argument vector, turned into one command line by `commandLine`.
 * Output streams as it comes; the result has the exit code (never inferred from stderr).
 */
import type { Client, ClientChannel } from 'ssh2';
import { commandLine } from './quote';
import { SshError } from './errors';

export interface ExecOptions {
  readonly stdin?: string | Buffer;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** Stops the command (see `stopChannel`) after this long; the result has `timedOut`. */
  readonly timeoutMs?: number;
  /** Keep at most this many bytes of each stream in the result (the callbacks still see all). Default 1 MiB. */
  readonly maxBuffer?: number;
  /** Aborting stops the command as a timeout does. */
  readonly signal?: AbortSignal;
}

/** How long a stopped command's node may take to confirm before the result is given without it. */
export const STOP_GRACE_MS = 3000;

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
      let settled = false;
      let grace: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        if (grace) clearTimeout(grace);
        options.signal?.removeEventListener('abort', abort);
        resolve({ code, signal, stdout: out.text(), stderr: err.text(), durationMs: performance.now() - started, timedOut });
      };
      const stop = () => {
        if (settled || grace) return;
        stopChannel(channel);
        // A node that never confirms (the command ignores SIGTERM, the network is gone) does not
        // hold the caller: the result comes without its exit status.
        grace = setTimeout(finish, STOP_GRACE_MS);
      };
      const timer = options.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, options.timeoutMs)
        : undefined;
      const abort = stop;
      if (options.signal?.aborted) queueMicrotask(abort);
      else options.signal?.addEventListener('abort', abort, { once: true });
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
      channel.on('close', finish);
      if (options.stdin !== undefined) channel.end(options.stdin);
      else channel.end();
    });
  });
}

/**
 * Stops a running command, as far as the node lets us. OpenSSH's sshd closes a session channel
 * only once its command has exited, so closing alone would hold the caller for as long as a hung
 * command hangs (`execArgv` gives the result after STOP_GRACE_MS regardless). First the "signal"
 * request (RFC 4254 §6.9): sshd sends SIGTERM to the command's process group — for non-root logins;
 * for root it refuses ("session signalling requires privilege separation"), and the command only
 * sees its output pipes closed (it ends at its next write, or runs to its end if silent). ssh2's
 * `Channel.signal` refuses once our side has sent EOF (we always have: stdin is ended at once), so
 * the request goes through its protocol object, which only needs the channel id.
 */
export function stopChannel(channel: ClientChannel): void {
  const ch = channel as unknown as { outgoing?: { id?: number; state?: string }; _client?: { _protocol?: { signal(id: number, name: string): void } } };
  const id = ch.outgoing?.id;
  if ((ch.outgoing?.state === 'open' || ch.outgoing?.state === 'eof') && id !== undefined) {
    try {
      ch._client?._protocol?.signal(id, 'TERM');
    } catch {
      // the connection is already gone: close() below is all there is to do
    }
  }
  channel.close();
}
