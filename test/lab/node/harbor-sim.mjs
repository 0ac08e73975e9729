// The Harbor-like service a lab node runs after `docker-compose up -d` (started by the compose stand-in).
// It reads what a real Harbor reads: the compose file's env_file/volume mounts, the rendered env files, the token
// key pair and the registry config, and serves on <node address>:80:
//   v1 (1.5): /api/ping, /api/systeminfo, /api/repositories/top, /login, /service/token, /v2/…
//   v2 (2.x): /api/v2.0/ping, /api/v2.0/health (database + redis really checked), /api/v2.0/systeminfo,
//             /c/login (CSRF-protected with CSRF_KEY), /service/token, /v2/…
// 2.x core first applies Harbor's schema migrations (the core image's /harbor/migrations/postgresql, see
// harbor-core-db.mjs) as the account core/env names; until that succeeded, everything core serves answers nginx's 502,
// and a failed start is logged in /var/log/harbor/core.log and retried as Docker's `restart: always` does.
// /v2/ goes to the node's registry, which is distribution itself (registry-container.mjs) with the config.yml prepare
// wrote: 1.5's nginx passes it straight through (distribution checks the bearer token against root.crt); 2.x's core
// checks the token with its own key pair and forwards with the registry credentials of core/env (htpasswd).
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { connect, coreDatabase, migrateUp } from './harbor-core-db.mjs';
import { startRegistry, storageDriver } from './registry-container.mjs';

const SRC = '/var/lib/harbor-lab/src';
const DOCKER_STATE = '/var/lib/harbor-lab/docker';
const require = createRequire(`${SRC}/package.json`);
const YAML = require('yaml');

const argv = process.argv.slice(2);
const opt = (k) => argv[argv.indexOf(k) + 1];
const DIR = opt('--dir');
const ADDRESS = opt('--address');
const log = (...a) => console.log(new Date().toISOString(), ...a);

