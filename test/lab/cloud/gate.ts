/**
 * The lab's whitelist gate: a TCP front for one of the lab's databases (PostgreSQL, MariaDB, Redis) that lets a
 * connection through to the real service only when its source address is in the whitelist, and otherwise refuses it
 * in the service's own protocol, the way Aliyun's RDS and Redis (Tair) answer a client they do not know.
 *
 * The hard part is the source. Lab nodes share the host's network namespace, so a process on a node that connects to
 * a loopback address gets 127.0.0.1 as its source (the kernel's local route for 127.0.0.0/8 says `src 127.0.0.1`),
 * exactly like the tests or the desktop app on the host. A peer address other than 127.0.0.1 is taken as it is (a
 * client that bound its node's address). For 127.0.0.1 the gate finds the process that owns the client's end of the
 * connection (the kernel's sock_diag, or /proc/net/tcp, gives the socket inode of the end whose local port is the
 * peer's port and whose remote end is the gate; /proc/<pid>/fd/* links `socket:[inode]` to the process) and then the node whose UTS namespace that
 * process lives in (each node is a namespace holder process, `unshare --mount --uts`; the lab's containers inside a
 * node get a mount namespace of their own but keep the node's UTS namespace). A process in a node's namespace connects
 * as that node's address; any other process is the host, 127.0.0.1. When the owner cannot be found (it exited while
 * the gate looked, or the socket is already closed) the connection is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export type GateProtocol = 'postgres' | 'mysql' | 'redis';

/** A lab node as the gate needs it: its address and the pid of its namespace holder (`Node.holder.pid`). */
export interface GateNode {
  readonly address: string;
  readonly holderPid: number;
  /** shown in decisions (`node-1`); the address when absent */
  readonly name?: string;
}

/** How the gate came to its source address. */
export type SourceVia =
  /** the peer address itself (not 127.0.0.1) */
  | 'address'
  /** a process in a node's UTS namespace owns the client's socket */
  | 'namespace'
  /** a process of the host owns it */
  | 'host'
  /** no owner found: the client is gone or the lookup failed; always refused */
  | 'unknown';

export interface GateDecision {
  /** the client's address as the service would see it: a node's address, or 127.0.0.1 for the host */
  readonly source: string;
  /** the lab node the connection came from */
  readonly node?: string;
  readonly allowed: boolean;
  /** the TCP peer the gate saw, `address:port` */
  readonly peer: string;
  readonly via: SourceVia;
  /** time spent finding the source, milliseconds */
  readonly lookupMs: number;
}

export interface WhitelistGateOptions {
  readonly protocol: GateProtocol;
  readonly listen: { readonly address: string; readonly port: number };
  /** the real service */
  readonly target: { readonly address: string; readonly port: number };
  readonly nodes: readonly GateNode[];
  /** initial whitelist (default: empty, nobody gets through) */
  readonly allowed?: readonly string[];
}

const HOST_ADDRESS = '127.0.0.1';

// ─────────────────────────────── whitelist entries ───────────────────────────────

interface Cidr {
  readonly base: number;
  readonly mask: number;
}

function ipv4ToInt(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** `a.b.c.d` or `a.b.c.d/n` (0 ≤ n ≤ 32), what Aliyun's whitelists hold; anything else throws. */
export function parseWhitelistEntry(entry: string): Cidr {
  const [ip = '', prefix, ...extra] = entry.trim().split('/');
  const base = ipv4ToInt(ip);
  const bits = prefix === undefined ? 32 : /^\d{1,2}$/.test(prefix) ? Number(prefix) : NaN;
  if (base === undefined || extra.length || !(bits >= 0 && bits <= 32)) throw new Error(`not an IPv4 address or CIDR block: ${entry}`);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (base & mask) >>> 0, mask };
}

function inWhitelist(list: readonly Cidr[], address: string): boolean {
  const ip = ipv4ToInt(address);
  return ip !== undefined && list.some((c) => (ip & c.mask) >>> 0 === c.base);
}

// ─────────────────────────────── who is on the other end ───────────────────────────────

