/**
 * The lab's whitelist gates (test/lab/cloud/gate.ts) in front of the lab's PostgreSQL, MariaDB and Redis: a node not
 * in the whitelist is refused in each service's own protocol, as Aliyun's RDS and Redis refuse it, and gets through
 * once whitelisted. Lab nodes share the host's network stack, so the gate tells them apart by the namespaces of the
 * process owning the connection: sshd on a node (an SSH forward, which is how the app reaches a service from a node)
 * and a client run on the node both count as the node's address; the test process itself is the host, 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { Client as SshClient } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWhitelistGate, type GateDecision, type WhitelistGate } from './cloud/gate';
import { up, type Lab, type LabNode } from './index';
import type { Node } from './nodes';

let lab: Lab;
let gates: { postgres: WhitelistGate; mysql: WhitelistGate; redis: WhitelistGate };
const relays: Array<() => Promise<void>> = [];

beforeAll(async () => {
  lab = await up({ services: ['postgres', 'mariadb', 'redis'], nodes: 2 });
  console.log(`lab up in ${lab.bringUpMs} ms`, lab.timings);
  const net24 = lab.postgres.address.replace(/\.\d+$/, '');
  const nodes = lab.nodes.map((n) => ({ address: n.address, holderPid: (n as Node).holder.pid!, name: n.name }));
  const gate = (protocol: 'postgres' | 'mysql' | 'redis', host: number, target: { address: string; port: number }) =>
    startWhitelistGate({ protocol, listen: { address: `${net24}.${host}`, port: target.port }, target, nodes });
  gates = {
    postgres: await gate('postgres', 41, lab.postgres),
    mysql: await gate('mysql', 42, lab.mariadb),
    redis: await gate('redis', 43, lab.redis),
  };
});

afterAll(async () => {
  for (const close of relays) await close();
  for (const g of Object.values(gates ?? {})) await g.stop();
  if (gates) {
    const all = Object.values(gates).flatMap((g) => g.decisions);
    const by = (via: string) => all.filter((d) => d.via === via).map((d) => d.lookupMs);
    const stats = (xs: number[]) =>
      xs.length
        ? `n=${xs.length} median ${[...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(2)} ms max ${Math.max(...xs).toFixed(2)} ms`
        : 'n=0';
    console.log(`source lookup: node ${stats(by('namespace'))}; host ${stats(by('host'))}; unknown ${stats(by('unknown'))}`);
  }
  await lab?.down();
});

/**
 * A local port whose connections go out through `node`'s sshd (an SSH direct-tcpip forward), so the connection to
 * `target` is made by sshd inside the node's namespaces, as the app's tunnels to a service are.
 */
