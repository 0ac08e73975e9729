/**
 * Tests of the lab itself, part 2: the Harbor 2.x fixture and the Harbor-like service behind the load balancer
 * (shared keys decide whether a push through the LB works, CSRF_KEY, health vs Redis), the services, and the OSS
 * endpoint's signature checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import OSS from 'ali-oss';
import pg from 'pg';
import Redis from 'ioredis';
import { installHarbor, prepareHarborNode } from './harbor-yml';
import { up, type Lab, type LabNode } from './index';
import { checkPolicedValue } from '../../shared/profile/value-policy';
import { csrfLogin, pullImage, pushTinyImage, request } from './registry-client';

let lab: Lab;
const ADMIN = 'Harbor12345';
const prepareNode = (n: LabNode, edit?: (doc: YAML.Document) => void) => prepareHarborNode(lab, n, edit ? { edit } : {});
const install = installHarbor;

beforeAll(async () => {
  lab = await up({ nodes: 3, harbor: 'v2', bundleSize: 1 << 20 });
  console.log(`[lab] v2 lab with 3 nodes + all services up in ${lab.bringUpMs} ms (slot ${lab.slot}; ${JSON.stringify(lab.timings)})`);
  const c = new pg.Client(lab.postgres.connection);
  await c.connect();
  await c.query('CREATE DATABASE registry');
  await c.end();
});
afterAll(async () => {
  await lab?.down();
});

const health = async (n: LabNode) =>
  JSON.parse((await request(`http://${n.address}/api/v2.0/health`)).body.toString()) as {
    status: string;
    components: Array<{ name: string; status: string; error?: string }>;
  };

describe('Harbor 2.x fixture installer', () => {
  it('has the real layout and refuses the default hostname and a missing required key', async () => {
    const n = lab.node(1);
    await n.execOk(`rm -rf /opt/harbor && cd /opt && tar xzf ${lab.installers.v2}`);
    expect((await n.execOk('cd /opt && find harbor -maxdepth 1 | sort')).trim().split('\n')).toEqual([
      'harbor',
      'harbor/LICENSE',
      'harbor/common.sh',
      'harbor/harbor.v2.15.2.tar.gz',
      'harbor/harbor.yml.tmpl',
      'harbor/install.sh',
      'harbor/prepare',
    ]);
    await n.execOk('cd /opt/harbor && cp harbor.yml.tmpl harbor.yml && sed -i "/^https:/,/^$/d" harbor.yml');
    const dflt = await n.exec('cd /opt/harbor && ./install.sh');
    expect(dflt.code).not.toBe(0);
    expect(dflt.stderr + dflt.stdout).toMatch(/hostname/);
    await prepareNode(n, (d) => d.deleteIn(['jobservice', 'max_job_workers']));
    const missing = await n.exec('cd /opt/harbor && ./install.sh');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("KeyError: 'max_job_workers'");
    expect((await n.exec('cd /opt/harbor && ./install.sh --ha')).code).toBe(1);
    // without the compose plugin an old docker-compose v1 is refused
    await prepareNode(n);
    await n.configure({ composePlugin: null, compose: '1.17.1' });
    const oldCompose = await n.exec('cd /opt/harbor && ./install.sh');
    expect(oldCompose.code).toBe(1);
    expect(oldCompose.stdout).toContain('Need to upgrade docker-compose package to 1.18.0+');
    await n.configure({ composePlugin: 'v2.27.1', compose: null });
    // the legacy key name of redirect crashes prepare, like 2.15 does
    await prepareNode(n, (d) => d.setIn(['storage_service', 'redirect'], d.createNode({ disabled: true })));
    expect((await n.exec('cd /opt/harbor && ./prepare')).stderr).toContain("KeyError: 'disable'");
  }, 180_000);

  it('keeps pre-seeded /data/secret files, regenerates CSRF_KEY on every prepare, and runs down -v before up -d', async () => {
    const n = lab.node(1);
    await prepareNode(n);
    await n.writeFile('/data/secret/keys/secretkey', 'abcdefghijklmnop');
    await install(n);
    expect(await n.readText('/data/secret/keys/secretkey')).toBe('abcdefghijklmnop');
    const csrf1 = /^CSRF_KEY=(.*)$/m.exec(await n.readText('/opt/harbor/common/config/core/env'))![1]!;
    const key1 = await n.readText('/data/secret/core/private_key.pem');
    await n.execOk('cd /opt/harbor && ./prepare');
    const csrf2 = /^CSRF_KEY=(.*)$/m.exec(await n.readText('/opt/harbor/common/config/core/env'))![1]!;
    expect(csrf1).toHaveLength(32);
    expect(csrf2).not.toBe(csrf1);
    expect(await n.readText('/data/secret/core/private_key.pem')).toBe(key1);
    // prepare also made a new registry password: distribution re-reads its htpasswd file when it changes, while the
    // running core still sends the old one, so the node refuses pushes until Harbor is recreated with the new env
    await expect(pushTinyImage(`http://${n.address}`, 'library/tiny', 'prepared', 'admin', ADMIN)).rejects.toThrow(/HTTP 401/);
    expect(await n.readText('/var/log/harbor/registry.log')).toMatch(
      /level=warning msg="error authorizing context: basic authentication challenge for realm \\"harbor-registry-basic-realm\\": /,
    );
    await install(n);
    await pushTinyImage(`http://${n.address}`, 'library/tiny', 'prepared', 'admin', ADMIN);
    const compose = (await n.invocations('docker')).filter((i) => i.args[0] === 'compose').map((i) => i.args.slice(1).join(' '));
    expect(compose.slice(-2)).toEqual(['down -v', 'up -d']);
    const ps = (await n.execOk('cd /opt/harbor && docker compose ps')).split('\n');
    expect(ps[0]).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(ps.find((l) => l.startsWith('harbor-core'))).toMatch(/goharbor\/harbor-core:v2\.15\.2 .* core .*Up /);
    expect(await n.readText('/opt/harbor/docker-compose.yml')).not.toMatch(/harbor-db|redis-photon/);
  }, 180_000);
});

describe('Harbor-like service behind the load balancer', () => {
  it('answers ping, health and /v2/ with the realm of the Host used', async () => {
    const n = lab.node(1);
    const ping = await request(`http://${n.address}/api/v2.0/ping`);
    expect(ping.body.toString()).toBe('Pong');
    const h = await health(n);
    expect(h.status).toBe('healthy');
    expect(h.components.map((c) => c.name).sort()).toEqual([
      'core',
      'database',
      'jobservice',
      'portal',
      'redis',
      'registry',
      'registryctl',
    ]);
    const v2 = await request(`http://${n.address}/v2/`, { hostHeader: lab.registryName });
    expect(v2.status).toBe(401);
    expect(v2.headers['www-authenticate']).toBe(`Bearer realm="http://${lab.registryName}/service/token",service="harbor-registry"`);
  });

  it('fails a push through the LB while nodes have their own keys, and succeeds once they share them', async () => {
    const [a, b, c] = [lab.node(1), lab.node(2), lab.node(3)];
    // own keys: each node generates its own token key pair
    await Promise.all([b, c].map((n) => prepareNode(n)));
    await Promise.all([b, c].map(install));
    await lab.lb.waitForBackends(80);
    const lbBase = `http://${lab.lb.address}`;
    await expect(pushTinyImage(lbBase, 'library/tiny', 'v1', 'admin', ADMIN)).rejects.toThrow(/HTTP 401/);

    // shared keys: node 1's secret files pre-seeded on the others, then reinstall
    for (const f of ['/data/secret/keys/secretkey', '/data/secret/core/private_key.pem', '/data/secret/registry/root.crt']) {
      const data = await a.readFile(f);
      for (const n of [b, c]) await n.writeFile(f, data, 0o600);
    }
    await Promise.all([b, c].map(install));
    await lab.lb.waitForBackends(80);
    const pushed = await pushTinyImage(lbBase, 'library/tiny', 'v1', 'admin', ADMIN);
    expect(await pullImage(lbBase, 'library/tiny', 'v1', 'admin', ADMIN)).toBe(pushed.manifestDigest);
    // each node's distribution kept the blobs where every node finds them (the lab's stand-in for the bucket)
    expect(fs.readdirSync(path.join(lab.sharedStorage, lab.oss.bucket, 'harbor/docker/registry/v2/blobs/sha256')).length).toBeGreaterThan(
      0,
    );
    for (const n of [a, b, c])
      expect(await pullImage(`http://${n.address}`, 'library/tiny', 'v1', 'admin', ADMIN)).toBe(pushed.manifestDigest);
    // a wrong password gets no token
    await expect(pushTinyImage(lbBase, 'library/tiny', 'v2', 'admin', 'nope')).rejects.toThrow(/token: HTTP 401/);
  }, 180_000);

  it('refuses a CSRF-protected login when CSRF_KEY differs between nodes', async () => {
    const [a, b] = [lab.node(1), lab.node(2)];
    expect((await csrfLogin(`http://${a.address}`, `http://${a.address}`, 'admin', ADMIN)).status).toBe(200);
    const cross = await csrfLogin(`http://${a.address}`, `http://${b.address}`, 'admin', ADMIN);
    expect(cross.status).toBe(403);
    expect(cross.body.toString()).toContain('CSRF token invalid');
    // force one CSRF_KEY on both and restart core: the login works across nodes
    const envA = await a.readText('/opt/harbor/common/config/core/env');
    const key = /^CSRF_KEY=(.*)$/m.exec(envA)![1]!;
    const envB = await b.readText('/opt/harbor/common/config/core/env');
    await b.writeFile('/opt/harbor/common/config/core/env', envB.replace(/^CSRF_KEY=.*$/m, `CSRF_KEY=${key}`));
    // (node 1 ran ./prepare after its install, so its running core still has the previous key: restart it too)
    await Promise.all([a, b].map((n) => n.execOk('docker restart harbor-core')));
    expect(await b.readText('/opt/harbor/common/config/core/env')).toContain(`CSRF_KEY=${key}`);
    const same = await csrfLogin(`http://${a.address}`, `http://${b.address}`, 'admin', ADMIN);
    expect(same.status, `${same.body.toString()} ${await b.readText('/var/log/harbor/sim.log')}`).toBe(200);
    expect((await csrfLogin(`http://${a.address}`, `http://${b.address}`, 'admin', ADMIN)).status).toBe(200);
  });

  it("resumes an upload on another node with Harbor's shared http.secret, and refuses it when that node's differs", async () => {
    const [a, b] = [lab.node(1), lab.node(2)];
    const scope = 'repository:library/resumed:pull,push';
    const tok = JSON.parse(
      (
        await request(`http://${a.address}/service/token?service=harbor-registry&scope=${scope}`, {
          headers: { Authorization: `Basic ${Buffer.from(`admin:${ADMIN}`).toString('base64')}` },
        })
      ).body.toString(),
    ).token as string;
    const auth = { Authorization: `Bearer ${tok}` };
    /** Start an upload on node 1 and send its first chunk to node 2 with the state node 1 signed. */
    const resumeOnNode2 = async () => {
      const start = await request(`http://${a.address}/v2/library/resumed/blobs/uploads/`, {
        method: 'POST',
        headers: { ...auth, 'Content-Length': '0' },
      });
      expect(start.status).toBe(202);
      const where = new URL(String(start.headers.location));
      expect(where.searchParams.get('_state')).toBeTruthy();
      return request(`http://${b.address}${where.pathname}${where.search}`, {
        method: 'PATCH',
        body: Buffer.from('chunk'),
        headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      });
    };
    expect((await resumeOnNode2()).status).toBe(202);
    // Harbor writes `secret: placeholder` on every node; give node 2 its own
    const config = '/opt/harbor/common/config/registry/config.yml';
    const written = await b.readText(config);
    expect(written).toMatch(/^ {2}secret: placeholder$/m);
    await b.writeFile(config, written.replace(/^ {2}secret: placeholder$/m, '  secret: node-2-own'));
    await b.execOk('docker restart registry');
    try {
      const refused = await resumeOnNode2();
      // distribution answers BLOB_UPLOAD_INVALID with 404
      expect(refused.status, refused.body.toString()).toBe(404);
      expect(JSON.parse(refused.body.toString()).errors[0].code).toBe('BLOB_UPLOAD_INVALID');
      expect(await b.readText('/var/log/harbor/registry.log')).toMatch(/err.code="blob upload invalid"/);
    } finally {
      await b.writeFile(config, written);
      await b.execOk('docker restart registry');
    }
  });

  it("logs distribution's Redis failure when prepare's YAML cuts the Redis password, a value the app refuses", async () => {
    const n = lab.node(3);
    const password = 'lab #tail';
    expect(checkPolicedValue('redis.password', 'v2', password)?.en).toContain('common/config/registry/config.yml');
    // the lab's Redis takes this password too (its default user may have several)
    const admin = new Redis({ host: lab.redis.address, port: lab.redis.port, password: lab.redis.password, lazyConnect: true });
    await admin.connect();
    await admin.call('ACL', 'SETUSER', 'default', `>${password}`);
    admin.disconnect();
    await prepareNode(n, (d) => d.setIn(['external_redis', 'password'], password));
    await install(n);
    // core's URL carries it percent-encoded and works; the registry's YAML reads "lab"
    expect((await health(n)).components.find((c) => c.name === 'redis')?.status).toBe('healthy');
    expect(await n.readText('/opt/harbor/common/config/registry/config.yml')).toContain(`password: ${password}`);
    await pushTinyImage(`http://${n.address}`, 'library/redis-cut', 'v1', 'admin', ADMIN);
    // the push itself works (distribution falls back to the storage), but every first look at a blob fails in Redis
    expect(await n.readText('/var/log/harbor/registry.log')).toMatch(
      /level=error msg="redis: error connecting: WRONGPASS invalid username-password pair/,
    );
  });

  it('reports redis unhealthy while Redis is stopped', async () => {
    const n = lab.node(1);
    const before = await health(n);
    expect(before.status, JSON.stringify(before)).toBe('healthy');
    await lab.redis.stop();
    try {
      const h = await health(n);
      expect(h.status).toBe('unhealthy');
      expect(h.components.find((c) => c.name === 'redis')?.status).toBe('unhealthy');
      expect(h.components.find((c) => c.name === 'database')?.status).toBe('healthy');
    } finally {
      await lab.redis.start();
    }
    expect((await health(n)).status).toBe('healthy');
  });
});