/** /proc/net/tcp's form of an IPv4 address: the 32-bit word in host byte order (little-endian on the lab's hosts). */
function procHex(address: string): string {
  const b = Buffer.from(address.split('.').map(Number));
  return b.readUInt32LE(0).toString(16).toUpperCase().padStart(8, '0');
}
const port4 = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/** pids ordered by most recent use, so a client that connects again (sshd of a node, the desktop app) is found first */
class RecentPids {
  private readonly pids: number[] = [];
  constructor(private readonly size = 16) {}
  list(): readonly number[] {
    return this.pids;
  }
  touch(pid: number): void {
    const i = this.pids.indexOf(pid);
    if (i >= 0) this.pids.splice(i, 1);
    this.pids.unshift(pid);
    this.pids.length = Math.min(this.pids.length, this.size);
  }
}

const readlink = (p: string): string | undefined => {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined; // the process exited, or the fd was closed, while we looked
  }
};

function holdsSocket(pid: number, link: string): boolean {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => readlink(`/proc/${pid}/fd/${fd}`) === link);
}

function listPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/**
 * The kernel's sock_diag netlink interface, asked for one TCP socket by its four addresses (an exact INET_DIAG lookup,
 * no dump): microseconds, where reading /proc/net/tcp walks the whole established hash (262144 buckets on the lab's
 * machine, about 8 ms a read). Node has no netlink sockets, so a small Python 3 process (Debian's, which the lab needs
 * anyway) answers one line per request: `<local port> <local address> <remote port> <remote address>` → inode, 0 when
 * there is no such socket. It exits when its stdin closes (the gate stopped or this process died).
 */
const SOCK_DIAG_PY = `
import socket, struct, sys
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 4)  # NETLINK_SOCK_DIAG
for line in sys.stdin:
    try:
        sport, src, dport, dst = line.split()
        sockid = struct.pack('>HH', int(sport), int(dport)) + socket.inet_aton(src) + bytes(12) + socket.inet_aton(dst) + bytes(12)
        sockid += struct.pack('=III', 0, 0xffffffff, 0xffffffff)  # any interface, INET_DIAG_NOCOOKIE
        req = struct.pack('=BBBxI', socket.AF_INET, socket.IPPROTO_TCP, 0, 0xffffffff) + sockid  # inet_diag_req_v2, all states
        nl.send(struct.pack('=IHHII', 16 + len(req), 20, 1, 0, 0) + req)  # SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST
        d = nl.recv(65536)
        # an inet_diag_msg after the 16-byte header: 4 bytes of state, 48 of sockid, 16 of counters and uid, then the inode
        print(struct.unpack_from('=I', d, 16 + 68)[0] if struct.unpack_from('=H', d, 4)[0] == 20 else 0, flush=True)
    except Exception:
        print(0, flush=True)
`;

class SockDiag {
  private child?: ChildProcess;
  private readonly waiting: Array<(inode: string | undefined) => void> = [];
  private pending = '';

  /** false when no Python 3 is at hand (the /proc/net/tcp way is then used) */
  start(): boolean {
    const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => fs.existsSync(p));
    if (!python) return false;
    const child = spawn(python, ['-c', SOCK_DIAG_PY], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.pending += chunk;
      for (let i = this.pending.indexOf('\n'); i >= 0; i = this.pending.indexOf('\n')) {
        const inode = this.pending.slice(0, i).trim();
        this.pending = this.pending.slice(i + 1);
        this.waiting.shift()?.(inode && inode !== '0' ? inode : undefined);
      }
    });
    child.on('exit', () => {
      this.child = undefined;
      for (const w of this.waiting.splice(0)) w(undefined);
    });
    child.stdin.on('error', () => {});
    this.child = child;
    return true;
  }

  get running(): boolean {
    return !!this.child;
  }

  lookup(local: { address: string; port: number }, remote: { address: string; port: number }): Promise<string | undefined> {
    const child = this.child;
    if (!child) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      child.stdin!.write(`${local.port} ${local.address} ${remote.port} ${remote.address}\n`);
    });
  }

  stop(): void {
    this.child?.stdin?.end();
    this.child?.kill();
    this.child = undefined;
  }
}

export interface Source {
  readonly address: string;
  readonly node?: GateNode;
  readonly via: SourceVia;
}

/**
 * Finds the address a lab client connects from. The nodes' UTS namespaces are read once (they live as long as the
 * lab); what changes with every connection (the socket, its owner) is looked up each time, recently seen owners first.
 */
export class SourceFinder {
  private readonly nodeByUts = new Map<string, GateNode>();
  private readonly nodeByAddress = new Map<string, GateNode>();
  private readonly recent = new RecentPids();
  private readonly diag = new SockDiag();

