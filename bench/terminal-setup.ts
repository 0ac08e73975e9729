/**
 * Shared setup of the terminal benchmarks: a one-node lab, a core with a profile pointing at it
 * (host key trusted), serve mode's WebSocket, and the client process (bench/terminal-client.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe, type ServeHandle } from '../electron/core/serve/server';
import { profileSchema } from '../shared/profile';
import { testCore } from '../test/helpers/core';
import { v2Profile } from '../test/helpers/profiles';
import * as lab from '../test/lab';

const here = dirname(fileURLToPath(import.meta.url));

export interface TerminalBench {
  readonly lab: lab.Lab;
  readonly core: ReturnType<typeof testCore>;
  readonly serve: ServeHandle;
  /** Runs the client process; answers its events. */
  client(args: Record<string, unknown>, onEvent?: (e: Record<string, unknown>) => void): Promise<Record<string, unknown>[]>;
  /** `ssh` argv prefix for OpenSSH against node 1 (key auth, host key pinned). */
  sshArgv(): string[];
  down(): Promise<void>;
}

export async function terminalBench(): Promise<TerminalBench> {
  const l = await lab.up({ nodes: 1, services: [] });
  const core = testCore();
  await core.vault.initialize('bench vault passphrase');
  await core.profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'bench';
        p.nodes = [
          {
            id: 'n1',
            name: 'node-1',
            host: l.node(1).address,
            auth: { kind: 'key', keyPath: l.node(1).privateKeyPath, passphrase: { set: false } },
          },
        ];
      }),
    ),
  );
  const test = (await core.dispatcher.call('ssh.test', { profileId: 'bench', nodeId: 'n1' }, { transport: 'websocket' })) as {
    ok: true;
    value: { status: string; fingerprint: string };
  };
  if (test.value.status === 'host_key_unknown')
    await core.dispatcher.call('ssh.trustHostKey', { fingerprint: test.value.fingerprint }, { transport: 'websocket' });
  const staticDir = mkdtempSync(join(tmpdir(), 'harbor-bench-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>bench</title>');
  const serve = await startServe({ dispatcher: core.dispatcher, log: core.log, staticDir });
  const knownHosts = join(core.dataDir, 'openssh_known_hosts');
  writeFileSync(knownHosts, `${l.node(1).knownHostsLine}\n`);

  return {
    lab: l,
    core,
    serve,
    client(args, onEvent) {
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            ...(process.env.BENCH_CLIENT_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
            '--import',
            'tsx',
            join(here, 'terminal-client.ts'),
            JSON.stringify({
              wsUrl: `ws://127.0.0.1:${serve.port}/api`,
              origin: serve.origin,
              token: serve.token,
              profileId: 'bench',
              nodeId: 'n1',
              ...args,
            }),
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        const events: Record<string, unknown>[] = [];
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const e = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
            buf = buf.slice(i + 1);
            events.push(e);
            onEvent?.(e);
          }
        });
        child.on('exit', (code) => (code === 0 ? resolve(events) : reject(new Error(`bench client exited with ${code}`))));
      });
    },
    sshArgv: () => [
      '-i',
      l.node(1).privateKeyPath,
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'LogLevel=ERROR',
      `root@${l.node(1).address}`,
    ],
    async down() {
      await core.close();
      await serve.close();
      await l.down();
    },
  };
}

/** Wall time of a command, in ms. */
export function timed(argv: string[]): number {
  const started = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited with ${r.status}`);
  return performance.now() - started;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
