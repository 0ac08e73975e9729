/**
 * The ways of putting one file on one lab node that the upload benchmark compares, each measured
 * the same way: wall time and CPU (desktop, node, machine) of each phase, connection setup left
 * out. Every engine ends with the node's sha256 of the file checked against the local sum (the
 * reference's scp phase is what the benchmark reports as plain scp).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remoteSha256, runOk } from '../electron/core/transfer/remote';
import { uploadFile } from '../electron/core/transfer/upload';
import type * as lab from '../test/lab';
import { cpuMeter, minusSpent, spent, sumSpent, type CpuMeter, type CpuSnapshot, type CpuSpent } from './cpu';
import type { labSession } from './transfer-setup';

type Session = Awaited<ReturnType<typeof labSession>>;

export interface Phase {
  readonly name: string;
  readonly cpu: CpuSpent;
}

export interface EngineRun {
  readonly phases: readonly Phase[];
  readonly total: CpuSpent;
}

export interface Engine {
  readonly name: string;
  run(): Promise<EngineRun>;
}

/** The reference: what an operator does by hand. */
export const REFERENCE = 'scp + sha256sum';
const ours = (sumKnown: boolean) =>
  `uploadFile (stream into cat, sha256 on the node as it lands), local sha256 ${sumKnown ? 'known' : 'computed alongside'}`;
/** uploadFile as the transfer service's direct mode calls it. */
export const DEFAULT = ours(false);

export interface EngineContext {
  readonly node: lab.LabNode;
  readonly session: Session;
  readonly file: { readonly path: string; readonly dir: string; readonly size: number };
  /** The local file's sha256, computed once before the rounds (as a published checksum is). */
  readonly sha256: string;
  readonly knownHostsFile: string;
}

function total(phases: Phase[]): EngineRun {
  return { phases, total: sumSpent(...phases.map((p) => p.cpu)) };
}

/**
 * Measures `fn` as one phase. With `ownConnection`, `fn` opens and closes a connection of its own
 * (scp): its CPU is read once the node has reaped that connection's processes, its wall time when
 * `fn` returned.
 */
async function phase(meter: CpuMeter, name: string, fn: () => unknown, ownConnection = false): Promise<Phase> {
  const processes = meter.processes();
  const a = meter.snapshot();
  await fn();
  const end = performance.now() / 1000;
  if (ownConnection) await meter.settle(processes);
  return { name, cpu: { ...spent(a, meter.snapshot()), wall: end - a.wall } };
}

function expectSum(what: string, actual: string, expected: string): void {
  if (actual !== expected) throw new Error(`${what}: sha256 on the node ${actual} differs from the local ${expected}`);
}

export function engines(ctx: EngineContext, fastPut: readonly { concurrency: number; chunkSize: number }[]): Engine[] {
  const { node: n, session: s, file, sha256: known } = ctx;
  const meter = cpuMeter(n);
  // The same key as the upload; the host key checked against the same known_hosts file as ours.
  const sshOpts = [
    '-i',
    n.privateKeyPath,
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${ctx.knownHostsFile}`,
    '-o',
    'LogLevel=ERROR',
  ];
  const empty = join(file.dir, 'empty');
  writeFileSync(empty, '');
  const scp = (src: string, dst: string) =>
    execFileSync('scp', ['-q', ...sshOpts, src, `root@${n.address}:${dst}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  // node-ssh on the benchmark's own connection (the app's connections are NodeSSH objects:
  // authenticated, host key pinned).
  const ssh = s.connection.ssh;

  return [
    {
      // What an operator does by hand: copy, then hash on the node and compare with the published sum.
      name: REFERENCE,
      async run() {
        const setup = await phase(meter, 'setup', () => scp(empty, '/root/empty'), true);
        const copy = await phase(meter, 'scp', () => scp(file.path, '/root/scp.bin'), true);
        const check = await phase(meter, 'sha256sum', async () => {
          const r = await s.run(['sha256sum', '--', '/root/scp.bin']);
          expectSum('scp', r.stdout.split(/\s+/)[0] ?? '', known);
        });
        // Connection setup (key exchange, auth) left out, as for the others.
        return total([{ name: 'scp', cpu: minusSpent(copy.cpu, setup.cpu) }, check]);
      },
    },
    ...[false, true].map((sumKnown): Engine => ({
      name: ours(sumKnown),
      async run() {
        let sent: CpuSnapshot | null = null;
        const a = meter.snapshot();
        const r = await uploadFile(s, file.path, '/root/ours.bin', {
          ...(sumKnown ? { sha256: known } : {}),
          onProgress: (p) => p.phase === 'verifying' && !sent && (sent = meter.snapshot()),
        });
        const b = meter.snapshot();
        if (r.status !== 'uploaded' || r.sha256 !== known) throw new Error(`unexpected upload result ${JSON.stringify(r)}`);
        return total([
          { name: 'send', cpu: spent(a, sent ?? b) },
          { name: 'verify + rename', cpu: spent(sent ?? b, b) },
        ]);
      },
    })),
    ...fastPut.map(({ concurrency, chunkSize }): Engine => ({
      name: `node-ssh putFile (fastPut ${concurrency} × ${chunkSize} B) + sha256 on the node`,
      async run() {
        // As our upload: a temporary name, the node's sha256 (the same command ours uses), then the rename.
        const put = await phase(meter, 'putFile', () =>
          ssh.putFile(file.path, '/root/.fp.bin.part', null, { concurrency, chunkSize, mode: 0o644 }),
        );
        const check = await phase(meter, 'sha256 + rename', async () => {
          expectSum('putFile', await remoteSha256(s, '/root/.fp.bin.part'), known);
          await runOk(s, ['mv', '-f', '--', '/root/.fp.bin.part', '/root/fp.bin'], 'mv');
        });
        return total([put, check]);
      },
    })),
  ];
}

/** Files the engines leave on the node, removed between runs (outside the measurement). */
export const ENGINE_FILES = '/root/scp.bin /root/empty /root/ours.bin /root/.ours.bin.* /root/fp.bin /root/.fp.bin.part';
