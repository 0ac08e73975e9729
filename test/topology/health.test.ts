/**
 * Live health against the lab: a Harbor 2.x cluster of three nodes behind HAProxy, checked through
 * the core's API (the dispatcher, as the UI does). Redis stopped, a node's sshd stopped, a container
 * down and a node with its own key material are each seen as the operator must see them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologySnapshot } from '../../shared/api/contracts/topology';
import { createClient, type ApiClient } from '../../shared/api/client';
import type { Envelope, StreamMessage, Transport } from '../../shared/api/wire';
import { testCore } from '../helpers/core';
import type { Lab } from '../lab';
import { harborLab, PROFILE_ID, saveClusterProfile } from './lab-cluster';

let l: Lab;
let core: ReturnType<typeof testCore>;
let api: ApiClient;

/** The typed client straight over the core's dispatcher (no transport in between). */
function directClient(c: ReturnType<typeof testCore>): ApiClient {
  const subs = new Map<string, () => void>();
  const transport: Transport = {
    kind: 'websocket',
    call: (name, input) => c.dispatcher.call(name, input, { transport: 'websocket' }),
    subscribe: async (id, name, input, onMessage: (m: StreamMessage) => void): Promise<Envelope<null>> => {
      const { envelope, stop } = c.dispatcher.subscribe(id, name, input, onMessage, { transport: 'websocket' });
      subs.set(id, stop);
      return envelope;
    },
    unsubscribe: async (id) => {
      subs.get(id)?.();
      subs.delete(id);
    },
  };
  return createClient(transport);
}

beforeAll(async () => {
  l = await harborLab(3);
  core = testCore();
  await core.vault.initialize('vault passphrase for the topology test');
  await saveClusterProfile(core.profiles, l);
  api = directClient(core);
}, 240_000);

afterAll(async () => {
  await core?.close();
  await l?.down();
});

const sweep = () => api.call('topology.sweep', { profileId: PROFILE_ID });
const node = (s: TopologySnapshot, id: string) => s.nodes.find((n) => n.nodeId === id)!;
const service = (s: TopologySnapshot, id: string) => s.services.find((x) => x.id === id)!;

describe('the topology of a saved profile', () => {
  it('draws load balancer, nodes and services from the profile', async () => {
    const g = await api.call('topology.graph', { profileId: PROFILE_ID });
    expect(g.lb).toMatchObject({ kind: 'self-hosted', title: 'HAProxy', address: l.lb.address, url: `http://${l.registryName}` });
    expect(g.nodes.map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);
    expect(g.services.map((s) => [s.id, s.kind, s.endpoint])).toEqual([
      ['database', 'postgresql', `${l.postgres.address}:5432`],
      ['redis', 'redis', `${l.redis.address}:6379`],
      ['oss', 'oss', `${l.oss.bucket}.${l.oss.region}-internal.aliyuncs.com:80`],
    ]);
  });
});