// ───────────────────────────── configuration, as Harbor's containers see it ─────────────────────────────
function readEnv(p) {
  const env = {};
  for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

const compose = {};
for (const f of (opt('--files') || 'docker-compose.yml').split(',')) {
  const p = path.resolve(DIR, f);
  if (!fs.existsSync(p)) continue;
  // compose merges services of several files: later keys win, volumes and env files add up
  for (const [name, svc] of Object.entries(YAML.parse(fs.readFileSync(p, 'utf8')).services ?? {})) {
    const cur = compose[name] ?? {};
    compose[name] = { ...cur, ...svc, volumes: [...(cur.volumes ?? []), ...(svc.volumes ?? [])] };
  }
}
function mountSource(service, containerPath) {
  // exact mount first, then the longest directory mount that contains the path
  let best;
  for (const v of compose[service]?.volumes ?? []) {
    // short syntax `src:dst[:opts]`, or the long one (`type: bind`, `source`, `target`) 2.x's compose files use
    const [src, dst] = typeof v === 'object' ? [String(v.source), String(v.target)] : String(v).split(':');
    const abs = path.resolve(DIR, src);
    const d = dst.replace(/\/$/, '');
    if (d === containerPath) return abs;
    if (containerPath.startsWith(`${d}/`) && (!best || d.length > best.d.length))
      best = { d, p: path.join(abs, containerPath.slice(d.length + 1)) };
  }
  return best?.p;
}
function envOf(service) {
  const env = {};
  const files = compose[service]?.env_file;
  for (const f of Array.isArray(files) ? files : files ? [files] : []) Object.assign(env, readEnv(path.resolve(DIR, f)));
  return env;
}

const era = compose.core ? 'v2' : 'v1';
const coreSvc = era === 'v2' ? 'core' : 'ui';
const coreEnv = { ...(era === 'v1' ? envOf('adminserver') : {}), ...envOf(coreSvc) };
const privateKeyPath = mountSource(coreSvc, era === 'v2' ? '/etc/core/private_key.pem' : '/etc/ui/private_key.pem');
const registryConfigPath = mountSource('registry', '/etc/registry/config.yml');
const registryConfig = YAML.parse(fs.readFileSync(registryConfigPath, 'utf8'));
/**
 * A file as a container with a file bind mount sees it: the inode it was started with, read afresh on every use. So a
 * file rewritten in place shows at once, while one renamed over it shows only after the container is recreated.
 */
function boundFile(p) {
  const fd = fs.openSync(p, 'r');
  return () => {
    const b = Buffer.alloc(fs.fstatSync(fd).size);
    fs.readSync(fd, b, 0, b.length, 0);
    return b;
  };
}
// The token key, read on each use as Harbor does (2.x: DefaultTokenOptions reads the file for every token). 2.x core
// also verifies /v2/ bearer tokens with it (src/pkg/token/options.go); 1.5 leaves that to the registry (root.crt).
const tokenKey = boundFile(privateKeyPath);
const privateKey = () => crypto.createPrivateKey(tokenKey());
const EXT_ENDPOINT = coreEnv.EXT_ENDPOINT ?? '';
const ADMIN_PASSWORD = coreEnv.HARBOR_ADMIN_PASSWORD ?? 'Harbor12345';
const CSRF_KEY = coreEnv.CSRF_KEY ?? '';
const version = (compose[coreSvc]?.image ?? '').split(':').pop();

// ───────────────────────────── storage, as health sees it ─────────────────────────────
// The health check lists the configured storage with the configured credentials (the registry's own data path is
// distribution's); so a wrong OSS key shows up here even though distribution keeps its data on the shared directory.
const storageCfg = registryConfig.storage ?? {};
const driverName = storageDriver(registryConfig);
let storage;
if (driverName === 'oss') {
  const o = storageCfg.oss;
  const OSS = require('ali-oss');
  const root = String(o.rootdirectory ?? '').replace(/^\/+|\/+$/g, '');
  const secure = o.secure === undefined ? true : o.secure === true || o.secure === 'true';
  const internal = o.internal === true || o.internal === 'true';
  const clientOpts = {
    accessKeyId: String(o.accesskeyid ?? ''),
    accessKeySecret: String(o.accesskeysecret ?? ''),
    bucket: String(o.bucket ?? ''),
    region: String(o.region ?? ''),
    internal,
    secure: false, // the lab's OSS endpoint speaks http only; see docs/lab.md
    timeout: 10_000,
  };
  if (o.endpoint) Object.assign(clientOpts, { endpoint: `http://${o.endpoint}`, cname: true });
  if (secure) log('note: storage.oss.secure is true; the lab OSS endpoint is reached over http');
  const client = new OSS(clientOpts);
  const prefix = root ? `${root}/` : '';
  storage = { check: () => client.list({ prefix, 'max-keys': 1 }) };
} else {
  const root = mountSource('registry', String(storageCfg.filesystem?.rootdirectory ?? '/storage')) ?? '/data/registry';
  storage = { check: async () => fs.mkdirSync(root, { recursive: true }) };
}

// ───────────────────────────── tokens (RS256 JWT, kid like libtrust) ─────────────────────────────
const b64u = (b) => Buffer.from(b).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
/** libtrust's key ID, which distribution looks the `kid` of a token up by: base32 of the first 240 bits of the
 * SHA-256 of the DER public key, in 12 groups of 4. */
function libtrustKid(pub) {
  const der = pub.export({ type: 'spki', format: 'der' });
  return base32(crypto.createHash('sha256').update(der).digest().subarray(0, 30)).match(/.{4}/g).join(':');
}
function base32(buf) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let val = 0;
  let out = '';
  for (const b of buf) {
    val = (val << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += abc[(val >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
function signToken(sub, access) {
  const now = Math.floor(Date.now() / 1000);
  const key = privateKey();
  const header = { typ: 'JWT', alg: 'RS256', kid: libtrustKid(crypto.createPublicKey(key)) };
  const claims = {
    iss: 'harbor-token-issuer',
    sub,
    aud: 'harbor-registry',
    exp: now + 1800,
    nbf: now - 5,
    iat: now,
    jti: crypto.randomBytes(8).toString('hex'),
    access,
  };
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(crypto.sign('RSA-SHA256', Buffer.from(input), key))}`;
}
function verifyToken(tok) {
  const [h, c, s] = String(tok).split('.');
  if (!h || !c || !s) return undefined;
  const ok = crypto.verify(
    'RSA-SHA256',
    Buffer.from(`${h}.${c}`),
    crypto.createPublicKey(privateKey()),
    Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'),
  );
  if (!ok) return undefined;
  const claims = JSON.parse(Buffer.from(c, 'base64').toString());
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== 'harbor-token-issuer' || claims.aud !== 'harbor-registry' || claims.exp < now) return undefined;
  return claims;
}

// ───────────────────────────── health checks (v2) ─────────────────────────────
async function checkDatabase() {
  const c = await connect(coreDatabase(coreEnv), { timeoutMs: 2000 });
  try {
    await c.query('SELECT 1');
  } finally {
    await c.end().catch(() => {});
  }
}
async function checkMysql() {
  const mysql = require('mysql2/promise');
  const c = await mysql.createConnection({
    host: coreEnv.MYSQL_HOST,
    port: Number(coreEnv.MYSQL_PORT || 3306),
    user: coreEnv.MYSQL_USR,
    password: coreEnv.MYSQL_PWD,
    database: coreEnv.MYSQL_DATABASE || 'registry',
    connectTimeout: 2000,
  });
  try {
    await c.query('SELECT k, v FROM properties LIMIT 1');
  } finally {
    await c.end().catch(() => {});
  }
}
async function checkRedis(url) {
  const Redis = require('ioredis');
  const u = new URL(url);
  const r = new Redis({
    host: u.hostname,
    port: Number(u.port || 6379),
    username: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    db: Number(u.pathname.replace('/', '') || 0),
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastErr;
  r.on('error', (e) => (lastErr = e));
  try {
    await r.connect();
    const pong = await r.ping();
    if (pong !== 'PONG') throw new Error(`unexpected reply ${pong}`);
  } catch (e) {
    throw lastErr ?? e;
  } finally {
    r.disconnect();
  }
}
async function health() {
  const comp = async (name, fn) => {
    try {
      await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 3000))]);
      return { name, status: 'healthy' };
    } catch (e) {
      return { name, status: 'unhealthy', error: String(e?.message ?? e) };
    }
  };
  const components = await Promise.all([
    comp('core', async () => {}),
    comp('database', checkDatabase),
    comp('jobservice', async () => {}),
    comp('portal', async () => {}),
    comp('redis', () => checkRedis(coreEnv._REDIS_URL_CORE)),
    comp('registry', () => storage.check()),
    comp('registryctl', async () => {}),
  ]);
  return { status: components.every((c) => c.status === 'healthy') ? 'healthy' : 'unhealthy', components };
}

// ───────────────────────────── core's start (v2): database, schema migrations, restarts ─────────────────────────────
// Harbor's containers log through syslog into /var/log/harbor/<service>.log, one syslog line per line of output.
function harborLog(service, text) {
  const prefix = `${new Date().toISOString()} ${ADDRESS} ${service}[${process.pid}]: `;
  try {
    fs.appendFileSync(
      `/var/log/harbor/${service}.log`,
      text
        .split('\n')
        .map((l) => `${prefix}${l}\n`)
        .join(''),
    );
  } catch {
    // the log directory may be gone while the node is torn down
  }
}
/** Harbor's log format (lib/log TextFormatter): `<RFC 3339 time> [LEVEL] [file:line]: message`. */
const coreLog = (level, where, message) =>
  harborLog('core', `${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} [${level}] ${where ? `${where}: ` : ''}${message}`);

/** The folder an image runs from (`docker load` recorded the bundle's LabRoot): for the core image, its /harbor. */
function imageRoot(ref) {
  const i = ref.lastIndexOf(':');
  const [repo, tag] = i > 0 && !ref.slice(i).includes('/') ? [ref.slice(0, i), ref.slice(i + 1)] : [ref, 'latest'];
  try {
    return JSON.parse(fs.readFileSync(`${DOCKER_STATE}/images.json`, 'utf8')).find((x) => x.repo === repo && x.tag === tag)?.root;
  } catch {
    return undefined;
  }
}

/**
 * One start of harbor_core as far as the database goes (core/main.go of 2.15): dao.InitDatabase, then
 * migration.Migrate. False after the `log.Fatalf` with which core exits.
 */
async function coreStart() {
  const db = coreDatabase(coreEnv);
  coreLog(
    'INFO',
    '[/common/dao/base.go:67]',
    `Registering database: type-PostgreSQL host-${db.host} port-${db.port} database-${db.database} sslmode-${JSON.stringify(db.sslmode)}`,
  );
  try {
    await (await connect(db)).end();
  } catch (e) {
    coreLog('FATAL', '[/core/main.go:201]', `failed to initialize database: register db Ping \`default\`, ${e.message}`);
    return false;
  }
  coreLog('INFO', '[/common/dao/base.go:72]', 'Register database completed');
  const root = imageRoot(compose.core?.image ?? '');
  try {
    const client = await connect(db).catch((e) => {
      throw new Error(`failed to open database: ${e.message}`);
    });
    try {
      await migrateUp(client, root && path.join(root, 'migrations', 'postgresql'), coreLog);
    } finally {
      client.end().catch(() => {});
    }
  } catch (e) {
    coreLog('FATAL', '[/core/main.go:215]', `failed to migrate the database, error: ${e.message}`);
    return false;
  }
  coreLog('INFO', '[/core/main.go:218]', 'The database has been migrated successfully');
  return true;
}

// Docker restarts a core that exited (`restart: always`): after 100 ms, then twice as long each time, at most a minute.
let coreUp = era !== 'v2';
async function runCore(firstStartSettled) {
  for (let restarts = 0; ; restarts++) {
    const up = await coreStart().catch((e) => {
      coreLog('FATAL', '', `lab: ${e?.stack ?? e}`);
      return false;
    });
    firstStartSettled();
    if (up) {
      coreUp = true;
      return;
    }
    await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** restarts, 60_000)));
  }
}
/** Settles once core's first start succeeded or failed: `up -d` returns then (see the ready file below). */
const coreFirstStart = era === 'v2' ? new Promise((settled) => void runCore(settled)) : Promise.resolve();

