/**
 * A sweep that fails unexpectedly while a cluster is watched ends the stream as every unexpected error ends a call:
 * the generic internal error with a reference, its message only in the app log (health/monitor.ts `fail`, like the
 * dispatcher's). Here the profile store is damaged between two sweeps of a real core; JSON.parse quotes the damaged
 * file in its message, which must not reach the client.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { TopologySnapshot } from '../../shared/api/contracts/topology';
import type { StreamMessage } from '../../shared/api/wire';
import { profileSchema } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';

const core = testCore();
afterAll(() => core.close());

/** Text of the damaged store: JSON.parse's message quotes its first characters, the marker. */
const MARKER = 'Zq5e1f0cXw';
const DAMAGE = `${MARKER}: not JSON, the profile store is damaged`;

it('ends the watch with a reference to the log, not the raw message, when a sweep fails unexpectedly', async () => {
  await core.vault.initialize('vault passphrase for the watch errors test');
  // Two nodes on a loopback address where nothing listens (refused at once), signing in with a key: no vault needed.
  await core.profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'watched';
        p.nodes = ['n1', 'n2'].map((id, i) => ({
          id,
          host: `127.231.15.${i + 1}`,
          auth: { kind: 'key' as const, keyPath: join(core.dataDir, 'no-such-key'), passphrase: { set: false } },
        }));
        p.loadBalancer = { kind: 'self-hosted', address: '127.231.15.9', software: 'haproxy' };
      }),
    ),
  );
  const messages: StreamMessage[] = [];
  const { envelope, stop } = core.dispatcher.subscribe(
    'w1',
    'topology.watch',
    { profileId: 'watched', intervalMs: 5000 },
    (m) => messages.push(m),
    { transport: 'websocket' },
  );
  try {
    expect(envelope.ok).toBe(true);
    await expect
      .poll(() => messages.some((m) => m.kind === 'data' && (m.payload as TopologySnapshot).sweep.count >= 1), { timeout: 30_000 })
      .toBe(true);
    writeFileSync(join(core.dataDir, 'profiles.json'), DAMAGE);
    // The next sweep, 5 s on, reads the damaged store.
    await expect.poll(() => messages.find((m) => m.kind === 'error'), { timeout: 30_000, interval: 200 }).toBeDefined();
  } finally {
    stop();
  }
  const ended = messages.find((m) => m.kind === 'error')!;
  if (ended.kind !== 'error') throw new Error('unreachable');
  expect(ended.error.code).toBe('internal');
  const ref = /reference ([0-9a-f]{8})/.exec(ended.error.message.en)?.[1];
  expect(ref, ended.error.message.en).toBeDefined();
  expect(ended.error.message['zh-CN']).toContain(ref);
  expect(JSON.stringify(ended.error)).not.toContain(MARKER);
  // The log has what happened, under the same reference.
  const logged = readFileSync(core.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes(ref!));
  expect(logged).toHaveLength(1);
  expect(logged[0]).toContain(MARKER);
}, 60_000);
