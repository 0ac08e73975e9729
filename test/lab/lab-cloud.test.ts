/**
 * The lab's cloud (issue #18): an Aliyun OpenAPI endpoint on loopback. Calls are made with the official SDKs
 * (openapi-core's generic callApi for CLB, the typed clients for ECS, RDS, R-KVStore and ALB), so a call that
 * succeeds proves the endpoint's ACS3-HMAC-SHA256 verification agrees with Aliyun's signer; tampered requests are
 * signed with the SDK's own signer and then changed. The load balancer's state is checked where it matters: traffic
 * through the lab's HAProxy to servers this test runs on the nodes' addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import querystring from 'node:querystring';
import * as $dara from '@darabonba/typescript';
import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import Rds, * as $Rds from '@alicloud/rds20140815';
import RKvstore, * as $Kv from '@alicloud/r-kvstore20150101';
import Alb, * as $Alb from '@alicloud/alb20200616';
import Sts, * as $Sts from '@alicloud/sts20150401';
import { up, type Lab } from './index';
import { startLabCloud, type AccessKey, type LabCloud } from './cloud';

let lab: Lab;
let cloud: LabCloud;
let admin: AccessKey;
/** one HTTP server per node address, port 80, answering the node's name */
const nodeServers = new Map<string, http.Server>();

function listenAsNode(name: string, address: string): Promise<void> {
  const s = http.createServer((_req, res) => res.end(name));
  nodeServers.set(name, s);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(80, address, () => resolve());
  });
}
function closeNode(name: string): Promise<void> {
  const s = nodeServers.get(name)!;
  nodeServers.delete(name);
  s.closeAllConnections();
  return new Promise((resolve) => s.close(() => resolve()));
}

beforeAll(async () => {
  lab = await up({ nodes: 3, bundleSize: 1 << 20, services: ['lb', 'cloud'] });
  cloud = lab.cloud;
  admin = cloud.accessKey('*');
  for (const n of lab.nodes) await listenAsNode(n.name, n.address);
  await lab.lb.waitForBackends(80);
});
afterAll(async () => {
  for (const name of [...nodeServers.keys()]) await closeNode(name);
  await lab?.down();
});

const config = (key: AccessKey, c: LabCloud = cloud) =>
  new $OpenApiUtil.Config({ accessKeyId: key.id, accessKeySecret: key.secret, endpoint: c.endpoint, regionId: c.regionId, ca: c.caPem });

/** CLB has no per-product package: the app calls it with openapi-core's generic callApi, RPC style. */
async function slb(action: string, query: Record<string, string>, key: AccessKey = admin): Promise<Record<string, unknown>> {
  const client = new OpenApi(config(key));
  const params = new $OpenApiUtil.Params({
    action,
    version: '2014-05-15',
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const res = await client.callApi(params, new $OpenApiUtil.OpenApiRequest({ query }), new $dara.RuntimeOptions({}));
  return res.body as Record<string, unknown>;
}
/** the error an SDK call rejects with (ClientError: code, statusCode, data, accessDeniedDetail) */
async function sdkError(
  p: Promise<unknown>,
): Promise<{ code: string; statusCode: number; data: Record<string, unknown>; accessDeniedDetail?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('the call succeeded');
}

/** N requests through the load balancer on port 80, each on a new connection: which node answered each. */
async function servedBy(n = 12): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      await new Promise<string>((resolve, reject) => {
        http
          .get({ host: lab.lb.address, port: 80, path: '/', agent: false }, (res) => {
            let b = '';
            res.on('data', (d) => (b += d));
            res.on('end', () => resolve(b));
          })
          .on('error', reject);
      }),
    );
  return out;
}

/** A keep-alive HTTP/1.1 connection through the LB: which node it landed on, and a way to ask it again. */
async function keptConnection(): Promise<{ node: string; socket: net.Socket; ask: () => Promise<string> }> {
  const socket = net.connect(80, lab.lb.address);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const ask = () =>
    new Promise<string>((resolve) => {
      let buf = '';
      const onData = (d: Buffer) => {
        buf += d.toString();
        const end = buf.indexOf('\r\n\r\n');
        const length = /\r\ncontent-length: (\d+)/i.exec(buf.slice(0, end));
        if (end < 0 || !length || buf.length < end + 4 + Number(length[1])) return;
        socket.off('data', onData);
        resolve(buf.slice(end + 4, end + 4 + Number(length[1])));
      };
      socket.on('data', onData);
      socket.write(`GET / HTTP/1.1\r\nHost: ${lab.lb.address}\r\n\r\n`);
    });
  return { node: await ask(), socket, ask };
}

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const nodeId = (i: number) => cloud.ids.nodes[i - 1]!.InstanceId;

