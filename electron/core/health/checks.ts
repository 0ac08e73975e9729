/**
 * The measurements of a health sweep. Everything about a node is measured from the node: one
 * audited command (clock, `docker ps`, `df`, key file digests), Harbor's health asked over the node's
 * SSH connection, and the node's TCP reach to each service with a first protocol exchange (so a
 * port that accepts but is not the service, or a MySQL that refuses the node's address, shows).
 */
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type {
  CertificateCheck,
  Check,
  ContainerState,
  DiskUsage,
  GraphService,
  HarborComponent,
  Health,
  TopologyGraph,
} from '../../../shared/api/contracts/topology';
import type { Localized } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import { httpRequest, type HttpResponse, type PeerCertificate } from '../probe/http';
import { openFromNode, ReachError } from '../probe/tunnel';
import { harborContainers, LOCAL_STATE_CONTAINERS, parseDockerPs, parseV2Health } from '../harbor/node';
import { splitEndpoint } from './graph';

export const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

const ORDER: Record<Health, number> = { ok: 0, unknown: 1, warn: 2, fail: 3 };
export function worst(...states: Health[]): Health {
  return states.reduce<Health>((a, b) => (ORDER[b] > ORDER[a] ? b : a), 'ok');
}

export const now = (): string => new Date().toISOString();

/** Per-request time limits of a sweep. The SSH connect timeout is the pool's. */
export const LIMITS = { reachMs: 5000, helloMs: 3000, httpMs: 8000, commandMs: 15_000 } as const;

// ───────────────────────────── the node command ─────────────────────────────

/**
 * One command per node and sweep (one line in the audit log). The script is constant; the paths
 * are its arguments: $1 the data volume, $2 Harbor's log folder, $3 the core's env file whose
 * CSRF_KEY line is digested (empty: none), then the key files to digest. Only digests leave the
 * node, never a key.
 */
export const NODE_SCRIPT = [
  'dv=$1; logs=$2; env=$3; shift 3',
  "printf '@@date %s\\n' \"$(date -u +%s)\"",
  "printf '@@docker\\n'",
  "docker ps -a --format '{{.Names}}\\t{{.Image}}\\t{{.Status}}' 2>&1",
  "printf '@@rc %s\\n' \"$?\"",
  'for p in "$dv" "$logs"; do',
  "  printf '@@df %s\\n' \"$p\"",
  '  df -P -k "$p" 2>&1',
  "  printf '@@rc %s\\n' \"$?\"",
  'done',
  'for f in "$@"; do',
  '  if [ ! -e "$f" ]; then printf \'@@key missing %s\\n\' "$f";',
  '  elif [ ! -r "$f" ]; then printf \'@@key unreadable %s\\n\' "$f";',
  '  else printf \'@@key %s %s\\n\' "$(sha256sum < "$f" | cut -c1-64)" "$f"; fi',
  'done',
  'if [ -n "$env" ]; then',
  '  if [ ! -r "$env" ]; then printf \'@@csrf missing\\n\';',
  '  else l=$(grep -m1 \'^CSRF_KEY=\' "$env"); if [ -z "$l" ]; then printf \'@@csrf unset\\n\'; else printf \'@@csrf %s\\n\' "$(printf \'%s\' "$l" | sha256sum | cut -c1-64)"; fi; fi',
  'fi',
].join('\n');

export function nodeArgv(dataVolume: string, keyFiles: readonly string[], coreEnv = ''): string[] {
  return ['sh', '-c', NODE_SCRIPT, 'sh', dataVolume, '/var/log/harbor', coreEnv, ...keyFiles];
}

export interface NodeReport {
  readonly epochSeconds?: number;
  readonly docker: { readonly rc: number; readonly text: string };
  readonly df: readonly { readonly path: string; readonly rc: number; readonly text: string }[];
  readonly keys: readonly { readonly path: string; readonly digest?: string; readonly problem?: 'missing' | 'unreadable' }[];
  /** 2.x: the digest of the core env file's CSRF_KEY line, or why there is none. */
  readonly csrf?: { readonly digest?: string; readonly problem?: 'missing' | 'unset' };
}

