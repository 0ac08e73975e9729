/**
 * The SSH connections health sweeps use: one per node, kept between sweeps (a login every 30 s on
 * every node would fill its auth log and cost a key exchange each time) but never trusted blindly.
 * Before a kept connection is used, the node's sshd must still greet a new TCP connection within the
 * connect timeout: a stopped sshd or a node gone from the network shows as such at once, even though
 * an old session might linger. Nodes behind jump hosts get a fresh connection per sweep (their SSH
 * port is not reachable from here to ask). A connection is renewed after a while, so a changed host
 * key or password is noticed.
 */
import { connect as tcpConnect } from 'node:net';
import type { NodeProfile } from '../../../shared/profile';
import type { SshConnection } from '../ssh/connect';
import { SshError } from '../ssh/errors';
import type { SshPool } from '../ssh/pool';

export const KEEP = { maxAgeMs: 10 * 60_000, greetingTimeoutMs: 10_000 } as const;

/** Waits for sshd's identification line ("SSH-2.0-…") on a new TCP connection, then hangs up. */
export function sshGreeting(host: string, port: number, label: string, timeoutMs: number = KEEP.greetingTimeoutMs): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    let seen = '';
    const finish = (error?: SshError) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => finish(new SshError('timeout', label)), timeoutMs);
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen.startsWith('SSH-')) finish();
      else if (seen.length >= 4)
        finish(new SshError('protocol', label, { cause: `not an SSH server: ${JSON.stringify(seen.slice(0, 40))}` }));
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? '';
      finish(
        code === 'ECONNREFUSED'
          ? new SshError('refused', label)
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? new SshError('dns', label)
            : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
              ? new SshError('unreachable', label)
              : new SshError('protocol', label, { cause: e.message }),
      );
    });
    socket.on('close', () => finish(new SshError('disconnected', label)));
  });
}

interface Kept {
  readonly connection: SshConnection;
  readonly key: string;
  readonly openedAt: number;
}

export interface Lease {
  readonly connection: SshConnection;
  /** Done with it for this sweep; `broken` drops it (a command hung on it). */
  release(broken?: boolean): void;
}

export class HealthConnections {
  readonly #kept = new Map<string, Kept>();

  constructor(
    private readonly pool: SshPool,
    private readonly profileId: string,
  ) {}

  /** A connection to the node, checked as described above. Throws SshError (or a vault/API error). */
  async lease(node: NodeProfile, label: string): Promise<Lease> {
    const key = JSON.stringify([node.host, node.port, node.user, node.auth, node.jumpHosts, node.hostKeyFingerprint ?? '']);
    if (node.jumpHosts.length) {
      const connection = await this.pool.open(this.profileId, node.id);
      return { connection, release: () => connection.close() };
    }
    const kept = this.#kept.get(node.id);
    if (kept && (kept.key !== key || Date.now() - kept.openedAt > KEEP.maxAgeMs)) this.#drop(node.id);
    const current = this.#kept.get(node.id);
    if (current) {
      await sshGreeting(node.host, node.port, label);
      // Still open after the greeting? (It may have closed meanwhile.)
      if (this.#kept.get(node.id) === current) {
        return { connection: current.connection, release: (broken) => broken && this.#drop(node.id) };
      }
    }
    const connection = await this.pool.open(this.profileId, node.id);
    const entry: Kept = { connection, key, openedAt: Date.now() };
    this.#kept.set(node.id, entry);
    connection.client.once('close', () => {
      if (this.#kept.get(node.id) === entry) this.#kept.delete(node.id);
    });
    return { connection, release: (broken) => broken && this.#drop(node.id) };
  }

  #drop(nodeId: string): void {
    const k = this.#kept.get(nodeId);
    this.#kept.delete(nodeId);
    k?.connection.close();
  }

  /** Closes connections of nodes that are gone from the profile, or all of them. */
  prune(keep: readonly string[] = []): void {
    for (const id of [...this.#kept.keys()]) if (!keep.includes(id)) this.#drop(id);
  }
}