  constructor(nodes: readonly GateNode[]) {
    const hostUts = fs.readlinkSync('/proc/self/ns/uts');
    for (const n of nodes) {
      const uts = readlink(`/proc/${n.holderPid}/ns/uts`);
      if (!uts) throw new Error(`${n.name ?? n.address}: no namespace holder with pid ${n.holderPid}`);
      // a holder in the host's namespace would make every host process that node
      if (uts === hostUts) throw new Error(`${n.name ?? n.address}: pid ${n.holderPid} is in the host's UTS namespace`);
      this.nodeByUts.set(uts, n);
      this.nodeByAddress.set(n.address, n);
    }
  }

  /** Start the netlink helper (optional: without it, lookups read /proc/net/tcp). */
  start(): void {
    if (!this.diag.running) this.diag.start();
  }
  stop(): void {
    this.diag.stop();
  }

  /** The source of the connection from `peer` to the gate at `local`; 'unknown' when its owner cannot be found. */
  async find(peer: { address: string; port: number }, local: { address: string; port: number }): Promise<Source> {
    if (peer.address !== HOST_ADDRESS) {
      const node = this.nodeByAddress.get(peer.address);
      return { address: peer.address, ...(node ? { node } : {}), via: 'address' };
    }
    const inode = this.diag.running
      ? await this.diag.lookup({ address: HOST_ADDRESS, port: peer.port }, local)
      : this.clientSocketInode(peer.port, local);
    if (!inode) return { address: peer.address, via: 'unknown' };
    const link = `socket:[${inode}]`;
    // Recent owners first, then this process (the tests' own clients, the app's core in tests): both without
    // reading every process's namespace, which is most of a lookup's cost on a busy machine.
    for (const pid of new Set([...this.recent.list(), process.pid])) {
      if (!holdsSocket(pid, link)) continue;
      const found = this.classify(pid);
      if (found) return found;
    }
    // Then the nodes' processes: they are few, and a node's connection is found without scanning the host's.
    const inNode: number[] = [];
    const onHost: number[] = [];
    for (const pid of listPids()) {
      if (pid === process.pid) continue;
      const uts = readlink(`/proc/${pid}/ns/uts`);
      if (uts && this.nodeByUts.has(uts)) inNode.push(pid);
      else if (uts) onHost.push(pid);
    }
    for (const pid of [...inNode, ...onHost]) {
      if (!holdsSocket(pid, link)) continue;
      const found = this.classify(pid);
      if (found) return found;
    }
    return { address: peer.address, via: 'unknown' };
  }

  /** The source a process connects from, or undefined if it exited meanwhile. */
  private classify(pid: number): Source | undefined {
    const uts = readlink(`/proc/${pid}/ns/uts`);
    if (!uts) return undefined;
    this.recent.touch(pid);
    const node = this.nodeByUts.get(uts);
    return node ? { address: node.address, node, via: 'namespace' } : { address: HOST_ADDRESS, via: 'host' };
  }

  /**
   * Without the netlink helper: the inode of the client's end from /proc/net/tcp (slow: the whole table is walked),
   * local 127.0.0.1:<peer port>, remote the gate. IPv4 sockets are in tcp, IPv6
   * sockets that connected to an IPv4 address (as ::ffff:a.b.c.d) in tcp6. Inode 0 is a socket no process holds any
   * more (closed, lingering in FIN_WAIT or TIME_WAIT).
   */
  private clientSocketInode(peerPort: number, gate: { address: string; port: number }): string | undefined {
    const mapped = (a: string) => `0000000000000000FFFF0000${procHex(a)}`;
    const wanted = [
      {
        file: '/proc/net/tcp',
        localEnd: `${procHex(HOST_ADDRESS)}:${port4(peerPort)}`,
        remoteEnd: `${procHex(gate.address)}:${port4(gate.port)}`,
      },
      {
        file: '/proc/net/tcp6',
        localEnd: `${mapped(HOST_ADDRESS)}:${port4(peerPort)}`,
        remoteEnd: `${mapped(gate.address)}:${port4(gate.port)}`,
      },
    ];
    for (const w of wanted) {
      let text: string;
      try {
        text = fs.readFileSync(w.file, 'latin1');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        const f = line.trim().split(/\s+/);
        // sl local rem st tx:rx tr:tm retrnsmt uid timeout inode …
        if (f[1] === w.localEnd && f[2] === w.remoteEnd && f[9] && f[9] !== '0') return f[9];
      }
    }
    return undefined;
  }
}

