/** Service probes made from a lab node through its SSH connection, against the lab's real services. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMysql, probeOss, probePostgres, probeRedis, probeTcp } from '../../electron/core/probe/probes';
import type { SshConnection } from '../../electron/core/ssh/connect';
import { connectToLabNode } from '../helpers/lab-ssh';
import * as lab from '../lab';

let l: lab.Lab;
let c: SshConnection;
const from = 'node-1';

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: ['mariadb', 'postgres', 'redis', 'oss'] });
  c = await connectToLabNode(l.node(1));
}, 180_000);

afterAll(async () => {
  c?.close();
  await l?.down();
});

describe('probes from a node', () => {
  it('reaches a TCP port, and says refused for a closed one', async () => {
    expect((await probeTcp(c.client, from, l.mariadb.address, 3306)).ok).toBe(true);
    const closed = await probeTcp(c.client, from, l.mariadb.address, 3307);
    expect(closed.ok).toBe(false);
    expect(closed.problem!.en).toContain('refused');
  });

  it('logs in to MySQL and reads its version; a wrong password is named', async () => {
    const ok = await probeMysql(c.client, from, l.mariadb.connection);
    expect(ok).toMatchObject({ ok: true });
    expect(ok.detail).toMatch(/MariaDB/);
    const bad = await probeMysql(c.client, from, { ...l.mariadb.connection, password: 'wrong' });
    expect(bad.ok).toBe(false);
    expect(bad.problem!.en).toContain('refused the login of "root"');
  });

  it('logs in to PostgreSQL; a wrong password and a missing database are named', async () => {
    const pgc = l.postgres.connection;
    expect(await probePostgres(c.client, from, { host: pgc.host, port: pgc.port, user: pgc.user, password: pgc.password })).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^PostgreSQL 1\d/),
    });
    expect(
      (await probePostgres(c.client, from, { host: pgc.host, port: pgc.port, user: pgc.user, password: 'nope' })).problem!.en,
    ).toContain('refused the login');
    expect(
      (
        await probePostgres(c.client, from, {
          host: pgc.host,
          port: pgc.port,
          user: pgc.user,
          password: pgc.password,
          database: 'nosuchdb',
        })
      ).problem!.en,
    ).toContain('does not exist');
  });

  it('authenticates to Redis in every form, and names a wrong password', async () => {
    const r = l.redis;
    const base = { host: r.address, port: r.port };
    expect((await probeRedis(c.client, from, { ...base, auth: 'password', password: r.password })).ok).toBe(true);
    expect((await probeRedis(c.client, from, { ...base, auth: 'account', username: r.aclUser, password: r.aclPassword, db: 2 })).ok).toBe(
      true,
    );
    expect((await probeRedis(c.client, from, { ...base, auth: 'acl', username: r.aclUser, password: r.aclPassword })).ok).toBe(true);
    const wrong = await probeRedis(c.client, from, { ...base, auth: 'password', password: 'wrong' });
    expect(wrong.ok).toBe(false);
    expect(wrong.problem!.en).toContain('refused the password');
    const none = await probeRedis(c.client, from, { ...base, auth: 'none' });
    expect(none.problem!.en).toContain('needs a password');
  });

  it('writes, reads and deletes a probe object in OSS through the internal endpoint name', async () => {
    const o = l.oss;
    const cfg = {
      region: o.region,
      bucket: o.bucket,
      internal: true,
      secure: false,
      accessKeyId: o.accessKeyId,
      accessKeySecret: o.accessKeySecret,
      rootDirectory: '/harbor',
    };
    const ok = await probeOss(c.client, from, cfg);
    expect(ok).toMatchObject({ ok: true, target: `oss ${o.bucket}.${o.region}-internal.aliyuncs.com` });
    expect(o.listKeys().filter((k) => k.includes('probe'))).toEqual([]);
    expect((await probeOss(c.client, from, { ...cfg, accessKeySecret: 'wrong-secret' })).problem!.en).toContain('SignatureDoesNotMatch');
    o.createBucket('other-bucket');
    expect((await probeOss(c.client, from, { ...cfg, bucket: 'missing-bucket' })).ok).toBe(false);
  });

  it('says refused when Redis is down', async () => {
    await l.redis.stop();
    try {
      const down = await probeRedis(c.client, from, {
        host: l.redis.address,
        port: l.redis.port,
        auth: 'password',
        password: l.redis.password,
      });
      expect(down.ok).toBe(false);
      expect(down.problem!.en).toContain('refused');
    } finally {
      await l.redis.start();
    }
  });
});
