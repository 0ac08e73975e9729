/**
 * Shared pieces of the transfer benchmarks: a random file, a transfer session on a lab node (own
 * ssh2 connection, host key pinned), and a bandwidth-limited TCP relay that stands for the desktop's
 * uplink (token bucket shared by every connection through it, bytes counted per direction).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type SshConnection } from '../electron/core/ssh/connect';
import { execArgv } from '../electron/core/ssh/exec';
import { KnownHosts } from '../electron/core/ssh/known-hosts';
import type { RemoteSession } from '../electron/core/transfer/remote';
import type * as lab from '../test/lab';

export const MB = 1024 * 1024;

export function randomFile(sizeBytes: number): { path: string; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-transfer-'));
  const path = join(dir, 'payload.bin');
  execFileSync('sh', ['-c', `head -c ${sizeBytes} /dev/urandom > "$1"`, 'sh', path]);
  return { path, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A session on a lab node, optionally through a relay at `via` (host:port). */
export async function labSession(
  n: lab.LabNode,
  knownHosts: KnownHosts,
  via?: { host: string; port: number },
): Promise<RemoteSession & { connection: SshConnection }> {
  const connection = await connect(
    {
      label: n.name,
      host: via?.host ?? n.address,
      port: via?.port ?? n.port,
      user: 'root',
      auth: { kind: 'key', keyPath: n.privateKeyPath },
      expectedFingerprint: n.hostKeyFingerprint,
    },
    { knownHosts },
  );
  return { connection, client: connection.client, label: n.name, run: (argv, o = {}) => execArgv(connection.ssh, argv, n.name, o) };
}

/** Shared token bucket: `take(n)` says how long to wait before n bytes may go. */
class TokenBucket {
  #tokens: number;
  #last = performance.now();
  constructor(
    readonly rate: number,
    readonly burst: number,
  ) {
    this.#tokens = burst;
  }
  take(n: number): number {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
    this.#last = now;
    this.#tokens -= n;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.rate) * 1000;
  }
}

export interface Uplink {
  /** Bytes the desktop sent through the relay (upstream), and received. */
  readonly up: number;
  readonly down: number;
  /** A listening port on 127.0.0.1 forwarding to `host:port` through the shared limit. */
  forward(host: string, port: number): Promise<{ host: string; port: number }>;
  reset(): void;
  close(): Promise<void>;
}

/** The desktop's uplink: upstream limited to `bytesPerSecond` in total, downstream unlimited. */
export function uplink(bytesPerSecond: number): Uplink {
  const bucket = new TokenBucket(bytesPerSecond, bytesPerSecond / 20);
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let up = 0;
  let down = 0;
  return {
    get up() {
      return up;
    },
    get down() {
      return down;
    },
    reset() {
      up = 0;
      down = 0;
    },
    forward(host, port) {
      const server = createServer((client) => {
        const remote = tcpConnect({ host, port });
        sockets.add(client).add(remote);
        client.setNoDelay(true);
        remote.setNoDelay(true);
        // Upstream: each chunk waits for its tokens; the client is paused meanwhile, so order holds.
        client.on('data', (chunk: Buffer) => {
          up += chunk.length;
          const wait = bucket.take(chunk.length);
          if (wait <= 0) {
            remote.write(chunk);
            return;
          }
          client.pause();
          setTimeout(() => {
            remote.write(chunk);
            client.resume();
          }, wait);
        });
        remote.on('data', (chunk: Buffer) => {
          down += chunk.length;
          if (!client.write(chunk)) {
            remote.pause();
            client.once('drain', () => remote.resume());
          }
        });
        const end = () => {
          client.destroy();
          remote.destroy();
          sockets.delete(client);
          sockets.delete(remote);
        };
        client.on('close', end).on('error', end);
        remote.on('close', end).on('error', end);
      });
      servers.push(server);
      return new Promise((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve({ host: '127.0.0.1', port: (server.address() as { port: number }).port })),
      );
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

/** A known_hosts file with the lab nodes' keys under their addresses (what the app would know). */
export function labKnownHosts(dir: string, nodes: readonly lab.LabNode[]): KnownHosts {
  const kh = new KnownHosts(join(dir, 'known_hosts'));
  execFileSync('sh', ['-c', 'printf "%s\\n" "$@" > "$0"', kh.appFile, ...nodes.map((n) => n.knownHostsLine)]);
  return kh;
}
