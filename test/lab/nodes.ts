/**
 * Lab nodes: one OpenSSH server per loopback address, each in its own mount + UTS namespace with private
 * /opt, /data, /var/log/harbor, /root, /home, /tmp (tmpfs) and a private /etc, /usr/bin, /usr/sbin (overlayfs),
 * and the stand-in commands of a Harbor host installed into /usr/bin and /usr/sbin.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Client, type ConnectConfig } from 'ssh2';
import { REPO_ROOT, fingerprintOfPublicKey, runOk, sleep, python27Prefix, sshKeygen, waitForPort, waitForPortClosed } from './util';

/** Inside every node: lab state of the stand-ins (a tmpfs). */
export const NODE_STATE_DIR = '/var/lib/harbor-lab';
/** Inside every node: read-only bind of the repository, so the stand-ins and the Harbor-like service can run. */
export const NODE_SRC_DIR = `${NODE_STATE_DIR}/src`;
/** Inside every node: read-only bind of a real Python 2.7 (its prefix), which the `python` stand-in runs scripts with. */
export const NODE_PYTHON27_DIR = `${NODE_STATE_DIR}/python2.7`;
/**
 * Inside every node: a directory every node of the lab shares (bound from the slot). Distribution keeps registry data
 * there when Harbor's config names the `oss` driver, which Debian's distribution build does not have.
 */
export const NODE_SHARED_STORAGE_DIR = '/var/lib/harbor-lab/shared-storage';
/** Host paths every node mounts a private tmpfs over. */
export const NODE_TMPFS = ['/opt', '/data', '/var/log', '/root', '/home', '/tmp', '/run', NODE_STATE_DIR] as const;

/** What a node looks like to the deployer: which tools are installed, in which versions. */
export interface NodeSpec {
  /** Docker engine version (`docker --version`); `null` = docker not installed. */
  docker: string | null;
  /** Is the docker daemon running (`systemctl start docker` starts it). */
  dockerRunning: boolean;
  /** Standalone docker-compose v1 binary version; `null` = not installed. */
  compose: string | null;
  /** `docker compose` plugin version (e.g. `v2.27.1`); `null` = no plugin. */
  composePlugin: string | null;
  /** Make every `docker-compose` call fail with `ImportError: No module named 'requests.packages.urllib3'` (seed). `pip install requests urllib3 pyOpenSSL --force --upgrade` clears it. */
  composeImportError: boolean;
  /** `/usr/bin/python` as Python 2 of this version; `null` = absent. */
  python2: string | null;
  /** Package manager family: `centos7` has yum/rpm, `debian12` has apt-get/dpkg. */
  distro: 'centos7' | 'debian12';
  /** `locale -a` lists no UTF-8 locale (a minimal image); absent or false: the host's locales (C.utf8). */
  noUtf8Locale?: boolean;
}

/** One recorded command run on a node (by a stand-in). */
export interface Invocation {
  /** ISO time the command finished */
  t: string;
  /** command name, e.g. `docker`, `docker-compose`, `yum`, `iptables`, `systemctl`, `python` */
  cmd: string;
  args: string[];
  cwd: string;
  exit: number;
}

