/**
 * The pure parts of the topology: what the node command prints and how it is read, the graph of a
 * 1.x profile, the layout from 1 to 16 nodes, Harbor 1.5's ping/systeminfo judged from real HTTP
 * answers, and problems derived from checks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockCheck, containersCheck, disksCheck, parseDf, parseNodeReport, worst } from '../../electron/core/health/checks';
import { harborNodes } from '../../electron/core/harbor/adapter';
import { harborHealth } from '../../electron/core/harbor/health-answer';
import { containerState, parseDockerPs, sharedKeyFiles } from '../../electron/core/harbor/node';
import { topologyGraph } from '../../electron/core/health/graph';
import { findProblems } from '../../electron/core/health/problems';
import { httpRequest } from '../../electron/core/probe/http';
import type { NodeHealth, TopologyGraph } from '../../shared/api/contracts/topology';
import { profileSchema } from '../../shared/profile';
import { layoutTopology, overlaps } from '../../renderer/pages/topology/layout';
import { v1Profile, v2Profile } from '../helpers/profiles';

const REPORT = [
  '@@date 1767225600',
  '@@docker',
  'nginx\tgoharbor/nginx-photon:v2.15.2\tUp 3 hours (healthy)',
  'harbor-core\tgoharbor/harbor-core:v2.15.2\tUp 3 hours (unhealthy)',
  'harbor-jobservice\tgoharbor/harbor-jobservice:v2.15.2\tRestarting (1) 5 seconds ago',
  'registry\tgoharbor/registry-photon:v2.15.2\tExited (137) 2 minutes ago',
  '@@rc 0',
  '@@df /data',
  'Filesystem     1024-blocks     Used Available Capacity Mounted on',
  '/dev/vdb1        103081248 97000000   6081248      95% /data',
  '@@rc 0',
  '@@df /var/log/harbor',
  'df: /var/log/harbor: No such file or directory',
  '@@rc 1',
  '@@key 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef /data/secret/keys/secretkey',
  '@@key missing /data/secret/core/private_key.pem',
  '@@key unreadable /data/secret/registry/root.crt',
  '@@csrf 89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567 /opt/harbor/common/config/core/env',
  '',
].join('\n');

describe('the node command and its output', () => {
  it('reads every section', () => {
    const r = parseNodeReport(REPORT);
    expect(r.epochSeconds).toBe(1767225600);
    expect(r.docker.rc).toBe(0);
    expect(parseDockerPs(r.docker.text).map((c) => [c.name, c.state])).toEqual([
      ['nginx', 'running'],
      ['harbor-core', 'unhealthy'],
      ['harbor-jobservice', 'restarting'],
      ['registry', 'exited'],
    ]);
    expect(r.df.map((d) => [d.path, d.rc])).toEqual([
      ['/data', 0],
      ['/var/log/harbor', 1],
    ]);
    expect(r.keys).toEqual([
      { path: '/data/secret/keys/secretkey', digest: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
      { path: '/data/secret/core/private_key.pem', problem: 'missing' },
      { path: '/data/secret/registry/root.crt', problem: 'unreadable' },
    ]);
    expect(r.csrf).toEqual({
      path: '/opt/harbor/common/config/core/env',
      digest: '89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567',
    });
    expect(parseNodeReport('@@csrf unset /opt/harbor/common/config/core/env\n').csrf).toEqual({
      path: '/opt/harbor/common/config/core/env',
      problem: 'unset',
    });
    expect(parseNodeReport('@@date 1\n').csrf).toBeUndefined();
  });

  it('judges containers, disks and the clock', () => {
    const p = profileSchema.parse(v2Profile());
    const r = parseNodeReport(REPORT);
    const c = containersCheck(harborNodes, p, r, 'now');
    expect(c.status).toBe('fail');
    expect(c.list?.filter((x) => x.state === 'missing').map((x) => x.name)).toEqual([
      'harbor-log',
      'registryctl',
      'harbor-portal',
      'trivy-adapter',
    ]);
    expect(c.error?.en).toContain('harbor-core');
    const d = disksCheck(r, 'now');
    expect(d.status).toBe('warn');
    expect(d.list).toEqual([{ path: '/data', mount: '/data', sizeBytes: 103081248 * 1024, freeBytes: 6081248 * 1024, usedPercent: 94.1 }]);
    expect(d.error?.en).toContain('/var/log/harbor: df: /var/log/harbor: No such file or directory');
    const sent = 1767225600_000;
    expect(clockCheck(r, sent, sent + 200, 'now')).toMatchObject({ status: 'ok', skewMs: 0 });
    expect(clockCheck(r, sent + 30_000, sent + 30_200, 'now')).toMatchObject({ status: 'warn' });
    expect(clockCheck(r, sent - 120_000, sent - 119_800, 'now')).toMatchObject({ status: 'fail' });
    expect(clockCheck({ ...r, epochSeconds: undefined }, sent, sent, 'now').status).toBe('unknown');
  });

  it('reads df and docker ps lines of other shapes', () => {
    expect(
      parseDf('/data', 'Filesystem 1024-blocks Used Available Capacity Mounted on\nmy disk 100 50 50 50% /mnt/with space'),
    ).toMatchObject({ mount: '/mnt/with space', usedPercent: 50 });
    expect(parseDf('/data', 'df: /data: Permission denied')).toBeUndefined();
    expect(containerState('Created')).toBe('exited');
    expect(containerState('Paused')).toBe('other');
    expect(parseDockerPs('garbage line\n')).toEqual([]);
    expect(worst('ok', 'unknown', 'warn')).toBe('warn');
  });

  it('names the key files each generation must share', () => {
    const paths = (p: Parameters<typeof sharedKeyFiles>[0]) => sharedKeyFiles(p).map((f) => f.path);
    expect(paths(profileSchema.parse(v2Profile((p) => (p.options = { ...p.options, dataVolume: '/srv/harbor/' }))))).toEqual([
      '/srv/harbor/secret/keys/secretkey',
      '/srv/harbor/secret/core/private_key.pem',
      '/srv/harbor/secret/registry/root.crt',
    ]);
    // 1.x: the token key pair where prepare --ha put it, and the secret key (the deploy's keys step compares the same)
    expect(paths(profileSchema.parse(v1Profile()))).toEqual([
      '/opt/harbor/common/config/ui/private_key.pem',
      '/opt/harbor/common/config/registry/root.crt',
      '/data/secretkey',
    ]);
  });
});

describe('the graph and its layout', () => {
  it('draws a 1.5 profile with MySQL and the Clair database, and a CLB by id', () => {
    const g = topologyGraph(profileSchema.parse(v1Profile()));
    expect(g.generation).toBe('v1');
    expect(g.lb).toEqual({
      kind: 'clb',
      title: 'Aliyun CLB lb-2zeabc1234',
      address: '123.123.123.123',
      url: 'http://registry.xxx.com',
    });
    expect(g.services.map((s) => [s.id, s.kind, s.endpoint])).toEqual([
      ['database', 'mysql', 'xxx.mysql.rds.aliyuncs.com:3306'],
      ['clair', 'postgresql', 'xxx.pg.rds.aliyuncs.com:3433'],
      ['redis', 'redis', 'r-abc.redis.rds.aliyuncs.com:6379'],
      ['oss', 'oss', 'my-harbor-registry.oss-cn-beijing-internal.aliyuncs.com:443'],
    ]);
    expect(g.nodes.map((n) => n.name)).toEqual(['node 1', 'node 2']);
    expect(JSON.stringify(g)).not.toMatch(/Pw-/);
  });

  it('lays out 1 to 16 nodes without overlaps, in balanced rows of at most five', () => {
    const services = topologyGraph(profileSchema.parse(v1Profile())).services;
    for (let n = 1; n <= 16; n++) {
      const layout = layoutTopology({
        nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, label: '', name: '', host: '', address: '' })),
        services,
      });
      expect(overlaps(layout), `${n} nodes`).toBe(false);
      const rows = [...new Set(layout.nodes.map((b) => b.y))].map((y) => layout.nodes.filter((b) => b.y === y).length);
      expect(rows.length).toBe(Math.ceil(n / 5));
      expect(Math.max(...rows) - Math.min(...rows)).toBeLessThanOrEqual(2);
      expect(Math.max(...rows)).toBeLessThanOrEqual(5);
      const below = Math.max(...layout.nodes.map((b) => b.y + b.h));
      expect(layout.services.every((s) => s.y > below) && layout.nodes.every((b) => b.y > layout.lb.y + layout.lb.h)).toBe(true);
    }
  });
});

describe('Harbor 1.5 health from /api/ping and /api/systeminfo', () => {
  let server: Server;
  let answer: { ping: [number, string]; info: [number, string] };
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, body] = req.url === '/api/ping' ? answer.ping : req.url === '/api/systeminfo' ? answer.info : [404, ''];
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());
  const check = () => harborHealth('v1', 'registry.xxx.com', (path) => httpRequest(`${base}${path}`), 'node 1');

  it('is healthy with Pong and a systeminfo naming the domain', async () => {
    answer = {
      ping: [200, '"Pong"'],
      info: [200, JSON.stringify({ registry_url: 'registry.xxx.com', harbor_version: 'v1.5.4-5fb1ad2c' })],
    };
    expect(await check()).toMatchObject({
      status: 'ok',
      version: 'v1.5.4-5fb1ad2c',
      components: [{ status: 'healthy' }, { status: 'healthy' }],
    });
  });

  it('fails when the adminserver cannot read its configuration, and warns on another hostname', async () => {
    answer = { ping: [200, '"Pong"'], info: [500, '{"code":500}'] };
    const broken = await check();
    expect(broken).toMatchObject({ status: 'fail', detail: 'systeminfo HTTP 500' });
    answer = { ping: [200, '"Pong"'], info: [200, JSON.stringify({ registry_url: '10.0.0.5', harbor_version: 'v1.5.4' })] };
    const other = await check();
    expect(other.status).toBe('warn');
    expect(other.error?.en).toContain('10.0.0.5');
    const p = findProblems({
      kind: harborNodes,
      graph: { ...GRAPH, generation: 'v1' },
      nodes: [healthy('n1', { harbor: other }), healthy('n2', { harbor: broken })],
      lb: { status: 'ok', harbor: { status: 'ok' } },
      keys: new Map(),
      dataVolume: '/data',
      sshCodes: new Map(),
    });
    expect(p.map((x) => x.id).sort()).toEqual(['component:adminserver (systeminfo)', 'harbor:hostname', 'lb:partial']);
    expect(p.find((x) => x.id === 'harbor:hostname')?.refs).toEqual(['goharbor/harbor#2457']);
  });
});

const GRAPH: TopologyGraph = topologyGraph(profileSchema.parse(v2Profile()));

function healthy(nodeId: string, patch: Partial<NodeHealth> = {}): NodeHealth {
  const ok = { status: 'ok' as const, checkedAt: 'now' };
  return {
    nodeId,
    status: 'ok',
    checking: false,
    ssh: ok,
    harbor: ok,
    containers: { ...ok, list: [] },
    disks: ok,
    clock: ok,
    reach: { database: ok, redis: ok, oss: ok },
    ...patch,
  };
}

describe('problems and their fixes', () => {
  const lbOk = { status: 'ok' as const, harbor: { status: 'ok' as const } };

  it('says which nodes to whitelist when the database times out from some of them', () => {
    const timeout = { status: 'fail' as const, detail: 'timeout' };
    const p = findProblems({
      kind: harborNodes,
      graph: GRAPH,
      nodes: [healthy('n1'), healthy('n2', { reach: { database: timeout, redis: { status: 'ok' }, oss: { status: 'ok' } } })],
      lb: lbOk,
      keys: new Map(),
      dataVolume: '/data',
      sshCodes: new Map(),
    });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ id: 'reach:database', nodes: ['n2'] });
    expect(p[0]!.fix.en).toContain('192.168.10.11');
    expect(p[0]!.fix.en).toContain('whitelist');
    expect(p[0]!.fix['zh-CN']).toContain('白名单');
  });

  it('groups unreachable nodes by cause, and flags a clock, a full disk and local Redis', () => {
    const p = findProblems({
      kind: harborNodes,
      graph: GRAPH,
      nodes: [
        healthy('n1', { ssh: { status: 'fail' }, status: 'fail' }),
        healthy('n2', { clock: { status: 'warn' }, disks: { status: 'fail' }, containers: { status: 'warn', list: [] } }),
      ],
      lb: lbOk,
      keys: new Map(),
      dataVolume: '/data',
      sshCodes: new Map([['n1', 'timeout']]),
    });
    expect(p.map((x) => x.id)).toEqual(['ssh:timeout', 'disk', 'containers:local-state', 'clock']);
    expect(p[0]!.fix.en).toContain('security group');
    expect(p.find((x) => x.id === 'clock')?.refs).toEqual(['goharbor/harbor#21060']);
  });

  it('points at the load balancer when the nodes answer and it does not', () => {
    const p = findProblems({
      kind: harborNodes,
      graph: GRAPH,
      nodes: [healthy('n1'), healthy('n2')],
      lb: { status: 'fail', harbor: { status: 'fail', detail: 'refused' } },
      keys: new Map(),
      dataVolume: '/data',
      sshCodes: new Map(),
    });
    expect(p.map((x) => x.id)).toEqual(['lb:down']);
    expect(p[0]!.fix.en).toContain('100.64.0.0/10');
  });
});
