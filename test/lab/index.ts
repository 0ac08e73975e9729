/**
 * The lab: real Harbor-like nodes and cloud-like services on loopback that the tests run against.
 *
 * ```ts
 * import * as lab from '../lab';
 * const l = await lab.up({ nodes: 3, harbor: 'v2' });
 * await l.nodes[0].exec('hostname');          // "node-1"
 * l.postgres.connection; l.redis.password; l.oss.clientOptions; l.lb.address;
 * await l.down();
 * ```
 * See docs/lab.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  REGISTRY_ROOT,
  claimSlot,
  ensureHostDirs,
  readState,
  releaseSlot,
  slotDir,
  which,
  withGlobalLock,
  writeState,
  type SlotState,
} from './registry';
import { NODE_TMPFS, Node, type LabNode, type NodeSpec } from './nodes';
import {
  HaproxyLb,
  MysqlServer,
  PostgresServer,
  RedisServer,
  type LbHandle,
  type MysqlHandle,
  type PostgresHandle,
  type RedisHandle,
} from './services';
import { OssServer, type OssHandle } from './oss';
import { startLabCloud, type LabCloud } from './cloud';
import { startWhitelistGate, type GateDecision, type GateProtocol, type WhitelistGate } from './cloud/gate';
import { DEFAULT_BUNDLE_SIZE, DEFAULT_VERSIONS, buildInstaller, type HarborEra } from './fixtures';
import { LAB_DIR, REPO_ROOT, randomAlnum, runOk, sshKeygen, waitForPortClosed } from './util';

export type { LabNode, NodeSpec, Invocation, AuthAttempt, ExecResult } from './nodes';
export type { MysqlHandle, PostgresHandle, RedisHandle, LbHandle, LbBackend, ServiceHandle } from './services';
export type { OssHandle } from './oss';
export type { LabCloud, AccessKey, Allowed, RequestLogEntry, ClbListener } from './cloud';
export type { GateDecision } from './cloud/gate';
export type { HarborEra } from './fixtures';
export { MYSQL57_SQL_MODE } from './services';
export { buildInstaller, DEFAULT_VERSIONS } from './fixtures';

export type ServiceName = 'mariadb' | 'mysql57' | 'postgres' | 'redis' | 'oss' | 'lb' | 'cloud';
export const ALL_SERVICES: readonly ServiceName[] = ['mariadb', 'mysql57', 'postgres', 'redis', 'oss', 'lb', 'cloud'];

/**
 * The databases the lab's cloud puts a whitelist gate in front of: the gate's address in the cloud's range
 * (127.0.k.<octet>, the service's own port), the name nodes resolve to it, and the protocol it refuses in.
 */
const GATES = {
  postgres: { octet: 41, host: 'rds-pg.lab.test', protocol: 'postgres' },
  mariadb: { octet: 42, host: 'rds-mysql.lab.test', protocol: 'mysql' },
  redis: { octet: 43, host: 'redis-kv.lab.test', protocol: 'redis' },
} as const satisfies Record<string, { octet: number; host: string; protocol: GateProtocol }>;
export type GatedService = keyof typeof GATES;
const GATED_SERVICES = Object.keys(GATES) as GatedService[];

/** A whitelist gate of the lab's cloud, in front of one database (see {@link Lab.gates}). */
export interface LabGate {
  /** the name every node resolves (its /etc/hosts) to the gate: use it where Harbor on a node connects */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  /** the cloud's RDS or R-KVStore instance whose whitelist (every group) the gate enforces */
  readonly instanceId: string;
  /** the entries in force */
  readonly allowed: readonly string[];
  /** every connection's decision, oldest first */
  readonly decisions: readonly GateDecision[];
}

export interface UpOptions {
  /** number of nodes, 1…16 (default 3) */
  nodes?: number;
  /** which Harbor generation the nodes are prepared for and whose installer is built (default `v2`) */
  harbor?: HarborEra;
  /** services to start (default: all) */
  services?: readonly ServiceName[];
  /** tool versions on every node (defaults depend on `harbor`, see {@link defaultSpec}) */
  node?: Partial<NodeSpec>;
  /** per-node overrides, index 0 = node-1 */
  perNode?: Array<Partial<NodeSpec> | undefined>;
  /** size of the random image bundle in the fixture installer (default 64 MiB; max 1 GiB) */
  bundleSize?: number;
  /** also build the installer of the other generation (default: only `harbor`'s) */
  installers?: readonly HarborEra[];
  /** installer versions (default v1.5.0 / v2.15.2) */
  versions?: Partial<Record<HarborEra, string>>;
  /** root password of every node (default: a random one per node) */
  rootPassword?: string;
  /** the lab's cloud: which product owns the load balancer (default `clb`) */
  cloud?: { loadBalancer?: 'clb' | 'alb' };
}