/** One authentication attempt as sshd logged it. */
export interface AuthAttempt {
  /** `password`, `publickey`, `none`, `keyboard-interactive` … */
  method: string;
  user: string;
  success: boolean;
  /** the user does not exist on the node */
  invalidUser: boolean;
  from: string;
  /** for publickey: the key's `SHA256:` fingerprint */
  keyFingerprint?: string;
}

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** Handle on one lab node. */
export interface LabNode {
  /** 1-based */
  readonly index: number;
  /** `node-<index>`; also the node's hostname (`hostname` prints it) */
  readonly name: string;
  readonly hostname: string;
  /** loopback address of this node, e.g. `127.0.0.11` */
  readonly address: string;
  readonly port: 22;
  readonly user: 'root';
  /** root's password on this node (password login is enabled) */
  readonly password: string;
  /** path (on the host) of an unencrypted ed25519 private key authorised for root on every node of this lab */
  readonly privateKeyPath: string;
  /** the matching public key line */
  readonly publicKey: string;
  /** current host key fingerprint, `SHA256:…` exactly as `ssh-keygen -lf` prints it */
  readonly hostKeyFingerprint: string;
  /** current host public key line (`ssh-ed25519 AAAA… node-N`) */
  readonly hostKey: string;
  /** `known_hosts` line for the current host key */
  readonly knownHostsLine: string;
  /** current stand-in configuration */
  readonly spec: NodeSpec;
  /** host path that shows this node's filesystem (`/proc/<pid>/root`) */
  readonly fsRoot: string;
  /** Run a command over SSH as root (key auth, host key pinned); never rejects on a non-zero exit. */
  exec(command: string, opts?: { stdin?: string | Buffer; timeoutMs?: number }): Promise<ExecResult>;
  /** Like exec but throws unless the exit code is 0. Returns stdout. */
  execOk(command: string, opts?: { stdin?: string | Buffer; timeoutMs?: number }): Promise<string>;
  /** ssh2 connect options for this node (key auth by default). */
  connectConfig(auth?: 'key' | 'password'): ConnectConfig;
  readFile(p: string): Promise<Buffer>;
  readText(p: string): Promise<string>;
  /** Write a file on the node (parents created). */
  writeFile(p: string, data: string | Buffer, mode?: number): Promise<void>;
  exists(p: string): Promise<boolean>;
  remove(p: string): Promise<void>;
  /** Commands the stand-ins ran, oldest first; optionally only one command name. */
  invocations(cmd?: string): Promise<Invocation[]>;
  /** Stop the SSH server (established sessions survive, new connections are refused). */
  stopSshd(): Promise<void>;
  startSshd(): Promise<void>;
  /**
   * Like a network outage: stops sshd and kills every SSH session it serves (SIGKILL, so clients see
   * the connection drop, not a goodbye). startSshd() brings the node back.
   */
  dropConnections(): Promise<void>;
  /** Generate a new host key and restart sshd; returns the new fingerprint. */
  replaceHostKey(): Promise<string>;
  /** Every authentication attempt sshd logged since the node started. */
  authAttempts(): Promise<AuthAttempt[]>;
  /** Change installed tools / versions (e.g. remove python2, downgrade docker-compose). */
  configure(spec: Partial<NodeSpec>): Promise<void>;
  /**
   * Makes every later call of a stand-in command (e.g. `docker`) wait before doing anything, so a
   * test can act while a step is known to be in flight on this node. Returns the release.
   */
  hold(cmd: string): Promise<() => Promise<void>>;
}

export interface NodeInit {
  index: number;
  address: string;
  dir: string;
  password: string;
  passwordHash: string;
  userKey: { privateKeyPath: string; publicKey: string };
  spec: NodeSpec;
  /** extra lines for /etc/hosts (e.g. OSS bucket hosts, the registry name) */
  hosts: string[];
  /** host directory bound at NODE_SHARED_STORAGE_DIR in every node of the lab */
  sharedStorage: string;
  /** lab-wide facts the stand-ins need (addresses of services) */
  labInfo: Record<string, unknown>;
  /** the host's /etc/shadow, to derive the node's */
  hostShadow: string;
}

const STANDIN = `${NODE_SRC_DIR}/test/lab/node/standin.mjs`;
const PYTHON27 = python27Prefix();

/** (dir, name) of each stand-in wrapper for a spec, plus which real names to hide. */
type BinDir = 'usr/bin' | 'usr/sbin' | 'usr/local/bin';
function wrappers(spec: NodeSpec): Array<{ dir: BinDir; name: string; cmd: string }> {
  const w: Array<{ dir: BinDir; name: string; cmd: string }> = [
    { dir: 'usr/bin', name: 'systemctl', cmd: 'systemctl' },
    { dir: 'usr/sbin', name: 'iptables', cmd: 'iptables' },
    { dir: 'usr/sbin', name: 'iptables-save', cmd: 'iptables-save' },
    { dir: 'usr/bin', name: 'pip', cmd: 'pip' },
  ];
  if (spec.docker) w.push({ dir: 'usr/bin', name: 'docker', cmd: 'docker' });
  if (spec.compose) w.push({ dir: 'usr/bin', name: 'docker-compose', cmd: 'docker-compose' });
  if (spec.python2) w.push({ dir: 'usr/bin', name: 'python', cmd: 'python' }, { dir: 'usr/bin', name: 'python2', cmd: 'python' });
  // in /usr/local/bin, ahead of the host's /usr/bin/locale on PATH, which stays visible when this is off
  if (spec.noUtf8Locale) w.push({ dir: 'usr/local/bin', name: 'locale', cmd: 'locale' });
  if (spec.distro === 'centos7') w.push({ dir: 'usr/bin', name: 'yum', cmd: 'yum' }, { dir: 'usr/bin', name: 'rpm', cmd: 'rpm' });
  else w.push({ dir: 'usr/bin', name: 'apt-get', cmd: 'apt-get' }, { dir: 'usr/bin', name: 'dpkg', cmd: 'dpkg' });
  return w;
}

