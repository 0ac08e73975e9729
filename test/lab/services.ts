/**
 * Real servers on loopback addresses: MariaDB (plus a MySQL-5.7-like instance), PostgreSQL, Redis (password + ACL
 * user + Aliyun's `account:password` form) and HAProxy as the load balancer. Each is a separate process group.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import mysql from 'mysql2/promise';
import pg from 'pg';
import crypto from 'node:crypto';
import { CACHE_DIR, randomAlnum, runOk, startDaemon, waitForPort, waitForPortClosed } from './util';

function userIds(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`system user ${name} is missing (install its Debian package, see test/lab/debian-packages.txt)`);
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/**
 * A directory built once by `build(dir)` and cached under .lab/cache, keyed by `kind` and `version`.
 * Concurrent builders race harmlessly: each builds in its own temp dir and the first rename wins.
 */
const templateBuilds = new Map<string, Promise<string>>();
function cachedTemplate(kind: string, version: string, workDir: string, build: (dir: string) => Promise<void>): Promise<string> {
  // one build per process even when two instances (mariadb + mysql57) ask at once
  const k = `${kind}|${version}`;
  let p = templateBuilds.get(k);
  if (!p) {
    p = buildTemplate(kind, version, workDir, build);
    templateBuilds.set(k, p);
    p.catch(() => templateBuilds.delete(k));
  }
  return p;
}
async function buildTemplate(kind: string, version: string, workDir: string, build: (dir: string) => Promise<void>): Promise<string> {
  const key = crypto.createHash('sha256').update(`${kind}|${version}|${TEMPLATE_REV}`).digest('hex').slice(0, 12);
  const dir = path.join(CACHE_DIR, `${kind}-template-${key}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  // build inside the lab's own directory (the service user can reach it even when the repository lives somewhere
  // only root can traverse, e.g. under /root), then copy into the cache
  const work = path.join(workDir, `${kind}-template`);
  fs.mkdirSync(work, { recursive: true, mode: 0o755 });
  await build(work);
  fs.writeFileSync(path.join(work, '.complete'), '');
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(CACHE_DIR, `.${kind}-`));
  try {
    await runOk('cp', ['-a', `${work}/.`, tmp]);
    try {
      fs.renameSync(tmp, dir);
    } catch {
      /* another lab won the race */
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dir;
}
/** bump when the template recipes change */
const TEMPLATE_REV = 1;

/** Common shape of every service handle. */
export interface ServiceHandle {
  readonly kind: string;
  readonly address: string;
  readonly port: number;
  /** pid of the server process (its process group is killed on down) */
  readonly pid: number;
  /** Stop the server (connections are refused afterwards). */
  stop(): Promise<void>;
  /** Start it again with the same configuration and data. */
  start(): Promise<void>;
  /** true while it accepts connections */
  readonly running: boolean;
}

abstract class Daemon implements ServiceHandle {
  abstract readonly kind: string;
  protected child?: ChildProcess;
  protected stopSignal: NodeJS.Signals = 'SIGTERM';
  running = false;
  constructor(
    readonly address: string,
    readonly port: number,
    protected readonly dir: string,
    protected readonly register: (pid: number, signal?: NodeJS.Signals) => void,
  ) {}
  get pid(): number {
    return this.child?.pid ?? 0;
  }
  protected abstract spawn(): ChildProcess;
  protected get logFile(): string {
    return path.join(this.dir, `${this.kind}.log`);
  }
  async start(): Promise<void> {
    if (this.running) return;
    const c = this.spawn();
    this.child = c;
    this.register(c.pid!, this.stopSignal);
    await waitForPort(this.address, this.port, 30_000, this.kind, () =>
      c.exitCode !== null ? `exit ${c.exitCode}\n${tail(this.logFile)}` : undefined,
    );
    this.running = true;
  }
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) {
      this.running = false;
      return;
    }
    const done = new Promise((r) => c.once('exit', r));
    try {
      process.kill(-c.pid!, this.stopSignal);
    } catch {
      /* gone */
    }
    const t = setTimeout(() => {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5_000);
    await done;
    clearTimeout(t);
    await waitForPortClosed(this.address, this.port);
    this.running = false;
  }
}

// ─────────────────────────────────────────── MariaDB / "MySQL 5.7" ───────────────────────────────────────────

/** The MySQL 5.7 default sql_mode. */
export const MYSQL57_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

export interface MysqlHandle extends ServiceHandle {
  readonly kind: 'mariadb' | 'mysql57';
  /** an administrator that may DROP/CREATE DATABASE, reachable from any loopback address */
  readonly user: 'root';
  readonly password: string;
  /** mysql2 connection options for the admin (add `database`, `multipleStatements` as needed) */
  readonly connection: { host: string; port: number; user: string; password: string };
  /** Run SQL as the admin (multi-statement enabled) and return the rows of the last statement. */
  query(sql: string, database?: string): Promise<unknown>;
}

export class MysqlServer extends Daemon implements MysqlHandle {
  readonly user = 'root' as const;
  readonly password = `Db-${randomAlnum(12)}`;
  constructor(
    readonly kind: 'mariadb' | 'mysql57',
    address: string,
    dir: string,
    register: (pid: number, signal?: NodeJS.Signals) => void,
  ) {
    super(address, 3306, dir, register);
  }
  get connection() {
    return { host: this.address, port: this.port, user: this.user, password: this.password };
  }
  private get datadir() {
    return path.join(this.dir, 'data');
  }
  private get socket() {
    return path.join(this.dir, 'mysqld.sock');
  }
  private args(): string[] {
    const a = [
      '--no-defaults',
      `--datadir=${this.datadir}`,
      `--socket=${this.socket}`,
      `--pid-file=${path.join(this.dir, 'mysqld.pid')}`,
      `--bind-address=${this.address}`,
      `--port=${this.port}`,
      '--user=mysql',
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=8M',
      '--innodb-flush-log-at-trx-commit=0',
      '--skip-log-bin',
      '--performance-schema=OFF',
      `--log-error=${this.logFile}`,
      '--max-connections=300',
      `--tmpdir=${path.join(this.dir, 'tmp')}`,
      '--character-set-server=utf8mb4',
    ];
    if (this.kind === 'mysql57') a.push('--explicit-defaults-for-timestamp=0', `--sql-mode=${MYSQL57_SQL_MODE}`);
    return a;
  }
  async init(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const { uid, gid } = userIds('mysql');
    fs.chownSync(this.dir, uid, gid);
    fs.mkdirSync(path.join(this.dir, 'tmp'), { recursive: true });
    fs.chownSync(path.join(this.dir, 'tmp'), uid, gid);
    // an initialised data directory is built once per machine (and MariaDB version) and copied: much faster
    const template = await cachedTemplate('mariadb', (await runOk('mariadbd', ['--version'])).trim(), this.dir, async (tdir) => {
      fs.chownSync(tdir, uid, gid);
      await runOk('mariadb-install-db', [
        '--no-defaults',
        `--datadir=${path.join(tdir, 'data')}`,
        `--tmpdir=${path.join(this.dir, 'tmp')}`,
        '--user=mysql',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        '--innodb-log-file-size=8M',
      ]);
    });
    await runOk('cp', ['-a', path.join(template, 'data'), this.datadir]);
    await this.start();
    // the TCP listener comes up a moment before the unix socket listens: retry briefly
    let c: mysql.Connection | undefined;
    for (let i = 0; !c; i++) {
      try {
        c = await mysql.createConnection({ socketPath: this.socket, user: 'root', multipleStatements: true });
      } catch (e) {
        if (i > 200) throw e;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    const pw = c.escape(this.password);
    // every root account gets the password; anonymous accounts go (as mysql_secure_installation does)
    const [users] = (await c.query(`SELECT User, Host FROM mysql.user`)) as unknown as [Array<{ User: string; Host: string }>];
    const stmts: string[] = [];
    for (const u of users) {
      if ((u.User === 'root' && u.Host !== 'localhost') || u.User === '') stmts.push(`DROP USER ${c.escape(u.User)}@${c.escape(u.Host)}`);
    }
    stmts.push(
      `ALTER USER 'root'@'localhost' IDENTIFIED BY ${pw}`,
      `CREATE USER 'root'@'127.%' IDENTIFIED BY ${pw}`,
      `GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.%' WITH GRANT OPTION`,
    );
    await c.query(`${stmts.join(';\n')}; FLUSH PRIVILEGES;`);
    await c.end();
  }
  protected spawn(): ChildProcess {
    return startDaemon('mariadbd', this.args(), path.join(this.dir, 'stdout.log'));
  }
  async query(sql: string, database?: string): Promise<unknown> {
    const c = await mysql.createConnection({ ...this.connection, multipleStatements: true, ...(database ? { database } : {}) });
    try {
      const [rows] = await c.query(sql);
      return rows;
    } finally {
      await c.end();
    }
  }
}