export function parseNodeReport(stdout: string): NodeReport {
  let epochSeconds: number | undefined;
  let docker = { rc: -1, text: '' };
  const df: { path: string; rc: number; text: string }[] = [];
  const keys: { path: string; digest?: string; problem?: 'missing' | 'unreadable' }[] = [];
  let csrf: NodeReport['csrf'];
  let section: { kind: 'docker' } | { kind: 'df'; path: string } | null = null;
  let buffer: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@@date ')) {
      const n = Number(line.slice(7).trim());
      if (Number.isFinite(n) && n > 0) epochSeconds = n;
    } else if (line === '@@docker') {
      section = { kind: 'docker' };
      buffer = [];
    } else if (line.startsWith('@@df ')) {
      section = { kind: 'df', path: line.slice(5) };
      buffer = [];
    } else if (line.startsWith('@@rc ')) {
      const rc = Number(line.slice(5));
      if (section?.kind === 'docker') docker = { rc, text: buffer.join('\n') };
      else if (section?.kind === 'df') df.push({ path: section.path, rc, text: buffer.join('\n') });
      section = null;
    } else if (line.startsWith('@@key ')) {
      const m = /^@@key (missing|unreadable) (.*)$/.exec(line);
      if (m) keys.push({ path: m[2]!, problem: m[1] as 'missing' | 'unreadable' });
      else {
        const k = /^@@key ([0-9a-f]{64}) (.*)$/.exec(line);
        if (k) keys.push({ path: k[2]!, digest: k[1]! });
      }
    } else if (line.startsWith('@@csrf ')) {
      const v = line.slice(7).trim();
      if (/^[0-9a-f]{64}$/.test(v)) csrf = { digest: v };
      else if (v === 'missing' || v === 'unset') csrf = { problem: v };
    } else if (section) buffer.push(line);
  }
  return { ...(epochSeconds !== undefined ? { epochSeconds } : {}), docker, df, keys, ...(csrf ? { csrf } : {}) };
}

/** `df -P -k PATH`: the last line is `filesystem blocks used available capacity mountpoint`. */
export function parseDf(path: string, text: string): DiskUsage | undefined {
  const lines = text.split('\n').filter((l) => l.trim());
  const last = lines.at(-1);
  if (!last || lines.length < 2) return undefined;
  // Device names and mount points may hold spaces: anchor on the capacity column ("95%").
  const f = last.trim().split(/\s+/);
  const cap = f.findIndex((x, i) => i >= 4 && /^\d+%$/.test(x));
  if (cap < 0) return undefined;
  const [size, used, avail] = [Number(f[cap - 3]), Number(f[cap - 2]), Number(f[cap - 1])];
  if (![size, used, avail].every(Number.isFinite)) return undefined;
  const usedPercent = used + avail > 0 ? Math.round((used / (used + avail)) * 1000) / 10 : 0;
  return { path, mount: f.slice(cap + 1).join(' '), sizeBytes: size * 1024, freeBytes: avail * 1024, usedPercent };
}

export const DISK = { warnPercent: 90, failPercent: 97 } as const;
export const CLOCK = { warnMs: 5_000, failMs: 60_000 } as const;

export function containersCheck(p: Profile, report: NodeReport, at: string): Check & { list?: ContainerState[] } {
  const { rc, text } = report.docker;
  if (rc !== 0) {
    const why = text.trim().split('\n').at(-1) ?? `exit ${rc}`;
    return { status: 'fail', checkedAt: at, detail: why, error: L(`docker ps failed: ${why}`, `docker ps 执行失败：${why}`) };
  }
  const list = parseDockerPs(text);
  const expected = harborContainers(p);
  const missing = expected.filter((n) => !list.some((c) => c.name === n));
  const full: ContainerState[] = [...list, ...missing.map((name) => ({ name, image: '', status: '', state: 'missing' as const }))];
  const down = full.filter((c) => expected.includes(c.name) && c.state !== 'running');
  const running = full.filter((c) => c.state === 'running').length;
  const detail = `${running}/${full.length} running`;
  if (down.length) {
    const names = down.map((c) => `${c.name} (${c.state === 'missing' ? 'missing' : c.status})`).join(', ');
    return { status: 'fail', checkedAt: at, detail, list: full, error: L(`Harbor containers not running: ${names}`, `以下 Harbor 容器未运行：${names}`) };
  }
  const local = full.filter((c) => LOCAL_STATE_CONTAINERS.includes(c.name) && c.state === 'running');
  if (local.length) {
    const names = local.map((c) => c.name).join(', ');
    return { status: 'warn', checkedAt: at, detail, list: full, error: L(`The node runs its own ${names}: it does not use the shared database/Redis`, `该节点运行了自己的 ${names}：未使用共享的数据库/Redis`) };
  }
  return { status: 'ok', checkedAt: at, detail, list: full };
}