/** Every name a stand-in may occupy (to hide real host binaries of the same name). */
const ALL_STANDIN_NAMES: Array<{ dir: BinDir; name: string }> = [
  ...['systemctl', 'pip', 'docker', 'docker-compose', 'python', 'python2', 'yum', 'rpm', 'apt-get', 'dpkg'].map((name) => ({
    dir: 'usr/bin' as const,
    name,
  })),
  ...['iptables', 'iptables-save', 'ip6tables', 'iptables-restore'].map((name) => ({ dir: 'usr/sbin' as const, name })),
];

/** Stand-ins that only shadow the host's binary when wanted (earlier on PATH), never hiding it otherwise. */
const SHADOWING_STANDINS: Array<{ dir: BinDir; name: string }> = [{ dir: 'usr/local/bin', name: 'locale' }];

/** PATH directories overlaid on every node (stand-ins are installed here; host binaries of the same names are hidden). */
const BIN_DIRS = ['usr/bin', 'usr/sbin', 'usr/local/bin', 'usr/local/sbin'] as const;

function wrapperScript(cmd: string): string {
  return `#!/bin/sh\nexec ${process.execPath} ${STANDIN} ${cmd} "$@"\n`;
}

/**
 * Lay out wrappers in `root` (either an overlay upper dir before mounting, or the node's live view). Names with no
 * stand-in that exist on the host are hidden: a whiteout (char 0:0) in an upper dir, or by deleting in a live view.
 */
async function layoutWrappers(root: string, spec: NodeSpec, live: boolean): Promise<void> {
  const want = wrappers(spec);
  for (const { dir, name } of SHADOWING_STANDINS) {
    const p = path.join(root, dir, name);
    const w = want.find((x) => x.dir === dir && x.name === name);
    fs.rmSync(p, { force: true });
    if (w) {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, wrapperScript(w.cmd), { mode: 0o755 });
    }
  }
  const names = new Set(ALL_STANDIN_NAMES.map((x) => x.name));
  for (const name of names) {
    for (const dir of BIN_DIRS) {
      const p = path.join(root, dir, name);
      const w = want.find((x) => x.dir === dir && x.name === name);
      if (w) {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.rmSync(p, { force: true });
        fs.writeFileSync(p, wrapperScript(w.cmd), { mode: 0o755 });
      } else if (live) {
        fs.rmSync(p, { force: true });
      } else if (fs.existsSync(path.join('/', dir, name))) {
        // hide the host's binary of that name (overlayfs whiteout)
        fs.mkdirSync(path.dirname(p), { recursive: true });
        await runOk('mknod', [p, 'c', '0', '0']);
      }
    }
  }
}

function sshdConfig(address: string): string {
  return [
    '# lab node sshd (generated)',
    `ListenAddress ${address}:22`,
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'UsePAM no',
    'PidFile none',
    'LogLevel VERBOSE',
    'PrintMotd yes',
    'PrintLastLog yes',
    'Banner /etc/issue.net',
    'MaxStartups 100:30:200',
    'MaxSessions 64',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    '',
  ].join('\n');
}

export class Node implements LabNode {
  readonly port = 22 as const;
  readonly user = 'root' as const;
  readonly name: string;
  readonly hostname: string;
  readonly index: number;
  readonly address: string;
  readonly password: string;
  readonly privateKeyPath: string;
  readonly publicKey: string;
  hostKey = '';
  spec: NodeSpec;
  holder!: ChildProcess;
  mntns = '';
  private sshd?: ChildProcess;
  private readonly dir: string;

  constructor(private readonly init: NodeInit) {
    this.index = init.index;
    this.name = `node-${init.index}`;
    this.hostname = this.name;
    this.address = init.address;
    this.password = init.password;
    this.privateKeyPath = init.userKey.privateKeyPath;
    this.publicKey = init.userKey.publicKey;
    this.spec = { ...init.spec };
    this.dir = init.dir;
  }

  get hostKeyFingerprint(): string {
    return fingerprintOfPublicKey(this.hostKey);
  }
  get knownHostsLine(): string {
    return `${this.address} ${this.hostKey.split(/\s+/).slice(0, 2).join(' ')}`;
  }
  get fsRoot(): string {
    return `/proc/${this.holder.pid}/root`;
  }