// ─────────────────────────────── refusals, as each service answers ───────────────────────────────

/**
 * Redis (Tair): the connection is accepted and every command is answered `-ERR illegal address: <ip>:<port>`.
 * Aliyun's Tair release notes (0.4.0, 2021-03-09) show it, `(error) ERR illegal address: 172.16.xxx:39136` in reply
 * to AUTH, with the client's address and port in it since that release; its "common errors" page names
 * `ERR illegal address` as the answer to a client missing from the whitelist.
 */
function refuseRedis(sock: net.Socket, source: string, port: number): void {
  const reply = Buffer.from(`-ERR illegal address: ${source}:${port}\r\n`);
  let pending: Buffer = Buffer.alloc(0);
  sock.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    const { count, rest } = completeRespCommands(pending);
    pending = rest;
    for (let i = 0; i < count; i++) sock.write(reply);
  });
  sock.resume();
}

/** How many whole commands (RESP arrays or inline lines) the buffer starts with, and what follows them. */
function completeRespCommands(buf: Buffer): { count: number; rest: Buffer } {
  let count = 0;
  let pos = 0;
  const line = (from: number): { text: string; next: number } | undefined => {
    const end = buf.indexOf('\r\n', from);
    return end < 0 ? undefined : { text: buf.toString('latin1', from, end), next: end + 2 };
  };
  for (;;) {
    if (pos >= buf.length) break;
    if (buf[pos] !== 0x2a) {
      // inline command: one line
      const end = buf.indexOf('\n', pos);
      if (end < 0) break;
      if (buf.toString('latin1', pos, end).trim()) count++;
      pos = end + 1;
      continue;
    }
    const head = line(pos);
    if (!head) break;
    let at = head.next;
    let whole = true;
    for (let i = 0; i < Number(head.text.slice(1)); i++) {
      const len = line(at);
      if (!len) {
        whole = false;
        break;
      }
      at = len.next + Number(len.text.slice(1)) + 2;
      if (at > buf.length) {
        whole = false;
        break;
      }
    }
    if (!whole) break;
    count++;
    pos = at;
  }
  return { count, rest: buf.subarray(pos) };
}

/**
 * MySQL protocol (RDS MySQL, MariaDB): an ERR packet instead of the server greeting, then the connection closes.
 * RDS answers a client missing from the whitelist with error 1045 and the text `#28000ip not in whitelist` (the mysql
 * client prints `ERROR 1045 (HY000): #28000ip not in whitelist`: sent before the handshake, the `#28000` SQL state is
 * not parsed as one by libmysqlclient; drivers that always look for it, like mysql2, read SQL state 28000). Reported
 * in Alibaba Cloud's RDS connectivity troubleshooting notes (company-skill.com/p/rds/troubleshooting/rds-connectivity),
 * beside a newer proxy's `ERROR 2801 (HY000): #RDS00ip not in whitelist, client ip is …`.
 */
function refuseMysql(sock: net.Socket): void {
  const payload = Buffer.concat([Buffer.from([0xff, 1045 & 0xff, 1045 >> 8]), Buffer.from('#28000ip not in whitelist')]);
  const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, payload.length >> 16, 0]);
  sock.end(Buffer.concat([header, payload]));
  sock.resume();
}

const PG_SSL_REQUEST = 80877103;
const PG_GSSENC_REQUEST = 80877104;
const PG_CANCEL_REQUEST = 80877102;

/**
 * PostgreSQL (RDS PostgreSQL): encryption requests are declined ('N'), then the startup message is answered with the
 * FATAL ErrorResponse PostgreSQL's ClientAuthentication sends when no pg_hba.conf line matches, SQLSTATE 28000,
 * `no pg_hba.conf entry for host "<ip>", user "<user>", database "<db>", no encryption` (the wording of PostgreSQL 12
 * and later; the lab runs 15), and the connection closes. RDS PostgreSQL enforces its whitelist through pg_hba.conf
 * (its ModifyPGHbaConfig API edits the same file), so a client missing from it sees this.
 */
