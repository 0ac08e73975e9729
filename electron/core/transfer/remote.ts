/**
 * What a transfer needs from a node: its own SSH connection and a way to run argv commands on it
 * (through the pool, so every command lands in the audit log). Remote file checks live here:
 * sha256 of a whole file or of its first N bytes, computed on the node with coreutils.
 */
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import { SshError, classify } from '../ssh/errors';
import { commandLine } from '../ssh/quote';
import type { ExecOptions, ExecResult } from '../ssh/exec';
import { remoteCommandFailed } from './errors';

export interface RemoteSession {
  readonly client: Client;
  /** How messages name the node, e.g. `node-1 (10.0.0.11)`. */
  readonly label: string;
  /** Runs argv on this connection (recorded in the audit log by the caller's runner). */
  run(argv: readonly string[], options?: ExecOptions & { readonly purpose?: string }): Promise<ExecResult>;
  /** Records a command run outside `run` (a streaming one) in the audit log. */
  record?(argv: readonly string[], exitCode: number | null, durationMs: number, purpose: string): void;
}

/**
 * sha256 of a file on the node computed while the file is being written: `feed(n)` tells the node
 * that the next n bytes are in place; `result()` ends the input and returns the digest. One `head
 * -c n` per feed reads exactly those bytes from a descriptor held open on the file.
 */
export interface StreamingHash {
  feed(bytes: number): void;
  result(): Promise<string>;
  abort(): void;
}

export function streamingSha256(session: RemoteSession, path: string): Promise<StreamingHash> {
  const argv = ['sh', '-c', `exec 3< "$1" || exit 1; while read -r n; do head -c "$n" <&3 || exit 1; done | ${SHA256_STDIN}`, 'sh', path];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    session.client.exec(commandLine(argv), (error, channel) => {
      if (error) return reject(new SshError('protocol', session.label, { cause: error.message }));
      let out = '';
      let err = '';
      let code: number | null = null;
      channel.on('data', (d: Buffer) => (out += d.toString('utf8')));
      channel.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
      channel.on('exit', (c: number | null) => (code = c));
      // Recorded when the channel closes, whether or not anyone asks for the result; a failing record
      // reaches result()'s caller, and must not become an unhandled rejection (which ends the process).
      const closed = new Promise<void>((r) => channel.once('close', () => r())).then(() =>
        session.record?.(argv, code, performance.now() - started, 'transfer: sha256 while uploading'),
      );
      closed.catch(() => undefined);
      resolve({
        feed: (bytes) => {
          if (bytes > 0) channel.write(`${bytes}\n`);
        },
        result: async () => {
          channel.end();
          await closed;
          return parseSum(session, { code, signal: null, stdout: out, stderr: err, durationMs: 0, timedOut: false }, `sha256sum ${path}`);
        },
        abort: () => channel.close(),
      });
    });
  });
}

/** Runs argv and fails with the command's stderr when it exits non-zero. */
export async function runOk(
  session: RemoteSession,
  argv: readonly string[],
  what: string,
  options: ExecOptions & { readonly purpose?: string } = {},
): Promise<ExecResult> {
  const r = await session.run(argv, options);
  if (r.code !== 0) throw remoteCommandFailed(session.label, what, r.code, r.stderr);
  return r;
}

const HEX64 = /^([0-9a-f]{64})\b/;

/**
 * sha256 of stdin on the node, hash first on the output line. `openssl dgst -sha256 -r` where the
 * node has it (it uses the CPU's SHA instructions: about 7× less CPU than coreutils' sha256sum,
 * which matters on a node that is receiving at full speed), `sha256sum` otherwise.
 */
export const SHA256_STDIN = '{ if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r; else sha256sum; fi; }';

function parseSum(session: RemoteSession, r: ExecResult, what: string): string {
  const m = HEX64.exec(r.stdout.trim());
  if (r.code !== 0 || !m) throw remoteCommandFailed(session.label, what, r.code, r.stderr || r.stdout);
  return m[1]!;
}

/** sha256 of a file on the node. Read from stdin so no file name is ever escaped in the output. */
export async function remoteSha256(session: RemoteSession, path: string, signal?: AbortSignal): Promise<string> {
  const r = await session.run(['sh', '-c', `${SHA256_STDIN} < "$1"`, 'sh', path], {
    purpose: 'transfer: sha256',
    ...(signal ? { signal } : {}),
  });
  return parseSum(session, r, `sha256sum ${path}`);
}

/** sha256 of the first `length` bytes of a file on the node. */
export async function remotePrefixSha256(session: RemoteSession, path: string, length: number, signal?: AbortSignal): Promise<string> {
  const r = await session.run(['sh', '-c', `head -c "$1" < "$2" | ${SHA256_STDIN}`, 'sh', String(length), path], {
    purpose: 'transfer: sha256 of partial file',
    ...(signal ? { signal } : {}),
  });
  return parseSum(session, r, `sha256 of the first ${length} bytes of ${path}`);
}

/** Opens an SFTP session on the connection. */
export function openSftp(session: RemoteSession): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    session.client.sftp((error, sftp) => (error ? reject(classify(error, session.label)) : resolve(sftp)));
  });
}

const NO_SUCH_FILE = 2;

/** stat over SFTP; null when the path does not exist. */
export function sftpStat(sftp: SFTPWrapper, path: string, label: string): Promise<Stats | null> {
  return new Promise((resolve, reject) => {
    sftp.stat(path, (error, stats) => {
      if (!error) return resolve(stats);
      if ((error as { code?: number }).code === NO_SUCH_FILE) return resolve(null);
      reject(new SshError('protocol', label, { cause: `stat ${path}: ${error.message}` }));
    });
  });
}

export function isRegular(stats: Stats): boolean {
  return (stats.mode & 0o170000) === 0o100000;
}