describe('Harbor-like service with https', () => {
  it('serves https on 443 with the configured certificate and only redirects on 80', async () => {
    const n = lab.node(3);
    await n.execOk(
      'mkdir -p /data/cert && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=registry.lab.test" -keyout /data/cert/server.key -out /data/cert/server.crt 2>/dev/null',
    );
    await prepareNode(n, (d) =>
      d.set('https', d.createNode({ port: 443, certificate: '/data/cert/server.crt', private_key: '/data/cert/server.key' })),
    );
    await install(n);
    const plain = await request(`http://${n.address}/api/v2.0/ping`, { hostHeader: lab.registryName });
    expect(plain.status).toBe(308);
    expect(plain.headers.location).toBe(`https://${lab.registryName}/api/v2.0/ping`);
    const { default: https } = await import('node:https');
    const res = await new Promise<{ status: number; body: string; realm: string; cert: string }>((resolve, reject) => {
      const req = https.get(
        {
          host: n.address,
          port: 443,
          path: '/v2/',
          servername: lab.registryName,
          headers: { Host: lab.registryName },
          rejectUnauthorized: false,
          agent: false,
        },
        (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () =>
            resolve({
              status: r.statusCode ?? 0,
              body,
              realm: String(r.headers['www-authenticate']),
              cert: String((r.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN ?? ''),
            }),
          );
        },
      );
      req.on('error', reject);
    });
    expect(res.status).toBe(401);
    expect(res.realm).toContain(`realm="https://${lab.registryName}/service/token"`);
    expect(res.cert).toBe('registry.lab.test');
  }, 180_000);
});

