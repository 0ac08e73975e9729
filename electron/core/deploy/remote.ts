/**
 * What a deployment step does on a node: argv commands over the node's shared SSH connection
 * (each recorded in the audit log with the step as its purpose), small file reads and atomic
 * writes (content goes through stdin, never through a command line), and checksums. Failures name
 * the node and the command.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../../../shared/errors';
import { type Localized, L } from '../../../shared/i18n/localized';
import type { SshConnection } from '../ssh/connect';
import type { ExecOptions, ExecResult } from '../ssh/exec';
import type { RunOptions, SshPool } from '../ssh/pool';
import { commandLine } from '../ssh/quote';
import { SHA256_STDIN } from '../transfer/remote';
import type { StepLog } from './step';

/** `field`: the profile field whose value caused it, when a setting is the cause (ApiErrorData.field). */
export function deployError(node: string, message: Localized, reason?: string, field?: string): ApiError {
  return new ApiError({ code: 'deploy', node, message, ...(reason ? { reason } : {}), ...(field ? { field } : {}) });
}

/** The last lines of a command's output, for an error message. */
export function tail(text: string, lines = 12): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The command NodeShell.write runs (the content goes through stdin, never through the command line). */
export function writeArgv(path: string, mode: number): string[] {
  return [
    'sh',
    '-c',
    'set -e; umask 077; mkdir -p -- "$(dirname -- "$1")"; cat > "$1.harbor-ha.tmp"; chmod "$2" "$1.harbor-ha.tmp"; mv -f -- "$1.harbor-ha.tmp" "$1"',
    'sh',
    path,
    mode.toString(8),
  ];
}

/** NodeShell.upload's exit code when what arrived is not what was sent (its sha256 differs). */
export const UPLOAD_MISMATCH = 4;

/**
 * The command NodeShell.upload runs: the bytes arrive on stdin into `<path>.harbor-ha.part`, and only when their sha256
 * is the expected one does the file take its name, so a transfer cut short never leaves a file that looks complete.
 */
export function uploadArgv(path: string, mode: number, sha256: string): string[] {
  return [
    'sh',
    '-c',
    `set -e; umask 077; mkdir -p -- "$(dirname -- "$1")"; cat > "$1.harbor-ha.part"; sum=$(${SHA256_STDIN} < "$1.harbor-ha.part" | cut -c1-64); if [ "$sum" != "$3" ]; then rm -f -- "$1.harbor-ha.part"; exit ${UPLOAD_MISMATCH}; fi; chmod "$2" "$1.harbor-ha.part"; mv -f -- "$1.harbor-ha.part" "$1"`,
    'sh',
    path,
    mode.toString(8),
    sha256,
  ];
}

export interface RunOnNode extends ExecOptions, Pick<RunOptions, 'auditOutput'> {
  /** Stream the output to the step's live log. */
  readonly stream?: boolean;
}

export class NodeShell {
  constructor(
    private readonly pool: SshPool,
    private readonly profileId: string,
    readonly nodeId: string,
    /** e.g. `deploy config` (shown in the Activity page). */
    private readonly purpose: string,
    private readonly log?: StepLog,
    private readonly signal?: AbortSignal,
  ) {}

  connection(): Promise<SshConnection> {
    return this.pool.shared(this.profileId, this.nodeId);
  }

  async label(): Promise<string> {
    return (await this.connection()).target.label;
  }

  async run(argv: readonly string[], options: RunOnNode = {}): Promise<ExecResult> {
    const { stream, ...exec } = options;
    const lines = stream && this.log ? lineSplitter((l) => this.log!.line(l)) : undefined;
    const result = await this.pool.run(this.profileId, this.nodeId, argv, {
      purpose: this.purpose,
      ...(this.signal ? { signal: this.signal } : {}),
      ...exec,
      ...(lines ? { onStdout: lines.push, onStderr: lines.push } : {}),
    });
    lines?.flush();
    return result;
  }

  /** Runs argv and answers stdout; a non-zero exit is an error naming the node, the command and its output. */
  async ok(argv: readonly string[], options: RunOnNode = {}): Promise<string> {
    const r = await this.run(argv, options);
    if (r.code !== 0) {
      const label = await this.label();
      const out = tail(`${r.stdout}\n${r.stderr}`);
      throw deployError(
        label,
        L(
          `${label}: "${commandLine(argv)}" exited with ${r.code ?? r.signal}${r.timedOut ? ' (timed out)' : ''}:\n${out}`,
          `${label}：“${commandLine(argv)}”退出码 ${r.code ?? r.signal}${r.timedOut ? '（超时）' : ''}：\n${out}`,
        ),
      );
    }
    return r.stdout;
  }

