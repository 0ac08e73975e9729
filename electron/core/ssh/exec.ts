/**
 * Remote commands: always an argument vector, turned into one command line by `commandLine`, run
 * with node-ssh's `execCommand` (never its `exec`, which fails on any stderr and hides the exit
 * code). Output streams as it comes; the result has the exit code (never inferred from stderr).
 */
import { Readable } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import type { ClientChannel } from 'ssh2';
import { commandLine } from './quote';
import { SshError } from './errors';

export interface ExecOptions {
  readonly stdin?: string | Buffer;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** Stops the command (see `stopChannel`) after this long; the result has `timedOut`. */
  readonly timeoutMs?: number;
  /** Keep at most this many bytes of each stream in the result (the callbacks still see all). Default {@link MAX_BUFFER}. */
  readonly maxBuffer?: number;
  /** Aborting stops the command as a timeout does. */
  readonly signal?: AbortSignal;
}

/** The bytes of each stream a result keeps unless told otherwise. */
export const MAX_BUFFER = 1 << 20;

/** How long a stopped command's node may take to confirm before the result is given without it. */
export const STOP_GRACE_MS = 3000;

/**
 * node-ssh keeps every byte a command writes, as text, until the command ends (our result keeps
 * only `maxBuffer`). So that no node can fill the core's memory, a command that writes more than
 * this on one stream is stopped as a timeout stops it; its result has no exit code. Our commands
 * write far less: the largest are file reads of at most 16 MiB.
 */
export const OUTPUT_CEILING = 64 << 20;

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
  let seen = 0;
  return {
    /** Keeps what fits; answers how many bytes the stream has written in all. */
    push(chunk: Buffer): number {
      seen += chunk.length;
      if (size < limit) {
        const take = chunk.subarray(0, limit - size);
        parts.push(take);
        size += take.length;
      }
      return seen;
    },
    // Decoded once at the end, so a character split between two chunks stays whole.
    text: () => Buffer.concat(parts).toString('utf8'),
  };
}

/** Runs `argv` on the connection. Rejects only when the command could not be started. */
export function execArgv(ssh: NodeSSH, argv: readonly string[], label: string, options: ExecOptions = {}): Promise<ExecResult> {
  if (!ssh.isConnected()) return Promise.reject(new SshError('disconnected', label));
  const line = commandLine(argv);
  const started = performance.now();
  const limit = options.maxBuffer ?? MAX_BUFFER;
  const ceiling = Math.max(OUTPUT_CEILING, limit);
  const out = collector(limit);
  const err = collector(limit);
  return new Promise((resolve, reject) => {
    let channel: ClientChannel | undefined;
    let timedOut = false;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const cleanUp = () => {
      settled = true;
      if (timer) clearTimeout(timer);
      if (grace) clearTimeout(grace);
      options.signal?.removeEventListener('abort', stop);
    };
    const finish = (code: number | null, signal: string | null) => {
      if (settled) return;
      cleanUp();
      resolve({ code, signal, stdout: out.text(), stderr: err.text(), durationMs: performance.now() - started, timedOut });
    };
    function stop() {
      if (settled || grace || !channel) return;
      stopChannel(channel);
      // A node that never confirms (the command ignores SIGTERM, the network is gone) does not
      // hold the caller: the result comes without its exit status.
      grace = setTimeout(() => finish(null, null), STOP_GRACE_MS);
    }
    ssh
      .execCommand(line, {
        // Byte-exact output: node-ssh trims it unless told not to.
        noTrim: true,
        ...(options.stdin === undefined
          ? {}
          : { stdin: typeof options.stdin === 'string' ? options.stdin : Readable.from([options.stdin]) }),
        onChannel: (ch) => {
          // The clocks start once the command runs, as the command's own time.
          channel = ch;
          if (options.timeoutMs) {
            timer = setTimeout(() => {
              timedOut = true;
              stop();
            }, options.timeoutMs);
          }
          if (options.signal?.aborted) queueMicrotask(stop);
          else options.signal?.addEventListener('abort', stop, { once: true });
        },
        onStdout: (chunk) => {
          if (out.push(chunk) > ceiling) stop();
          options.onStdout?.(chunk);
        },
        onStderr: (chunk) => {
          if (err.push(chunk) > ceiling) stop();
          options.onStderr?.(chunk);
        },
      })
      .then(
        (r) => finish(r.code, r.signal),
        (error: unknown) => {
          if (settled) return;
          cleanUp();
          reject(
            error instanceof SshError ? error : new SshError('protocol', label, { cause: (error as Error)?.message ?? String(error) }),
          );
        },
      );
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
  const ch = channel as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal(id: number, name: string): void } };
  };
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
