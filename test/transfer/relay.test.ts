/** transfer.* through the real core against the lab: relay with a short-lived key, direct mode, retries, errors. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferEvent } from '../../shared/api/contracts/transfer';
import { ApiError } from '../../shared/errors';
import { profileSchema } from '../../shared/profile';
import type { SshConnection } from '../../electron/core/ssh/connect';
import { KnownHosts } from '../../electron/core/ssh/known-hosts';
import type { SshPool } from '../../electron/core/ssh/pool';
import { RELAY_COMMENT_PREFIX } from '../../electron/core/transfer/relay';
import { TransferService } from '../../electron/core/transfer/service';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';
import * as lab from '../lab';

let l: lab.Lab;
let dir: string;
const core = testCore();
const call = <T>(name: string, input: unknown) =>
  core.dispatcher.call(name, input, { transport: 'websocket' }).then((env) => {
    if (!env.ok) throw ApiError.from(env.error);
    return env.value as T;
  });

type Finished = Extract<TransferEvent, { kind: 'finished' }>;

/** Starts a transfer, follows it through transfer.progress and returns every event and the finish. */
async function transfer(
  input: Record<string, unknown>,
  onEvent?: (e: TransferEvent) => void,
): Promise<{ events: TransferEvent[]; finished: Finished }> {
  const { transferId } = await call<{ transferId: string }>('transfer.upload', { profileId: 'lab', ...input });
  const events: TransferEvent[] = [];
  return new Promise((resolve, reject) => {
    const sub = core.dispatcher.subscribe(
      'sub-' + transferId,
      'transfer.progress',
      { transferId },
      (m) => {
        if (m.kind === 'data') {
          const e = m.payload as TransferEvent;
          events.push(e);
          onEvent?.(e);
          if (e.kind === 'finished') resolve({ events, finished: e });
        } else if (m.kind === 'error') reject(ApiError.from(m.error));
      },
      { transport: 'websocket' },
    );
    if (!sub.envelope.ok) reject(ApiError.from(sub.envelope.error));
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function file(name: string, size: number) {
  const data = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, sha256: sha(data) };
}

async function noRelayLeftovers() {
  for (const n of l.nodes) {
    const keys = (await n.exists('/root/.ssh/authorized_keys')) ? (await n.readFile('/root/.ssh/authorized_keys')).toString() : '';
    expect(keys, `${n.name} authorized_keys`).not.toContain(RELAY_COMMENT_PREFIX);
    expect(keys, `${n.name} keeps the lab's own key`).toContain(n.publicKey.trim().split(/\s+/)[1]);
    expect(
      (await n.execOk('ls -A /tmp')).split('\n').filter((x) => x.startsWith('harbor-relay.')),
      `${n.name} /tmp`,
    ).toEqual([]);
  }
}

beforeAll(async () => {
  l = await lab.up({ nodes: 3, services: [] });
  dir = mkdtempSync(join(tmpdir(), 'relay-test-'));
  await core.vault.initialize('vault passphrase for transfer tests');
  await core.profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.nodes = l.nodes.map((n, i) => ({
          id: `n${i + 1}`,
          name: n.name,
          host: n.address,
          hostKeyFingerprint: n.hostKeyFingerprint,
          auth:
            i === 1
              ? { kind: 'password', password: { value: n.password } }
              : { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
        }));
      }),
    ),
  );
}, 180_000);

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(core.dataDir, { recursive: true, force: true });
  await l?.down();
});