  /**
   * Runs work done elsewhere through this node (a statement on a database server reached from it) and records it in
   * the audit log like the node's own commands, under this shell's purpose, `where` naming the server.
   */
  async audited<T>(where: string, command: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let ok = false;
    try {
      const result = await work();
      ok = true;
      return result;
    } finally {
      this.pool.recordElsewhere({
        time: new Date(started).toISOString(),
        profileId: this.profileId,
        node: where,
        command,
        exitCode: ok ? 0 : 1,
        durationMs: Date.now() - started,
        purpose: this.purpose,
      });
    }
  }

  /** A text file's content, or null when it does not exist. */
  async read(path: string): Promise<string | null> {
    const r = await this.run(['sh', '-c', 'if [ -f "$1" ]; then cat -- "$1"; else exit 3; fi', 'sh', path], {
      maxBuffer: 16 << 20,
      auditOutput: false,
    });
    if (r.code === 3) return null;
    if (r.code !== 0) {
      const label = await this.label();
      throw deployError(label, L(`${label}: cannot read ${path}: ${tail(r.stderr)}`, `${label}：无法读取 ${path}：${tail(r.stderr)}`));
    }
    return r.stdout;
  }

  async exists(path: string): Promise<boolean> {
    return (await this.run(['test', '-e', path])).code === 0;
  }

  /** Writes a file atomically (temp file, then rename) with the given mode; parents are created. */
  async write(path: string, content: string | Buffer, mode = 0o644): Promise<void> {
    await this.ok(writeArgv(path, mode), { stdin: content });
  }

  /**
   * Streams `source` into a file on the node with backpressure (as fast as the connection, never buffered whole) and
   * keeps it only when its sha256 is `sha256` (uploadArgv). A source that fails ends the transfer with its own error.
   */
  async upload(path: string, source: Readable, sha256: string, mode = 0o600): Promise<void> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`upload of ${path}: not a sha256: ${sha256}`);
    const argv = uploadArgv(path, mode, sha256);
    const { client } = await this.connection();
    const label = await this.label();
    await this.audited(label, commandLine(argv), async () => {
      const code = await new Promise<number | null>((resolve, reject) => {
        client.exec(commandLine(argv), (error, channel) => {
          if (error) return reject(error);
          let exit: number | null = null;
          channel.on('exit', (c: number | null) => (exit = c));
          channel.on('close', () => resolve(exit));
          channel.stderr.resume();
          channel.resume();
          this.signal?.addEventListener('abort', () => channel.destroy(), { once: true });
          pipeline(source, channel).catch((e: unknown) => {
            channel.destroy();
            reject(e instanceof Error ? e : new Error(String(e)));
          });
        });
      });
      if (code === UPLOAD_MISMATCH)
        throw deployError(
          label,
          L(
            `${label}: ${path} arrived different from what was sent (sha256): the connection dropped or the disk is full. Run the step again.`,
            `${label}：${path} 收到的内容与发送的不一致（sha256）：连接中断或磁盘已满。请重新运行此步骤。`,
          ),
        );
      if (code !== 0)
        throw deployError(
          label,
          L(`${label}: writing ${path} exited with ${code ?? 'no code'}.`, `${label}：写入 ${path} 退出码 ${code ?? '无'}。`),
        );
    });
  }

  /** sha256 of each file (null when missing). */
  async sha256(paths: readonly string[]): Promise<(string | null)[]> {
    // openssl uses the CPU's SHA instructions where sha256sum does not (about 7× less CPU on a 600 MB installer).
    const out = await this.ok([
      'sh',
      '-c',
      `for f in "$@"; do if [ -f "$f" ]; then ${SHA256_STDIN} < "$f" | cut -c1-64; else echo missing; fi; done`,
      'sh',
      ...paths,
    ]);
    const lines = out.trim().split('\n');
    return paths.map((_, i) => (/^[0-9a-f]{64}$/.test(lines[i] ?? '') ? lines[i]! : null));
  }
}

/** Turns output chunks into lines for the live log. */
function lineSplitter(emit: (line: string) => void) {
  let rest = '';
  return {
    push: (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const parts = text.split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const p of parts) emit(p);
    },
    flush: () => {
      if (rest) emit(rest);
      rest = '';
    },
  };
}