export function disksCheck(report: NodeReport, at: string): Check & { list?: DiskUsage[] } {
  const list: DiskUsage[] = [];
  const errors: string[] = [];
  let status: Health = 'ok';
  for (const d of report.df) {
    const u = d.rc === 0 ? parseDf(d.path, d.text) : undefined;
    if (!u) {
      errors.push(`${d.path}: ${d.text.trim().split('\n').at(-1) ?? 'df failed'}`);
      status = worst(status, 'warn');
      continue;
    }
    list.push(u);
    if (u.usedPercent >= DISK.failPercent) status = worst(status, 'fail');
    else if (u.usedPercent >= DISK.warnPercent) status = worst(status, 'warn');
  }
  const full = list.filter((u) => u.usedPercent >= DISK.warnPercent).map((u) => `${u.path} ${u.usedPercent}%`);
  const detail = list.map((u) => `${u.path}: ${formatBytes(u.freeBytes)} free (${u.usedPercent}% used)`).join('; ');
  const problems = [...full.map((f) => `${f} used`), ...errors];
  return {
    status,
    checkedAt: at,
    detail,
    list,
    ...(problems.length ? { error: L(`Disk: ${problems.join('; ')}`, `磁盘：${problems.join('；')}`) } : {}),
  };
}

export function clockCheck(report: NodeReport, sentAt: number, receivedAt: number, at: string): Check & { skewMs?: number } {
  if (report.epochSeconds === undefined) return { status: 'unknown', checkedAt: at };
  // The node printed its second somewhere between sending and receiving; `date +%s` truncates.
  const mid = (sentAt + receivedAt) / 2;
  const raw = report.epochSeconds * 1000 + 500 - mid;
  const slack = (receivedAt - sentAt) / 2 + 500;
  const skewMs = Math.abs(raw) <= slack ? 0 : Math.round(raw - Math.sign(raw) * slack);
  const abs = Math.abs(skewMs);
  const status: Health = abs >= CLOCK.failMs ? 'fail' : abs >= CLOCK.warnMs ? 'warn' : 'ok';
  const s = (skewMs / 1000).toFixed(1);
  return {
    status,
    checkedAt: at,
    skewMs,
    detail: `${skewMs >= 0 ? '+' : ''}${s} s`,
    ...(status !== 'ok' ? { error: L(`The clock is ${s} s off this computer's`, `时钟与本机相差 ${s} 秒`) } : {}),
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

// ───────────────────────────── reach: TCP plus the service's first exchange ─────────────────────────────

function firstBytes(stream: Duplex, wanted: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const done = (error?: Error) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve(got);
    };
    const onData = (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= wanted) done();
    };
    const onClose = () => (got.length ? done() : done(new Error('the connection was closed without an answer')));
    const timer = setTimeout(() => (got.length ? done() : done(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
    stream.on('data', onData);
    stream.once('close', onClose);
  });
}

/** What the service said first, as `detail`, or why it is not the service (thrown). */
async function hello(kind: GraphService['kind'], stream: Duplex): Promise<string | undefined> {
  if (kind === 'oss') return undefined;
  if (kind === 'redis') {
    stream.write('*1\r\n$4\r\nPING\r\n');
    const line = (await firstBytes(stream, 1, LIMITS.helloMs)).toString('utf8').split('\r\n')[0] ?? '';
    if (line === '+PONG') return 'PONG';
    if (/^-(NOAUTH|WRONGPASS)/.test(line)) return 'Redis (asks for AUTH)';
    if (line.startsWith('-')) throw new Error(`Redis answered ${line.slice(1)}`);
    throw new Error(`not a Redis answer: ${JSON.stringify(line.slice(0, 40))}`);
  }
  if (kind === 'mysql') {
    // The server speaks first: a handshake (protocol 10 and its version) or an error packet.
    const b = await firstBytes(stream, 5, LIMITS.helloMs);
    const len = b.readUIntLE(0, 3);
    const packet = (b.length >= 4 + len ? b : Buffer.concat([b, await firstBytes(stream, 4 + len - b.length, LIMITS.helloMs)])).subarray(4, 4 + len);
    if (packet[0] === 0x0a) return `MySQL ${packet.subarray(1, packet.indexOf(0, 1)).toString('latin1')}`;
    if (packet[0] === 0xff) throw new Error(`MySQL refused the node: ${packet.subarray(3).toString('utf8').replace(/^#\w{5}/, '')}`);
    throw new Error('not a MySQL handshake');
  }
  // PostgreSQL: an SSLRequest is answered with one byte, S or N.
  stream.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]));
  const b = await firstBytes(stream, 1, LIMITS.helloMs);
  if (b[0] === 0x53 || b[0] === 0x4e) return `PostgreSQL (TLS ${b[0] === 0x53 ? 'offered' : 'not offered'})`;
  throw new Error('not a PostgreSQL answer');
}