/** Tools on a node by default: a CentOS 7 host as the seed runbook has it. */
export function defaultSpec(era: HarborEra): NodeSpec {
  return era === 'v1'
    ? {
        docker: '1.13.1',
        dockerRunning: true,
        compose: '1.18.0',
        composePlugin: null,
        composeImportError: false,
        python2: '2.7.5',
        distro: 'centos7',
      }
    : {
        docker: '26.1.4',
        dockerRunning: true,
        compose: null,
        composePlugin: 'v2.27.1',
        composeImportError: false,
        python2: null,
        distro: 'centos7',
      };
}

/** A running lab. */
export interface Lab {
  /** slot number k: this lab owns 127.0.k.0/24 */
  readonly slot: number;
  readonly harbor: HarborEra;
  readonly nodes: readonly LabNode[];
  /** 1-based */
  node(index: number): LabNode;
  /**
   * Name every node resolves (its /etc/hosts) to the load balancer; use it as Harbor's `hostname`.
   * From the test process, use {@link Lab.lb}.address.
   */
  readonly registryName: string;
  /**
   * Host directory every node shares: where each node's distribution keeps registry data when Harbor's config names
   * the `oss` driver (`<bucket>/<rootdirectory>/docker/registry/v2/…`), see docs/lab.md.
   */
  readonly sharedStorage: string;
  readonly mariadb: MysqlHandle;
  /** MariaDB configured like MySQL 5.7: explicit_defaults_for_timestamp=0 and the strict 5.7 sql_mode */
  readonly mysql57: MysqlHandle;
  readonly postgres: PostgresHandle;
  readonly redis: RedisHandle;
  readonly oss: OssHandle;
  readonly lb: LbHandle;
  /** the Aliyun OpenAPI endpoint (service `cloud`, needs `lb`): CLB/ALB driving the LB, ECS, RDS, R-KVStore */
  readonly cloud: LabCloud;
  /**
   * With `cloud`: a gate in front of each of PostgreSQL, MariaDB and Redis that runs, which refuses a node missing
   * from its instance's whitelist as RDS and Redis do, and follows that whitelist as the API changes it. The direct
   * addresses (`lab.postgres.address`, …) stay open, as a DBA's way in.
   */
  readonly gates: Readonly<Record<GatedService, LabGate>>;
  /** which services run */
  readonly services: readonly ServiceName[];
  /** fixture installer paths (host paths; also readable from every node at the same path) */
  readonly installers: Partial<Record<HarborEra, string>>;
  /** build (or reuse) a fixture installer on demand */
  installer(era: HarborEra, opts?: { version?: string; bundleSize?: number }): Promise<string>;
  /** lab bookkeeping directory on the host */
  readonly dir: string;
  /** how long up() took */
  readonly bringUpMs: number;
  /** how long each part of up() took (ms; parts run in parallel) */
  readonly timings: Readonly<Record<string, number>>;
  /** addresses, ports and credentials, for people */
  describe(): string;
  /** stop everything and remove what the lab created; idempotent */
  down(): Promise<void>;
}

/** Binaries the lab needs and the Debian package that provides each. */
const REQUIRED: Array<[string, string]> = [
  ['sshd', 'openssh-server'],
  ['ssh-keygen', 'openssh-client'],
  ['unshare', 'util-linux'],
  ['nsenter', 'util-linux'],
  ['runuser', 'util-linux'],
  ['mount', 'mount'],
  ['mariadbd', 'mariadb-server'],
  ['mariadb-install-db', 'mariadb-server'],
  ['mysql', 'mariadb-client'],
  ['redis-server', 'redis-server'],
  ['haproxy', 'haproxy'],
  ['openssl', 'openssl'],
  ['tar', 'tar'],
  ['docker-registry', 'docker-registry'],
  ['skopeo', 'skopeo'],
];

