/**
 * What `docker login`, `docker push` and `docker pull` do over HTTP, for verification: the /v2/
 * challenge and its realm, a token from Harbor's token service, a tiny image (one random layer and
 * its config) pushed blob by blob and by manifest, then pulled back and checked by digest. Every
 * request opens a new connection, so behind a round-robin load balancer the requests of one push
 * land on different nodes, which is what proves the nodes share their token keys and storage. The
 * admin's login goes only to the registry's own scheme, host and port: never to a realm elsewhere.
 */
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Localized } from '../../../shared/i18n/localized';
import { httpRequest, type HttpRequestOptions, type HttpResponse } from '../probe/http';
import { TIMEOUTS } from './common/timeouts';

export interface RegistryEndpoint {
  /** The URL clients use, e.g. https://registry.example.com (its host goes in Host and SNI). */
  readonly baseUrl: string;
  /**
   * Where to connect instead (the load balancer's address, or a node's through `via`). Never
   * `insecure`: these requests carry the login, so the certificate is always verified (or pinned).
   */
  readonly connect?: Pick<HttpRequestOptions, 'connectTo' | 'via' | 'pinnedCertificate'>;
}

export class RegistryError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${what}: HTTP ${status}${body ? ` ${body.slice(0, 300)}` : ''}`);
  }
}

/**
 * The registry's /v2/ challenge names a token service (realm) on another scheme, host or port than
 * the registry itself: the login is not sent there. The classic cause is a load balancer that ends
 * TLS without telling Harbor (no X-Forwarded-Proto), so Harbor names an http:// realm and every
 * `docker login` would send the password in clear.
 */
export class RealmRefused extends Error {
  constructor(
    /** The registry's URL, as clients use it. */
    readonly registry: string,
    /** The realm the registry named. */
    readonly realm: string,
  ) {
    super('');
    this.name = 'RealmRefused';
    this.message = this.localized.en;
  }

  get localized(): Localized {
    const { registry, realm } = this;
    return {
      en: `The registry ${registry} names its token service ${realm}, on another scheme, host or port than its own, so the login was not sent there (docker clients would send the password to it)`,
      'zh-CN': `registry ${registry} 指定的令牌服务为 ${realm}，其协议、主机或端口与 registry 本身不同，因此未向其发送登录信息（docker 客户端会把密码发送到该地址）`,
    };
  }
}

/** Why the login may not go to `realm` (another scheme, host or port than `registry`), or undefined when it may. */
export function realmRefused(registry: string, realm: string): RealmRefused | undefined {
  const origin = (url: string) => {
    try {
      return new URL(url, registry).origin;
    } catch {
      return null;
    }
  };
  const own = origin(registry);
  return own && origin(realm) === own ? undefined : new RealmRefused(own ?? registry, realm);
}

const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const digestOf = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function request(ep: RegistryEndpoint, url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  // Absolute URLs (Location headers, realms) keep their host in Host; the connection still goes where the endpoint says.
  const absolute = new URL(url, ep.baseUrl).toString();
  return httpRequest(absolute, {
    timeoutMs: TIMEOUTS.registryRequest,
    ...ep.connect,
    ...options,
    headers: { 'User-Agent': 'harbor-ha-deployer-verify', ...options.headers },
  });
}

/** The Bearer challenge of GET /v2/: its realm and service. */
export async function challenge(ep: RegistryEndpoint): Promise<{ status: number; realm: string | null; service: string | null }> {
  const r = await request(ep, '/v2/');
  const h = String(r.headers['www-authenticate'] ?? '');
  return { status: r.status, realm: /realm="([^"]+)"/.exec(h)?.[1] ?? null, service: /service="([^"]+)"/.exec(h)?.[1] ?? null };
}

/** A token for `scope` from the token service named by the realm; refused before any request when the realm is not the registry's own origin. */
export async function token(
  ep: RegistryEndpoint,
  realm: string,
  service: string,
  user: string,
  password: string,
  scope?: string,
): Promise<string> {
  const refused = realmRefused(ep.baseUrl, realm);
  if (refused) throw refused;
  const q = new URLSearchParams({ service, ...(scope ? { scope } : {}) });
  const r = await request(ep, `${realm}?${q}`, {
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  });
  if (r.status !== 200) throw new RegistryError('token service', r.status, r.body.toString());
  const body = JSON.parse(r.body.toString()) as { token?: string; access_token?: string };
  const t = body.token ?? body.access_token;
  if (!t) throw new RegistryError('token service answered without a token', r.status, '');
  return t;
}

export interface PushResult {
  readonly repository: string;
  readonly tag: string;
  readonly manifestDigest: string;
  readonly layerDigest: string;
  readonly configDigest: string;
  /** Requests made. */
  readonly requests: number;
}

async function pushBlob(ep: RegistryEndpoint, repo: string, auth: string, blob: Buffer, digest: string): Promise<number> {
  const head = await request(ep, `/v2/${repo}/blobs/${digest}`, { method: 'HEAD', headers: { Authorization: auth } });
  if (head.status === 200) return 1;
  const start = await request(ep, `/v2/${repo}/blobs/uploads/`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Length': '0' },
  });
  if (start.status !== 202) throw new RegistryError(`start blob upload to ${repo}`, start.status, start.body.toString());
  const location = String(start.headers.location ?? '');
  if (!location) throw new RegistryError('blob upload without Location', start.status, '');
  const u = new URL(location, ep.baseUrl);
  u.searchParams.set('digest', digest);
  const put = await request(ep, u.toString(), {
    method: 'PUT',
    body: blob,
    headers: { Authorization: auth, 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.length) },
  });
  if (put.status !== 201) throw new RegistryError(`upload blob ${digest.slice(0, 19)}`, put.status, put.body.toString());
  return 3;
}

/** Pushes a tiny image with a random layer (so each verification pushes new data). */
export async function pushTinyImage(
  ep: RegistryEndpoint,
  realm: string,
  service: string,
  repo: string,
  tag: string,
  user: string,
  password: string,
): Promise<PushResult> {
  const t = await token(ep, realm, service, user, password, `repository:${repo}:pull,push`);
  const auth = `Bearer ${t}`;
  const tar = tarOneFile(
    'harbor-ha-verify.txt',
    Buffer.from(`verified by Harbor HA Deployer ${new Date().toISOString()} ${randomBytes(8).toString('hex')}\n`),
  );
  const layer = gzipSync(tar);
  const layerDigest = digestOf(layer);
  const diffId = digestOf(tar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created_by: 'harbor-ha-deployer verify' }],
    }),
  );
  const configDigest = digestOf(config);
  let requests = 1;
  requests += await pushBlob(ep, repo, auth, layer, layerDigest);
  requests += await pushBlob(ep, repo, auth, config, configDigest);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: layerDigest }],
    }),
  );
  const put = await request(ep, `/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { Authorization: auth, 'Content-Type': MANIFEST },
  });
  requests++;
  if (put.status !== 201) throw new RegistryError(`put manifest ${repo}:${tag}`, put.status, put.body.toString());
  return { repository: repo, tag, manifestDigest: digestOf(manifest), layerDigest, configDigest, requests };
}