describe('live health from each node', () => {
  it('is all green on a healthy cluster, with a time for every check', async () => {
    const s = await sweep();
    expect(s.sweep.running).toBe(false);
    expect(s.sweep.count).toBeGreaterThanOrEqual(1);
    for (const n of s.nodes) {
      expect(n.status, JSON.stringify(n, null, 1)).toBe('ok');
      expect(n.checkedAt).toBeTruthy();
      expect(n.harbor).toMatchObject({ status: 'ok', detail: 'healthy' });
      expect(n.harbor.components?.map((c) => c.name).sort()).toEqual([
        'core',
        'database',
        'jobservice',
        'portal',
        'redis',
        'registry',
        'registryctl',
      ]);
      expect(n.containers.status).toBe('ok');
      expect(n.containers.list?.filter((c) => c.state === 'running').map((c) => c.name)).toEqual(
        expect.arrayContaining(['harbor-core', 'harbor-jobservice', 'harbor-log', 'harbor-portal', 'nginx', 'registry', 'registryctl']),
      );
      expect(n.disks.list?.map((d) => d.path)).toEqual(['/data', '/var/log/harbor']);
      expect(n.disks.list?.every((d) => d.sizeBytes > 0 && d.freeBytes > 0)).toBe(true);
      expect(n.clock.status).toBe('ok');
      for (const id of ['database', 'redis', 'oss'] as const)
        expect(n.reach[id], id).toMatchObject({ status: 'ok', checkedAt: expect.any(String) });
      expect(n.reach.database?.detail).toMatch(/^PostgreSQL/);
      expect(n.reach.redis?.detail).toMatch(/AUTH|PONG/);
    }
    expect(s.services.map((x) => [x.id, x.status])).toEqual([
      ['database', 'ok'],
      ['redis', 'ok'],
      ['oss', 'ok'],
    ]);
    expect(s.lb).toMatchObject({ status: 'ok', harbor: { status: 'ok', detail: 'healthy' } });
    expect(s.problems).toEqual([]);
  });

  it('records one audited command per node and sweep, and hands out no secret', async () => {
    const before = (await api.call('activity.list', { profileId: PROFILE_ID })).filter(
      (e) => e.purpose === 'topology: health check',
    ).length;
    const s = await sweep();
    const after = (await api.call('activity.list', { profileId: PROFILE_ID })).filter((e) => e.purpose === 'topology: health check');
    expect(after.length - before).toBe(3);
    expect(after[0]!.command).toMatch(/^sh -c /);
    const text = JSON.stringify([s, await api.call('topology.graph', { profileId: PROFILE_ID })]);
    for (const secret of [l.redis.password, l.postgres.password, l.oss.accessKeySecret, l.node(1).password])
      expect(text).not.toContain(secret);
  });

  it('shows Redis red from every node and Harbor unhealthy while Redis is stopped', async () => {
    await l.redis.stop();
    try {
      const s = await sweep();
      for (const n of s.nodes) {
        expect(n.reach.redis, n.nodeId).toMatchObject({ status: 'fail', detail: 'refused' });
        expect(n.reach.database?.status).toBe('ok');
        expect(n.harbor.status).toBe('fail');
        expect(n.harbor.components?.find((c) => c.name === 'redis')?.status).toBe('unhealthy');
        expect(n.status).toBe('fail');
      }
      expect(service(s, 'redis').status).toBe('fail');
      expect(service(s, 'redis').lastError?.message.en).toMatch(/refused/i);
      expect(service(s, 'database').status).toBe('ok');
      expect(s.lb.status).toBe('fail');
      expect(s.lb.harbor.detail).toBe('unhealthy');
      const ids = s.problems.map((p) => p.id);
      expect(ids).toEqual(expect.arrayContaining(['reach:redis', 'component:redis']));
      const reach = s.problems.find((p) => p.id === 'reach:redis')!;
      expect(reach.nodes).toEqual(['n1', 'n2', 'n3']);
      expect(reach.title.en).toContain('No node reaches Redis');
      expect(reach.fix.en).toMatch(/Redis/);
      expect(reach.fix['zh-CN']).toMatch(/Redis/);
    } finally {
      await l.redis.start();
    }
    const back = await sweep();
    expect(back.nodes.map((n) => n.status)).toEqual(['ok', 'ok', 'ok']);
    // The service keeps its last error for the details view.
    expect(service(back, 'redis')).toMatchObject({ status: 'ok', lastError: { nodeId: expect.any(String) } });
  });

  it('shows a node whose sshd stopped as unreachable and the others green, on demand and while watched', async () => {
    // Unwatched, every sweep signs in anew; watched, connections are kept and sshd is asked to greet.
    await l.node(2).stopSshd();
    try {
      const s = await sweep();
      expect(node(s, 'n2')).toMatchObject({ status: 'fail', ssh: { status: 'fail', detail: 'refused' } });
      expect(node(s, 'n1').status).toBe('ok');
    } finally {
      await l.node(2).startSshd();
    }
    const stop = await api.subscribe('topology.watch', { profileId: PROFILE_ID, intervalMs: 3_600_000 }, { next: () => undefined });
    try {
      expect(node(await sweep(), 'n2').status).toBe('ok');
      await l.node(2).stopSshd();
      const s = await sweep();
      expect(node(s, 'n2')).toMatchObject({ status: 'fail', ssh: { status: 'fail', detail: 'refused' } });
      expect(node(s, 'n2').harbor.status).toBe('unknown');
      expect(node(s, 'n1').status).toBe('ok');
      expect(node(s, 'n3').status).toBe('ok');
      // The services are still reached from the nodes that can be asked.
      expect(s.services.every((x) => x.status === 'ok')).toBe(true);
      const p = s.problems.find((x) => x.id === 'ssh:refused')!;
      expect(p).toMatchObject({ severity: 'error', subject: { kind: 'node', id: 'n2' }, nodes: ['n2'] });
      expect(p.fix.en).toContain('systemctl start sshd');
      await l.node(2).startSshd();
      expect(node(await sweep(), 'n2').status).toBe('ok');
    } finally {
      await l.node(2).startSshd();
      stop();
    }
  });

  it('names a node whose token key differs from the others, with the fix', async () => {
    const n3 = l.node(3);
    const key = await n3.readFile('/data/secret/core/private_key.pem');
    await n3.writeFile('/data/secret/core/private_key.pem', Buffer.from('another key\n'), 0o600);
    try {
      const s = await sweep();
      const keys = s.problems.find((p) => p.id === 'keys:differ')!;
      expect(keys).toMatchObject({ severity: 'error', nodes: ['n3'] });
      expect(keys.title.en).toContain('/data/secret/core/private_key.pem');
      expect(keys.fix.en).toContain('unauthorized');
      expect(keys.refs).toContain('goharbor/harbor#20865');
    } finally {
      await n3.writeFile('/data/secret/core/private_key.pem', key, 0o600);
    }
    expect((await sweep()).problems).toEqual([]);
  });

  it('names a node whose CSRF_KEY differs (UI logins across nodes fail), without handing out the key', async () => {
    const n2 = l.node(2);
    const env = '/opt/harbor/common/config/core/env';
    const before = await n2.readText(env);
    const key = /^CSRF_KEY=(.*)$/m.exec(before)![1]!;
    expect((await l.node(1).readText(env)).includes(`CSRF_KEY=${key}`)).toBe(true);
    await n2.writeFile(env, before.replace(/^CSRF_KEY=.*$/m, 'CSRF_KEY=0123456789abcdefghijklmnopqrstuv'));
    try {
      const s = await sweep();
      const csrf = s.problems.find((p) => p.id === 'csrf:differ')!;
      expect(csrf).toMatchObject({ severity: 'error', nodes: ['n2'] });
      expect(csrf.title.en).toContain('node-2');
      expect(csrf.fix.en).toContain('docker compose up -d core');
      expect(csrf.refs).toContain('goharbor/harbor#21060');
      const text = JSON.stringify(s);
      expect(text).not.toContain(key);
      expect(text).not.toContain('0123456789abcdefghijklmnopqrstuv');
    } finally {
      await n2.writeFile(env, before);
    }
    expect((await sweep()).problems).toEqual([]);
  });

  it('shows the containers of a node whose Harbor is down, and the load balancer still serving the others', async () => {
    const n3 = l.node(3);
    // In the lab one process stands for all of a node's containers: stopping one stops Harbor there.
    await n3.execOk('docker stop harbor-jobservice');
    try {
      const s = await sweep();
      const n = node(s, 'n3');
      expect(n.status).toBe('fail');
      expect(n.harbor).toMatchObject({ status: 'fail', detail: 'refused' });
      expect(n.containers.status).toBe('fail');
      expect(n.containers.list?.find((x) => x.name === 'harbor-jobservice')?.state).toBe('exited');
      expect(n.containers.error?.en).toContain('harbor-jobservice');
      expect(node(s, 'n1').containers.status).toBe('ok');
      const down = s.problems.find((p) => p.id === 'harbor:down')!;
      expect(down.nodes).toEqual(['n3']);
      expect(down.fix.en).toContain('docker compose up -d');
    } finally {
      await n3.execOk('docker start harbor-jobservice');
    }
    expect((await sweep()).problems).toEqual([]);
  });
});