// The registry container (distribution), started with the project like Docker's compose would
const registryContainer = startRegistry({ YAML, compose, projectDir: DIR, address: ADDRESS, configPath: registryConfigPath, log });

// ───────────────────────────── CSRF (gorilla/csrf-like, keyed by CSRF_KEY) ─────────────────────────────
function csrfCookieFor(token) {
  const mac = crypto.createHmac('sha256', CSRF_KEY).update(token).digest();
  return b64u(Buffer.concat([token, mac]));
}
function csrfTokenFromCookie(cookie) {
  try {
    const raw = Buffer.from(cookie.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    const token = raw.subarray(0, 32);
    const mac = raw.subarray(32);
    const want = crypto.createHmac('sha256', CSRF_KEY).update(token).digest();
    return mac.length === want.length && crypto.timingSafeEqual(mac, want) ? token : undefined;
  } catch {
    return undefined;
  }
}
function maskToken(token) {
  const otp = crypto.randomBytes(32);
  const x = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) x[i] = otp[i] ^ token[i];
  return Buffer.concat([otp, x]).toString('base64');
}
function unmaskToken(s) {
  const b = Buffer.from(String(s), 'base64');
  if (b.length !== 64) return undefined;
  const t = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) t[i] = b[i] ^ b[32 + i];
  return t;
}
function cookies(req) {
  const out = {};
  for (const p of String(req.headers.cookie ?? '').split(/;\s*/)) {
    const i = p.indexOf('=');
    if (i > 0) out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

// ───────────────────────────── HTTP ─────────────────────────────
function json(res, status, body, headers = {}) {
  const b = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(b), ...headers });
  res.end(b);
}
function regError(res, status, code, message, headers = {}) {
  json(res, status, { errors: [{ code, message, detail: null }] }, { 'Docker-Distribution-Api-Version': 'registry/2.0', ...headers });
}
/** 2.x core's challenge: the realm's scheme from EXT_ENDPOINT, its host the one the client used. */
function challenge(req, scope, error) {
  const scheme = EXT_ENDPOINT.startsWith('https') ? 'https' : 'http';
  let v = `Bearer realm="${scheme}://${req.headers.host}/service/token",service="harbor-registry"`;
  if (scope) v += `,scope="${scope}"`;
  if (error) v += `,error="${error}"`;
  return v;
}
function basicAuth(req) {
  const h = String(req.headers.authorization ?? '');
  if (!h.startsWith('Basic ')) return undefined;
  const s = Buffer.from(h.slice(6), 'base64').toString();
  const i = s.indexOf(':');
  return { user: s.slice(0, i), password: s.slice(i + 1) };
}
function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/**
 * Pass a /v2/ request on to the node's distribution as Harbor's nginx does (`Host` as the client sent it,
 * `X-Forwarded-Proto` with the scheme it came in on), bodies streamed both ways.
 */