describe('services', () => {
  it('Redis takes the password, the ACL user, and Aliyun account:password', async () => {
    const r = lab.redis;
    const ping = async (opts: { username?: string; password: string }) => {
      const c = new Redis({
        host: r.address,
        port: r.port,
        ...opts,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      const errors: Error[] = [];
      c.on('error', (e: Error) => errors.push(e));
      try {
        await c.connect();
        return await c.ping();
      } catch (e) {
        throw errors[0] ?? e;
      } finally {
        c.disconnect();
      }
    };
    expect(await ping({ password: r.password })).toBe('PONG');
    expect(await ping({ username: r.aclUser, password: r.aclPassword })).toBe('PONG');
    expect(await ping({ password: r.accountPassword })).toBe('PONG');
    await expect(ping({ password: 'wrong' })).rejects.toThrow(/WRONGPASS|invalid/i);
  });

  it('MariaDB, the 5.7-like instance and PostgreSQL accept their admins', async () => {
    expect(await lab.mariadb.query('SELECT @@explicit_defaults_for_timestamp AS e')).toEqual([{ e: 1 }]);
    expect(await lab.mysql57.query('SELECT @@explicit_defaults_for_timestamp AS e, @@sql_mode AS m')).toEqual([
      { e: 0, m: expect.stringContaining('STRICT_TRANS_TABLES') },
    ]);
    const c = new pg.Client(lab.postgres.connection);
    await c.connect();
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await c.end();
  });
});

describe('OSS endpoint', () => {
  for (const v4 of [false, true]) {
    it(`checks ali-oss ${v4 ? 'V4' : 'V1'} signatures and rejects a wrong key with SignatureDoesNotMatch`, async () => {
      const opts = { ...lab.oss.clientOptions, ...(v4 ? { authorizationV4: true } : {}) };
      const good = new OSS(opts);
      const key = `lab-test/${v4 ? 'v4' : 'v1'}/hello world+ü.txt`;
      await good.put(key, Buffer.from('hello'));
      expect((await good.get(key)).content.toString()).toBe('hello');
      expect(((await good.list({ prefix: 'lab-test/', 'max-keys': 10 }, {})).objects ?? []).map((o: { name: string }) => o.name)).toContain(
        key,
      );
      await good.head(key);
      // multipart, as used for big installers
      const big = Buffer.alloc(300 * 1024, 7);
      const mp = `lab-test/${v4 ? 'v4' : 'v1'}/multipart.bin`;
      await good.multipartUpload(mp, big, { partSize: 100 * 1024 });
      expect((await good.get(mp)).content.equals(big)).toBe(true);

      const bad = new OSS({ ...opts, accessKeySecret: `${opts.accessKeySecret}x` });
      const err = await bad.put(key, Buffer.from('evil')).then(
        () => undefined,
        (e: { status: number; code: string }) => e,
      );
      expect(err?.status).toBe(403);
      expect(err?.code).toBe('SignatureDoesNotMatch');
      const unknown = new OSS({ ...opts, accessKeyId: 'LTAIunknown' });
      expect(
        await unknown.get(key).then(
          () => undefined,
          (e: { code: string }) => e.code,
        ),
      ).toBe('InvalidAccessKeyId');
      expect((await good.get(key)).content.toString()).toBe('hello');
      await good.delete(key);
      expect(
        await good.get(key).then(
          () => undefined,
          (e: { code: string }) => e.code,
        ),
      ).toBe('NoSuchKey');
    });
  }
});
