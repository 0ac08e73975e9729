/**
 * The app's way to Aliyun (electron/core/cloud/) against the lab's OpenAPI endpoint, which verifies ACS3 signatures
 * and RAM permissions as Aliyun does: the RDS and Redis whitelists read, completed with consent in the app's own
 * group and emptied again without touching anyone else's entries; and each refusal an operator can meet turned into
 * one message that names what to fix and never the secret.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { profileSchema, type Profile } from '../../shared/profile';
import { CloudSession } from '../../electron/core/cloud/session';
import {
  admissions,
  APP_GROUP,
  appendToWhitelist,
  nodeSourceAddresses,
  readWhitelist,
  removeFromWhitelist,
  whitelistTargets,
} from '../../electron/core/cloud/whitelists';
import { Redactor } from '../../electron/core/log';
import { addClbBackends, describeClb, removeClbBackends, setClbWeights } from '../../electron/core/cloud/clb';
import { v2Profile } from '../helpers/profiles';
import { testCore } from '../helpers/core';
import type { CloudStatus, WhitelistView } from '../../shared/api/contracts/cloud';
import type { ActivityEntry } from '../../shared/api/contracts/ssh';
import { up, type AccessKey, type Lab } from '../lab';

let lab: Lab;
let admin: AccessKey;
let profile: Profile;

beforeAll(async () => {
  lab = await up({ nodes: 2, bundleSize: 1 << 20, services: ['lb', 'cloud'] });
  admin = lab.cloud.accessKey('*');
  profile = profileSchema.parse(
    v2Profile((p) => {
      p.nodes = lab.nodes.map((n) => ({ id: `n${n.index}`, host: n.address, auth: { kind: 'agent' } }));
      p.loadBalancer = { kind: 'clb', instanceId: lab.cloud.ids.loadBalancer, listener: 'tcp' };
      p.database.instanceId = lab.cloud.ids.postgres;
      p.redis.instanceId = lab.cloud.ids.redis;
      p.cloud = cloudAccount(admin);
    }),
  );
});
afterAll(() => lab?.down());

function cloudAccount(key: AccessKey, withCa = true): NonNullable<Profile['cloud']> {
  return {
    region: lab.cloud.regionId,
    accessKeyId: key.id,
    accessKeySecret: { set: true },
    endpoints: Object.fromEntries(['slb', 'alb', 'ecs', 'rds', 'kvstore', 'sts'].map((p) => [p, lab.cloud.endpoint])),
    ...(withCa ? { caCertificate: lab.cloud.caPem } : {}),
  };
}

const open = (key: AccessKey, o: { secret?: string; withCa?: boolean } = {}) =>
  CloudSession.open(cloudAccount(key, o.withCa ?? true), o.secret ?? key.secret, new Redactor());

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected a failure');
}

describe('whitelists', () => {
  it('names the nodes an instance refuses, appends them to its own group with consent, and takes out only its own', async () => {
    const session = await open(admin);
    const [database, redis] = whitelistTargets(profile);
    expect([database!.instanceId, redis!.instanceId]).toEqual([lab.cloud.ids.postgres, lab.cloud.ids.redis]);
    const nodes = nodeSourceAddresses(profile);
    const [a1, a2] = [lab.node(1).address, lab.node(2).address];

    // Someone else's block already lets node 2 (.12) into Redis, not node 1 (.11): the app must see it, and never
    // add node 2 there again.
    const operator = await open(admin);
    await operator.typed('kvstore', (client, models, runtime) =>
      client.modifySecurityIpsWithOptions(
        new models.ModifySecurityIpsRequest({
          instanceId: lab.cloud.ids.redis,
          securityIpGroupName: 'ops',
          securityIps: `${a2}/31`,
          modifyMode: 'Append',
        }),
        runtime,
      ),
    );

    const before = {
      database: admissions(await readWhitelist(session, database!), nodes),
      redis: admissions(await readWhitelist(session, redis!), nodes),
    };
    expect(before.database.map((n) => [n.nodeId, n.by])).toEqual([
      ['n1', []],
      ['n2', []],
    ]);
    expect(before.redis.find((n) => n.nodeId === 'n1')?.by).toEqual([]);
    expect(before.redis.find((n) => n.nodeId === 'n2')?.by).toHaveLength(1);

    // Two appends keep both (a Cover would have kept only the second).
    await appendToWhitelist(session, database!, [a1]);
    await appendToWhitelist(session, database!, [a2]);
    await appendToWhitelist(session, redis!, [a1]);
    const groups = await readWhitelist(session, database!);
    expect(groups.find((g) => g.name === APP_GROUP)?.entries).toEqual([a1, a2]);
    expect(groups.find((g) => g.name === 'default')?.entries).toEqual(['127.0.0.1']);
    expect(admissions(groups, nodes).every((n) => n.by.length > 0)).toBe(true);
    expect(lab.cloud.whitelist(lab.cloud.ids.redis)).toContain(a1);

    // Removal deletes what the app's group holds, nothing of the operator's.
    expect(await removeFromWhitelist(session, redis!, [a1, a2])).toEqual([a1]);
    expect(await removeFromWhitelist(session, database!, [a1])).toEqual([a1]);
    expect((await readWhitelist(session, database!)).find((g) => g.name === APP_GROUP)?.entries).toEqual([a2]);
    const redisAfter = await readWhitelist(session, redis!);
    expect(redisAfter.find((g) => g.name === 'ops')?.entries).toHaveLength(1);
    expect(redisAfter.find((g) => g.name === APP_GROUP)?.entries ?? []).toEqual([]);
  });
});

describe('refusals an operator meets', () => {
  it('a wrong secret names the secret field and never shows it', async () => {
    const wrong = 'Wrong-Secret-4f9a2c7e1b';
    const e = await failure(open(admin, { secret: wrong }).then((s) => readWhitelist(s, whitelistTargets(profile)[0]!)));
    expect(e).toBeInstanceOf(ApiError);
    expect([e.code, e.reason, e.field]).toEqual(['cloud', 'SignatureDoesNotMatch', 'cloud.accessKeySecret']);
    expect(JSON.stringify(e.toData())).not.toContain(wrong);
    expect(JSON.stringify(e.toData())).not.toContain(admin.secret);
  });

  it('a key without a permission is told exactly which RAM action to grant', async () => {
    const readOnly = lab.cloud.accessKey(['rds:DescribeDBInstanceIPArrayList']);
    const session = await open(readOnly);
    const target = whitelistTargets(profile)[0]!;
    await readWhitelist(session, target);
    const e = await failure(appendToWhitelist(session, target, [lab.node(1).address]));
    expect([e.code, e.reason, e.field]).toEqual(['cloud', 'Forbidden.RAM', 'cloud.accessKeyId']);
    expect(e.localized.en).toContain('rds:ModifySecurityIps');
    expect(e.localized['zh-CN']).toContain('rds:ModifySecurityIps');
  });

  it('an endpoint whose certificate this computer does not trust gets nothing: no request reaches it', async () => {
    const seen = lab.cloud.requests.length;
    const e = await failure(open(admin, { withCa: false }).then((s) => readWhitelist(s, whitelistTargets(profile)[0]!)));
    expect([e.code, e.field]).toEqual(['cloud', 'cloud.caCertificate']);
    expect(lab.cloud.requests.length).toBe(seen);
  });

  it('an action the app does not list is never sent (the RAM policy it prints is the whole of what it calls)', async () => {
    const session = await open(admin);
    const seen = lab.cloud.requests.length;
    const e = await failure(session.rpc('slb', 'DeleteLoadBalancer', { LoadBalancerId: lab.cloud.ids.loadBalancer }));
    expect(e.code).toBe('internal');
    expect(e.localized.en).toContain('slb:DeleteLoadBalancer');
    expect(lab.cloud.requests.length).toBe(seen);
  });
});

describe('the classic load balancer (CLB)', () => {
  it('shows listeners and each backend beside its node with weight and health, and changes weights and backends', async () => {
    const session = await open(admin);
    const lbId = lab.cloud.ids.loadBalancer;
    const unknown = await failure(describeClb(session, profile, 'lb-0000000000'));
    expect([unknown.code, unknown.reason, unknown.field]).toEqual(['cloud', 'InvalidLoadBalancerId.NotFound', 'loadBalancer.instanceId']);
    // Node 1 answers on port 80, node 2 does not: HAProxy's checks, and so Aliyun's health, must tell them apart.
    const server = http.createServer((_q, r) => r.end('node-1'));
    await new Promise<void>((resolve) => server.listen(80, lab.node(1).address, resolve));
    try {
      const health = async () =>
        (await describeClb(session, profile, lbId)).backends.map((b) => [b.nodeId, b.health.find((h) => h.port === 80)?.status]);
      await until(health, (h) => h[0]?.[1] === 'normal' && h[1]?.[1] === 'abnormal');
      const view = await describeClb(session, profile, lbId);
      expect(view.listeners.map((l) => [l.port, l.protocol, l.healthCheck])).toEqual([
        [80, 'tcp', 'tcp'],
        [443, 'tcp', 'tcp'],
      ]);
      expect(view.backends.map((b) => [b.nodeId, b.address, b.weight])).toEqual([
        ['n1', lab.node(1).address, 100],
        ['n2', lab.node(2).address, 100],
      ]);
      expect([view.notAttached, view.noInstance]).toEqual([[], []]);

      const node2 = view.backends[1]!.serverId;
      await setClbWeights(session, lbId, [node2], 0);
      expect((await lab.lb.serverState(80)).find((s) => s.name === 'node-2')?.weight).toBe(0);
      expect((await describeClb(session, profile, lbId)).backends[1]?.weight).toBe(0);

      await removeClbBackends(session, lbId, [node2]);
      expect((await describeClb(session, profile, lbId)).notAttached).toEqual(['n2']);
      expect((await lab.lb.serverState(80)).map((s) => s.name)).toEqual(['node-1']);
      await addClbBackends(session, lbId, [node2]);
      const back = await describeClb(session, profile, lbId);
      expect([back.notAttached, back.backends.map((b) => [b.nodeId, b.weight])]).toEqual([
        [],
        [
          ['n1', 100],
          ['n2', 100],
        ],
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('through the API', () => {
  it('cloud.status reads the CLB and whitelists; cloud.allowNodes needs consent, adds only who is missing, audited without secrets', async () => {
    const core = testCore();
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const env = await core.dispatcher.call(name, input, { transport: 'websocket' });
      if (!env.ok) throw new ApiError(env.error);
      return env.value as T;
    };
    await core.vault.initialize('cloud test vault passphrase');
    const stored = structuredClone(profile);
    stored.id = 'lab';
    stored.cloud = { ...stored.cloud!, accessKeySecret: { value: admin.secret } };
    await core.profiles.save(stored);
    const [a1, a2] = [lab.node(1).address, lab.node(2).address];

    const status = await call<CloudStatus>('cloud.status', { profileId: 'lab' });
    expect(status.errors).toEqual([]);
    expect(status.loadBalancer?.backends.map((b) => b.nodeId)).toEqual(['n1', 'n2']);
    // The whitelists test above left node 2 in the database's harbor_ha group and took node 1 out.
    const database = status.whitelists.find((w) => w.service === 'database')!;
    expect(database.nodes.map((n) => [n.nodeId, n.by])).toEqual([
      ['n1', []],
      ['n2', [a2]],
    ]);

    const refused = await core.dispatcher.call(
      'cloud.allowNodes',
      { profileId: 'lab', service: 'database', nodeIds: ['n1', 'n2'] },
      {
        transport: 'websocket',
      },
    );
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('invalid_input');
    expect(lab.cloud.whitelist(lab.cloud.ids.postgres)).not.toContain(a1);

    const after = await call<WhitelistView>('cloud.allowNodes', {
      profileId: 'lab',
      service: 'database',
      nodeIds: ['n1', 'n2'],
      confirm: true,
    });
    expect(after.groups.find((g) => g.name === APP_GROUP)?.entries).toEqual([a2, a1]);
    expect(after.nodes.every((n) => n.by.length > 0)).toBe(true);

    const [entry] = await call<ActivityEntry[]>('activity.list', { profileId: 'lab', limit: 1 });
    expect(entry).toMatchObject({ node: `Aliyun ${lab.cloud.ids.postgres}`, exitCode: 0 });
    expect(entry!.command).toContain(`rds:ModifySecurityIps ${lab.cloud.ids.postgres} group=${APP_GROUP} mode=Append ips=${a1}`);

    const policy = await call<{ key: string }>('cloud.policy', { profileId: 'lab' });
    expect(JSON.parse(policy.key).Statement[0].Action).toContain('rds:ModifySecurityIps');

    for (const file of [core.logFile, join(core.dataDir, 'audit.log'), join(core.dataDir, 'profiles.json')])
      if (existsSync(file)) expect(readFileSync(file, 'utf8')).not.toContain(admin.secret);
  });
});
