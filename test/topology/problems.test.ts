/**
 * The problem rules (electron/core/health/problems/), each fed what a sweep really holds: the node command's output
 * as parseNodeReport reads it, judged by the same checks the monitor runs (containers, disks, clock), with the key and
 * CSRF_KEY digests taken from those reports as the monitor takes them. Rules the other topology tests do not reach
 * (or reach only through the lab) are pinned here.
 */
import { describe, expect, it } from 'vitest';
import {
  certificateCheck,
  clockCheck,
  containersCheck,
  disksCheck,
  parseNodeReport,
  type NodeReport,
} from '../../electron/core/health/checks';
import { topologyGraph } from '../../electron/core/health/graph';
import { findProblems } from '../../electron/core/health/problems';
import { harborNodes } from '../../electron/core/harbor/adapter';
import { harborContainers, sharedKeyFiles } from '../../electron/core/harbor/node';
import type { PeerCertificate } from '../../electron/core/probe/http';
import type { Check, LoadBalancerHealth, NodeHealth } from '../../shared/api/contracts/topology';
import { profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';

const PROFILE = profileSchema.parse(
  v2Profile((p) => {
    p.nodes = [1, 2, 3].map((i) => ({
      id: `n${i}`,
      host: `192.168.10.${9 + i}`,
      auth: { kind: 'key' as const, keyPath: '~/.ssh/id_ed25519', passphrase: { set: false } },
    }));
  }),
);
const GRAPH = topologyGraph(PROFILE);
const EPOCH = 1767225600;
const DIGEST = { a: 'a'.repeat(64), b: 'b'.repeat(64), c: 'c'.repeat(64) };
const OK: Check = { status: 'ok', checkedAt: 'now' };
const LB_OK: LoadBalancerHealth = { status: 'ok', harbor: OK };

interface NodeOutput {
  /** `docker ps` lines; every container this profile runs, up, unless given. */
  readonly docker?: readonly string[];
  /** `docker ps` failing with this message. */
  readonly dockerError?: string;
  /** Percent used of the data volume. */
  readonly used?: number;
  /** Digest of each shared key file, in sharedKeyFiles order. */
  readonly keys?: readonly string[];
  readonly csrf?: string;
}

const up = (name: string) => `${name}\tgoharbor/${name}:v2.15.2\tUp 3 hours (healthy)`;

/** What the node command prints (health/checks.ts NODE_SCRIPT) for a node in this state. */
function nodeOutput(o: NodeOutput = {}): string {
  const used = o.used ?? 40;
  const blocks = 100_000_000;
  const df = (path: string, percent: number) => [
    `@@df ${path}`,
    'Filesystem     1024-blocks     Used Available Capacity Mounted on',
    `/dev/vdb1 ${blocks} ${(blocks * percent) / 100} ${(blocks * (100 - percent)) / 100} ${percent}% ${path}`,
    '@@rc 0',
  ];
  const keys = sharedKeyFiles(PROFILE).map((f, i) => `@@key ${o.keys?.[i] ?? DIGEST.a} ${f.path}`);
  return [
    `@@date ${EPOCH}`,
    '@@docker',
    ...(o.dockerError ? [o.dockerError, '@@rc 1'] : [...(o.docker ?? harborContainers(PROFILE).map(up)), '@@rc 0']),
    ...df('/data', used),
    ...df('/var/log/harbor', 10),
    ...keys,
    `@@csrf ${o.csrf ?? DIGEST.a} ${harborNodes.csrfKey(PROFILE)!.path}`,
    '',
  ].join('\n');
}

interface Measured {
  readonly health: NodeHealth;
  readonly report: NodeReport;
}

/** A reachable node as the monitor records it from its command's output; `harbor` is its Harbor answer. */
function measured(nodeId: string, output: string, harbor: NodeHealth['harbor'] = OK): Measured {
  const report = parseNodeReport(output);
  const at = 'now';
  return {
    report,
    health: {
      nodeId,
      status: 'ok',
      checking: false,
      ssh: OK,
      harbor,
      containers: containersCheck(harborNodes, PROFILE, report, at),
      disks: disksCheck(report, at),
      clock: clockCheck(report, EPOCH * 1000, EPOCH * 1000, at),
      reach: { database: OK, redis: OK, oss: OK },
    },
  };
}

/** A node the app could not sign in to (its last report, if any, no longer counts). */
function unreachable(nodeId: string, output: string): Measured {
  const m = measured(nodeId, output);
  return { ...m, health: { ...m.health, status: 'fail', ssh: { status: 'fail', checkedAt: 'now', detail: 'refused' } } };
}

function problemsOf(nodes: readonly Measured[], lb: LoadBalancerHealth = LB_OK) {
  return findProblems({
    kind: harborNodes,
    graph: GRAPH,
    nodes: nodes.map((n) => n.health),
    lb,
    keys: new Map(nodes.map((n) => [n.health.nodeId, n.report.keys])),
    csrf: new Map(nodes.flatMap((n) => (n.report.csrf ? [[n.health.nodeId, n.report.csrf] as const] : []))),
    dataVolume: PROFILE.options.dataVolume,
    sshCodes: new Map(nodes.filter((n) => n.health.ssh.status === 'fail').map((n) => [n.health.nodeId, 'refused'])),
  });
}

describe('a healthy cluster', () => {
  it('has no problems', () => {
    expect(problemsOf([measured('n1', nodeOutput()), measured('n2', nodeOutput()), measured('n3', nodeOutput())])).toEqual([]);
  });
});

describe('containers', () => {
  it('names the containers down on a node whose Harbor still answers', () => {
    const docker = harborContainers(PROFILE).map((name) =>
      name === 'registry' ? `${name}\tgoharbor/registry-photon:v2.15.2\tExited (137) 2 minutes ago` : up(name),
    );
    const p = problemsOf([measured('n1', nodeOutput()), measured('n2', nodeOutput({ docker })), measured('n3', nodeOutput())]);
    expect(p.map((x) => x.id)).toEqual(['containers:down']);
    expect(p[0]).toMatchObject({ severity: 'error', subject: { kind: 'node', id: 'n2' }, nodes: ['n2'] });
    expect(p[0]!.title.en).toContain('registry (Exited (137) 2 minutes ago)');
    expect(p[0]!.title['zh-CN']).toContain('registry');
    expect(p[0]!.fix.en).toContain('docker compose up -d');
  });

  it('says to start Docker where docker ps itself fails', () => {
    const dockerError = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    const p = problemsOf([
      measured('n1', nodeOutput({ dockerError })),
      measured('n2', nodeOutput()),
      measured('n3', nodeOutput({ dockerError })),
    ]);
    expect(p.map((x) => x.id)).toEqual(['containers:docker']);
    expect(p[0]).toMatchObject({ severity: 'error', subject: { kind: 'node', id: 'n1' }, nodes: ['n1', 'n3'] });
    expect(p[0]!.title).toEqual({ en: 'docker ps fails on node 1, node 3', 'zh-CN': 'node 1, node 3 上 docker ps 执行失败' });
    expect(p[0]!.fix.en).toContain('systemctl start docker');
  });

  it('warns about a node running its own Redis and database', () => {
    const docker = [...harborContainers(PROFILE).map(up), up('redis'), up('harbor-db')];
    const p = problemsOf([measured('n1', nodeOutput()), measured('n2', nodeOutput({ docker })), measured('n3', nodeOutput())]);
    expect(p.map((x) => [x.id, x.severity, x.nodes])).toEqual([['containers:local-state', 'warning', ['n2']]]);
    expect(p[0]!.fix.en).toContain('external_redis');
  });

  it('blames the proxy when Harbor does not answer and nginx is not running', () => {
    const docker = harborContainers(PROFILE).map((name) =>
      name === 'nginx' ? `nginx\tgoharbor/nginx-photon:v2.15.2\tRestarting (1) 5 seconds ago` : up(name),
    );
    const refused: NodeHealth['harbor'] = {
      status: 'fail',
      checkedAt: 'now',
      detail: 'refused',
      error: { en: 'node 3: refused', 'zh-CN': 'node 3：拒绝连接' },
    };
    const p = problemsOf([measured('n1', nodeOutput()), measured('n2', nodeOutput()), measured('n3', nodeOutput({ docker }), refused)]);
    // Where Harbor does not answer, its containers are that problem's detail, not one of their own.
    expect(p.map((x) => x.id)).toEqual(['harbor:down', 'lb:partial']);
    expect(p[0]).toMatchObject({ nodes: ['n3'], title: { en: 'Harbor does not answer on node 3' } });
    expect(p[0]!.fix.en).toContain('The proxy (nginx) container is not running');
    expect(p[1]).toMatchObject({ severity: 'warning', nodes: ['n3'] });
  });
});

describe('Harbor components', () => {
  it('marks the shared service a component stands for, and the node for the others', () => {
    const unhealthy: NodeHealth['harbor'] = {
      status: 'fail',
      checkedAt: 'now',
      detail: 'unhealthy',
      components: [
        { name: 'redis', status: 'unhealthy', error: 'dial tcp: connection refused' },
        { name: 'registry', status: 'unhealthy' },
        { name: 'jobservice', status: 'unhealthy' },
        { name: 'core', status: 'healthy' },
      ],
    };
    const p = problemsOf([measured('n1', nodeOutput()), measured('n2', nodeOutput(), unhealthy), measured('n3', nodeOutput())]);
    const subjects = Object.fromEntries(p.filter((x) => x.id.startsWith('component:')).map((x) => [x.id, x.subject]));
    expect(subjects).toEqual({
      'component:redis': { kind: 'service', id: 'redis' },
      'component:registry': { kind: 'service', id: 'oss' },
      'component:jobservice': { kind: 'node', id: 'n2' },
    });
  });
});

describe('free space', () => {
  it('is a warning from 90 % used and an error from 97 %, in one problem for all nodes', () => {
    const warn = problemsOf([measured('n1', nodeOutput({ used: 95 })), measured('n2', nodeOutput()), measured('n3', nodeOutput())]);
    expect(warn.map((x) => [x.id, x.severity, x.nodes])).toEqual([['disk', 'warning', ['n1']]]);
    const error = problemsOf([
      measured('n1', nodeOutput({ used: 95 })),
      measured('n2', nodeOutput({ used: 98 })),
      measured('n3', nodeOutput()),
    ]);
    expect(error.map((x) => [x.id, x.severity, x.nodes])).toEqual([['disk', 'error', ['n1', 'n2']]]);
    expect(error[0]!.fix.en).toContain('/data/job_logs');
  });
});

describe('shared secrets', () => {
  it('names the node whose token key differs, and leaves out nodes it cannot ask', () => {
    const p = problemsOf([
      measured('n1', nodeOutput()),
      // Its last report had another secret key, but it cannot be reached now: only what is measured counts.
      unreachable('n2', nodeOutput({ keys: [DIGEST.c] })),
      measured('n3', nodeOutput({ keys: [DIGEST.a, DIGEST.b] })),
    ]);
    expect(p.map((x) => x.id)).toEqual(['ssh:refused', 'keys:differ']);
    const keys = p[1]!;
    expect(keys).toMatchObject({ severity: 'error', subject: { kind: 'cluster' }, nodes: ['n3'], refs: ['goharbor/harbor#20865'] });
    expect(keys.title.en).toBe('Shared key files differ between nodes: /data/secret/core/private_key.pem');
    expect(keys.fix.en).toContain(
      "Copy node 1's /data/secret/keys/secretkey, /data/secret/core/private_key.pem, /data/secret/registry/root.crt to the others",
    );
    expect(keys.fix['zh-CN']).toContain('unauthorized');
  });

  it('counts node 1’s CSRF_KEY as right on a tie, without a digest in any text', () => {
    const p = problemsOf([measured('n1', nodeOutput({ csrf: DIGEST.b })), measured('n2', nodeOutput({ csrf: DIGEST.c }))]);
    expect(p.map((x) => [x.id, x.nodes])).toEqual([['csrf:differ', ['n2']]]);
    expect(p[0]!.title.en).toBe('CSRF_KEY differs between nodes: node 2');
    expect(p[0]!.fix.en).toContain('docker compose up -d core');
    // The file the nodes read the line from (the node command reports it with each digest).
    expect(p[0]!.fix.en).toContain("node 1's CSRF_KEY line into /opt/harbor/common/config/core/env on the other nodes");
    expect(p[0]!.fix['zh-CN']).toContain('/opt/harbor/common/config/core/env');
    expect(JSON.stringify(p)).not.toMatch(/b{64}|c{64}/);
  });
});

describe('certificates on the nodes', () => {
  const cert = (fingerprint256: string): PeerCertificate => ({
    authorized: false,
    authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    pinned: false,
    raw: Buffer.alloc(0),
    fingerprint256,
    subject: 'CN=registry.example.com',
    subjectAltName: 'DNS:registry.example.com',
    validFrom: new Date(Date.now() - 86_400_000).toUTCString(),
    validTo: new Date(Date.now() + 300 * 86_400_000).toUTCString(),
  });

  it('lists untrusted certificates once, titled by the first, with the fix for TLS on the nodes', () => {
    const withCert = (m: Measured, fingerprint: string): Measured => ({
      ...m,
      health: { ...m.health, certificate: certificateCheck(cert(fingerprint), `${m.health.nodeId} https://127.0.0.1:443`, 'now') },
    });
    const p = problemsOf([
      withCert(measured('n1', nodeOutput()), 'AA'),
      withCert(measured('n2', nodeOutput()), 'AA'),
      measured('n3', nodeOutput()),
    ]);
    expect(p.map((x) => x.id)).toEqual(['tls:untrusted']);
    expect(p[0]).toMatchObject({ severity: 'error', subject: { kind: 'node', id: 'n1' }, nodes: ['n1', 'n2'] });
    expect(p[0]!.title.en).toMatch(/^n1 https:\/\/127\.0\.0\.1:443: no CA this computer trusts .* \(and 1 more\)$/);
    expect(p[0]!.fix.en).toContain('/etc/docker/certs.d/registry.example.com/ca.crt');
  });
});

describe('the order of problems', () => {
  it('lists errors before warnings, each in the order of the rules', () => {
    const p = problemsOf([
      measured('n1', nodeOutput({ used: 95 })),
      unreachable('n2', nodeOutput()),
      measured('n3', nodeOutput({ dockerError: 'permission denied while trying to connect to the Docker daemon socket' })),
    ]);
    expect(p.map((x) => [x.id, x.severity])).toEqual([
      ['ssh:refused', 'error'],
      ['containers:docker', 'error'],
      ['disk', 'warning'],
    ]);
  });
});