function refusePostgres(sock: net.Socket, source: string): void {
  let pending: Buffer = Buffer.alloc(0);
  sock.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 8) {
      const len = pending.readInt32BE(0);
      if (len < 8 || len > 10_000) return void sock.destroy();
      if (pending.length < len) return;
      const code = pending.readInt32BE(4);
      const body = pending.subarray(8, len);
      pending = pending.subarray(len);
      if (code === PG_SSL_REQUEST || code === PG_GSSENC_REQUEST) {
        sock.write('N');
        continue;
      }
      if (code === PG_CANCEL_REQUEST) return void sock.destroy();
      const params = body.toString('utf8').split('\0');
      const get = (k: string) => {
        for (let i = 0; i + 1 < params.length; i += 2) if (params[i] === k) return params[i + 1];
        return undefined;
      };
      const user = get('user') ?? '';
      const database = get('database') ?? user;
      const message = `no pg_hba.conf entry for host "${source}", user "${user}", database "${database}", no encryption`;
      const fields = Buffer.from(['SFATAL', 'VFATAL', 'C28000', `M${message}`].map((f) => `${f}\0`).join('') + '\0', 'utf8');
      const head = Buffer.alloc(5);
      head.write('E', 0, 'latin1');
      head.writeInt32BE(fields.length + 4, 1);
      sock.removeAllListeners('data'); // the connection ends here: whatever follows is not read
      return void sock.end(Buffer.concat([head, fields]));
    }
  });
  sock.resume();
}

// ─────────────────────────────── the gate ───────────────────────────────

export class WhitelistGate {
  /** every connection's decision, oldest first */
  readonly decisions: GateDecision[] = [];
  private allowedList: Cidr[] = [];
  private allowedEntries: string[] = [];
  private readonly finder: SourceFinder;
  private readonly sockets = new Set<net.Socket>();
  private server?: net.Server;

  constructor(readonly options: WhitelistGateOptions) {
    this.finder = new SourceFinder(options.nodes);
    this.setAllowed(options.allowed ?? []);
  }

  get address(): string {
    return this.options.listen.address;
  }
  get port(): number {
    return this.options.listen.port;
  }
  /** the entries in force */
  get allowed(): readonly string[] {
    return this.allowedEntries;
  }

  /** Replace the whitelist (IPv4 addresses and CIDR blocks); connections made later see it. */
  setAllowed(entries: readonly string[]): void {
    this.allowedList = entries.map(parseWhitelistEntry);
    this.allowedEntries = [...entries];
  }

  async start(): Promise<void> {
    if (this.server) return;
    // paused until decided: nothing the client sends is read (or forwarded) before the gate knows who it is
    const server = net.createServer({ pauseOnConnect: true }, (sock) => void this.onConnection(sock));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.listen.port, this.options.listen.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.finder.start();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.finder.stop();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise((r) => server.close(r));
  }

  private track(sock: net.Socket): void {
    this.sockets.add(sock);
    sock.on('close', () => this.sockets.delete(sock));
    sock.on('error', () => sock.destroy());
  }

  private async onConnection(sock: net.Socket): Promise<void> {
    this.track(sock);
    const peer = { address: sock.remoteAddress?.replace(/^::ffff:/, '') ?? '', port: sock.remotePort ?? 0 };
    const t0 = performance.now();
    let source: Source;
    try {
      source = await this.finder.find(peer, this.options.listen);
    } catch {
      source = { address: peer.address, via: 'unknown' };
    }
    const lookupMs = performance.now() - t0;
    if (!this.server) return void sock.destroy(); // stopped meanwhile
    const allowed = source.via !== 'unknown' && inWhitelist(this.allowedList, source.address);
    this.decisions.push({
      source: source.address,
      ...(source.node ? { node: source.node.name ?? source.node.address } : {}),
      allowed,
      peer: `${peer.address}:${peer.port}`,
      via: source.via,
      lookupMs,
    });
    if (allowed) return this.forward(sock);
    if (this.options.protocol === 'redis') refuseRedis(sock, source.address, peer.port);
    else if (this.options.protocol === 'mysql') refuseMysql(sock);
    else refusePostgres(sock, source.address);
  }

  private forward(sock: net.Socket): void {
    const upstream = net.connect(this.options.target.port, this.options.target.address);
    this.track(upstream);
    const close = () => {
      sock.destroy();
      upstream.destroy();
    };
    sock.on('close', close);
    upstream.on('close', close);
    sock.pipe(upstream);
    upstream.pipe(sock);
  }
}

/** A gate, started. */
export async function startWhitelistGate(options: WhitelistGateOptions): Promise<WhitelistGate> {
  const gate = new WhitelistGate(options);
  await gate.start();
  return gate;
}