/** The node's reach to one service. */
export async function reachCheck(client: Client, from: string, service: GraphService): Promise<Check> {
  const { host, port } = splitEndpoint(service.endpoint);
  const started = performance.now();
  let stream: Duplex | undefined;
  try {
    stream = await openFromNode(client, from, host, port, LIMITS.reachMs);
    const detail = await hello(service.kind, stream);
    return { status: 'ok', checkedAt: now(), latencyMs: Math.round(performance.now() - started), detail: detail ?? `tcp ${service.endpoint}` };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    if (error instanceof ReachError) return { status: 'fail', checkedAt: now(), latencyMs, detail: error.kind, error: error.localized };
    const m = (error as Error).message;
    return { status: 'fail', checkedAt: now(), latencyMs, detail: 'protocol', error: L(`${from} → ${service.endpoint}: ${m}`, `${from} → ${service.endpoint}：${m}`) };
  } finally {
    stream?.destroy();
  }
}

// ───────────────────────────── Harbor's own health ─────────────────────────────

export interface HarborEndpoint {
  readonly scheme: 'http' | 'https';
  readonly port: number;
}

/** Where a node serves Harbor: https on 443 when TLS ends on the nodes, else http on 80. */
export function nodeEndpoint(p: Profile): HarborEndpoint {
  return p.access.protocol === 'https' && p.access.tlsTermination === 'nodes' ? { scheme: 'https', port: 443 } : { scheme: 'http', port: 80 };
}

type Get = (path: string) => Promise<HttpResponse>;

export type HarborCheck = Check & { components?: HarborComponent[]; version?: string };

// ───────────────────────────── the TLS certificate ─────────────────────────────

/** Warn this many days before a certificate expires. */
export const CERT_WARN_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * What clients will make of a certificate Harbor presents (through the load balancer, or on a node
 * when TLS ends there): expired or not yet valid, not for the domain, trusted by no CA and not the
 * one pinned in the profile (docker then refuses it: x509), or expiring soon.
 */