describe('watching', () => {
  it('delivers the latest snapshot at once, then each node as it is checked, until unsubscribed', async () => {
    const seen: TopologySnapshot[] = [];
    const stop = await api.subscribe('topology.watch', { profileId: PROFILE_ID, intervalMs: 5000 }, { next: (s) => seen.push(s) });
    try {
      await expect.poll(() => seen.length).toBeGreaterThanOrEqual(1);
      const first = seen[0]!;
      expect(first.nodes).toHaveLength(3);
      const count = first.sweep.count;
      // A sweep on demand shows up on the watch too, with every node marked while it is checked.
      const done = await sweep();
      await expect.poll(() => seen.at(-1)!.sweep.count, { timeout: 20_000 }).toBeGreaterThan(count);
      expect(seen.some((s) => s.sweep.running && s.nodes.some((n) => n.checking))).toBe(true);
      expect(seen.at(-1)!.nodes.map((n) => n.status)).toEqual(done.nodes.map((n) => n.status));
      // seq grows with every snapshot
      const seqs = seen.map((s) => s.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    } finally {
      stop();
    }
  });

  it('signs in once per node while watched, and again on demand when nobody watches', async () => {
    const logins = async () => (await l.node(3).authAttempts()).filter((a) => a.success).length;
    const stop = await api.subscribe('topology.watch', { profileId: PROFILE_ID, intervalMs: 3_600_000 }, { next: () => undefined });
    try {
      await sweep();
      const before = await logins();
      await sweep();
      await sweep();
      expect(await logins()).toBe(before);
    } finally {
      stop();
    }
    const before = await logins();
    await sweep();
    expect(await logins()).toBe(before + 1);
  });

  it('refuses an unknown profile', async () => {
    await expect(api.call('topology.sweep', { profileId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(api.subscribe('topology.watch', { profileId: 'nope' }, { next: () => undefined })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('asks for the vault when a node signs in with a stored password and the vault is locked', async () => {
    core.vault.lock();
    try {
      await expect(sweep()).rejects.toMatchObject({ code: 'vault_locked' });
    } finally {
      await core.vault.unlock('vault passphrase for the topology test');
    }
  });
});