// ─────────────────────────────────────────── signature ───────────────────────────────────────────

/** A request signed by the SDK's own signer (OpenApiUtil.getAuthorization), to be sent as is or changed. */
function signedRequest(o: { action: string; version: string; query: Record<string, string>; key: AccessKey; date?: Date; nonce?: string }) {
  const body = Buffer.alloc(0);
  const headers: Record<string, string> = {
    host: cloud.endpoint,
    'x-acs-action': o.action,
    'x-acs-version': o.version,
    'x-acs-date': (o.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': o.nonce ?? crypto.randomUUID(),
    'x-acs-content-sha256': crypto.createHash('sha256').update(body).digest('hex'),
  };
  const request = { method: 'POST', pathname: '/', query: o.query, headers } as unknown as $dara.Request;
  headers.authorization = OpenApiUtil.getAuthorization(
    request,
    'ACS3-HMAC-SHA256',
    headers['x-acs-content-sha256']!,
    o.key.id,
    o.key.secret,
  );
  return { query: o.query, headers, body };
}

function send(r: {
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer;
}): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: cloud.address,
        port: cloud.port,
        method: 'POST',
        path: `/?${querystring.stringify(r.query)}`,
        headers: r.headers,
        ca: cloud.caPem,
        agent: false,
      },
      (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(b) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

const describeLb = (key: AccessKey = admin) => ({
  action: 'DescribeLoadBalancerAttribute',
  version: '2014-05-15',
  query: { LoadBalancerId: cloud.ids.loadBalancer },
  key,
});

describe('ACS3-HMAC-SHA256 as the official SDKs sign it', () => {
  it('typed clients and callApi succeed over HTTPS trusting only the lab CA', async () => {
    const ecs = new Ecs(config(admin));
    const found = await ecs.describeInstances(
      new $Ecs.DescribeInstancesRequest({ regionId: cloud.regionId, privateIpAddresses: JSON.stringify([lab.node(2).address]) }),
    );
    expect(found.body?.instances?.instance?.map((i) => [i.instanceId, i.vpcAttributes?.privateIpAddress?.ipAddress])).toEqual([
      [nodeId(2), [lab.node(2).address]],
    ]);
    const byId = await ecs.describeInstances(
      new $Ecs.DescribeInstancesRequest({ regionId: cloud.regionId, instanceIds: JSON.stringify([nodeId(1), nodeId(3)]) }),
    );
    expect(byId.body?.instances?.instance?.map((i) => i.instanceName)).toEqual(['node-1', 'node-3']);

    const attr = await slb('DescribeLoadBalancerAttribute', { RegionId: cloud.regionId, LoadBalancerId: cloud.ids.loadBalancer });
    expect(attr.Address).toBe(lab.lb.address);
    expect((attr.BackendServers as { BackendServer: Array<{ ServerId: string; Weight: number }> }).BackendServer).toEqual(
      [1, 2, 3].map((i) => expect.objectContaining({ ServerId: nodeId(i), Weight: 100 })),
    );
    expect(attr.ListenerPortsAndProtocol).toEqual({
      ListenerPortAndProtocol: [
        { ListenerPort: 80, ListenerProtocol: 'tcp' },
        { ListenerPort: 443, ListenerProtocol: 'tcp' },
      ],
    });
    expect(lab.describe()).toContain(`cloud     https://${cloud.endpoint}`);
    // without the lab CA the TLS handshake fails: the endpoint's certificate is the lab's own
    const untrusted = new OpenApi(
      new $OpenApiUtil.Config({ accessKeyId: admin.id, accessKeySecret: admin.secret, endpoint: cloud.endpoint }),
    );
    await expect(
      untrusted.callApi(
        new $OpenApiUtil.Params({
          action: 'DescribeLoadBalancers',
          version: '2014-05-15',
          protocol: 'HTTPS',
          pathname: '/',
          method: 'POST',
          authType: 'AK',
          style: 'RPC',
          reqBodyType: 'formData',
          bodyType: 'json',
        }),
        new $OpenApiUtil.OpenApiRequest({ query: {} }),
        new $dara.RuntimeOptions({}),
      ),
    ).rejects.toThrow(/certificate/i);
  });

  it('a request signed with the wrong secret is refused with SignatureDoesNotMatch, as the SDK shows Aliyun errors', async () => {
    const e = await sdkError(slb('DescribeLoadBalancers', {}, { id: admin.id, secret: `${admin.secret.slice(1)}x` }));
    expect([e.code, e.statusCode]).toEqual(['SignatureDoesNotMatch', 400]);
    expect(Object.keys(e.data).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    expect(e.data.Recommend).toContain('q=SignatureDoesNotMatch&product=Slb');
    expect(e.data.RequestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('an unknown AccessKey id is InvalidAccessKeyId.NotFound (404)', async () => {
    const e = await sdkError(slb('DescribeLoadBalancers', {}, { id: 'LTAI5tNotAKeyOfThisLab', secret: admin.secret }));
    expect([e.code, e.statusCode]).toEqual(['InvalidAccessKeyId.NotFound', 404]);
  });

  it('a query parameter changed after signing is refused', async () => {
    const r = signedRequest(describeLb());
    expect((await send(r)).status).toBe(200);
    const again = signedRequest(describeLb());
    const res = await send({ ...again, query: { LoadBalancerId: `${cloud.ids.loadBalancer}x` } });
    expect([res.status, res.json.Code]).toEqual([400, 'SignatureDoesNotMatch']);
  });

  it('a replayed nonce is refused with SignatureNonceUsed', async () => {
    const r = signedRequest(describeLb());
    expect((await send(r)).status).toBe(200);
    const replay = await send(r);
    expect([replay.status, replay.json.Code]).toEqual([400, 'SignatureNonceUsed']);
  });

  it('an x-acs-date 20 minutes old is InvalidTimeStamp.Expired (10 minutes is accepted)', async () => {
    const old = await send(signedRequest({ ...describeLb(), date: new Date(Date.now() - 20 * 60_000) }));
    expect([old.status, old.json.Code]).toEqual([400, 'InvalidTimeStamp.Expired']);
    const fresh = await send(signedRequest({ ...describeLb(), date: new Date(Date.now() - 10 * 60_000) }));
    expect(fresh.status).toBe(200);
  });

  it('a body that does not match x-acs-content-sha256 is refused', async () => {
    const body = await send({ ...signedRequest(describeLb()), body: Buffer.from('LoadBalancerId=other') });
    expect([body.status, body.json.Code]).toEqual([400, 'SignatureDoesNotMatch']);
  });

  it('a request without x-acs-date or without Authorization is refused with MissingParameter naming it', async () => {
    const r = signedRequest(describeLb());
    const { 'x-acs-date': _date, ...noDate } = r.headers;
    const res = await send({ ...r, headers: noDate });
    expect([res.status, res.json.Code, res.json.Message]).toEqual([400, 'MissingParameter', expect.stringContaining('"x-acs-date"')]);
    const { authorization: _auth, ...anonymous } = signedRequest(describeLb()).headers;
    const anon = await send({ ...r, headers: anonymous });
    expect([anon.status, anon.json.Code, anon.json.Message]).toEqual([400, 'MissingParameter', expect.stringContaining('"Authorization"')]);
  });

  it('an x-acs-* header left out of SignedHeaders is IncompleteSignature', async () => {
    const unsigned = signedRequest(describeLb());
    const res = await send({ ...unsigned, headers: { ...unsigned.headers, 'x-acs-extra': 'not signed' } });
    expect([res.status, res.json.Code]).toEqual([400, 'IncompleteSignature']);
  });
});

describe('RAM', () => {
  it('a key without the action is refused with Forbidden.RAM naming it; the request log holds no secret', async () => {
    const reader = cloud.accessKey(['slb:DescribeLoadBalancerAttribute', 'slb:DescribeHealthStatus']);
    await slb('DescribeLoadBalancerAttribute', { LoadBalancerId: cloud.ids.loadBalancer }, reader);
    const e = await sdkError(
      slb(
        'SetBackendServers',
        { LoadBalancerId: cloud.ids.loadBalancer, BackendServers: JSON.stringify([{ ServerId: nodeId(1), Weight: 0 }]) },
        reader,
      ),
    );
    expect([e.code, e.statusCode]).toEqual(['Forbidden.RAM', 403]);
    expect(e.accessDeniedDetail).toMatchObject({ AuthAction: 'slb:SetBackendServers', NoPermissionType: 'ImplicitDeny' });
    expect((await lab.lb.serverState(80)).find((s) => s.name === 'node-1')?.weight).toBe(100);

    const rds = new Rds(config(reader));
    const r = await sdkError(
      rds.describeDBInstanceIPArrayList(new $Rds.DescribeDBInstanceIPArrayListRequest({ DBInstanceId: cloud.ids.postgres })),
    );
    expect(r.accessDeniedDetail?.AuthAction).toBe('rds:DescribeDBInstanceIPArrayList');

    expect(cloud.requests.filter((x) => x.accessKeyId === reader.id).map((x) => [x.product, x.action, x.code])).toEqual([
      ['Slb', 'DescribeLoadBalancerAttribute', 'OK'],
      ['Slb', 'SetBackendServers', 'Forbidden.RAM'],
      ['Rds', 'DescribeDBInstanceIPArrayList', 'Forbidden.RAM'],
    ]);
    const logged = JSON.stringify(cloud.requests);
    for (const k of [reader, admin]) expect(logged).not.toContain(k.secret);
  });
});

describe('STS', () => {
  it("AssumeRole answers a temporary key that works with its SecurityToken and the role's permissions only", async () => {
    const role = cloud.role(['slb:DescribeLoadBalancerAttribute']);
    const caller = cloud.accessKey(['sts:AssumeRole']);
    const sts = new Sts(config(caller));
    const assumed = await sts.assumeRole(
      new $Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'harbor-ha-deployer', durationSeconds: 900 }),
    );
    const c = assumed.body!.credentials!;
    expect(c.accessKeyId).toMatch(/^STS\./);
    expect(assumed.body?.assumedRoleUser?.arn).toMatch(/:assumed-role\/harbor-lab-[a-z0-9]+\/harbor-ha-deployer$/);

    const temporary = (token: string) =>
      new OpenApi(
        new $OpenApiUtil.Config({
          accessKeyId: c.accessKeyId,
          accessKeySecret: c.accessKeySecret,
          securityToken: token,
          endpoint: cloud.endpoint,
          regionId: cloud.regionId,
          ca: cloud.caPem,
        }),
      );
    const call = (client: OpenApi, action: string, query: Record<string, string>) =>
      client.callApi(
        new $OpenApiUtil.Params({
          action,
          version: '2014-05-15',
          protocol: 'HTTPS',
          pathname: '/',
          method: 'POST',
          authType: 'AK',
          style: 'RPC',
          reqBodyType: 'formData',
          bodyType: 'json',
        }),
        new $OpenApiUtil.OpenApiRequest({ query }),
        new $dara.RuntimeOptions({}),
      );
    const ok = (await call(temporary(c.securityToken!), 'DescribeLoadBalancerAttribute', { LoadBalancerId: cloud.ids.loadBalancer })) as {
      body: { LoadBalancerId: string };
    };
    expect(ok.body.LoadBalancerId).toBe(cloud.ids.loadBalancer);
    const denied = await sdkError(
      call(temporary(c.securityToken!), 'SetBackendServers', { LoadBalancerId: cloud.ids.loadBalancer, BackendServers: '[]' }),
    );
    expect([denied.code, denied.accessDeniedDetail?.AuthAction, denied.accessDeniedDetail?.AuthPrincipalType]).toEqual([
      'Forbidden.RAM',
      'slb:SetBackendServers',
      'AssumedRoleUser',
    ]);
    const wrongToken = await sdkError(
      call(temporary(`${c.securityToken!}x`), 'DescribeLoadBalancerAttribute', { LoadBalancerId: cloud.ids.loadBalancer }),
    );
    expect(wrongToken.code).toBe('InvalidSecurityToken.Mismatch');
    const noRole = await sdkError(sts.assumeRole(new $Sts.AssumeRoleRequest({ roleArn: `${role.arn}x`, roleSessionName: 's' })));
    expect([noRole.code, noRole.statusCode]).toEqual(['EntityNotExist.Role', 404]);
    expect(JSON.stringify(cloud.requests)).not.toContain(c.accessKeySecret!);
  });
});

// ─────────────────────────────────────────── CLB drives HAProxy ───────────────────────────────────────────

describe('CLB backends drive the lab HAProxy', () => {
  const lbId = () => cloud.ids.loadBalancer;

  it('weight 0 stops new connections to the node; weight back serves it again', async () => {
    expect(new Set(await servedBy())).toEqual(new Set(['node-1', 'node-2', 'node-3']));
    await slb('SetBackendServers', {
      LoadBalancerId: lbId(),
      BackendServers: JSON.stringify([{ ServerId: nodeId(2), Weight: 0, Type: 'ecs' }]),
    });
    expect((await lab.lb.serverState(80)).find((s) => s.name === 'node-2')).toMatchObject({ weight: 0 });
    const drained = await servedBy();
    expect(drained).not.toContain('node-2');
    expect(new Set(drained)).toEqual(new Set(['node-1', 'node-3']));

    await slb('SetBackendServers', { LoadBalancerId: lbId(), BackendServers: JSON.stringify([{ ServerId: nodeId(2), Weight: 100 }]) });
    expect(new Set(await servedBy())).toEqual(new Set(['node-1', 'node-2', 'node-3']));
  });

  it('weight 0 drains: a connection already on the node goes on and counts in scur until it closes', async () => {
    // three connections through the LB in TCP mode: round robin puts one on each node
    const conns = await Promise.all([0, 1, 2].map(() => keptConnection()));
    const onNode2 = conns.find((c) => c.node === 'node-2')!;
    for (const c of conns) if (c !== onNode2) c.socket.destroy();
    await slb('SetBackendServers', { LoadBalancerId: lbId(), BackendServers: JSON.stringify([{ ServerId: nodeId(2), Weight: 0 }]) });
    try {
      expect((await lab.lb.serverState(80)).find((s) => s.name === 'node-2')).toMatchObject({ weight: 0, scur: 1 });
      expect(await onNode2.ask()).toBe('node-2');
      onNode2.socket.destroy();
      await until(
        'no session on node-2',
        () => lab.lb.serverState(80),
        (s) => s.find((x) => x.name === 'node-2')?.scur === 0,
      );
    } finally {
      await slb('SetBackendServers', { LoadBalancerId: lbId(), BackendServers: JSON.stringify([{ ServerId: nodeId(2), Weight: 100 }]) });
    }
  });

  it('a restart of HAProxy keeps the weights set through the API', async () => {
    await slb('SetBackendServers', { LoadBalancerId: lbId(), BackendServers: JSON.stringify([{ ServerId: nodeId(1), Weight: 30 }]) });
    await lab.lb.terminateTls(null); // rewrites the configuration and restarts HAProxy
    // port 80, where the nodes answer: a server whose checks fail (443 here) may show no weight
    expect((await lab.lb.serverState(80)).map((s) => [s.name, s.weight])).toEqual([
      ['node-1', 30],
      ['node-2', 100],
      ['node-3', 100],
    ]);
    await slb('SetBackendServers', { LoadBalancerId: lbId(), BackendServers: JSON.stringify([{ ServerId: nodeId(1), Weight: 100 }]) });
    await lab.lb.waitForBackends(80);
  });

  it('RemoveBackendServers takes the node out of HAProxy; AddBackendServers puts it back', async () => {
    const removed = await slb('RemoveBackendServers', { LoadBalancerId: lbId(), BackendServers: JSON.stringify([nodeId(3)]) });
    expect((removed.BackendServers as { BackendServer: Array<{ ServerId: string }> }).BackendServer.map((b) => b.ServerId)).toEqual([
      nodeId(1),
      nodeId(2),
    ]);
    expect((await lab.lb.serverState(80)).map((s) => s.name)).toEqual(['node-1', 'node-2']);
    expect(await servedBy()).not.toContain('node-3');

    await slb('AddBackendServers', {
      LoadBalancerId: lbId(),
      BackendServers: JSON.stringify([{ ServerId: nodeId(3), Weight: 100, Type: 'ecs' }]),
    });
    await until(
      'node-3 UP',
      () => lab.lb.serverState(80),
      (s) => s.find((x) => x.name === 'node-3')?.status === 'UP',
    );
    expect((await lab.lb.backends(80)).map((b) => [b.name, b.address])).toContainEqual(['node-3', lab.node(3).address]);
    expect(await servedBy()).toContain('node-3');
  });

  it('DescribeHealthStatus follows HAProxy checks: abnormal for a node whose server closed', async () => {
    const health = async () =>
      (
        (await slb('DescribeHealthStatus', { LoadBalancerId: lbId(), ListenerPort: '80' })).BackendServers as {
          BackendServer: Array<{ ServerId: string; ServerHealthStatus: string }>;
        }
      ).BackendServer.map((b) => `${b.ServerId}:${b.ServerHealthStatus}`);
    expect(await health()).toEqual([1, 2, 3].map((i) => `${nodeId(i)}:normal`));
    await closeNode('node-1');
    try {
      await until('node-1 abnormal', health, (h) => h.includes(`${nodeId(1)}:abnormal`));
      expect(await health()).toEqual([`${nodeId(1)}:abnormal`, `${nodeId(2)}:normal`, `${nodeId(3)}:normal`]);
    } finally {
      await listenAsNode('node-1', lab.node(1).address);
    }
    await until('node-1 normal', health, (h) => h.includes(`${nodeId(1)}:normal`));
  });

  it('listeners read back as configured: TCP by default, HTTP with health-check URI and sticky session when set', async () => {
    const tcp = await slb('DescribeLoadBalancerTCPListenerAttribute', { LoadBalancerId: lbId(), ListenerPort: '443' });
    expect(tcp).toMatchObject({ ListenerPort: 443, HealthCheck: 'on', HealthCheckType: 'tcp' });
    cloud.setClbListener({ port: 80, protocol: 'http', healthCheckURI: '/api/v2.0/ping', stickySession: true });
    const httpL = await slb('DescribeLoadBalancerHTTPListenerAttribute', { LoadBalancerId: lbId(), ListenerPort: '80' });
    expect(httpL).toMatchObject({ HealthCheckURI: '/api/v2.0/ping', StickySession: 'on', StickySessionType: 'insert' });
    const all = await slb('DescribeLoadBalancerListeners', { RegionId: cloud.regionId, 'LoadBalancerId.1': lbId() });
    expect(
      (all.Listeners as Array<{ ListenerPort: number; ListenerProtocol: string }>).map((l) => [l.ListenerPort, l.ListenerProtocol]),
    ).toEqual([
      [80, 'http'],
      [443, 'tcp'],
    ]);
    const wrong = await sdkError(slb('DescribeLoadBalancerTCPListenerAttribute', { LoadBalancerId: lbId(), ListenerPort: '80' }));
    expect(wrong.statusCode).toBe(400);
    cloud.setClbListener({ port: 80, protocol: 'tcp' });
  });
});

// ─────────────────────────────────────────── whitelists ───────────────────────────────────────────

describe('whitelists', () => {
  it('RDS: Append adds to a named group, Delete removes only the listed, Cover replaces; default keeps 127.0.0.1', async () => {
    const rds = new Rds(config(admin));
    const id = cloud.ids.postgres;
    const groups = async () =>
      Object.fromEntries(
        (
          (await rds.describeDBInstanceIPArrayList(new $Rds.DescribeDBInstanceIPArrayListRequest({ DBInstanceId: id }))).body?.items
            ?.DBInstanceIPArray ?? []
        ).map((g) => [g.DBInstanceIPArrayName, g.securityIPList]),
      );
    const modify = (ips: string, mode: string, group = 'harbor_ha') =>
      rds.modifySecurityIps(
        new $Rds.ModifySecurityIpsRequest({ DBInstanceId: id, securityIps: ips, DBInstanceIPArrayName: group, modifyMode: mode }),
      );
    const events: Array<[string, string[]]> = [];
    const follow = (i: string, e: string[]) => events.push([i, e]);
    cloud.on('whitelist', follow);
    const [n1, n2, n3] = lab.nodes.map((n) => n.address);

    expect(await groups()).toEqual({ default: '127.0.0.1' });
    await modify(`${n1},${n2}`, 'Append');
    await modify(`${n3},${n1}`, 'Append');
    expect(await groups()).toEqual({ default: '127.0.0.1', harbor_ha: `${n1},${n2},${n3}` });
    await modify(n2!, 'Delete');
    expect(await groups()).toEqual({ default: '127.0.0.1', harbor_ha: `${n1},${n3}` });
    expect(cloud.whitelist(id)).toEqual(['127.0.0.1', n1, n3]);
    await modify('10.1.0.0/16', 'Cover');
    expect(await groups()).toEqual({ default: '127.0.0.1', harbor_ha: '10.1.0.0/16' });
    await modify('10.1.0.0/16', 'Delete');
    expect(await groups()).toEqual({ default: '127.0.0.1' });
    cloud.off('whitelist', follow);
    expect(events.map(([i]) => i)).toEqual([id, id, id, id, id]);
    expect(events[1]![1]).toEqual(['127.0.0.1', n1, n2, n3]);

    for (const [ips, group, code] of [
      ['300.1.1.1', 'harbor_ha', 'InvalidSecurityIPList.Format'],
      ['10.0.0.0/33', 'harbor_ha', 'InvalidSecurityIPList.Format'],
      [n1!, 'Harbor-HA', 'InvalidDBInstanceIPArrayName.Format'],
    ] as const)
      expect((await sdkError(modify(ips, 'Append', group))).code).toBe(code);
    const many = Array.from({ length: 1000 }, (_, i) => `10.${i >> 8}.${i & 255}.1`).join(',');
    expect((await sdkError(modify(many, 'Append'))).code).toBe('QuotaExceeded.SecurityIPs');
    expect(await groups()).toEqual({ default: '127.0.0.1' });
    expect(
      (await sdkError(rds.describeDBInstanceIPArrayList(new $Rds.DescribeDBInstanceIPArrayListRequest({ DBInstanceId: 'pgm-none' })))).code,
    ).toBe('InvalidDBInstanceId.NotFound');
  });

  it('Redis (R-KVStore): the same modes on SecurityIpGroupName; MariaDB has its own instance', async () => {
    const kv = new RKvstore(config(admin));
    const id = cloud.ids.redis;
    const groups = async () =>
      Object.fromEntries(
        (
          (await kv.describeSecurityIps(new $Kv.DescribeSecurityIpsRequest({ instanceId: id }))).body?.securityIpGroups?.securityIpGroup ??
          []
        ).map((g) => [g.securityIpGroupName, g.securityIpList]),
      );
    const modify = (ips: string, mode: string) =>
      kv.modifySecurityIps(
        new $Kv.ModifySecurityIpsRequest({ instanceId: id, securityIps: ips, securityIpGroupName: 'harbor_ha', modifyMode: mode }),
      );
    const [n1, n2] = lab.nodes.map((n) => n.address);
    await modify(n1!, 'Append');
    await modify(n2!, 'Append');
    expect(await groups()).toEqual({ default: '127.0.0.1', harbor_ha: `${n1},${n2}` });
    await modify(n1!, 'Delete');
    expect(cloud.whitelist(id)).toEqual(['127.0.0.1', n2]);
    await modify('192.168.0.1', 'Cover');
    expect(await groups()).toEqual({ default: '127.0.0.1', harbor_ha: '192.168.0.1' });
    expect((await sdkError(modify('1.2.3', 'Append'))).code).toBe('InvalidSecurityIps.Format');
    expect(cloud.whitelist(cloud.ids.mariadb)).toEqual(['127.0.0.1']);
  });
});

// ─────────────────────────────────────────── ALB ───────────────────────────────────────────

describe('ALB', () => {
  it('server-group weights, removal and addition drive HAProxy; health from its checks', async () => {
    // a second endpoint of the lab cloud whose load balancer is an ALB over the same HAProxy
    const albCloud = await startLabCloud({
      slot: lab.slot,
      address: `127.0.${lab.slot}.45`,
      dir: path.join(lab.dir, 'cloud-alb'),
      nodes: lab.nodes.map((n) => ({ name: n.name, address: n.address })),
      lb: lab.lb,
      loadBalancer: 'alb',
    });
    try {
      const key = albCloud.accessKey(['alb:*']);
      const alb = new Alb(config(key, albCloud));
      const l80 = albCloud.albListeners.find((l) => l.port === 80)!;
      const listeners = await alb.listListeners(new $Alb.ListListenersRequest({ loadBalancerIds: [albCloud.ids.loadBalancer] }));
      expect(
        listeners.body?.listeners?.map((l) => [
          l.listenerPort,
          l.listenerProtocol,
          l.defaultActions?.[0]?.forwardGroupConfig?.serverGroupTuples?.[0]?.serverGroupId,
        ]),
      ).toEqual([
        [80, 'HTTP', l80.serverGroupId],
        [443, 'HTTPS', albCloud.albListeners[1]!.serverGroupId],
      ]);
      const groups = await alb.listServerGroups(new $Alb.ListServerGroupsRequest({ serverGroupIds: [l80.serverGroupId] }));
      expect(groups.body?.serverGroups?.map((g) => g.serverGroupId)).toEqual([l80.serverGroupId]);
      const ids = albCloud.ids.nodes.map((n) => n.InstanceId);
      const server = (i: number, weight?: number) => ({
        serverId: ids[i - 1],
        serverType: 'Ecs',
        port: 80,
        ...(weight === undefined ? {} : { weight }),
      });

      const upd = await alb.updateServerGroupServersAttribute(
        new $Alb.UpdateServerGroupServersAttributeRequest({
          serverGroupId: l80.serverGroupId,
          servers: [new $Alb.UpdateServerGroupServersAttributeRequestServers(server(1, 0))],
        }),
      );
      expect(upd.body?.jobId).toBeTruthy();
      expect(await servedBy()).not.toContain('node-1');
      const listed = await alb.listServerGroupServers(new $Alb.ListServerGroupServersRequest({ serverGroupId: l80.serverGroupId }));
      expect(listed.body?.servers?.map((s) => [s.serverId, s.weight])).toEqual([
        [ids[0], 0],
        [ids[1], 100],
        [ids[2], 100],
      ]);
      await alb.updateServerGroupServersAttribute(
        new $Alb.UpdateServerGroupServersAttributeRequest({
          serverGroupId: l80.serverGroupId,
          servers: [new $Alb.UpdateServerGroupServersAttributeRequestServers(server(1, 100))],
        }),
      );

      await alb.removeServersFromServerGroup(
        new $Alb.RemoveServersFromServerGroupRequest({
          serverGroupId: l80.serverGroupId,
          servers: [new $Alb.RemoveServersFromServerGroupRequestServers(server(2))],
        }),
      );
      expect((await lab.lb.serverState(80)).map((s) => s.name)).not.toContain('node-2');
      expect(await servedBy()).not.toContain('node-2');
      await alb.addServersToServerGroup(
        new $Alb.AddServersToServerGroupRequest({
          serverGroupId: l80.serverGroupId,
          servers: [new $Alb.AddServersToServerGroupRequestServers(server(2, 100))],
        }),
      );
      await until(
        'node-2 UP',
        () => lab.lb.serverState(80),
        (s) => s.find((x) => x.name === 'node-2')?.status === 'UP',
      );
      expect(await servedBy()).toContain('node-2');

      const nonNormal = async () =>
        (
          await alb.getListenerHealthStatus(new $Alb.GetListenerHealthStatusRequest({ listenerId: l80.listenerId }))
        ).body?.listenerHealthStatus?.[0]?.serverGroupInfos?.[0]?.nonNormalServers?.map((s) => `${s.serverId}:${s.status}`) ?? [];
      expect(await nonNormal()).toEqual([]);
      await closeNode('node-3');
      try {
        expect(await until('node-3 unhealthy', nonNormal, (x) => x.length > 0)).toEqual([`${ids[2]}:Unhealthy`]);
      } finally {
        await listenAsNode('node-3', lab.node(3).address);
      }
      const denied = await sdkError(
        new Alb(config(albCloud.accessKey(['alb:ListListeners']), albCloud)).listServerGroups(new $Alb.ListServerGroupsRequest({})),
      );
      expect(denied.accessDeniedDetail?.AuthAction).toBe('alb:ListServerGroups');
    } finally {
      await albCloud.stop();
    }
  });
});
