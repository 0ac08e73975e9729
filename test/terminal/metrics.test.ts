/**
 * Live metrics of a lab node (real sshd, its own tmpfs /data and /var/log) through the real core's `metrics.watch`:
 * the numbers are the node's own (its memory, its CPUs, the used space of its data volume before and after a file is
 * written there), a Harbor container stopped with docker turns the node's status to fail, the command is in the
 * audit log once per start of sampling, and sampling stops when the last watcher goes (the node's docker stand-in
 * logs every call it gets: none come after).
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsEvent, MetricsSample } from '../../shared/api/contracts/metrics';
import type { ActivityEntry } from '../../shared/api/contracts/ssh';
import type { StreamMessage } from '../../shared/api/wire';
import { profileSchema } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { seedHarborContainers } from '../helpers/harbor-containers';
import { v2Profile } from '../helpers/profiles';
import { caller } from '../helpers/terminal';
import * as lab from '../lab';
import { NODE_STATE_DIR } from '../lab/nodes';

let l: lab.Lab;
const core = testCore();
const call = caller(core);
const MiB = 1 << 20;

/** A watcher of the node over the dispatcher, as a transport subscribes: every event it got, and a way to wait for more. */
function watch(): { events: MetricsEvent[]; next: (n: number) => Promise<MetricsSample[]>; stop: () => void } {
  const events: MetricsEvent[] = [];
  let wake = () => undefined as void;
  const { envelope, stop } = core.dispatcher.subscribe(
    `m${Math.random()}`,
    'metrics.watch',
    { profileId: 'lab', nodeId: 'n1' },
    (m: StreamMessage) => {
      if (m.kind === 'data') events.push(m.payload as MetricsEvent);
      wake();
    },
    { transport: 'websocket' },
  );
  if (!envelope.ok) throw new Error(JSON.stringify(envelope.error));
  // New samples only: the first event is the history kept before this watcher came.
  const samples = () => events.slice(1).flatMap((e) => e.samples);
  return {
    events,
    stop,
    // Waits for `n` more samples than there are now (failed samples are events without one).
    next: (n) => {
      const want = samples().length + n;
      return new Promise((resolve) => {
        const check = () => (samples().length >= want ? resolve(samples().slice(-n)) : undefined);
        wake = check;
        check();
      });
    },
  };
}

/** How many commands the node's stand-ins (docker among them) have run. */
const invocations = async (): Promise<number> => Number((await l.node(1).execOk(`wc -l < ${NODE_STATE_DIR}/invocations.jsonl`)).trim());

