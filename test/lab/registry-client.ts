/**
 * A small Docker-registry client for tests: what `docker login` / `docker push` / `docker pull` do over HTTP.
 * Every request uses a fresh TCP connection, so behind the lab's round-robin load balancer consecutive requests
 * land on different nodes, as they do behind an SLB.
 */
import http from 'node:http';
import crypto from 'node:crypto';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP request on a new connection. `hostHeader` sets Host (e.g. the registry name clients use). */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string; hostHeader?: string } = {},
): Promise<HttpResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port || 80,
        path: `${u.pathname}${u.search}`,
        method: opts.method ?? 'GET',
        agent: false,
        headers: { Connection: 'close', ...(opts.hostHeader ? { Host: opts.hostHeader } : {}), ...opts.headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${opts.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${message}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

const digestOf = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

/** `docker login`-like: GET /v2/ for the realm, then a token with basic auth. Returns the realm. */
export async function login(base: string, user: string, password: string): Promise<{ realm: string; token: string }> {
  const r = await request(`${base}/v2/`);
  if (r.status !== 401) throw new RegistryError('GET /v2/ should challenge', r.status, r.body.toString());
  const m = /realm="([^"]+)"/.exec(String(r.headers['www-authenticate'] ?? ''));
  if (!m) throw new RegistryError('no realm in WWW-Authenticate', r.status, String(r.headers['www-authenticate']));
  const token = await getToken(base, user, password, undefined);
  const check = await request(`${base}/v2/`, { headers: { Authorization: `Bearer ${token}` } });
  if (check.status !== 200) throw new RegistryError('GET /v2/ with the token', check.status, check.body.toString());
  return { realm: m[1]!, token };
}

/** Ask the token service (path of the realm, on `base`) for a token. */
export async function getToken(base: string, user: string, password: string, scope: string | undefined): Promise<string> {
  const q = new URLSearchParams({ service: 'harbor-registry', ...(scope ? { scope } : {}) });
  const r = await request(`${base}/service/token?${q}`, {
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  });
  if (r.status !== 200) throw new RegistryError('token', r.status, r.body.toString());
  return (JSON.parse(r.body.toString()) as { token: string }).token;
}

export interface PushResult {
  manifestDigest: string;
  layerDigest: string;
  configDigest: string;
}

/**
 * Push a tiny image (one random layer + config) the way docker does: token, HEAD blob, POST upload, PATCH data,
 * PUT with digest, PUT manifest. Throws a RegistryError with the failing step.
 */
export async function pushTinyImage(
  base: string,
  repo: string,
  tag: string,
  user: string,
  password: string,
  layerBytes = 2048,
): Promise<PushResult> {
  const token = await getToken(base, user, password, `repository:${repo}:pull,push`);
  const auth = { Authorization: `Bearer ${token}` };
  const layer = crypto.randomBytes(layerBytes);
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digestOf(layer)] } }),
  );
  for (const blob of [layer, config]) {
    const d = digestOf(blob);
    const head = await request(`${base}/v2/${repo}/blobs/${d}`, { method: 'HEAD', headers: auth });
    if (head.status === 200) continue;
    if (head.status !== 404) throw new RegistryError(`HEAD blob ${d}`, head.status, head.body.toString());
    const start = await request(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: { ...auth, 'Content-Length': '0' } });
    if (start.status !== 202) throw new RegistryError('start upload', start.status, start.body.toString());
    const loc = new URL(String(start.headers.location), base);
    const patch = await request(loc.toString().replace(/^https?:\/\/[^/]+/, base), {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      body: blob,
    });
    if (patch.status !== 202) throw new RegistryError('upload data', patch.status, patch.body.toString());
    const put = new URL(String(patch.headers.location), base);
    put.searchParams.set('digest', d);
    const fin = await request(put.toString().replace(/^https?:\/\/[^/]+/, base), {
      method: 'PUT',
      headers: { ...auth, 'Content-Length': '0' },
    });
    if (fin.status !== 201) throw new RegistryError('finish upload', fin.status, fin.body.toString());
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: digestOf(config) },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: digestOf(layer) }],
    }),
  );
  const pm = await request(`${base}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...auth, 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' },
    body: manifest,
  });
  if (pm.status !== 201) throw new RegistryError('put manifest', pm.status, pm.body.toString());
  return { manifestDigest: String(pm.headers['docker-content-digest']), layerDigest: digestOf(layer), configDigest: digestOf(config) };
}

/** Pull manifest + blobs of `repo:tag`; returns the manifest digest. */
export async function pullImage(base: string, repo: string, tag: string, user: string, password: string): Promise<string> {
  const token = await getToken(base, user, password, `repository:${repo}:pull`);
  const auth = { Authorization: `Bearer ${token}` };
  const m = await request(`${base}/v2/${repo}/manifests/${tag}`, {
    headers: { ...auth, Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  if (m.status !== 200) throw new RegistryError('get manifest', m.status, m.body.toString());
  const man = JSON.parse(m.body.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
  for (const d of [man.config.digest, ...man.layers.map((l) => l.digest)]) {
    const b = await request(`${base}/v2/${repo}/blobs/${d}`, { headers: auth });
    if (b.status !== 200 || digestOf(b.body) !== d) throw new RegistryError(`get blob ${d}`, b.status, b.body.toString());
  }
  return String(m.headers['docker-content-digest']);
}

/**
 * Harbor 2.x UI login: GET to obtain the CSRF cookie + token from `getFrom`, then POST /c/login to `postTo`
 * (another node, or the LB). Returns the POST's status (200 ok, 403 CSRF token invalid, 401 bad credentials).
 */
export async function csrfLogin(getFrom: string, postTo: string, user: string, password: string): Promise<HttpResponse> {
  const g = await request(`${getFrom}/api/v2.0/systeminfo`);
  const cookie = ([] as string[])
    .concat(g.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = String(g.headers['x-harbor-csrf-token'] ?? '');
  return request(`${postTo}/c/login`, {
    method: 'POST',
    headers: { Cookie: cookie, 'X-Harbor-CSRF-Token': token, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ principal: user, password }).toString(),
  });
}