let aptUpdated = false;

/** Make sure every binary the lab needs exists; install the Debian packages when running as root. */
export async function ensurePrerequisites(services: readonly ServiceName[] = ALL_SERVICES): Promise<void> {
  const need = REQUIRED.filter(([bin]) => {
    if (['mariadbd', 'mariadb-install-db', 'mysql'].includes(bin) && !services.includes('mariadb') && !services.includes('mysql57'))
      return false;
    if (bin === 'redis-server' && !services.includes('redis')) return false;
    if (bin === 'haproxy' && !services.includes('lb')) return false;
    return true;
  });
  const missing = new Set(need.filter(([bin]) => !which(bin)).map(([, pkg]) => pkg));
  if (!fs.existsSync('/usr/lib/openssh/sftp-server')) missing.add('openssh-sftp-server');
  if (services.includes('postgres') && !['17', '16', '15', '14', '13'].some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/postgres`)))
    missing.add('postgresql');
  if (!missing.size) return;
  const pkgs = [...missing];
  if (process.getuid?.() !== 0)
    throw new Error(
      `The lab needs these Debian packages: ${pkgs.join(' ')}\nInstall them with: sudo apt-get install -y ${pkgs.join(' ')} (the full list is in test/lab/debian-packages.txt)`,
    );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // two test workers may get here at once: serialise on a lock file (flock is in util-linux)
  fs.mkdirSync(REGISTRY_ROOT, { recursive: true });
  const lock = path.join(REGISTRY_ROOT, '.apt.lock');
  if (!aptUpdated) {
    await runOk('flock', [lock, 'apt-get', 'update'], { env, timeoutMs: 600_000 });
    aptUpdated = true;
  }
  await runOk('flock', [lock, 'apt-get', 'install', '-y', '--no-install-recommends', ...pkgs], { env, timeoutMs: 1_200_000 });
  // Debian starts the services it installs; the lab runs its own instances, on its own addresses.
  for (const unit of ['mariadb', 'postgresql', 'redis-server', 'haproxy', 'ssh', 'docker-registry']) {
    await runOk('systemctl', ['stop', unit]).catch(() => undefined);
  }
}

const hostShadow = () => fs.readFileSync('/etc/shadow', 'utf8');

/**
 * Bring a lab up: nodes (each its own sshd, mount + UTS namespace) and the requested services, each on its own
 * loopback address. Everything is torn down by {@link Lab.down}, or by the reaper if this process dies.
 */
export async function up(opts: UpOptions = {}): Promise<Lab> {
  const t0 = Date.now();
  const nNodes = opts.nodes ?? 3;
  if (!Number.isInteger(nNodes) || nNodes < 1 || nNodes > 16) throw new Error('nodes must be 1…16');
  const era = opts.harbor ?? 'v2';
  const services = opts.services ?? ALL_SERVICES;
  if (services.includes('cloud') && !services.includes('lb'))
    throw new Error("lab service 'cloud' needs 'lb' (its load balancer drives it)");
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (mount namespaces, port 22/80, service users)');
  await ensurePrerequisites(services);

  const slot = claimSlot();
  const dir = slotDir(slot);
  const state: SlotState = readState(dir) ?? { owner: process.pid, nodes: [], groups: [], dirs: [] };
  const save = () => writeState(dir, state);
  const register = (pid: number, signal?: NodeJS.Signals) => {
    state.groups.push({ pid, ...(signal ? { signal } : {}) });
    save();
  };
  let downed = false;
  const onExit = () => {
    if (!downed) {
      downed = true;
      try {
        releaseSlot(slot);
      } catch {
        /* best effort */
      }
    }
  };
  process.on('exit', onExit);

  try {
    // the reaper cleans up if this process dies without down()
    const reaper = spawn(process.execPath, ['--import', 'tsx', path.join(LAB_DIR, 'reaper.ts'), String(slot), String(process.pid)], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: 'ignore',
    });
    reaper.unref();
    state.reaper = reaper.pid;
    save();

    withGlobalLock(() => ensureHostDirs([...NODE_TMPFS]));

    const net = `127.0.${slot}`;
    const addr = {
      lb: `${net}.10`,
      mariadb: `${net}.3`,
      mysql57: `${net}.4`,
      postgres: `${net}.5`,
      redis: `${net}.6`,
      oss: `${net}.7`,
      // .40-.49 belong to the cloud: .44 its API endpoint, .41-.43 the whitelist gates (GATES)
      cloud: `${net}.44`,
      gate: (s: GatedService) => `${net}.${GATES[s].octet}`,
      node: (i: number) => `${net}.${10 + i}`,
    };

    // services
    const svc: Partial<{
      mariadb: MysqlServer;
      mysql57: MysqlServer;
      postgres: PostgresServer;
      redis: RedisServer;
      oss: OssServer;
      lb: HaproxyLb;
      cloud: LabCloud;
    }> = {};
    const gated = services.includes('cloud') ? GATED_SERVICES.filter((s) => services.includes(s)) : [];
    const gates: Partial<Record<GatedService, WhitelistGate>> = {};
    const tasks: Array<Promise<unknown>> = [];
    const timings: Record<string, number> = {};
    const timed = <T>(name: string, p: Promise<T>): Promise<T> => {
      const t = Date.now();
      return p.finally(() => (timings[name] = Date.now() - t));
    };
    if (services.includes('mariadb'))
      tasks.push(timed('mariadb', (svc.mariadb = new MysqlServer('mariadb', addr.mariadb, path.join(dir, 'mariadb'), register)).init()));
    if (services.includes('mysql57'))
      tasks.push(timed('mysql57', (svc.mysql57 = new MysqlServer('mysql57', addr.mysql57, path.join(dir, 'mysql57'), register)).init()));
    if (services.includes('postgres'))
      tasks.push(timed('postgres', (svc.postgres = new PostgresServer(addr.postgres, path.join(dir, 'postgres'), register)).init()));
    if (services.includes('redis'))
      tasks.push(timed('redis', (svc.redis = new RedisServer(addr.redis, path.join(dir, 'redis'), register)).init()));
    if (services.includes('oss')) tasks.push(timed('oss', (svc.oss = new OssServer(addr.oss, path.join(dir, 'oss'))).start()));

    // installers
    const installers: Partial<Record<HarborEra, string>> = {};
    const bundleSize = opts.bundleSize ?? DEFAULT_BUNDLE_SIZE;
    for (const e of new Set([era, ...(opts.installers ?? [])]))
      tasks.push(
        timed(
          `installer-${e}`,
          buildInstaller(e, { version: opts.versions?.[e] ?? DEFAULT_VERSIONS[e], bundleSize }).then((p) => (installers[e] = p)),
        ),
      );

    // nodes. Each node's registry listens on <node address>:5000: a daemon holding that port on every address
    // (Debian's docker-registry service, started by its package where nothing stops it) would take it from them.
    await waitForPortClosed(addr.node(1), 5000, 0).catch(() => {
      throw new Error(
        `Port 5000 is taken on every address, so lab nodes cannot run their registry. Stop what listens there (Debian's registry: invoke-rc.d docker-registry stop).`,
      );
    });
    const userKey = await sshKeygen(path.join(dir, 'id_ed25519'), `harbor-lab-${slot}`);
    const registryName = 'registry.lab.test';
    const hosts = [
      `${addr.lb}\t${registryName}`,
      ...(services.includes('oss')
        ? [`${addr.oss}\t${svc.oss!.bucket}.${svc.oss!.region}.aliyuncs.com ${svc.oss!.bucket}.${svc.oss!.region}-internal.aliyuncs.com`]
        : []),
      ...(services.includes('mariadb') ? [`${addr.mariadb}\tmariadb.lab.test`] : []),
      ...(services.includes('mysql57') ? [`${addr.mysql57}\tmysql57.lab.test`] : []),
      ...(services.includes('postgres') ? [`${addr.postgres}\tpostgres.lab.test`] : []),
      ...(services.includes('redis') ? [`${addr.redis}\tredis.lab.test`] : []),
      ...gated.map((s) => `${addr.gate(s)}\t${GATES[s].host}`),
    ];
    const labInfo = { slot, registryName };
    const sharedStorage = path.join(dir, 'shared-storage');
    fs.mkdirSync(sharedStorage, { recursive: true });
    const base = { ...defaultSpec(era), ...opts.node };
    const shadow = hostShadow();
    const nodes: Node[] = [];
    const nodeStarts: Array<Promise<void>> = [];
    for (let i = 1; i <= nNodes; i++) {
      const password = opts.rootPassword ?? `Root-${randomAlnum(10)}`;
      const passwordHash = (await runOk('openssl', ['passwd', '-6', password])).trim();
      const nd = path.join(dir, `node-${i}`);
      fs.mkdirSync(nd, { recursive: true });
      const n = new Node({
        index: i,
        address: addr.node(i),
        dir: nd,
        password,
        passwordHash,
        userKey,
        spec: { ...base, ...opts.perNode?.[i - 1] },
        hosts,
        sharedStorage,
        labInfo,
        hostShadow: shadow,
      });
      nodes.push(n);
      nodeStarts.push(
        timed(n.name, n.start()).finally(() => {
          if (n.holder?.pid) {
            state.nodes.push({ holder: n.holder.pid, mntns: n.mntns });
            state.groups.push({ pid: n.holder.pid, signal: 'SIGKILL' });
            save();
          }
        }),
      );
    }
    await Promise.all([...tasks, ...nodeStarts]);
    if (services.includes('lb'))
      await timed(
        'lb',
        (svc.lb = new HaproxyLb(
          addr.lb,
          path.join(dir, 'lb'),
          register,
          nodes.map((n) => ({ name: n.name, address: n.address })),
        )).init(),
      );

    if (services.includes('cloud'))
      svc.cloud = await timed(
        'cloud',
        startLabCloud({
          slot,
          address: addr.cloud,
          dir: path.join(dir, 'cloud'),
          nodes: nodes.map((n) => ({ name: n.name, address: n.address })),
          lb: svc.lb!,
          loadBalancer: opts.cloud?.loadBalancer,
        }),
      );

    // The gates need the nodes' namespace holders (to tell a node's connection from the host's) and the cloud's
    // whitelists, so they start last; the listener keeps each gate on its instance's entries from then on.
    const cloud = svc.cloud;
    const followWhitelists = (instanceId: string, entries: string[]) => {
      for (const s of gated) if (cloud!.ids[s] === instanceId) gates[s]!.setAllowed(entries);
    };
    if (cloud && gated.length) {
      const gateNodes = nodes.map((n) => ({ address: n.address, holderPid: n.holder.pid!, name: n.name }));
      const started = await timed(
        'gates',
        Promise.allSettled(
          gated.map(async (s) => {
            const target = svc[s]!;
            gates[s] = await startWhitelistGate({
              protocol: GATES[s].protocol,
              listen: { address: addr.gate(s), port: target.port },
              target: { address: target.address, port: target.port },
              nodes: gateNodes,
              allowed: cloud.whitelist(cloud.ids[s]),
            });
          }),
        ),
      );
      const failed = started.find((r) => r.status === 'rejected');
      if (failed) {
        // gates and the cloud listen in this process, which outlives a failed up(): free the slot's addresses
        for (const g of Object.values(gates)) await g.stop();
        await cloud.stop();
        throw failed.reason;
      }
      cloud.on('whitelist', followWhitelists);
    }
    const labGate = (s: GatedService): LabGate => {
      const g = gates[s];
      if (!g) throw new Error(`lab gate ${s}: up({ services }) needs both 'cloud' and '${s}'`);
      return {
        host: GATES[s].host,
        address: g.address,
        port: g.port,
        instanceId: cloud!.ids[s],
        get allowed() {
          return g.allowed;
        },
        decisions: g.decisions,
      };
    };

    const bringUpMs = Date.now() - t0;
    const need = <T>(name: ServiceName, v: T | undefined): T => {
      if (!v) throw new Error(`lab service ${name} was not requested in up({ services })`);
      return v;
    };
    const lab: Lab = {
      slot,
      harbor: era,
      nodes,
      node: (i) => {
        const n = nodes[i - 1];
        if (!n) throw new Error(`no node ${i} (lab has ${nodes.length})`);
        return n;
      },
      registryName,
      sharedStorage,
      get mariadb() {
        return need('mariadb', svc.mariadb);
      },
      get mysql57() {
        return need('mysql57', svc.mysql57);
      },
      get postgres() {
        return need('postgres', svc.postgres);
      },
      get redis() {
        return need('redis', svc.redis);
      },
      get oss() {
        return need('oss', svc.oss);
      },
      get lb() {
        return need('lb', svc.lb);
      },
      get cloud() {
        return need('cloud', svc.cloud);
      },
      gates: {
        get postgres() {
          return labGate('postgres');
        },
        get mariadb() {
          return labGate('mariadb');
        },
        get redis() {
          return labGate('redis');
        },
      },
      services,
      installers,
      installer: async (e, o = {}) => {
        const p = await buildInstaller(e, { version: o.version ?? DEFAULT_VERSIONS[e], bundleSize: o.bundleSize ?? bundleSize });
        if (!o.version && o.bundleSize === undefined) installers[e] = p;
        return p;
      },
      dir,
      bringUpMs,
      timings,
      describe: () => describeLab(lab, svc, gated),
      down: async () => {
        if (downed) return;
        downed = true;
        process.off('exit', onExit);
        await svc.oss?.stop();
        svc.cloud?.off('whitelist', followWhitelists);
        for (const g of Object.values(gates)) await g.stop();
        await svc.cloud?.stop();
        releaseSlot(slot);
      },
    };
    return lab;
  } catch (e) {
    onExit();
    process.off('exit', onExit);
    throw e;
  }
}