function toRegistry(req, res, authorization) {
  const headers = { ...req.headers, 'x-forwarded-proto': req.socket.encrypted ? 'https' : 'http' };
  delete headers.connection;
  if (authorization) headers.authorization = authorization;
  const upstream = http.request({ host: ADDRESS, port: registryContainer.port, method: req.method, path: req.url, headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  upstream.on('error', (e) => {
    log('registry unreachable:', e.message);
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(NGINX_502) });
    res.end(NGINX_502);
  });
  req.pipe(upstream);
}

// 2.x core talks to its registry with the htpasswd account prepare made (core/env REGISTRY_CREDENTIAL_*)
const registryCredential = `Basic ${Buffer.from(`${coreEnv.REGISTRY_CREDENTIAL_USERNAME ?? ''}:${coreEnv.REGISTRY_CREDENTIAL_PASSWORD ?? ''}`).toString('base64')}`;

/** 2.x core's /v2/ middleware: a bearer token of this core's key with the access the request needs, then the registry. */
function coreV2(req, res, url) {
  const rest = url.pathname.slice(4); // after /v2/
  const h = String(req.headers.authorization ?? '');
  const claims = h.startsWith('Bearer ') ? verifyToken(h.slice(7)) : undefined;
  if (rest === '' || rest === '/') {
    if (!claims)
      return regError(res, 401, 'UNAUTHORIZED', 'authentication required', {
        'WWW-Authenticate': challenge(req, undefined, h.startsWith('Bearer ') ? 'invalid_token' : undefined),
      });
    return toRegistry(req, res, registryCredential);
  }
  const m = /^(.+?)\/(blobs\/uploads\/?[^/]*|blobs\/sha256:[0-9a-f]{64}|manifests\/[^/]+|tags\/list)$/.exec(rest);
  if (!m) return regError(res, 404, 'NOT_FOUND', 'not found');
  const name = m[1];
  const write = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method);
  const need = write ? 'push' : 'pull';
  const scope = `repository:${name}:${write ? 'pull,push' : 'pull'}`;
  const allowed = claims?.access?.some((a) => a.type === 'repository' && a.name === name && a.actions.includes(need));
  if (!allowed) {
    const invalid = h.startsWith('Bearer ') && !claims;
    return regError(
      res,
      401,
      invalid ? 'UNAUTHORIZED' : 'DENIED',
      invalid ? 'authentication required' : 'requested access to the resource is denied',
      { 'WWW-Authenticate': challenge(req, scope, invalid ? 'invalid_token' : 'insufficient_scope') },
    );
  }
  toRegistry(req, res, registryCredential);
}