async function viaNode(node: LabNode, target: { address: string; port: number }): Promise<{ host: string; port: number }> {
  const ssh = new SshClient();
  await new Promise<void>((resolve, reject) => {
    ssh.once('ready', () => resolve()).once('error', reject);
    ssh.connect(node.connectConfig());
  });
  const server = net.createServer((sock) => {
    sock.pause();
    ssh.forwardOut('127.0.0.1', 0, target.address, target.port, (err, stream) => {
      if (err) return void sock.destroy();
      sock.pipe(stream).pipe(sock);
      sock.on('close', () => stream.destroy());
      stream.on('close', () => sock.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  relays.push(async () => {
    server.close();
    ssh.end();
  });
  return { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
}

const pgClient = (to: { host: string; port: number }) =>
  new pg.Client({ ...lab.postgres.connection, ...to, database: 'postgres', connectionTimeoutMillis: 10_000 });

async function pgSelect(to: { host: string; port: number }): Promise<string> {
  const c = pgClient(to);
  await c.connect();
  try {
    return (await c.query<{ v: string }>("select 'ok' as v")).rows[0]!.v;
  } finally {
    await c.end();
  }
}

async function mysqlSelect(to: { host: string; port: number }): Promise<string> {
  const c = await mysql.createConnection({ ...lab.mariadb.connection, ...to, connectTimeout: 10_000 });
  try {
    const [rows] = await c.query<Array<mysql.RowDataPacket & { v: string }>>("select 'ok' as v");
    return rows[0]!.v;
  } finally {
    await c.end();
  }
}

async function redisPing(to: { host: string; port: number }): Promise<string> {
  const r = new Redis({
    ...to,
    password: lab.redis.password,
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 10_000,
  });
  // ioredis reports a refused AUTH of its handshake as an 'error' event and then closes: that event is the message
  const errors: Error[] = [];
  r.on('error', (e: Error) => errors.push(e));
  try {
    await r.connect();
    return await r.ping();
  } catch (e) {
    throw errors[0] ?? e;
  } finally {
    r.disconnect();
  }
}

/** decisions a gate made since `from` (an index into its log) */
const since = (g: WhitelistGate, from: number): GateDecision[] => g.decisions.slice(from);

describe('whitelist gates in front of the lab databases', () => {
  it('refuse node 1 over an SSH forward from its sshd in each protocol, let it through once whitelisted, and keep node 2 out', async () => {
    const [n1, n2] = [lab.node(1), lab.node(2)];
    const pgVia1 = await viaNode(n1, gates.postgres);
    const myVia1 = await viaNode(n1, gates.mysql);
    const rdVia1 = await viaNode(n1, gates.redis);
    const marks = { pg: gates.postgres.decisions.length, my: gates.mysql.decisions.length, rd: gates.redis.decisions.length };

    await expect(pgSelect(pgVia1)).rejects.toMatchObject({
      code: '28000',
      severity: 'FATAL',
      message: `no pg_hba.conf entry for host "${n1.address}", user "postgres", database "postgres", no encryption`,
    });
    await expect(mysqlSelect(myVia1)).rejects.toMatchObject({ errno: 1045, sqlState: '28000', message: 'ip not in whitelist' });
    await expect(redisPing(rdVia1)).rejects.toThrow(new RegExp(`^ERR illegal address: ${n1.address.replace(/\./g, '\\.')}:\\d+$`));
    for (const [g, from] of [
      [gates.postgres, marks.pg],
      [gates.mysql, marks.my],
      [gates.redis, marks.rd],
    ] as const)
      expect(since(g, from)).toEqual([expect.objectContaining({ source: n1.address, node: 'node-1', via: 'namespace', allowed: false })]);

    for (const g of Object.values(gates)) g.setAllowed(['10.0.0.0/8', n1.address]);
    expect(await pgSelect(pgVia1)).toBe('ok');
    expect(await mysqlSelect(myVia1)).toBe('ok');
    expect(await redisPing(rdVia1)).toBe('PONG');

    // node 2 is still refused, and only node 1's address was let through
    const pgVia2 = await viaNode(n2, gates.postgres);
    const rdVia2 = await viaNode(n2, gates.redis);
    await expect(pgSelect(pgVia2)).rejects.toMatchObject({ code: '28000', message: expect.stringContaining(`host "${n2.address}"`) });
    await expect(redisPing(rdVia2)).rejects.toThrow(`ERR illegal address: ${n2.address}:`);
    expect(since(gates.postgres, marks.pg).map((d) => [d.node, d.allowed])).toEqual([
      ['node-1', false],
      ['node-1', true],
      ['node-2', false],
    ]);

    // a CIDR block covering both nodes
    gates.postgres.setAllowed([`${n1.address.replace(/\.\d+$/, '')}.0/24`]);
    expect(await pgSelect(pgVia2)).toBe('ok');
  });

  it('count the host (this test process) as 127.0.0.1', async () => {
    const direct = { host: gates.postgres.address, port: gates.postgres.port };
    gates.postgres.setAllowed([lab.node(1).address]);
    await expect(pgSelect(direct)).rejects.toMatchObject({ code: '28000', message: expect.stringContaining('host "127.0.0.1"') });
    gates.postgres.setAllowed(['127.0.0.1']);
    expect(await pgSelect(direct)).toBe('ok');
    expect(gates.postgres.decisions.slice(-2)).toEqual([
      expect.objectContaining({ source: '127.0.0.1', via: 'host', allowed: false }),
      expect.objectContaining({ source: '127.0.0.1', via: 'host', allowed: true }),
    ]);
  });

  it('see clients run on a node (psql, mariadb, bash) as the node, in the words those clients print', async () => {
    const n2 = lab.node(2);
    for (const g of Object.values(gates)) g.setAllowed(['127.0.0.1', lab.node(1).address]);
    const { password } = lab.postgres.connection;
    const psql = `PGPASSWORD='${password}' PGCONNECT_TIMEOUT=10 psql -h ${gates.postgres.address} -U postgres -d postgres -Atc "select 'ok'"`;
    const refusedPsql = await n2.exec(psql);
    expect(refusedPsql.code).not.toBe(0);
    expect(refusedPsql.stderr).toContain(
      `no pg_hba.conf entry for host "${n2.address}", user "postgres", database "postgres", no encryption`,
    );

    const mariadb = `mariadb --connect-timeout=10 -h ${gates.mysql.address} -u root -p'${lab.mariadb.password}' -BNe "select 'ok'"`;
    const refusedMariadb = await n2.exec(mariadb);
    expect(refusedMariadb.code).not.toBe(0);
    expect(refusedMariadb.stderr).toContain('ip not in whitelist');
    console.log(`mariadb on a node, refused: ${refusedMariadb.stderr.trim()}`);

    // no redis-cli on the nodes: the RESP exchange by hand
    const resp = `exec 3<>/dev/tcp/${gates.redis.address}/${gates.redis.port}; printf 'AUTH %s\\r\\nPING\\r\\n' '${lab.redis.password}' >&3; timeout 10 head -n 2 <&3`;
    const refusedResp = await n2.execOk(`bash -c ${JSON.stringify(resp)}`);
    expect(refusedResp).toMatch(new RegExp(`^(-ERR illegal address: ${n2.address.replace(/\./g, '\\.')}:\\d+\\r\\n){2}$`));

    for (const g of Object.values(gates)) g.setAllowed([n2.address]);
    expect((await n2.execOk(psql)).trim()).toBe('ok');
    expect((await n2.execOk(mariadb)).trim()).toBe('ok');
    expect(await n2.execOk(`bash -c ${JSON.stringify(resp)}`)).toBe('+OK\r\n+PONG\r\n');
    for (const g of Object.values(gates))
      expect(g.decisions.at(-1)).toMatchObject({ source: n2.address, node: 'node-2', via: 'namespace' });
  });

  it('refuse a connection whose owner is gone before the gate looks, and keep serving', async () => {
    gates.redis.setAllowed(['127.0.0.1']);
    const before = gates.redis.decisions.length;
    // spawnSync holds this process (and so the gate's accept) until bash has connected and exited
    spawnSync('bash', ['-c', `exec 3<>/dev/tcp/${gates.redis.address}/${gates.redis.port}`]);
    await expect.poll(() => gates.redis.decisions.length).toBe(before + 1);
    expect(gates.redis.decisions.at(-1)).toMatchObject({ via: 'unknown', allowed: false });
    expect(await redisPing({ host: gates.redis.address, port: gates.redis.port })).toBe('PONG');
  });
});