describe('transfer.upload relay', () => {
  it('uploads once to node 1, which copies to the others; sha256 matches everywhere and the temporary key is gone', async () => {
    const f = file('installer.tgz', 3 << 20);
    const keyLines: string[] = [];
    const seen: Promise<void>[] = [];
    const { events, finished } = await transfer(
      { nodeIds: ['n1', 'n2', 'n3'], localPath: f.path, remotePath: '/opt/harbor/installer.tgz', mode: 'relay' },
      (e) => {
        // While node 1 copies, the target holds the restricted key.
        if (e.kind === 'node' && e.node.status === 'copying' && e.node.nodeId === 'n2' && keyLines.length === 0) {
          keyLines.push('pending');
          seen.push(
            l
              .node(2)
              .readFile('/root/.ssh/authorized_keys')
              .then(
                (b) =>
                  void keyLines.push(
                    ...b
                      .toString()
                      .split('\n')
                      .filter((x) => x.includes(RELAY_COMMENT_PREFIX)),
                  ),
              ),
          );
        }
      },
    );
    await Promise.all(seen);
    expect(finished.nodes.filter((n) => n.error).map((n) => n.error!.message.en)).toEqual([]);
    expect(finished.status).toBe('done');
    expect(finished.sentBytes).toBe(3 << 20); // the desktop sent the file once
    expect(finished.sha256).toBe(f.sha256);
    for (const n of l.nodes) expect(sha(await n.readFile('/opt/harbor/installer.tgz')), n.name).toBe(f.sha256);
    expect(finished.nodes.map((n) => [n.nodeId, n.status, n.sha256])).toEqual([
      ['n1', 'done', f.sha256],
      ['n2', 'done', f.sha256],
      ['n3', 'done', f.sha256],
    ]);
    expect(finished.nodes.filter((n) => n.nodeId !== 'n1').every((n) => n.via === 'n1' && n.keyRemoved === true)).toBe(true);
    expect(keyLines[1]).toMatch(
      new RegExp(
        `^from="${l.node(1).address.replace(/\./g, '\\.')}[^"]*",no-pty,no-agent-forwarding,no-X11-forwarding,no-port-forwarding ssh-ed25519 \\S+ ${RELAY_COMMENT_PREFIX}`,
      ),
    );
    const statuses = (id: string) =>
      events.filter((e) => e.kind === 'node' && e.node.nodeId === id).map((e) => (e.kind === 'node' ? e.node.status : ''));
    expect(statuses('n1')).toEqual(expect.arrayContaining(['connecting', 'checking', 'uploading', 'verifying', 'done']));
    expect(statuses('n3')).toEqual(expect.arrayContaining(['connecting', 'copying', 'verifying', 'done']));
    for (const n of l.nodes) expect((await n.execOk('ls -A /opt/harbor')).trim(), n.name).toBe('installer.tgz');
    await noRelayLeftovers();

    // Again: every node has it already, nothing is sent.
    const again = await transfer({
      nodeIds: ['n1', 'n2', 'n3'],
      localPath: f.path,
      remotePath: '/opt/harbor/installer.tgz',
      mode: 'relay',
    });
    expect(again.finished.status).toBe('done');
    expect(again.finished.sentBytes).toBe(0);
    expect(again.finished.nodes.map((n) => n.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    await noRelayLeftovers();
  });

  it('fails only the node whose sshd is down; the others get the file and no key remains anywhere', async () => {
    const f = file('bundle.tar.gz', 2 << 20);
    await l.node(3).stopSshd();
    try {
      const { finished } = await transfer({
        nodeIds: ['n1', 'n2', 'n3'],
        localPath: f.path,
        remotePath: '/data/bundle.tar.gz',
        mode: 'relay',
      });
      expect(finished.status).toBe('partial');
      const [n1, n2, n3] = finished.nodes;
      expect([n1!.status, n2!.status, n3!.status]).toEqual(['done', 'done', 'failed']);
      expect(n3!.error).toMatchObject({ code: 'ssh', reason: 'refused', node: `node-3 (${l.node(3).address})` });
      expect(sha(await l.node(2).readFile('/data/bundle.tar.gz'))).toBe(f.sha256);
      expect(await l.node(3).exists('/data/bundle.tar.gz')).toBe(false);
    } finally {
      await l.node(3).startSshd();
    }
    await noRelayLeftovers();
  });

  it('fails a target whose copy breaks after the key was installed, and still removes the key there', async () => {
    const f = file('broken.bin', 1 << 20);
    // node-3 cannot write the target directory: a file stands where the directory should be.
    // (/opt is the node's own tmpfs.)
    await l.node(3).execOk('printf x > /opt/blocked');
    const { finished } = await transfer({
      nodeIds: ['n1', 'n2', 'n3'],
      localPath: f.path,
      remotePath: '/opt/blocked/broken.bin',
      mode: 'relay',
    }).catch(() => ({ finished: null }));
    // nodes 1 and 2 have no /opt/blocked file: they get the file, node 3 fails.
    expect(finished!.nodes.map((n) => n.status)).toEqual(['done', 'done', 'failed']);
    expect(finished!.nodes[2]!.error?.code).toBe('ssh');
    expect(finished!.nodes[2]!.keyRemoved).toBe(true);
    await noRelayLeftovers();
  });
});

describe('transfer.upload direct', () => {
  it('uploads to each node over its own connection and reports progress per node', async () => {
    const f = file('direct.bin', 1 << 20);
    const { finished, events } = await transfer({ nodeIds: ['n1', 'n2'], localPath: f.path, remotePath: '/root/direct.bin' });
    expect(finished.status).toBe('done');
    expect(finished.sentBytes).toBe(2 << 20);
    for (const n of [l.node(1), l.node(2)]) expect(sha(await n.readFile('/root/direct.bin'))).toBe(f.sha256);
    expect(events.some((e) => e.kind === 'node' && e.node.nodeId === 'n2' && e.node.status === 'uploading')).toBe(true);
    const audit = await call<{ command: string; node: string }[]>('activity.list', { profileId: 'lab' });
    expect(audit.some((e) => e.command.startsWith('sh -c') && e.command.includes('sha256sum'))).toBe(true);
  });

  it('names the localPath field when the local file is missing or a directory', async () => {
    for (const localPath of [join(dir, 'nope.tgz'), dir]) {
      const e = (await call('transfer.upload', { profileId: 'lab', nodeIds: ['n1'], localPath, remotePath: '/root/x.tgz' }).catch(
        (x: unknown) => x,
      )) as ApiError;
      expect(e.code).toBe('invalid_input');
      expect(e.issues?.map((i) => i.path)).toEqual(['localPath']);
    }
    const rel = (await call('transfer.upload', {
      profileId: 'lab',
      nodeIds: ['n1'],
      localPath: join(dir, 'direct.bin'),
      remotePath: 'relative/x',
    }).catch((x: unknown) => x)) as ApiError;
    expect(rel.code).toBe('invalid_input');
    expect(rel.issues?.[0]?.path).toBe('remotePath');
  });

  it('cancels a running transfer', async () => {
    const f = file('cancel.bin', 6 << 20);
    let cancelled = false;
    const { finished } = await transfer({ nodeIds: ['n1'], localPath: f.path, remotePath: '/root/cancel.bin' }, (e) => {
      if (!cancelled && e.kind === 'node' && e.node.status === 'uploading' && e.node.bytes > 0) {
        cancelled = true;
        void call<{ cancelled: boolean }>('transfer.cancel', { transferId: e.transferId });
      }
    });
    if (finished.nodes[0]!.status === 'done') return; // finished before the cancel arrived
    expect(finished.status).toBe('cancelled');
    expect(finished.nodes[0]).toMatchObject({ status: 'cancelled', error: { reason: 'cancelled' } });
    expect(await call('transfer.cancel', { transferId: finished.transferId })).toEqual({ cancelled: false });
  });
});

describe('TransferService', () => {
  it('reconnects after a dropped connection and resumes from the partial file', async () => {
    const f = file('retry.bin', 8 << 20);
    const opened: SshConnection[] = [];
    const pool = {
      open: async (profileId: string, nodeId: string) => {
        const c = await core.ssh.open(profileId, nodeId);
        opened.push(c);
        return c;
      },
      runOn: core.ssh.runOn.bind(core.ssh),
    } as unknown as SshPool;
    const service = new TransferService({
      pool,
      knownHosts: new KnownHosts(join(dir, 'unused_known_hosts')),
      audit: core.audit,
      retryDelayMs: 50,
      upload: { blockSize: 64 << 10, progressIntervalMs: 0 },
    });
    const { transferId } = await service.start({
      profileId: 'lab',
      nodeIds: ['n2'],
      localPath: f.path,
      remotePath: '/root/retry.bin',
      mode: 'direct',
    });
    let dropped = false;
    let firstAttempt = 0;
    service.subscribe(transferId, (e) => {
      if (e.kind === 'node' && e.node.status === 'uploading' && e.node.attempt === 1) firstAttempt = Math.max(firstAttempt, e.node.bytes);
      if (!dropped && e.kind === 'node' && e.node.status === 'uploading' && e.node.bytes >= 4 << 20) {
        dropped = true;
        opened[0]!.client.destroy();
      }
    });
    const finished = await service.wait(transferId)!;
    expect(dropped).toBe(true);
    expect(finished.status).toBe('done');
    expect(finished.nodes[0]).toMatchObject({ status: 'done', attempt: 2, sha256: f.sha256 });
    // The second attempt continued from what the node had written and sent only the rest.
    const resumedFrom = finished.nodes[0]!.resumedFrom;
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(firstAttempt);
    expect(finished.sentBytes).toBe(firstAttempt + (8 << 20) - resumedFrom);
    expect(opened).toHaveLength(2);
    expect(sha(await l.node(2).readFile('/root/retry.bin'))).toBe(f.sha256);
  });
});