function describeLab(lab: Lab, svc: Record<string, unknown>, gated: readonly GatedService[]): string {
  const lines: string[] = [];
  lines.push(`Harbor HA lab (slot ${lab.slot}, ${lab.harbor}) — up in ${lab.bringUpMs} ms; bookkeeping in ${lab.dir}`);
  lines.push(
    `  (${Object.entries(lab.timings)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')})`,
  );
  lines.push('', 'Nodes (ssh root@<address>, port 22):');
  for (const n of lab.nodes)
    lines.push(
      `  ${n.name.padEnd(8)} ${n.address.padEnd(14)} password ${n.password}   key ${n.privateKeyPath}   host key ${n.hostKeyFingerprint}`,
    );
  lines.push('', 'Services:');
  if (svc.lb) lines.push(`  lb        ${lab.lb.address}:80,443 → nodes (round robin; nodes resolve ${lab.registryName} to it)`);
  if (svc.mariadb) lines.push(`  mariadb   ${lab.mariadb.address}:3306 user root password ${lab.mariadb.password}`);
  if (svc.mysql57)
    lines.push(
      `  mysql57   ${lab.mysql57.address}:3306 user root password ${lab.mysql57.password} (5.7 strict sql_mode, explicit_defaults_for_timestamp=0)`,
    );
  if (svc.postgres) lines.push(`  postgres  ${lab.postgres.address}:5432 user postgres password ${lab.postgres.password}`);
  if (svc.redis)
    lines.push(
      `  redis     ${lab.redis.address}:6379 password ${lab.redis.password}; ACL user ${lab.redis.aclUser}/${lab.redis.aclPassword} (or AUTH ${lab.redis.accountPassword})`,
    );
  if (svc.oss)
    lines.push(
      `  oss       ${lab.oss.endpoint} region ${lab.oss.region} bucket ${lab.oss.bucket} AK ${lab.oss.accessKeyId} SK ${lab.oss.accessKeySecret}`,
    );
  if (svc.cloud)
    lines.push(
      `  cloud     https://${lab.cloud.endpoint} (lab CA ${path.join(lab.dir, 'cloud', 'ca.crt')}) region ${lab.cloud.regionId}; ${lab.cloud.loadBalancer.toUpperCase()} ${lab.cloud.ids.loadBalancer}, RDS ${lab.cloud.ids.postgres} (postgres) ${lab.cloud.ids.mariadb} (mariadb), Redis ${lab.cloud.ids.redis}; keys: cloud.accessKey(...)`,
    );
  for (const s of gated) {
    const g = lab.gates[s];
    lines.push(`  gate      ${g.address}:${g.port} (${g.host}) → ${s}, whitelist of ${g.instanceId}`);
  }
  lines.push('', 'Installers:');
  for (const [e, p] of Object.entries(lab.installers)) lines.push(`  ${e}: ${p}`);
  return lines.join('\n');
}

export { REGISTRY_ROOT };
