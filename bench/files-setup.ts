/**
 * What the Files benchmarks share: one lab node, the app's RemoteFilesService on a real SshPool (host key pinned from
 * the lab), and OpenSSH's own client for the reference with the same host key in a known_hosts of its own (never the
 * user's), over one master connection so the reference is not charged a handshake per command.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../electron/core/audit';
import { RemoteFilesService } from '../electron/core/files/remote-service';
import { Redactor } from '../electron/core/log';
import { KnownHosts } from '../electron/core/ssh/known-hosts';
import { SshPool } from '../electron/core/ssh/pool';
import * as lab from '../test/lab';

export interface FilesBench {
  readonly node: lab.LabNode;
  readonly files: RemoteFilesService;
  /** A folder of its own for downloads. */
  readonly dir: string;
  /** OpenSSH's ssh / scp with the lab's key and host key; `ssh` over the master connection. */
  ssh(command: string): string;
  scp(remote: string, local: string): void;
  close(): Promise<void>;
}

export async function filesBench(): Promise<FilesBench> {
  const l = await lab.up({ nodes: 1, services: [] });
  const node = l.node(1);
  const dir = mkdtempSync(join(tmpdir(), 'bench-files-'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${node.knownHostsLine}\n`);
  const redactor = new Redactor();
  const pool = new SshPool({
    knownHosts: new KnownHosts(knownHosts),
    audit: new AuditLog(join(dir, 'audit.log'), redactor),
    redactor,
    resolve: () => ({
      label: node.name,
      host: node.address,
      port: node.port,
      user: 'root',
      auth: { kind: 'key', keyPath: node.privateKeyPath },
      jumps: [],
    }),
  });
  const files = new RemoteFilesService({ pool, audit: new AuditLog(join(dir, 'audit.log'), redactor) });
  const common = [
    '-i',
    node.privateKeyPath,
    '-o',
    'LogLevel=ERROR',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
  ];
  const control = ['-o', `ControlPath=${join(dir, 'ctl')}`];
  execFileSync('ssh', [...common, ...control, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=yes', '-f', '-N', `root@${node.address}`]);
  return {
    node,
    files,
    dir,
    ssh: (command) =>
      execFileSync('ssh', [...common, ...control, `root@${node.address}`, command], { encoding: 'utf8', maxBuffer: 64 << 20 }),
    scp: (remote, local) => execFileSync('scp', ['-q', ...common, `root@${node.address}:${remote}`, local]),
    async close() {
      try {
        execFileSync('ssh', [...common, ...control, '-O', 'exit', `root@${node.address}`], { stdio: 'ignore' });
      } catch {
        // The master is gone already.
      }
      files.closeAll();
      pool.closeAll();
      await l.down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The median of `runs` timings of `work`, in seconds. */
export async function medianSeconds(runs: number, work: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