beforeAll(async () => {
  l = await lab.up({ nodes: 1 });
  await core.vault.initialize('vault passphrase for metrics tests');
  const n = l.node(1);
  const profile = profileSchema.parse(
    v2Profile((p) => {
      p.id = 'lab';
      p.nodes = [{ id: 'n1', name: n.name, host: n.address, auth: { kind: 'password', password: { value: n.password } } }];
    }),
  );
  await core.profiles.save(profile);
  const first = await call<{ status: string; fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId: 'n1' });
  if (first.status === 'host_key_unknown') await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
  // harbor-core restarted twice by the engine.
  await seedHarborContainers(n, profile, { 'harbor-core': 2 });
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('metrics of a lab node', () => {
  it('reads what the node has, sees the data volume fill and a stopped container, audits once, stops with its watcher', async () => {
    const n = l.node(1);
    const memTotalKiB = Number(/MemTotal:\s+(\d+)/.exec(await n.execOk('cat /proc/meminfo'))![1]);
    const cpus = Number((await n.execOk("grep -c '^cpu[0-9]' /proc/stat")).trim());

    const w = watch();
    const [, second] = await w.next(2);
    expect(w.events[0]!.samples).toEqual([]);
    expect(w.events[0]!.intervalMs).toBe(3000);
    expect(second!.memory!.totalBytes).toBe(memTotalKiB * 1024);
    expect(second!.memory!.usedPercent).toBeGreaterThan(0);
    expect(second!.load!.cpus).toBe(cpus);
    // Rates need two samples: the second has them.
    expect(second!.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(second!.cpuPercent).toBeLessThanOrEqual(100);
    expect(second!.network!.rxBytesPerSecond).toBeGreaterThanOrEqual(0);
    expect(second!.disks.map((d) => d.path)).toEqual(['/data', '/var/log/harbor']);
    const core2 = second!.containers.find((c) => c.name === 'harbor-core')!;
    expect(core2).toMatchObject({ state: 'running', restarts: 2 });
    expect(second!.containers.find((c) => c.name === 'harbor-jobservice')).toMatchObject({ state: 'running', restarts: 0 });
    expect(second!.problems.map((p) => p.message.en).join('\n')).not.toMatch(/container/i);

    const usedOf = (s: MetricsSample) => {
      const d = s.disks.find((x) => x.path === '/data')!;
      return d.sizeBytes - d.freeBytes;
    };
    await n.execOk('head -c 67108864 /dev/zero > /data/blob');
    const [filled] = await w.next(1);
    const grown = usedOf(filled!) - usedOf(second!);
    expect(grown).toBeGreaterThanOrEqual(64 * MiB);
    expect(grown).toBeLessThan(66 * MiB);

    await n.execOk('docker stop harbor-jobservice');
    const [stopped] = await w.next(1);
    expect(stopped!.containers.find((c) => c.name === 'harbor-jobservice')!.state).toBe('exited');
    expect(stopped!.status).toBe('fail');
    expect(stopped!.problems.map((p) => p.message.en).join('\n')).toContain('harbor-jobservice');

    w.stop();
    const audit = await call<ActivityEntry[]>('activity.list', { profileId: 'lab' });
    const lines = audit.filter((e) => e.purpose?.startsWith('metrics:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.purpose).toBe('metrics: every 3 s while watched');
    expect(lines[0]!.command).toMatch(/^sh -c /);

    // Sampling stopped: the node's docker gets no call across two intervals (a sample calls it three times).
    const before = await invocations();
    await new Promise((r) => setTimeout(r, 7000));
    expect(await invocations()).toBe(before);

    // Watched again: the session's history at once, and one more audit line for this start.
    const again = watch();
    await again.next(1);
    expect(again.events[0]!.samples.length).toBeGreaterThanOrEqual(4);
    again.stop();
    const after = await call<ActivityEntry[]>('activity.list', { profileId: 'lab' });
    expect(after.filter((e) => e.purpose?.startsWith('metrics:'))).toHaveLength(2);
  }, 90_000);

  it('asks a node that does not answer less and less often', async () => {
    // A real server on loopback that hangs up on every connection, as a node whose sshd is gone does.
    let attempts = 0;
    const server = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await core.profiles.save(
      profileSchema.parse(
        v2Profile((p) => {
          p.id = 'gone';
          p.nodes = [{ id: 'n1', name: 'gone', host: '127.0.0.1', port, auth: { kind: 'password', password: { value: 'unused' } } }];
        }),
      ),
    );
    const errors: MetricsEvent[] = [];
    const { stop } = core.dispatcher.subscribe(
      'gone',
      'metrics.watch',
      { profileId: 'gone', nodeId: 'n1' },
      (m: StreamMessage) => m.kind === 'data' && (m.payload as MetricsEvent).error && errors.push(m.payload as MetricsEvent),
      { transport: 'websocket' },
    );
    try {
      // Every 3 s this would be seven attempts in 20 s; doubling the wait after each failure (6 s, 12 s, 24 s) makes three.
      await new Promise((r) => setTimeout(r, 20_000));
      expect(errors.length).toBeGreaterThanOrEqual(2);
      expect(attempts).toBeLessThanOrEqual(3);
    } finally {
      stop();
      server.close();
    }
  }, 40_000);

  it('refuses a node the profile does not have', async () => {
    const { envelope } = core.dispatcher.subscribe('x', 'metrics.watch', { profileId: 'lab', nodeId: 'n9' }, () => undefined, {
      transport: 'websocket',
    });
    expect(envelope.ok).toBe(false);
  });
});