export function certificateCheck(cert: PeerCertificate | undefined, where: string, at: string, nowMs = Date.now()): CertificateCheck {
  if (!cert) return { status: 'unknown', checkedAt: at };
  const validTo = Date.parse(cert.validTo);
  const validFrom = Date.parse(cert.validFrom);
  const daysLeft = Math.floor((validTo - nowMs) / DAY_MS);
  const until = Number.isFinite(validTo) ? new Date(validTo).toISOString().slice(0, 10) : cert.validTo;
  const base = {
    checkedAt: at,
    fingerprint: cert.fingerprint256,
    validTo: Number.isFinite(validTo) ? new Date(validTo).toISOString() : cert.validTo,
    daysLeft,
    detail: `${cert.subjectAltName ?? cert.subject}; valid until ${until} (${daysLeft} days); SHA256 ${cert.fingerprint256.slice(0, 23)}…`,
  };
  if (nowMs > validTo) return { ...base, status: 'fail', reason: 'expired', error: L(`${where}: the certificate expired on ${until}`, `${where}：证书已于 ${until} 过期`) };
  if (nowMs < validFrom) return { ...base, status: 'fail', reason: 'not_yet_valid', error: L(`${where}: the certificate is not valid before ${new Date(validFrom).toISOString().slice(0, 10)} (check the clock)`, `${where}：证书在 ${new Date(validFrom).toISOString().slice(0, 10)} 之前无效（请检查时钟）`) };
  if (cert.nameError) return { ...base, status: 'fail', reason: 'name', error: L(`${where}: the certificate is not for this domain: ${cert.nameError}`, `${where}：证书与该域名不匹配：${cert.nameError}`) };
  if (!cert.authorized && !cert.pinned) {
    return { ...base, status: 'fail', reason: 'untrusted', error: L(`${where}: no CA this computer trusts vouches for the certificate (${cert.authorizationError ?? 'not trusted'}), and it is not the one in the profile`, `${where}：本机信任的 CA 均未签发该证书（${cert.authorizationError ?? '不受信任'}），且它不是配置中的证书`) };
  }
  if (daysLeft < CERT_WARN_DAYS) return { ...base, status: 'warn', reason: 'expiring', error: L(`${where}: the certificate expires on ${until}, in ${daysLeft} days`, `${where}：证书将于 ${until} 过期，剩余 ${daysLeft} 天`) };
  return { ...base, status: 'ok' };
}

/** A probe's `get` that also keeps the certificate of the first https answer. */
function keepingCertificate(get: Get): { get: Get; seen: () => PeerCertificate | undefined } {
  let seen: PeerCertificate | undefined;
  return {
    get: (path) =>
      get(path).then((r) => {
        seen ??= r.certificate;
        return r;
      }),
    seen: () => seen,
  };
}

function httpProblem(where: string, error: unknown): Localized {
  if (error instanceof ReachError) return error.localized;
  const m = (error as Error).message;
  return L(`${where}: ${m}`, `${where}：${m}`);
}

/** Harbor's health through `get` (on a node, or through the load balancer). */
export async function harborHealth(generation: 'v1' | 'v2', domain: string, get: Get, where: string): Promise<HarborCheck> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    if (generation === 'v2') {
      const r = await get('/api/v2.0/health');
      const h = r.status === 200 ? parseV2Health(r.body.toString('utf8')) : undefined;
      if (!h) {
        return { status: 'fail', checkedAt: now(), latencyMs: took(), detail: `HTTP ${r.status}`, error: L(`${where}: /api/v2.0/health answered HTTP ${r.status}${r.status >= 300 && r.status < 400 ? ` (redirect to ${String(r.headers.location ?? '?')})` : ''}`, `${where}：/api/v2.0/health 返回 HTTP ${r.status}`) };
      }
      // Always HTTP 200: the body decides (harbor-facts §4.6).
      const { components } = h;
      if (h.healthy) return { status: 'ok', checkedAt: now(), latencyMs: took(), detail: 'healthy', components };
      return { status: 'fail', checkedAt: now(), latencyMs: took(), detail: 'unhealthy', components, error: L(`${where}: Harbor is unhealthy: ${h.detail}`, `${where}：Harbor 不健康：${h.detail}`) };
    }
    const [ping, info] = await Promise.all([get('/api/ping'), get('/api/systeminfo')]);
    const pong = ping.status === 200 && /Pong/.test(ping.body.toString('utf8'));
    if (!pong) {
      return { status: 'fail', checkedAt: now(), latencyMs: took(), detail: `ping HTTP ${ping.status}`, error: L(`${where}: /api/ping answered HTTP ${ping.status}, not "Pong"`, `${where}：/api/ping 返回 HTTP ${ping.status}，而非 "Pong"`) };
    }
    let sys: { registry_url?: string; harbor_version?: string } | undefined;
    try {
      sys = JSON.parse(info.body.toString('utf8')) as typeof sys;
    } catch {
      sys = undefined;
    }
    const components: HarborComponent[] = [{ name: 'ui (ping)', status: 'healthy' }];
    if (info.status !== 200 || !sys?.registry_url) {
      components.push({ name: 'adminserver (systeminfo)', status: 'unhealthy', error: `HTTP ${info.status}` });
      return { status: 'fail', checkedAt: now(), latencyMs: took(), detail: `systeminfo HTTP ${info.status}`, components, error: L(`${where}: /api/systeminfo answered HTTP ${info.status}: the configuration cannot be read from the database`, `${where}：/api/systeminfo 返回 HTTP ${info.status}：无法从数据库读取配置`) };
    }
    components.push({ name: 'adminserver (systeminfo)', status: 'healthy' });
    const version = sys.harbor_version;
    if (sys.registry_url !== domain) {
      return { status: 'warn', checkedAt: now(), latencyMs: took(), detail: `registry_url ${sys.registry_url}`, components, ...(version ? { version } : {}), error: L(`${where}: Harbor calls itself ${sys.registry_url}, but clients use ${domain}`, `${where}：Harbor 的地址为 ${sys.registry_url}，而客户端使用 ${domain}`) };
    }
    return { status: 'ok', checkedAt: now(), latencyMs: took(), detail: `Pong, ${version ?? 'version ?'}`, components, ...(version ? { version } : {}) };
  } catch (error) {
    return { status: 'fail', checkedAt: now(), latencyMs: took(), detail: error instanceof ReachError ? error.kind : 'error', error: httpProblem(where, error) };
  }
}