  /** Prepare the per-node directories and start the namespace holder + sshd. */
  async start(): Promise<void> {
    const d = this.dir;
    for (const x of ['etc', ...BIN_DIRS.map((b) => b.replace(/\//g, '-'))]) {
      fs.mkdirSync(path.join(d, x, 'upper'), { recursive: true });
      fs.mkdirSync(path.join(d, x, 'work'), { recursive: true });
    }
    const etc = path.join(d, 'etc', 'upper');
    fs.mkdirSync(path.join(etc, 'ssh'), { recursive: true });
    const hk = await sshKeygen(path.join(etc, 'ssh', 'ssh_host_ed25519_key'), `root@${this.name}`);
    this.hostKey = hk.publicKey;
    fs.writeFileSync(path.join(etc, 'ssh', 'sshd_config'), sshdConfig(this.address));
    fs.writeFileSync(path.join(etc, 'hostname'), `${this.name}\n`);
    fs.writeFileSync(
      path.join(etc, 'hosts'),
      [`127.0.0.1\tlocalhost`, `${this.address}\t${this.name}`, '::1\tlocalhost ip6-localhost ip6-loopback', ...this.init.hosts, ''].join(
        '\n',
      ),
    );
    fs.writeFileSync(path.join(etc, 'issue.net'), `${this.name}: Harbor HA lab node. Authorized use only.\n`);
    fs.writeFileSync(path.join(etc, 'motd'), `\nWelcome to ${this.name} (lab node)\n\n`);
    const shadow = this.init.hostShadow
      .split('\n')
      .map((l) => (l.startsWith('root:') ? l.replace(/^root:[^:]*:/, `root:${this.init.passwordHash}:`) : l))
      .join('\n');
    fs.writeFileSync(path.join(etc, 'shadow'), shadow, { mode: 0o640 });
    try {
      fs.chownSync(path.join(etc, 'shadow'), 0, fs.statSync('/etc/shadow').gid);
    } catch {
      /* best effort */
    }
    await layoutWrappers(path.join(d, 'upper-view'), this.spec, false);
    // move the laid-out wrappers into the overlay upper dirs
    for (const sub of BIN_DIRS) {
      const src = path.join(d, 'upper-view', sub);
      if (!fs.existsSync(src)) continue;
      for (const f of fs.readdirSync(src)) fs.renameSync(path.join(src, f), path.join(d, sub.replace(/\//g, '-'), 'upper', f));
    }
    fs.rmSync(path.join(d, 'upper-view'), { recursive: true, force: true });
    fs.writeFileSync(path.join(d, 'authorized_keys'), `${this.publicKey}\n`);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify(this.standinConfig(), null, 2));

    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const script = [
      'set -e',
      `hostname ${this.name}`,
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${q(path.join(d, 'etc/upper'))},workdir=${q(path.join(d, 'etc/work'))} /etc`,
      ...BIN_DIRS.filter((b) => fs.existsSync(`/${b}`)).map((b) => {
        const x = path.join(d, b.replace(/\//g, '-'));
        return `mount -t overlay overlay -o lowerdir=/${b},upperdir=${q(path.join(x, 'upper'))},workdir=${q(path.join(x, 'work'))} /${b}`;
      }),
      // The repository first, before any tmpfs could hide it (it may live under /tmp, /home, /root, /opt …).
      `mount -t tmpfs -o mode=0755 tmpfs ${NODE_STATE_DIR}`,
      `mkdir -p ${NODE_SRC_DIR} && mount --bind ${q(REPO_ROOT)} ${NODE_SRC_DIR} && mount -o remount,bind,ro ${NODE_SRC_DIR}`,
      // Harbor 1.5's prepare is Python 2: the host's real 2.7 (e.g. pyenv's under /root, hidden below)
      ...(PYTHON27
        ? [
            `mkdir -p ${NODE_PYTHON27_DIR} && mount --bind ${q(PYTHON27)} ${NODE_PYTHON27_DIR} && mount -o remount,bind,ro ${NODE_PYTHON27_DIR}`,
          ]
        : []),
      `mkdir -p ${NODE_SHARED_STORAGE_DIR} && mount --bind ${q(this.init.sharedStorage)} ${NODE_SHARED_STORAGE_DIR}`,
      ...['/opt', '/data', '/var/log', '/home'].map((p) => `mount -t tmpfs -o mode=0755 tmpfs ${p}`),
      // the node's own logs: Harbor's, and sshd's login records (lastlog/wtmp/btmp) instead of the host's
      'mkdir -p /var/log/harbor && touch /var/log/lastlog /var/log/wtmp /var/log/btmp && chmod 600 /var/log/btmp',
      'mount -t tmpfs -o mode=0700 tmpfs /root',
      'mkdir -p /root/.ssh && chmod 700 /root/.ssh',
      `cp ${q(path.join(d, 'authorized_keys'))} /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys`,
      `printf 'export PS1="[\\\\u@\\\\h \\\\W]\\\\$ "\\n' > /root/.bashrc`,
      `cp ${q(path.join(d, 'config.json'))} ${NODE_STATE_DIR}/config.json`,
      'mount -t tmpfs -o mode=1777 tmpfs /tmp',
      // own /run (sshd's privilege separation dir, utmp); also hides the lab's bookkeeping in /run/harbor-lab
      'mount -t tmpfs -o mode=0755 tmpfs /run',
      'mkdir -p /run/sshd /run/lock && chmod 1777 /run/lock && touch /run/utmp',
      // in case the bookkeeping lives elsewhere (HARBOR_LAB_REGISTRY), hide it too
      `if [ -d ${q(path.dirname(path.dirname(d)))} ]; then mount -t tmpfs -o mode=0755 tmpfs ${q(path.dirname(path.dirname(d)))}; fi`,
      `touch ${NODE_STATE_DIR}/ready`,
      'exec sleep infinity',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(d, 'init.sh'), script);
    const log = fs.openSync(path.join(d, 'holder.log'), 'a');
    this.holder = spawn('unshare', ['--mount', '--uts', '--propagation', 'private', '/bin/sh', path.join(d, 'init.sh')], {
      stdio: ['ignore', log, log],
      detached: true,
    });
    fs.closeSync(log);
    this.holder.unref();
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(`${this.fsRoot}${NODE_STATE_DIR}/ready`)) {
      if (this.holder.exitCode !== null || Date.now() > deadline)
        throw new Error(`${this.name}: namespace setup failed: ${fs.readFileSync(path.join(d, 'holder.log'), 'utf8')}`);
      await sleep(5);
    }
    this.mntns = fs.readlinkSync(`/proc/${this.holder.pid}/ns/mnt`);
    await this.startSshd();
  }

  standinConfig(): Record<string, unknown> {
    return { name: this.name, address: this.address, ...this.spec, lab: this.init.labInfo };
  }

  async startSshd(): Promise<void> {
    if (this.sshd && this.sshd.exitCode === null) return;
    const log = fs.openSync(path.join(this.dir, 'sshd.stderr'), 'a');
    const child = spawn(
      'nsenter',
      [
        '-t',
        String(this.holder.pid),
        '-m',
        '-u',
        '--',
        '/usr/sbin/sshd',
        '-D',
        '-f',
        '/etc/ssh/sshd_config',
        '-E',
        `${NODE_STATE_DIR}/sshd.log`,
      ],
      { stdio: ['ignore', log, log], detached: true },
    );
    fs.closeSync(log);
    child.unref();
    this.sshd = child;
    await waitForPort(this.address, 22, 10_000, `${this.name} sshd`, () =>
      child.exitCode !== null ? fs.readFileSync(path.join(this.dir, 'sshd.stderr'), 'utf8') || `exit ${child.exitCode}` : undefined,
    );
  }

  async stopSshd(): Promise<void> {
    const c = this.sshd;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
    await waitForPortClosed(this.address, 22);
  }

  async dropConnections(): Promise<void> {
    const c = this.sshd;
    if (c && c.exitCode === null && c.pid) {
      // per-connection sshd processes are children of the listener
      spawnSync('pkill', ['-KILL', '-P', String(c.pid)]);
    }
    await this.stopSshd();
  }

  async replaceHostKey(): Promise<string> {
    const tmp = path.join(this.dir, 'newkey');
    const k = await sshKeygen(tmp, `root@${this.name}`);
    await this.writeFile('/etc/ssh/ssh_host_ed25519_key', fs.readFileSync(tmp), 0o600);
    await this.writeFile('/etc/ssh/ssh_host_ed25519_key.pub', `${k.publicKey}\n`, 0o644);
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${tmp}.pub`, { force: true });
    this.hostKey = k.publicKey;
    await this.stopSshd();
    await this.startSshd();
    return this.hostKeyFingerprint;
  }

  async authAttempts(): Promise<AuthAttempt[]> {
    const text = await this.readText(`${NODE_STATE_DIR}/sshd.log`).catch(() => '');
    const out: AuthAttempt[] = [];
    const re = /(Accepted|Failed) (\S+) for (invalid user )?(\S*) from (\S+) port \d+(?: ssh2(?:: \S+ (SHA256:\S+))?)?/;
    for (const line of text.split('\n')) {
      const m = re.exec(line);
      if (!m) continue;
      const a: AuthAttempt = { method: m[2]!, user: m[4]!, success: m[1] === 'Accepted', invalidUser: !!m[3], from: m[5]! };
      if (m[6]) a.keyFingerprint = m[6];
      out.push(a);
    }
    return out;
  }

  private p(p: string): string {
    if (!path.isAbsolute(p)) throw new Error(`node path must be absolute: ${p}`);
    return path.join(this.fsRoot, p);
  }
  async readFile(p: string): Promise<Buffer> {
    return fs.promises.readFile(this.p(p));
  }
  async readText(p: string): Promise<string> {
    return fs.promises.readFile(this.p(p), 'utf8');
  }
  async writeFile(p: string, data: string | Buffer, mode?: number): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.p(p)), { recursive: true });
    await fs.promises.writeFile(this.p(p), data, mode === undefined ? undefined : { mode });
    if (mode !== undefined) await fs.promises.chmod(this.p(p), mode);
  }
  async exists(p: string): Promise<boolean> {
    return fs.existsSync(this.p(p));
  }
  async remove(p: string): Promise<void> {
    await fs.promises.rm(this.p(p), { recursive: true, force: true });
  }

  async hold(cmd: string): Promise<() => Promise<void>> {
    if (!/^[a-z][a-z-]*$/.test(cmd)) throw new Error(`hold: not a stand-in command name: ${cmd}`);
    const file = `${NODE_STATE_DIR}/hold-${cmd}`;
    await this.writeFile(file, '');
    return () => this.remove(file);
  }

  async invocations(cmd?: string): Promise<Invocation[]> {
    const text = await this.readText(`${NODE_STATE_DIR}/invocations.jsonl`).catch(() => '');
    const all = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Invocation);
    return cmd ? all.filter((i) => i.cmd === cmd) : all;
  }

  async configure(spec: Partial<NodeSpec>): Promise<void> {
    this.spec = { ...this.spec, ...spec };
    const cfgPath = `${NODE_STATE_DIR}/config.json`;
    const current = JSON.parse(await this.readText(cfgPath)) as Record<string, unknown>;
    await this.writeFile(cfgPath, JSON.stringify({ ...current, ...spec }, null, 2));
    await layoutWrappers(this.fsRoot, this.spec, true);
  }

  connectConfig(auth: 'key' | 'password' = 'key'): ConnectConfig {
    const fp = () => this.hostKeyFingerprint;
    return {
      host: this.address,
      port: 22,
      username: 'root',
      ...(auth === 'key' ? { privateKey: fs.readFileSync(this.privateKeyPath) } : { password: this.password }),
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer) => `SHA256:${sha256b64(key)}` === fp(),
    };
  }

