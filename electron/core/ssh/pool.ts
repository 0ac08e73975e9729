/**
 * SSH connections per profile node, each one node-ssh `NodeSSH`. Commands share one connection
 * per node (re-opened when it drops); terminals and file transfers open their own, so a bulk
 * upload never sits in front of the operator's keystrokes. Every command goes through `run`:
 * argv only, output streamed, secrets masked in the audit log.
 */
import type { NodeSSH } from 'node-ssh';
import type { ActivityOrigin } from '../../../shared/api/contracts/ssh';
import type { AuditLog, AuditRecord } from '../audit';
import type { Redactor } from '../log';
import { commandLine } from './quote';
import { connect, type ConnectOptions, type SshConnection, type SshTarget, type UnknownHostKey } from './connect';
import { SshError } from './errors';
import { execArgv, MAX_BUFFER, type ExecOptions, type ExecResult } from './exec';
import type { KnownHosts } from './known-hosts';

export interface PoolOptions {
  readonly knownHosts: KnownHosts;
  readonly audit: AuditLog;
  readonly redactor: Redactor;
  /** Resolves a profile node to its target (reads the vault). */
  readonly resolve: (profileId: string, nodeId: string) => SshTarget;
  readonly readyTimeoutMs?: number;
}

export interface RunOptions extends ExecOptions {
  /** Shown in the Activity page, e.g. "preflight: docker version". */
  readonly purpose?: string;
  /** 'automatic' for the checks the app runs by itself (the Activity page keeps them apart); the operator's by default. */
  readonly origin?: ActivityOrigin;
  /**
   * False when the output is a file's content: it can hold keys the app never learned (Harbor's secretkey, its token
   * signing key), which the redactor cannot mask, so the audit keeps none of it.
   */
  readonly auditOutput?: boolean;
}

export class SshPool {
  readonly #shared = new Map<string, Promise<SshConnection>>();
  readonly #open = new Set<SshConnection>();
  /** Keys hosts presented that nobody trusted yet, by fingerprint: `trust()` records one of them. */
  readonly #untrusted = new Map<string, UnknownHostKey & { key: Buffer }>();

  constructor(private readonly options: PoolOptions) {}

  #connectOptions(): ConnectOptions {
    return {
      knownHosts: this.options.knownHosts,
      onSecret: (v) => this.options.redactor.add(v),
      onUntrustedKey: (info) => this.#untrusted.set(info.fingerprint, info),
      ...(this.options.readyTimeoutMs ? { readyTimeoutMs: this.options.readyTimeoutMs } : {}),
    };
  }

  /** A new connection of its own (terminal, transfer); the caller closes it. */
  open(profileId: string, nodeId: string): Promise<SshConnection> {
    return this.openTarget(this.options.resolve(profileId, nodeId));
  }

  /** A new connection to a target the caller resolved (a node of a form not saved yet); the caller closes it. */
  async openTarget(target: SshTarget): Promise<SshConnection> {
    const connection = await connect(target, this.#connectOptions());
    this.#open.add(connection);
    connection.client.once('close', () => this.#open.delete(connection));
    return connection;
  }

  /** The shared command connection of a node. */
  shared(profileId: string, nodeId: string): Promise<SshConnection> {
    const key = `${profileId}/${nodeId}`;
    let pending = this.#shared.get(key);
    if (!pending) {
      pending = this.open(profileId, nodeId);
      this.#shared.set(key, pending);
      pending.then(
        (c) => c.client.once('close', () => this.#shared.get(key) === pending && this.#shared.delete(key)),
        () => this.#shared.get(key) === pending && this.#shared.delete(key),
      );
    }
    return pending;
  }

  /** Runs argv on a node, records it in the audit log (secrets masked) and returns the result. */
  async run(profileId: string, nodeId: string, argv: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
    const connection = await this.shared(profileId, nodeId);
    return this.runOn(connection.ssh, connection.target.label, argv, { ...options, profileId });
  }

  /** Like run, on a connection the caller holds. */
  async runOn(
    ssh: NodeSSH,
    label: string,
    argv: readonly string[],
    options: RunOptions & { profileId?: string } = {},
  ): Promise<ExecResult> {
    const { origin, auditOutput = true, purpose, profileId, ...exec } = options;
    const started = Date.now();
    // Bytes each stream wrote, to know whether the result holds all of it (it keeps at most maxBuffer).
    const written = { out: 0, err: 0 };
    let result: ExecResult | undefined;
    try {
      result = await execArgv(ssh, argv, label, {
        ...exec,
        onStdout: (chunk) => {
          written.out += chunk.length;
          exec.onStdout?.(chunk);
        },
        onStderr: (chunk) => {
          written.err += chunk.length;
          exec.onStderr?.(chunk);
        },
      });
      return result;
    } finally {
      const kept = exec.maxBuffer ?? MAX_BUFFER;
      this.options.audit.record({
        time: new Date(started).toISOString(),
        ...(profileId ? { profileId } : {}),
        node: label,
        command: commandLine(argv),
        exitCode: result ? result.code : null,
        durationMs: Date.now() - started,
        ...(purpose ? { purpose } : {}),
        ...(origin ? { origin } : {}),
        ...(result && auditOutput
          ? {
              output: {
                stdout: { text: result.stdout, whole: written.out <= kept },
                stderr: { text: result.stderr, whole: written.err <= kept },
              },
            }
          : {}),
      });
    }
  }

  /** Records in the audit log what was done on another server through a node (SQL through its tunnel). */
  recordElsewhere(entry: AuditRecord): void {
    this.options.audit.record(entry);
  }

  /** Records a key a host presented earlier (by its fingerprint) as trusted. */
  trust(fingerprint: string): UnknownHostKey {
    const seen = this.#untrusted.get(fingerprint);
    if (!seen) {
      throw new SshError('protocol', 'host', { cause: `no host presented the key ${fingerprint} recently; connect again` });
    }
    this.options.knownHosts.add(seen.host, seen.port, seen.key);
    this.#untrusted.delete(fingerprint);
    const { key: _key, ...info } = seen;
    return info;
  }

  closeAll(): void {
    for (const c of this.#open) c.close();
    this.#open.clear();
    this.#shared.clear();
  }
}