/**
 * Harbor as the node itself serves it: first on 127.0.0.1 (Harbor's proxy publishes its ports on
 * every address), then on the node's own address when loopback refuses. `preferred` remembers which
 * answered last time.
 */
export async function harborOnNode(
  client: Client,
  label: string,
  p: Profile,
  graph: TopologyGraph,
  address: string,
  preferred: { host?: string },
): Promise<HarborCheck & { certificate?: CertificateCheck }> {
  const ep = nodeEndpoint(p);
  const hosts = [...new Set([preferred.host, '127.0.0.1', address].filter((h): h is string => !!h))];
  const domainHost = graph.domain.replace(/:\d+$/, '');
  let last: HarborCheck | undefined;
  const pinned = p.access.certificate;
  for (const host of hosts) {
    const probe = keepingCertificate((path) =>
      httpRequest(`${ep.scheme}://${domainHost}${path}`, { via: { client, from: label }, connectTo: { host, port: ep.port }, timeoutMs: LIMITS.httpMs, insecure: true, maxBody: 1 << 20, ...(pinned ? { pinnedCertificate: pinned } : {}) }),
    );
    const where = `${label} ${ep.scheme}://${host}:${ep.port}`;
    const r = await harborHealth(graph.generation, graph.domain, probe.get, where);
    if (r.detail !== 'refused') {
      preferred.host = host;
      return ep.scheme === 'https' ? { ...r, certificate: certificateCheck(probe.seen(), where, now()) } : r;
    }
    last = r;
  }
  return last!;
}

/** Harbor through the load balancer, from this machine, as clients reach it (and, over https, the certificate they get). */
export async function harborThroughLb(graph: TopologyGraph, pinnedCertificate?: string): Promise<HarborCheck & { certificate?: CertificateCheck }> {
  const m = /^(.*?)(?::(\d+))?$/.exec(graph.domain)!;
  const port = m[2] ? Number(m[2]) : graph.protocol === 'https' ? 443 : 80;
  const probe = keepingCertificate((path) =>
    httpRequest(`${graph.lb.url}${path}`, {
      ...(graph.lb.address ? { connectTo: { host: graph.lb.address, port } } : {}),
      timeoutMs: LIMITS.httpMs,
      insecure: true,
      maxBody: 1 << 20,
      ...(pinnedCertificate ? { pinnedCertificate } : {}),
    }),
  );
  const where = `${graph.lb.title} ${graph.lb.url}`;
  const r = await harborHealth(graph.generation, graph.domain, probe.get, where);
  return graph.protocol === 'https' ? { ...r, certificate: certificateCheck(probe.seen(), where, now()) } : r;
}
