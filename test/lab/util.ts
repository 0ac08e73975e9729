import { execFile, spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** test/lab/ */
export const LAB_DIR = path.dirname(fileURLToPath(import.meta.url));
/** the repository root */
export const REPO_ROOT = path.resolve(LAB_DIR, '..', '..');
/** Build cache for fixture installers (gitignored). */
/**
 * Built installers and database templates. Outside every path a node mounts over (the repository
 * itself may be under /tmp in CI), because nodes read the installers at the same host path.
 */
export const CACHE_DIR = process.env.HARBOR_LAB_CACHE ?? '/var/cache/harbor-lab';

/**
 * The prefix (`…/versions/2.7.18`) of a real Python 2.7 on this machine, which runs Harbor 1.5's `prepare` on the
 * lab's nodes: pyenv's 2.7 (`PYENV_VERSION=2.7.18 pyenv which python2.7`), else a `python2.7` on PATH. Null if none.
 */
export function python27Prefix(): string | null {
  const candidates: string[] = [];
  for (const root of [process.env.PYENV_ROOT, path.join(process.env.HOME ?? '/root', '.pyenv'), '/root/.pyenv']) {
    if (!root) continue;
    const versions = path.join(root, 'versions');
    if (fs.existsSync(versions))
      for (const v of fs
        .readdirSync(versions)
        .filter((v) => /^2\.7\.\d+$/.test(v))
        .sort()
        .reverse())
        candidates.push(path.join(versions, v));
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(path.dirname(dir));
  for (const prefix of candidates) {
    const bin = path.join(prefix, 'bin', 'python2.7');
    if (fs.existsSync(bin) && !fs.lstatSync(bin).isSymbolicLink()) return prefix;
  }
  return null;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a program (no shell) and collect its output; rejects only if it cannot be started. */
export function run(
  file: string,
  args: string[],
  opts: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { cwd: opts.cwd, env: opts.env ?? process.env, maxBuffer: 64 << 20, timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string') return reject(err);
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like `run` but throws with the output when the exit code is not 0. */
export async function runOk(file: string, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<string> {
  const r = await run(file, args, opts);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Start a long-running process in its own process group, output appended to `logFile`. */
export function startDaemon(file: string, args: string[], logFile: string, opts: SpawnOptions = {}) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(file, args, { stdio: ['ignore', fd, fd], detached: true, ...opts });
  fs.closeSync(fd);
  child.unref();
  return child;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolve when `host:port` accepts TCP connections. */
export async function waitForPort(
  host: string,
  port: number,
  timeoutMs = 15_000,
  what = `${host}:${port}`,
  isDead?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    const dead = isDead?.();
    if (dead) throw new Error(`${what} did not start: ${dead}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(15);
  }
}

/** Resolve when `host:port` refuses connections. */
export async function waitForPortClosed(host: string, port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (!open) return;
    if (Date.now() > deadline) throw new Error(`${host}:${port} still open`);
    await sleep(15);
  }
}

/** Random string from [A-Za-z0-9]. */
export function randomAlnum(n: number): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += abc[bytes[i]! % abc.length];
  return s;
}

/** `SHA256:…` fingerprint of an OpenSSH public key line, as `ssh-keygen -lf` prints it. */
export function fingerprintOfPublicKey(line: string): string {
  const blob = Buffer.from(line.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Generate an ed25519 key pair with ssh-keygen; returns the private key path. */
export async function sshKeygen(file: string, comment: string): Promise<{ privateKeyPath: string; publicKey: string }> {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return { privateKeyPath: file, publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim() };
}