/** Pulls the manifest and every blob, checking each digest; answers the manifest digest. */
export async function pullImage(
  ep: RegistryEndpoint,
  realm: string,
  service: string,
  repo: string,
  tag: string,
  user: string,
  password: string,
): Promise<string> {
  return pullWithToken(ep, repo, tag, await token(ep, realm, service, user, password, `repository:${repo}:pull`));
}

/**
 * Whether the registry accepts `bearer` at all (GET /v2/ with it answers 200): asked with a token from another node's
 * token service, this is whether the nodes share the token key pair. Throws with the registry's answer otherwise.
 */
export async function acceptsToken(ep: RegistryEndpoint, bearer: string): Promise<void> {
  const r = await request(ep, '/v2/', { headers: { Authorization: `Bearer ${bearer}` } });
  if (r.status !== 200) throw new RegistryError('GET /v2/ with the token', r.status, r.body.toString());
}

/** Pulls with a token obtained elsewhere; answers the manifest digest. */
async function pullWithToken(ep: RegistryEndpoint, repo: string, tag: string, bearer: string): Promise<string> {
  const auth = `Bearer ${bearer}`;
  const m = await request(ep, `/v2/${repo}/manifests/${tag}`, { headers: { Authorization: auth, Accept: MANIFEST } });
  if (m.status !== 200) throw new RegistryError(`get manifest ${repo}:${tag}`, m.status, m.body.toString());
  const manifest = JSON.parse(m.body.toString()) as { config: { digest: string }; layers: { digest: string }[] };
  for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    let b = await request(ep, `/v2/${repo}/blobs/${d}`, { headers: { Authorization: auth } });
    // The storage may answer with a redirect to itself; follow it once, without the token.
    if ((b.status === 307 || b.status === 302) && b.headers.location)
      b = await httpRequest(String(b.headers.location), { timeoutMs: TIMEOUTS.registryRequest });
    if (b.status !== 200) throw new RegistryError(`get blob ${d.slice(0, 19)}`, b.status, b.body.toString());
    if (digestOf(b.body) !== d) throw new RegistryError(`blob ${d.slice(0, 19)} came back with different content`, b.status, '');
  }
  return digestOf(m.body);
}

/** A ustar archive holding one file. */
function tarOneFile(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, pad, Buffer.alloc(1024)]);
}