  exec(command: string, opts: { stdin?: string | Buffer; timeoutMs?: number } = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const c = new Client();
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        c.end();
        reject(new Error(`${this.name}: timed out: ${command}`));
      }, opts.timeoutMs ?? 60_000);
      c.on('ready', () => {
        c.exec(command, (e, ch) => {
          if (e) {
            clearTimeout(timer);
            c.end();
            return reject(e);
          }
          ch.on('data', (b: Buffer) => (out += b.toString()));
          ch.stderr.on('data', (b: Buffer) => (err += b.toString()));
          ch.on('exit', (code: number | null, signal?: string) => {
            ch.on('close', () => {
              clearTimeout(timer);
              c.end();
              resolve({ code, ...(signal ? { signal } : {}), stdout: out, stderr: err });
            });
          });
          if (opts.stdin !== undefined) ch.end(opts.stdin);
          else ch.end();
        });
      });
      c.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      c.connect(this.connectConfig('key'));
    });
  }

  async execOk(command: string, opts: { stdin?: string | Buffer; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.exec(command, opts);
    if (r.code !== 0) throw new Error(`${this.name}: \`${command}\` exited ${r.code}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }
}

/** base64 SHA-256 of a raw host key blob, without padding (the part after `SHA256:`). */
function sha256b64(key: Buffer): string {
  return crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}