function tokenService(req, res, url) {
  const cred = basicAuth(req);
  let sub = 'anonymous';
  if (cred) {
    if (cred.user !== 'admin' || cred.password !== ADMIN_PASSWORD)
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    sub = 'admin';
  }
  const access = [];
  for (const scope of url.searchParams.getAll('scope')) {
    const [type, name, actions] = scope.split(':');
    if (type !== 'repository' || !name) continue;
    const want = (actions ?? '').split(',').filter(Boolean);
    // admin: everything requested; anonymous: pull on the public `library` project
    const granted =
      sub === 'admin'
        ? want.filter((a) => ['pull', 'push', '*', 'delete'].includes(a))
        : name.startsWith('library/')
          ? want.filter((a) => a === 'pull')
          : [];
    access.push({ type, name, actions: granted });
  }
  const token = signToken(sub, access);
  json(res, 200, { token, access_token: token, expires_in: 1800, issued_at: new Date().toISOString() });
}

// Harbor 2.x's nginx passes these to core (everything else to the portal); with core down it answers 502.
const CORE_ROUTES = /^\/(api|c|service|v2)(\/|$)/;
const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host ?? ADDRESS}`);
  const p = url.pathname;
  if (!coreUp && CORE_ROUTES.test(p)) {
    res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(NGINX_502) });
    return res.end(NGINX_502);
  }
  if (p.startsWith('/v2/') || p === '/v2')
    return era === 'v2' ? coreV2(req, res, new URL(p === '/v2' ? '/v2/' : req.url, url)) : toRegistry(req, res);
  if (p === '/service/token') return tokenService(req, res, url);
  if (era === 'v1') {
    // 1.5's registry config sends its events to ui (notifications.endpoints); the lab takes them and drops them
    if (p === '/service/notifications' && req.method === 'POST') {
      await readBody(req);
      res.writeHead(200, { 'Content-Length': 0 });
      return res.end();
    }
    if (p === '/api/ping') return json(res, 200, 'Pong');
    if (p === '/api/systeminfo') {
      // 1.5's adminserver keeps the configuration in the `registry` database: without it the UI answers 500
      try {
        await checkMysql();
      } catch (e) {
        log('adminserver: cannot load configuration from the database:', String(e?.message ?? e));
        return json(res, 500, { code: 500, message: 'internal error' });
      }
      return json(res, 200, {
        with_notary: false,
        with_clair: !!compose.clair,
        with_admiral: false,
        admiral_endpoint: 'NA',
        auth_mode: coreEnv.AUTH_MODE ?? 'db_auth',
        registry_url: EXT_ENDPOINT.replace(/^https?:\/\//, ''),
        project_creation_restriction: coreEnv.PROJECT_CREATION_RESTRICTION ?? 'everyone',
        self_registration: coreEnv.SELF_REGISTRATION === 'on',
        has_ca_root: false,
        harbor_version: `${version}-lab`,
        registry_storage_provider_name: driverName,
        read_only: false,
      });
    }
    if (p === '/api/repositories/top') return json(res, 200, []);
    if (p === '/login' && req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req)).toString());
      if (form.get('principal') === 'admin' && form.get('password') === ADMIN_PASSWORD) {
        res.writeHead(200, { 'Set-Cookie': `beegosessionID=${crypto.randomBytes(16).toString('hex')}; Path=/; HttpOnly` });
        return res.end();
      }
      res.writeHead(401);
      return res.end();
    }
  } else {
    // every API response hands out a CSRF token (cookie + header), like Harbor 2.x core
    const c = cookies(req);
    let token = c.__csrf ? csrfTokenFromCookie(c.__csrf) : undefined;
    const setCookie = [];
    const issue = () => {
      token = crypto.randomBytes(32);
      setCookie.push(`__csrf=${csrfCookieFor(token)}; Path=/; HttpOnly; SameSite=Strict`);
    };
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (unsafe && (p.startsWith('/api/') || p.startsWith('/c/'))) {
      const presented = unmaskToken(req.headers['x-harbor-csrf-token'] ?? '');
      if (!token || !presented || !crypto.timingSafeEqual(presented, token)) {
        log(`CSRF check failed for ${req.method} ${p}`);
        return json(res, 403, { errors: [{ code: 'FORBIDDEN', message: 'CSRF token invalid' }] });
      }
    }
    if (!token) issue();
    const hdr = { 'X-Harbor-CSRF-Token': maskToken(token), ...(setCookie.length ? { 'Set-Cookie': setCookie } : {}) };
    if (p === '/api/v2.0/ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', ...hdr });
      return res.end('Pong');
    }
    if (p === '/api/v2.0/health') return json(res, 200, await health(), hdr);
    if (p === '/api/v2.0/systeminfo')
      return json(
        res,
        200,
        {
          auth_mode: 'db_auth',
          primary_auth_mode: false,
          self_registration: false,
          banner_message: '',
          harbor_version: `${version}-lab`,
          external_url: EXT_ENDPOINT,
          registry_url: EXT_ENDPOINT.replace(/^https?:\/\//, ''),
          registry_storage_provider_name: driverName,
          read_only: false,
        },
        hdr,
      );
    if (p === '/c/login' && req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req)).toString());
      if (form.get('principal') === 'admin' && form.get('password') === ADMIN_PASSWORD) {
        res.writeHead(200, {
          ...hdr,
          'Set-Cookie': [...(setCookie ?? []), `sid=${crypto.randomBytes(16).toString('hex')}; Path=/; HttpOnly`],
        });
        return res.end();
      }
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'Invalid credentials' }] }, hdr);
    }
    if (p === '/' || p === '/harbor') {
      res.writeHead(200, { 'Content-Type': 'text/html', ...hdr });
      return res.end('<!doctype html><html><head><title>Harbor</title></head><body><harbor-app></harbor-app></body></html>');
    }
    return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: `no route for ${p}` }] }, hdr);
  }
  if (p === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    return res.end('<!doctype html><html><head><title>Harbor</title></head><body><harbor-app></harbor-app></body></html>');
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('404 page not found\n');
}

// ───────────────────────────── listeners: http, and https when Harbor is configured for it ─────────────────────────────
function tlsFiles() {
  if (era === 'v2') {
    const ports = (compose.proxy?.ports ?? []).map(String);
    if (!ports.some((p) => p.endsWith(':8443'))) return undefined;
    const cert = mountSource('core', '/data/secret/cert/server.crt');
    const key = mountSource('core', '/data/secret/cert/server.key');
    return cert && key ? { cert, key } : undefined;
  }
  if (!EXT_ENDPOINT.startsWith('https://')) return undefined;
  const conf = fs.readFileSync(mountSource('proxy', '/etc/nginx/nginx.conf'), 'utf8');
  const c = /ssl_certificate\s+(\S+);/.exec(conf)?.[1];
  const k = /ssl_certificate_key\s+(\S+);/.exec(conf)?.[1];
  return c && k ? { cert: mountSource('proxy', c), key: mountSource('proxy', k) } : undefined;
}
const tls = tlsFiles();
// Like Harbor's proxy (nginx) container, every request goes to /var/log/harbor/proxy.log through syslog, in nginx's
// `timed_combined` format of the 1.x and 2.x templates: "$remote_addr - "$request" $status $body_bytes_sent
// "$http_referer" "$http_user_agent" $request_time $upstream_response_time $pipe" (no time of its own, no request id).
const accessLog = (req, res) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const now = new Date();
    const took = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(3);
    const line = `${now.toISOString()} ${ADDRESS} proxy[${process.pid}]: ${req.socket.remoteAddress} - "${req.method} ${req.url} HTTP/${req.httpVersion}" ${res.statusCode} ${res.getHeader('content-length') ?? 0} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}" ${took} ${took} .\n`;
    try {
      fs.appendFileSync('/var/log/harbor/proxy.log', line);
    } catch {
      // the log directory may be gone while the node is torn down
    }
  });
};
// 2.x core gives every request an id (middleware/requestid: X-Request-Id, on the response too) and, at log level
// debug, logs it with the request (middleware/log); its context's lines carry it as [requestID="…"].
const requestId = (req, res) => {
  if (era !== 'v2') return;
  const id = req.headers['x-request-id'] || crypto.randomUUID();
  res.setHeader('X-Request-Id', id);
  if (coreEnv.LOG_LEVEL === 'debug') {
    coreLog(
      'DEBUG',
      '[/server/middleware/log/log.go:30]',
      `attach request id ${id} to the logger for the request ${req.method} ${req.url}`,
    );
  }
};
const app = (req, res) => {
  accessLog(req, res);
  requestId(req, res);
  handle(req, res).catch((e) => {
    log('error', req.method, req.url, e?.stack ?? e);
    if (!res.headersSent) json(res, 500, { errors: [{ code: 'UNKNOWN', message: String(e?.message ?? e) }] });
    else res.destroy();
  });
};
// with https, port 80 only redirects (1.5 nginx: 301, 2.x: 308)
const redirect = (req, res) => {
  res.writeHead(era === 'v2' ? 308 : 301, {
    Location: `https://${String(req.headers.host ?? ADDRESS).replace(/:80$/, '')}${req.url}`,
    'Content-Length': 0,
  });
  res.end();
};
const listeners = [{ port: 80, server: http.createServer(tls ? redirect : app) }];
if (tls) listeners.push({ port: 443, server: https.createServer({ cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key) }, app) });
let pending = listeners.length;
for (const { port, server } of listeners) {
  server.keepAliveTimeout = 5000;
  server.on('error', (e) => {
    log('listen failed', e);
    process.exit(1);
  });
  server.listen(port, ADDRESS, () => {
    log(
      `harbor-like service (${era} ${version}, storage ${driverName}) listening on ${ADDRESS}:${port}${port === 80 && tls ? ' (redirects to https)' : ''}`,
    );
    // (the state directory may be gone while the node is torn down)
    if (--pending === 0)
      void Promise.all([coreFirstStart, registryContainer.ready])
        .then(() => fs.promises.writeFile(`${DOCKER_STATE}/sim-${process.pid}.ready`, ''))
        .catch(() => {});
  });
}