// ─────────────────────────────────────────── PostgreSQL ───────────────────────────────────────────

export interface PostgresHandle extends ServiceHandle {
  readonly kind: 'postgres';
  /** superuser */
  readonly user: 'postgres';
  readonly password: string;
  readonly connection: { host: string; port: number; user: string; password: string; database: string };
}

function pgBin(bin: string): string {
  for (const v of ['17', '16', '15', '14', '13']) {
    const p = `/usr/lib/postgresql/${v}/bin/${bin}`;
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`PostgreSQL server binaries not found (apt-get install postgresql)`);
}

export class PostgresServer extends Daemon implements PostgresHandle {
  readonly kind = 'postgres' as const;
  readonly user = 'postgres' as const;
  readonly password = `Pg-${randomAlnum(12)}`;
  protected override stopSignal: NodeJS.Signals = 'SIGINT';
  constructor(address: string, dir: string, register: (pid: number, signal?: NodeJS.Signals) => void) {
    super(address, 5432, dir, register);
  }
  get connection() {
    return { host: this.address, port: this.port, user: this.user, password: this.password, database: 'postgres' };
  }
  private get pgdata() {
    return path.join(this.dir, 'data');
  }
  async init(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const { uid, gid } = userIds('postgres');
    fs.chownSync(this.dir, uid, gid);
    // initdb once per machine (and PostgreSQL version) into a template; each lab copies it and sets its password
    const template = await cachedTemplate('postgres', (await runOk(pgBin('postgres'), ['--version'])).trim(), this.dir, async (tdir) => {
      fs.chownSync(tdir, uid, gid);
      // initdb refuses to run as root
      await runOk(
        'runuser',
        [
          '-u',
          'postgres',
          '--',
          pgBin('initdb'),
          '-D',
          path.join(tdir, 'data'),
          '-U',
          'postgres',
          '--auth-local=trust',
          '--auth-host=scram-sha-256',
          '--no-sync',
          '-E',
          'UTF8',
          '--locale=C.UTF-8',
        ],
        { cwd: tdir },
      );
      fs.appendFileSync(path.join(tdir, 'data', 'pg_hba.conf'), '\nhost all all 127.0.0.0/8 scram-sha-256\n');
    });
    await runOk('cp', ['-a', path.join(template, 'data'), this.pgdata]);
    await this.start();
    // the port opens before recovery ends ("the database system is starting up"): retry until it accepts logins
    let c: pg.Client | undefined;
    for (let i = 0; !c; i++) {
      const t = new pg.Client({ host: this.dir, port: this.port, user: 'postgres', database: 'postgres' });
      t.on('error', () => {});
      try {
        await t.connect();
        c = t;
      } catch (e) {
        await t.end().catch(() => {});
        if (i > 600) throw e;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    try {
      await c.query(`ALTER USER postgres PASSWORD '${this.password.replace(/'/g, "''")}'`);
    } finally {
      await c.end();
    }
  }
  protected spawn(): ChildProcess {
    const { uid, gid } = userIds('postgres');
    return startDaemon(
      pgBin('postgres'),
      [
        '-D',
        this.pgdata,
        '-c',
        `listen_addresses=${this.address}`,
        '-c',
        `port=${this.port}`,
        '-c',
        `unix_socket_directories=${this.dir}`,
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'shared_buffers=16MB',
        '-c',
        'max_connections=200',
        '-c',
        `logging_collector=off`,
      ],
      this.logFile,
      { uid, gid, cwd: this.dir },
    );
  }
}

// ─────────────────────────────────────────── Redis ───────────────────────────────────────────

export interface RedisHandle extends ServiceHandle {
  readonly kind: 'redis';
  /** password of the default user (single-argument `AUTH <password>`) */
  readonly password: string;
  /** an ACL user: `AUTH <aclUser> <aclPassword>`, or Aliyun's single-argument `AUTH <aclUser>:<aclPassword>` */
  readonly aclUser: string;
  readonly aclPassword: string;
  /** Aliyun custom-account form for single-argument AUTH: `account:password` */
  readonly accountPassword: string;
}

export class RedisServer extends Daemon implements RedisHandle {
  readonly kind = 'redis' as const;
  readonly password = `Rd-${randomAlnum(12)}`;
  readonly aclUser = 'harbor';
  readonly aclPassword = `Acl-${randomAlnum(10)}`;
  constructor(address: string, dir: string, register: (pid: number, signal?: NodeJS.Signals) => void) {
    super(address, 6379, dir, register);
  }
  get accountPassword(): string {
    return `${this.aclUser}:${this.aclPassword}`;
  }
  async init(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const { uid, gid } = userIds('redis');
    fs.chownSync(this.dir, uid, gid);
    fs.writeFileSync(
      path.join(this.dir, 'redis.conf'),
      [
        `bind ${this.address}`,
        `port ${this.port}`,
        'protected-mode yes',
        `dir ${this.dir}`,
        'save ""',
        'appendonly no',
        'daemonize no',
        `logfile ${this.logFile}`,
        // default user: the password; plus Aliyun's "account:password" accepted as a single-argument AUTH
        `user default on >${this.password} >${this.accountPassword} ~* &* +@all`,
        `user ${this.aclUser} on >${this.aclPassword} ~* &* +@all`,
        '',
      ].join('\n'),
    );
    fs.chownSync(path.join(this.dir, 'redis.conf'), uid, gid);
    await this.start();
  }
  protected spawn(): ChildProcess {
    const { uid, gid } = userIds('redis');
    return startDaemon('redis-server', [path.join(this.dir, 'redis.conf')], path.join(this.dir, 'stdout.log'), { uid, gid, cwd: this.dir });
  }
}

// ─────────────────────────────────────────── HAProxy ───────────────────────────────────────────

export interface LbBackend {
  name: string;
  address: string;
  port: number;
  /** HAProxy's view: `UP`, `DOWN`, `MAINT`, … */
  status: string;
}

export interface LbHandle extends ServiceHandle {
  readonly kind: 'lb';
  /** ports forwarded (TCP, round-robin) to the same port on every node */
  readonly ports: readonly [80, 443];
  /** backend state from HAProxy's stats socket (per port) */
  backends(port?: 80 | 443): Promise<LbBackend[]>;
  /** resolve when every node is UP for `port` (TCP health check every 500 ms) */
  waitForBackends(port?: 80 | 443, timeoutMs?: number): Promise<void>;
  /**
   * End TLS at the load balancer on 443 (certificate and key PEM), forwarding plain HTTP to the nodes' port 80, like an
   * SLB HTTPS listener; `forwardedProto` adds `X-Forwarded-Proto: https` (the SLB listener option). `null`: back to
   * TCP pass-through on 443.
   */
  terminateTls(tls: { pem: string; forwardedProto: boolean } | null): Promise<void>;
  /**
   * Runtime API (stats socket, no reload): a weight of 0 stops new connections to the server (existing ones go on);
   * HAProxy's weights are 0…256, the cloud's 0…100 pass through as they are.
   */
  setWeight(port: 80 | 443, name: string, weight: number): Promise<void>;
  /** A dynamic server (HAProxy ≥ 2.6 `add server`), health-checked like the others, enabled at once. */
  addServer(port: 80 | 443, name: string, address: string, weight?: number): Promise<void>;
  /** Maintenance, its sessions shut, then `del server`. */
  removeServer(port: 80 | 443, name: string): Promise<void>;
  /** Each server of `port`'s backend as HAProxy sees it now. */
  serverState(port: 80 | 443): Promise<LbServerState[]>;
}

export interface LbServerState {
  name: string;
  address: string;
  weight: number;
  /** `UP`, `DOWN`, `DRAIN` (weight 0), `MAINT`, … */
  status: string;
  /** current sessions */
  scur: number;
}

/** A server of a backend as the LB was told: from the node list at start, then changed through the runtime API. */
interface LbServer {
  name: string;
  address: string;
  weight: number;
}

/** Aliyun's default backend weight; HAProxy's own default (1) would make a weight set later look like a boost. */
const DEFAULT_WEIGHT = 100;
/** Health-check settings of every server; dynamic servers do not inherit `default-server`, so they are spelled out. */
const CHECK = 'check inter 500ms fall 2 rise 1';

export class HaproxyLb extends Daemon implements LbHandle {
  readonly kind = 'lb' as const;
  readonly ports = [80, 443] as const;
  constructor(
    address: string,
    dir: string,
    register: (pid: number, signal?: NodeJS.Signals) => void,
    nodes: Array<{ name: string; address: string }>,
  ) {
    super(address, 80, dir, register);
    for (const p of this.ports)
      this.servers.set(
        p,
        nodes.map((n) => ({ ...n, weight: DEFAULT_WEIGHT })),
      );
  }
  /** per port, what the configuration and the runtime changes say; a restart writes the config from it */
  private readonly servers = new Map<80 | 443, LbServer[]>();
  private list(port: 80 | 443): LbServer[] {
    return this.servers.get(port)!;
  }
  /** the port the nodes are reached on: TLS ends at the LB on 443 when terminateTls is on */
  private targetPort(port: 80 | 443): number {
    return port === 443 && this.tls ? 80 : port;
  }
  private get sock() {
    return path.join(this.dir, 'haproxy.sock');
  }
  private tls: { pem: string; forwardedProto: boolean } | null = null;
  async init(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    await this.writeConfig();
    await this.start();
  }
  async terminateTls(tls: { pem: string; forwardedProto: boolean } | null): Promise<void> {
    this.tls = tls;
    await this.writeConfig();
    await this.stop();
    await this.start();
  }
  private async writeConfig(): Promise<void> {
    const lines = [
      'global',
      `  stats socket ${this.sock} mode 600 level admin`,
      '  maxconn 2000',
      'defaults',
      '  mode tcp',
      '  timeout connect 2s',
      '  timeout client 5m',
      '  timeout server 5m',
    ];
    for (const p of this.ports) {
      if (p === 443 && this.tls) {
        const pem = path.join(this.dir, 'tls.pem');
        fs.writeFileSync(pem, this.tls.pem, { mode: 0o600 });
        lines.push(`frontend fe_${p}`, '  mode http', `  bind ${this.address}:${p} ssl crt ${pem}`, `  default_backend be_${p}`);
        if (this.tls.forwardedProto) lines.push('  http-request set-header X-Forwarded-Proto https');
        lines.push(`backend be_${p}`, '  mode http', '  balance roundrobin', '  http-reuse never');
        for (const n of this.list(p)) lines.push(`  server ${n.name} ${n.address}:80 ${CHECK} weight ${n.weight}`);
        continue;
      }
      lines.push(`frontend fe_${p}`, `  bind ${this.address}:${p}`, `  default_backend be_${p}`, `backend be_${p}`, '  balance roundrobin');
      for (const n of this.list(p)) lines.push(`  server ${n.name} ${n.address}:${p} ${CHECK} weight ${n.weight}`);
    }
    fs.writeFileSync(path.join(this.dir, 'haproxy.cfg'), `${lines.join('\n')}\n`);
    await runOk('haproxy', ['-c', '-q', '-f', path.join(this.dir, 'haproxy.cfg')]);
  }
  protected spawn(): ChildProcess {
    return startDaemon('haproxy', ['-db', '-f', path.join(this.dir, 'haproxy.cfg')], this.logFile);
  }
  private stats(cmd: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = net.connect(this.sock);
      let buf = '';
      s.on('data', (d) => (buf += d.toString()));
      s.on('end', () => resolve(buf));
      s.on('error', reject);
      s.write(`${cmd}\n`);
    });
  }
  async backends(port: 80 | 443 = 80): Promise<LbBackend[]> {
    const csv = await this.stats('show stat');
    const lines = csv.split('\n');
    const head = lines[0]!.replace(/^# /, '').split(',');
    const col = (n: string) => head.indexOf(n);
    const out: LbBackend[] = [];
    for (const l of lines.slice(1)) {
      const f = l.split(',');
      if (f[col('pxname')] !== `be_${port}` || ['BACKEND', 'FRONTEND'].includes(f[col('svname')] ?? '')) continue;
      const n = this.list(port).find((x) => x.name === f[col('svname')]);
      if (!n) continue;
      out.push({ name: n.name, address: n.address, port, status: (f[col('status')] ?? '').split(' ')[0]! });
    }
    return out;
  }
  /** A runtime API command whose answer must match `ok` (most answer nothing on success, errors as text). */
  private async command(cmd: string, ok: RegExp = /^\s*$/): Promise<string> {
    const out = await this.stats(cmd);
    if (!ok.test(out)) throw new Error(`haproxy: ${cmd}: ${out.trim()}`);
    return out;
  }
  async setWeight(port: 80 | 443, name: string, weight: number): Promise<void> {
    const s = this.list(port).find((x) => x.name === name);
    if (!s) throw new Error(`haproxy: no server ${name} on ${port}`);
    await this.command(`set server be_${port}/${name} weight ${weight}`);
    s.weight = weight;
  }
  async addServer(port: 80 | 443, name: string, address: string, weight = DEFAULT_WEIGHT): Promise<void> {
    const id = `be_${port}/${name}`;
    await this.command(`add server ${id} ${address}:${this.targetPort(port)} ${CHECK} weight ${weight}`, /New server registered/);
    this.list(port).push({ name, address, weight });
    // a dynamic server starts in maintenance with its checks off
    await this.command(`enable health ${id}`);
    await this.command(`enable server ${id}`);
  }
  async removeServer(port: 80 | 443, name: string): Promise<void> {
    const id = `be_${port}/${name}`;
    await this.command(`disable server ${id}`);
    await this.command(`shutdown sessions server ${id}`);
    // `del server` refuses while a session is still being torn down: try again briefly
    for (let i = 0; ; i++) {
      const out = await this.stats(`del server ${id}`);
      if (/Server deleted/.test(out)) break;
      if (i >= 50) throw new Error(`haproxy: del server ${id}: ${out.trim()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.servers.set(
      port,
      this.list(port).filter((x) => x.name !== name),
    );
  }
  async serverState(port: 80 | 443): Promise<LbServerState[]> {
    const csv = await this.stats('show stat');
    const lines = csv.split('\n');
    const head = lines[0]!.replace(/^# /, '').split(',');
    const col = (f: string[], n: string) => f[head.indexOf(n)] ?? '';
    const out: LbServerState[] = [];
    for (const l of lines.slice(1)) {
      const f = l.split(',');
      if (col(f, 'pxname') !== `be_${port}`) continue;
      const s = this.list(port).find((x) => x.name === col(f, 'svname'));
      if (!s) continue;
      out.push({
        name: s.name,
        address: s.address,
        weight: Number(col(f, 'weight')),
        status: col(f, 'status').split(' ')[0]!,
        scur: Number(col(f, 'scur')),
      });
    }
    return out;
  }
  async waitForBackends(port: 80 | 443 = 80, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const b = await this.backends(port);
      if (b.length && b.every((x) => x.status === 'UP')) return;
      if (Date.now() > deadline) throw new Error(`LB backends not all UP on ${port}: ${JSON.stringify(b)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
