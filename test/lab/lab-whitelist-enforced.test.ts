/**
 * The lab's cloud enforces its whitelists: `up()` with `cloud` puts a gate in front of PostgreSQL and Redis that
 * follows the RDS and R-KVStore instance's whitelist, so what the OpenAPI's ModifySecurityIps does (through the
 * official SDKs, as the app calls it) is what a node meets when it connects by the name it resolves to the instance.
 * The direct addresses stay open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import Rds, * as $Rds from '@alicloud/rds20140815';
import RKvstore, * as $Kv from '@alicloud/r-kvstore20150101';
import { saveV2LabProfile } from '../helpers/lab-profile';
import { testCore } from '../helpers/core';
import { up, type Lab, type LabNode } from './index';

let lab: Lab;
let rds: Rds;
let kv: RKvstore;

beforeAll(async () => {
  lab = await up({ nodes: 2, bundleSize: 1 << 20, services: ['postgres', 'redis', 'oss', 'lb', 'cloud'] });
  const admin = lab.cloud.accessKey('*');
  const config = new $OpenApiUtil.Config({
    accessKeyId: admin.id,
    accessKeySecret: admin.secret,
    endpoint: lab.cloud.endpoint,
    regionId: lab.cloud.regionId,
    ca: lab.cloud.caPem,
  });
  rds = new Rds(config);
  kv = new RKvstore(config);
});
afterAll(() => lab?.down());

/** psql run on the node, to `host`: its output, or what it printed when refused */
async function psqlOn(node: LabNode, host: string): Promise<{ ok: boolean; text: string }> {
  const { password } = lab.postgres.connection;
  const r = await node.exec(`PGPASSWORD='${password}' PGCONNECT_TIMEOUT=10 psql -h ${host} -U postgres -d postgres -Atc "select 'ok'"`);
  return { ok: r.code === 0, text: (r.code === 0 ? r.stdout : r.stderr).trim() };
}

/** AUTH and PING sent by bash on the node (the nodes have no redis-cli): the two replies */
async function redisOn(node: LabNode, host: string): Promise<string> {
  const g = lab.gates.redis;
  const resp = `exec 3<>/dev/tcp/${host}/${g.port}; printf 'AUTH %s\\r\\nPING\\r\\n' '${lab.redis.password}' >&3; timeout 10 head -n 2 <&3`;
  return node.execOk(`bash -c ${JSON.stringify(resp)}`);
}

const refusedPg = (node: LabNode) => `no pg_hba.conf entry for host "${node.address}", user "postgres", database "postgres", no encryption`;
const refusedRedis = (node: LabNode) => new RegExp(`^(-ERR illegal address: ${node.address.replace(/\./g, '\\.')}:\\d+\\r\\n){2}$`);

const modifyPg = (ips: string, mode: 'Append' | 'Delete') =>
  rds.modifySecurityIps(
    new $Rds.ModifySecurityIpsRequest({
      DBInstanceId: lab.gates.postgres.instanceId,
      securityIps: ips,
      DBInstanceIPArrayName: 'harbor_ha',
      modifyMode: mode,
    }),
  );
const modifyRedis = (ips: string, mode: 'Append' | 'Delete') =>
  kv.modifySecurityIps(
    new $Kv.ModifySecurityIpsRequest({
      instanceId: lab.gates.redis.instanceId,
      securityIps: ips,
      securityIpGroupName: 'harbor_ha',
      modifyMode: mode,
    }),
  );

describe('whitelists enforced by the lab cloud', () => {
  it('refuse node 1 until ModifySecurityIps appends its address, and again once it is deleted', async () => {
    const [n1, n2] = [lab.node(1), lab.node(2)];
    const pg = lab.gates.postgres;
    expect([pg.instanceId, lab.gates.redis.instanceId]).toEqual([lab.cloud.ids.postgres, lab.cloud.ids.redis]);
    expect(pg.allowed).toEqual(['127.0.0.1']);

    // a new instance lets no node in; the direct address is the DBA's way, not gated
    expect(await psqlOn(n1, pg.host)).toEqual({ ok: false, text: expect.stringContaining(refusedPg(n1)) });
    expect(await redisOn(n1, lab.gates.redis.host)).toMatch(refusedRedis(n1));
    expect(await psqlOn(n1, 'postgres.lab.test')).toEqual({ ok: true, text: 'ok' });

    await modifyPg(n1.address, 'Append');
    await modifyRedis(n1.address, 'Append');
    expect(await psqlOn(n1, pg.host)).toEqual({ ok: true, text: 'ok' });
    expect(await redisOn(n1, lab.gates.redis.host)).toBe('+OK\r\n+PONG\r\n');
    expect(pg.allowed).toEqual(['127.0.0.1', n1.address]);
    expect(await psqlOn(n2, pg.host)).toEqual({ ok: false, text: expect.stringContaining(refusedPg(n2)) });

    await modifyPg(n1.address, 'Delete');
    await modifyRedis(n1.address, 'Delete');
    expect(await psqlOn(n1, pg.host)).toEqual({ ok: false, text: expect.stringContaining(refusedPg(n1)) });
    expect(await redisOn(n1, lab.gates.redis.host)).toMatch(refusedRedis(n1));
    expect(pg.decisions.map((d) => [d.node, d.allowed])).toEqual([
      ['node-1', false],
      ['node-1', true],
      ['node-2', false],
      ['node-1', false],
    ]);
    expect(lab.describe()).toContain(`${pg.address}:5432 (${pg.host}) → postgres, whitelist of ${pg.instanceId}`);
  });

  it('give tests a profile whose database and Redis are the cloud instances behind their gates, with the account', async () => {
    const core = testCore();
    try {
      await core.vault.initialize('vault passphrase for the whitelist test');
      const key = lab.cloud.accessKey(['rds:DescribeDBInstanceIPArrayList']);
      const p = await saveV2LabProfile(core.profiles, lab, { cloud: { accessKey: key } });
      const { postgres: pg, redis } = lab.gates;
      expect(p.database).toMatchObject({ instanceId: pg.instanceId, host: pg.address, port: pg.port });
      expect(p.redis).toMatchObject({ instanceId: redis.instanceId, host: redis.address, port: redis.port });
      expect(p.cloud).toEqual({
        region: lab.cloud.regionId,
        accessKeyId: key.id,
        accessKeySecret: { set: true },
        endpoints: {
          slb: lab.cloud.endpoint,
          alb: lab.cloud.endpoint,
          ecs: lab.cloud.endpoint,
          rds: lab.cloud.endpoint,
          kvstore: lab.cloud.endpoint,
          sts: lab.cloud.endpoint,
        },
        caCertificate: lab.cloud.caPem.trim(), // the schema trims a PEM
      });
      // without the option nothing changes: the direct addresses, no account
      await core.profiles.delete(p.id);
      const direct = await saveV2LabProfile(core.profiles, lab);
      expect([direct.database.host, direct.redis.host, direct.cloud]).toEqual([lab.postgres.address, lab.redis.address, undefined]);
    } finally {
      await core.close();
    }
  });
});
