/**
 * An Aliyun-OSS-compatible endpoint for the lab. It checks the signatures ali-oss (and the distribution OSS driver)
 * send: V1 `Authorization: OSS <ak>:<base64 hmac-sha1>` (also as query-string `OSSAccessKeyId/Expires/Signature`)
 * and V4 `OSS4-HMAC-SHA256 Credential=…,Signature=…`. Buckets and objects live on disk.
 *
 * The bucket is taken from the Host header (`<bucket>.oss-<region>[-internal].aliyuncs.com`, which is what ali-oss
 * sends even when its endpoint is an IP address) or, failing that, from the first path segment.
 * Written from ali-oss's signing code (lib/common/signUtils.js) and Aliyun's public API docs; not from any emulator.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {
  OssError,
  checkAcl,
  checkBucketName,
  lifecycleXml,
  parseCreateBucketConfiguration,
  parseLifecycle,
  parseVersioning,
  readBucketSettings,
  writeBucketSettings,
  type BucketAcl,
  type BucketSettings,
  type VersioningStatus,
  type XmlNode,
} from './oss-bucket';

export interface OssKey {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface OssHandle {
  readonly kind: 'oss';
  readonly address: string;
  readonly port: number;
  /** `http://<address>:<port>`: pass as ali-oss `endpoint` */
  readonly endpoint: string;
  /** region id with the `oss-` prefix, e.g. `oss-cn-beijing` */
  readonly region: string;
  /** a bucket that exists from the start */
  readonly bucket: string;
  /** the administrator key pair (full access) */
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** ali-oss options for the admin key (add `authorizationV4: true` for V4) */
  readonly clientOptions: { region: string; bucket: string; endpoint: string; accessKeyId: string; accessKeySecret: string; secure: false };
  /** Create a bucket directly (no API call), by default in `region`, private, unversioned, without lifecycle rules. */
  createBucket(name: string, settings?: BucketSetup): void;
  /** A bucket's settings as the API would answer them (region, ACL, versioning, lifecycle rules). */
  bucketSettings(bucket?: string): BucketSettings;
  /** Object keys in a bucket (reads the disk). */
  listKeys(bucket?: string): string[];
  /** Requests seen, newest last (method, bucket, key, status, auth version). */
  readonly requests: ReadonlyArray<{
    method: string;
    bucket?: string;
    key?: string;
    status: number;
    auth: 'v1' | 'v4' | 'url' | 'anonymous';
  }>;
  stop(): Promise<void>;
  start(): Promise<void>;
  readonly running: boolean;
}

/** What a test may set on a bucket it creates directly. */
export interface BucketSetup {
  region?: string;
  acl?: BucketAcl;
  versioning?: VersioningStatus;
  /** a LifecycleConfiguration document, as PutBucketLifecycle takes it */
  lifecycleXml?: string;
}

/** Sub-resources that take part in the V1 canonical resource (Aliyun's list). */
const V1_SUBRESOURCES = new Set([
  'acl',
  'versioning',
  'uploads',
  'location',
  'cors',
  'logging',
  'website',
  'referer',
  'lifecycle',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'img',
  'style',
  'styleName',
  'replication',
  'replicationProgress',
  'replicationLocation',
  'cname',
  'bucketInfo',
  'comp',
  'qos',
  'live',
  'status',
  'vod',
  'startTime',
  'endTime',
  'symlink',
  'x-oss-process',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'udf',
  'udfName',
  'udfImage',
  'udfId',
  'udfImageDesc',
  'udfApplication',
  'udfApplicationLog',
  'restore',
  'callback',
  'callback-var',
  'stat',
  'encryption',
  'versions',
  'versioning',
  'versionId',
  'policy',
  'requestPayment',
  'x-oss-traffic-limit',
  'qosInfo',
  'asyncFetch',
  'sequential',
  'inventory',
  'inventoryId',
  'continuation-token',
  'worm',
  'wormId',
  'wormExtend',
  'objectInfo',
  'regionList',
  'x-oss-ac-source-ip',
  'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id',
  'x-oss-ac-forward-allow',
  'metaQuery',
  'resourceGroup',
  'rtc',
  'accessPoint',
  'accessPointPolicy',
  'httpsConfig',
  'publicAccessBlock',
  'policyStatus',
  'redundancyTransition',
  'dataaccesspoint',
  'responseHeader',
  'userDefinedLogFieldsConfig',
  'reservedcapacity',
  'cors',
  'transferAcceleration',
]);

/** encodeURIComponent plus !'()* (ali-oss encodeString) */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface ParsedQuery {
  /** decoded key/value; value null when the raw item had no `=` */
  items: Array<[string, string | null]>;
  get(k: string): string | null | undefined;
}

function parseQuery(raw: string): ParsedQuery {
  const items: Array<[string, string | null]> = [];
  if (raw)
    for (const part of raw.split('&')) {
      if (!part) continue;
      const i = part.indexOf('=');
      const dec = (x: string) => decodeURIComponent(x.replace(/\+/g, '%20'));
      if (i < 0) items.push([dec(part), null]);
      else items.push([dec(part.slice(0, i)), dec(part.slice(i + 1))]);
    }
  return { items, get: (k) => items.find(([a]) => a === k)?.[1] };
}

interface ObjMeta {
  etag: string;
  size: number;
  contentType: string;
  lastModified: string;
  meta: Record<string, string>;
}

export class OssServer implements OssHandle {
  readonly kind = 'oss' as const;
  readonly port: number;
  readonly region = 'oss-cn-beijing';
  readonly bucket = 'harbor-registry';
  readonly accessKeyId = `LTAI${crypto.randomBytes(8).toString('hex')}`;
  readonly accessKeySecret = crypto.randomBytes(15).toString('base64').replace(/[+/=]/g, 'x');
  readonly requests: Array<{ method: string; bucket?: string; key?: string; status: number; auth: 'v1' | 'v4' | 'url' | 'anonymous' }> = [];
  running = false;
  private server?: http.Server;
  private readonly keys = new Map<string, string>();
  private readonly root: string;

  constructor(
    readonly address: string,
    dir: string,
    port = 80,
  ) {
    this.port = port;
    this.root = dir;
    this.keys.set(this.accessKeyId, this.accessKeySecret);
    fs.mkdirSync(path.join(this.root, 'buckets'), { recursive: true });
    this.createBucket(this.bucket);
  }

  get endpoint(): string {
    return `http://${this.address}${this.port === 80 ? '' : `:${this.port}`}`;
  }
  get clientOptions() {
    return {
      region: this.region,
      bucket: this.bucket,
      endpoint: this.endpoint,
      accessKeyId: this.accessKeyId,
      accessKeySecret: this.accessKeySecret,
      secure: false as const,
    };
  }

  /** Add another key pair (e.g. a RAM user's). */
  addKey(k: OssKey): void {
    this.keys.set(k.accessKeyId, k.accessKeySecret);
  }

  createBucket(name: string, setup: BucketSetup = {}): void {
    fs.mkdirSync(path.join(this.root, 'buckets', name, 'objects'), { recursive: true });
    fs.mkdirSync(path.join(this.root, 'buckets', name, 'meta'), { recursive: true });
    fs.mkdirSync(path.join(this.root, 'buckets', name, 'uploads'), { recursive: true });
    // a bucket that exists keeps what it had, apart from what is asked for
    const before = readBucketSettings(this.bdir(name), () => this.defaultSettings(setup.region));
    writeBucketSettings(this.bdir(name), {
      ...before,
      ...(setup.region ? { region: setup.region } : {}),
      ...(setup.acl ? { acl: setup.acl } : {}),
      ...(setup.versioning ? { versioning: setup.versioning } : {}),
      ...(setup.lifecycleXml ? { lifecycle: parseLifecycle(setup.lifecycleXml) } : {}),
    });
  }

  bucketSettings(bucket = this.bucket): BucketSettings {
    return readBucketSettings(this.bdir(bucket), () => this.defaultSettings());
  }

  private defaultSettings(region = this.region): BucketSettings {
    return { region, creationDate: new Date().toISOString(), acl: 'private', storageClass: 'Standard', dataRedundancyType: 'LRS' };
  }

  private updateSettings(bucket: string, change: (s: BucketSettings) => BucketSettings): void {
    writeBucketSettings(this.bdir(bucket), change(this.bucketSettings(bucket)));
  }

  listKeys(bucket = this.bucket): string[] {
    const d = path.join(this.root, 'buckets', bucket, 'objects');
    if (!fs.existsSync(d)) return [];
    return fs
      .readdirSync(d)
      .map((f) => decodeURIComponent(f))
      .sort();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.sendError(res, req, e instanceof OssError ? e : new OssError(500, 'InternalError', String(e)));
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, this.address, () => resolve());
    });
    this.running = true;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const s = this.server;
    this.server = undefined;
    this.running = false;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }

  // ─────────────────────────────── request handling ───────────────────────────────

  private bucketFromHost(host: string | undefined): string | undefined {
    if (!host) return undefined;
    const m = /^([a-z0-9][a-z0-9-]{1,61}[a-z0-9])\.(?:oss-[a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com(?::\d+)?$/i.exec(host);
    return m?.[1];
  }

  /**
   * The region a request is addressed to: the endpoint in its Host (`[bucket.]oss-<region>[-internal].aliyuncs.com`,
   * what ali-oss sends), else the region of its V4 signature's scope; undefined when neither says (an IP address).
   */
  private requestRegion(req: http.IncomingMessage): string | undefined {
    const host = /(?:^|\.)(oss-[a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com(?::\d+)?$/i.exec(req.headers.host ?? '')?.[1];
    if (host) return host.toLowerCase();
    const scope = /Credential=[^/,]+\/\d{8}\/([^/,]+)\/oss\//.exec(req.headers.authorization ?? '')?.[1];
    return scope ? `oss-${scope}` : undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const rawPath = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const query = parseQuery(qi < 0 ? '' : rawUrl.slice(qi + 1));
    let bucket = this.bucketFromHost(req.headers.host);
    let key = decodeURIComponent(rawPath.replace(/^\//, ''));
    if (!bucket && key) {
      // path style: /bucket/key
      const i = key.indexOf('/');
      bucket = i < 0 ? key : key.slice(0, i);
      key = i < 0 ? '' : key.slice(i + 1);
    }
    const method = req.method ?? 'GET';
    const body = await new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => resolve(Buffer.concat(parts)));
      req.on('error', reject);
    });
    const log = {
      method,
      ...(bucket ? { bucket } : {}),
      ...(key ? { key } : {}),
      status: 200,
      auth: 'anonymous' as 'v1' | 'v4' | 'url' | 'anonymous',
    };
    res.on('finish', () => {
      log.status = res.statusCode;
      this.requests.push(log);
    });
    log.auth = this.authenticate(req, method, bucket, key, query);
    await this.dispatch(req, res, method, bucket, key, query, body);
  }

  /** Verify the request's signature; throws OssError on failure. */
  private authenticate(
    req: http.IncomingMessage,
    method: string,
    bucket: string | undefined,
    key: string,
    query: ParsedQuery,
  ): 'v1' | 'v4' | 'url' {
    const h = req.headers;
    const auth = h.authorization;
    const date = (h['x-oss-date'] as string | undefined) ?? h.date;
    if (auth?.startsWith('OSS4-HMAC-SHA256 ')) {
      const m =
        /Credential=([^/,]+)\/(\d{8})\/([^/,]+)\/([^/,]+)\/aliyun_v4_request(?:,\s*AdditionalHeaders=([^,]*))?,\s*Signature=([0-9a-f]+)/.exec(
          auth,
        );
      if (!m) throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.');
      const [, ak, day, region, product, addl, sig] = m as unknown as string[];
      const secret = this.keys.get(ak!);
      if (!secret)
        throw new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
          OSSAccessKeyId: ak!,
        });
      const xdate = h['x-oss-date'] as string | undefined;
      if (!xdate) throw new OssError(403, 'AccessDenied', 'Missing x-oss-date header.');
      this.checkSkew(xdate);
      const additional = addl ? addl.split(';').filter(Boolean) : [];
      const candidates = [true, false].map((emptyAsNull) => {
        const canonical = this.v4Canonical(req, method, bucket, key, query, additional, emptyAsNull);
        const sts = [
          'OSS4-HMAC-SHA256',
          xdate,
          `${day}/${region}/${product}/aliyun_v4_request`,
          crypto.createHash('sha256').update(canonical).digest('hex'),
        ].join('\n');
        let k = crypto.createHmac('sha256', `aliyun_v4${secret}`).update(day!).digest();
        k = crypto.createHmac('sha256', k).update(region!).digest();
        k = crypto.createHmac('sha256', k).update(product!).digest();
        k = crypto.createHmac('sha256', k).update('aliyun_v4_request').digest();
        return { sts, canonical, sig: crypto.createHmac('sha256', k).update(sts).digest('hex') };
      });
      if (candidates.some((c) => c.sig === sig)) return 'v4';
      throw new OssError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        {
          OSSAccessKeyId: ak!,
          SignatureProvided: sig!,
          StringToSign: candidates[0]!.sts,
          CanonicalRequest: candidates[0]!.canonical,
        },
      );
    }
    if (auth?.startsWith('OSS ')) {
      const m = /^OSS ([^:]+):(.+)$/.exec(auth);
      if (!m) throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.');
      const [, ak, sig] = m as unknown as string[];
      const secret = this.keys.get(ak!);
      if (!secret)
        throw new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
          OSSAccessKeyId: ak!,
        });
      if (!date) throw new OssError(403, 'AccessDenied', 'Missing Date header.');
      this.checkSkew(date);
      const tried: string[] = [];
      for (const d of new Set([h['x-oss-date'] as string | undefined, h.date].filter((x): x is string => !!x))) {
        const sts = this.v1StringToSign(req, method, bucket, key, query, d);
        tried.push(sts);
        if (crypto.createHmac('sha1', secret).update(Buffer.from(sts, 'utf8')).digest('base64') === sig) return 'v1';
      }
      throw new OssError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        {
          OSSAccessKeyId: ak!,
          SignatureProvided: sig!,
          StringToSign: tried[0] ?? '',
          StringToSignBytes: Buffer.from(tried[0] ?? '')
            .toString('hex')
            .replace(/(..)/g, '$1 ')
            .trim(),
        },
      );
    }
    const qak = query.get('OSSAccessKeyId');
    if (qak) {
      const secret = this.keys.get(qak);
      if (!secret)
        throw new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
          OSSAccessKeyId: qak,
        });
      const expires = query.get('Expires') ?? '';
      if (Number(expires) * 1000 < Date.now()) throw new OssError(403, 'AccessDenied', 'Request has expired.', { Expires: expires });
      const sts = this.v1StringToSign(req, method, bucket, key, query, expires);
      if (crypto.createHmac('sha1', secret).update(sts).digest('base64') === query.get('Signature')) return 'url';
      throw new OssError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { OSSAccessKeyId: qak, StringToSign: sts },
      );
    }
    throw new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
  }

  private checkSkew(date: string): void {
    let t = Date.parse(date);
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (m) t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (!Number.isFinite(t)) throw new OssError(403, 'AccessDenied', `Invalid date: ${date}`);
    if (Math.abs(Date.now() - t) > 15 * 60_000)
      throw new OssError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
        RequestTime: date,
        ServerTime: new Date().toUTCString(),
      });
  }

  private v1StringToSign(
    req: http.IncomingMessage,
    method: string,
    bucket: string | undefined,
    key: string,
    query: ParsedQuery,
    date: string,
  ): string {
    const h = req.headers;
    const ossHeaders = Object.keys(h)
      .filter((k) => k.startsWith('x-oss-'))
      .sort()
      .map((k) => `${k}:${String(h[k]).trim()}`);
    let resource = bucket ? `/${bucket}/${key}` : '/';
    const subs = query.items.filter(([k]) => V1_SUBRESOURCES.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (subs.length) resource += `?${subs.map(([k, v]) => (v === null || v === '' ? k : `${k}=${v}`)).join('&')}`;
    return [method, h['content-md5'] ?? '', h['content-type'] ?? '', date, ...ossHeaders, resource].join('\n');
  }

  private v4Canonical(
    req: http.IncomingMessage,
    method: string,
    bucket: string | undefined,
    key: string,
    query: ParsedQuery,
    additional: string[],
    emptyAsNull: boolean,
  ): string {
    const h = req.headers;
    const uri = enc(`/${bucket ? `${bucket}/` : ''}${key}`).replace(/%2F/g, '/');
    const q = [...query.items]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => (v === null || (emptyAsNull && v === '') ? enc(k) : `${enc(k)}=${enc(v)}`))
      .join('&');
    const names = new Set(additional);
    for (const k of Object.keys(h)) if (k === 'content-type' || k === 'content-md5' || k.startsWith('x-oss-')) names.add(k);
    const canonHeaders = [...names]
      .sort()
      .map((k) => `${k}:${String(h[k] ?? '').trim()}\n`)
      .join('');
    return [
      method,
      uri,
      q,
      canonHeaders,
      additional.join(';'),
      (h['x-oss-content-sha256'] as string | undefined) ?? 'UNSIGNED-PAYLOAD',
    ].join('\n');
  }

  private sendError(res: http.ServerResponse, req: http.IncomingMessage, e: OssError): void {
    const rid = crypto.randomBytes(12).toString('hex').toUpperCase();
    const extra = Object.entries(e.extra)
      .map(([k, v]) => `  <${k}>${xmlEsc(v)}</${k}>\n`)
      .join('');
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${e.code}</Code>\n  <Message>${xmlEsc(e.message)}</Message>\n  <RequestId>${rid}</RequestId>\n  <HostId>${xmlEsc(String(req.headers.host ?? this.address))}</HostId>\n${extra}</Error>\n`;
    res.writeHead(e.status, {
      'Content-Type': 'application/xml',
      'x-oss-request-id': rid,
      'Content-Length': Buffer.byteLength(body),
      Server: 'AliyunOSS',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private bdir(bucket: string): string {
    return path.join(this.root, 'buckets', bucket);
  }
  private objPath(bucket: string, key: string) {
    return path.join(this.bdir(bucket), 'objects', encodeURIComponent(key));
  }
  private metaPath(bucket: string, key: string) {
    return path.join(this.bdir(bucket), 'meta', encodeURIComponent(key));
  }
  private readMeta(bucket: string, key: string): ObjMeta | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.metaPath(bucket, key), 'utf8')) as ObjMeta;
    } catch {
      return undefined;
    }
  }
  private putObject(bucket: string, key: string, data: Buffer, contentType: string, meta: Record<string, string>, etag?: string): ObjMeta {
    const m: ObjMeta = {
      etag: etag ?? `"${crypto.createHash('md5').update(data).digest('hex').toUpperCase()}"`,
      size: data.length,
      contentType,
      lastModified: new Date().toUTCString(),
      meta,
    };
    const tmp = `${this.objPath(bucket, key)}.tmp-${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, this.objPath(bucket, key));
    fs.writeFileSync(this.metaPath(bucket, key), JSON.stringify(m));
    return m;
  }

  private xml(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    const b = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
    res.writeHead(status, {
      'Content-Type': 'application/xml',
      'Content-Length': Buffer.byteLength(b),
      'x-oss-request-id': crypto.randomBytes(12).toString('hex').toUpperCase(),
      Server: 'AliyunOSS',
      ...headers,
    });
    res.end(b);
  }

  private async dispatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    bucket: string | undefined,
    key: string,
    query: ParsedQuery,
    body: Buffer,
  ): Promise<void> {
    const ridH = { 'x-oss-request-id': crypto.randomBytes(12).toString('hex').toUpperCase(), Server: 'AliyunOSS' };
    if (!bucket) {
      if (method !== 'GET') throw new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      const names = fs.readdirSync(path.join(this.root, 'buckets')).sort();
      return this.xml(
        res,
        200,
        `<ListAllMyBucketsResult>\n  <Owner><ID>lab</ID><DisplayName>lab</DisplayName></Owner>\n  <Buckets>\n${names
          .map((n) => {
            const b = this.bucketSettings(n);
            return `    <Bucket><CreationDate>${b.creationDate}</CreationDate><ExtranetEndpoint>${b.region}.aliyuncs.com</ExtranetEndpoint><IntranetEndpoint>${b.region}-internal.aliyuncs.com</IntranetEndpoint><Location>${b.region}</Location><Name>${n}</Name><Region>${b.region.replace(/^oss-/, '')}</Region><StorageClass>${b.storageClass}</StorageClass></Bucket>`;
          })
          .join('\n')}\n  </Buckets>\n</ListAllMyBucketsResult>`,
      );
    }
    const exists = fs.existsSync(this.bdir(bucket));
    if (!key) {
      // bucket operations
      if (method === 'PUT' && query.items.length === 0) return this.putBucket(req, res, bucket, body, ridH);
      if (!exists) throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: bucket });
      if (this.bucketSetting(req, res, method, bucket, query, body, ridH)) return;
      this.checkEndpoint(req, bucket);
      if (method === 'DELETE' && query.items.length === 0) {
        if (this.listKeys(bucket).length)
          throw new OssError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', { BucketName: bucket });
        fs.rmSync(this.bdir(bucket), { recursive: true, force: true });
        res.writeHead(204, ridH);
        return void res.end();
      }
      if (method === 'POST' && query.get('delete') !== undefined) {
        const keys = [...body.toString('utf8').matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) =>
          m[1]!
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&quot;/g, '"')
            .replace(/&amp;/g, '&'),
        );
        for (const k of keys) {
          fs.rmSync(this.objPath(bucket, k), { force: true });
          fs.rmSync(this.metaPath(bucket, k), { force: true });
        }
        const quiet = /<Quiet>true<\/Quiet>/i.test(body.toString());
        return this.xml(
          res,
          200,
          `<DeleteResult>\n${quiet ? '' : keys.map((k) => `  <Deleted><Key>${xmlEsc(k)}</Key></Deleted>`).join('\n')}\n</DeleteResult>`,
        );
      }
      if (method === 'GET' || method === 'HEAD') return this.listObjects(res, bucket, query);
      throw new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    if (!exists) throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: bucket });
    this.checkEndpoint(req, bucket);
    const uploadId = query.get('uploadId');
    // multipart
    if (method === 'POST' && query.get('uploads') !== undefined) {
      const id = crypto.randomBytes(16).toString('hex').toUpperCase();
      fs.mkdirSync(path.join(this.bdir(bucket), 'uploads', id), { recursive: true });
      fs.writeFileSync(
        path.join(this.bdir(bucket), 'uploads', id, 'info.json'),
        JSON.stringify({ key, contentType: req.headers['content-type'] ?? 'application/octet-stream' }),
      );
      return this.xml(
        res,
        200,
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlEsc(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (uploadId) {
      const udir = path.join(this.bdir(bucket), 'uploads', uploadId.replace(/[^A-F0-9]/gi, ''));
      if (!fs.existsSync(udir))
        throw new OssError(
          404,
          'NoSuchUpload',
          'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
          { UploadId: uploadId },
        );
      if (method === 'PUT') {
        const n = Number(query.get('partNumber'));
        fs.writeFileSync(path.join(udir, `part-${String(n).padStart(5, '0')}`), body);
        const etag = `"${crypto.createHash('md5').update(body).digest('hex').toUpperCase()}"`;
        res.writeHead(200, { ...ridH, ETag: etag });
        return void res.end();
      }
      if (method === 'DELETE') {
        fs.rmSync(udir, { recursive: true, force: true });
        res.writeHead(204, ridH);
        return void res.end();
      }
      if (method === 'POST') {
        const info = JSON.parse(fs.readFileSync(path.join(udir, 'info.json'), 'utf8')) as { contentType: string };
        const nums = [...body.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
        const parts = nums.map((n) => {
          const p = path.join(udir, `part-${String(n).padStart(5, '0')}`);
          if (!fs.existsSync(p)) throw new OssError(400, 'InvalidPart', 'One or more of the specified parts could not be found.');
          return fs.readFileSync(p);
        });
        const md5s = Buffer.concat(parts.map((p) => crypto.createHash('md5').update(p).digest()));
        const etag = `"${crypto.createHash('md5').update(md5s).digest('hex').toUpperCase()}-${parts.length}"`;
        this.putObject(bucket, key, Buffer.concat(parts), info.contentType, {}, etag);
        fs.rmSync(udir, { recursive: true, force: true });
        return this.xml(
          res,
          200,
          `<CompleteMultipartUploadResult><Location>http://${bucket}.${this.region}.aliyuncs.com/${xmlEsc(key)}</Location><Bucket>${bucket}</Bucket><Key>${xmlEsc(key)}</Key><ETag>${etag}</ETag></CompleteMultipartUploadResult>`,
        );
      }
    }
    if (method === 'PUT') {
      const meta: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('x-oss-meta-')) meta[k] = String(v);
      const src = req.headers['x-oss-copy-source'] as string | undefined;
      if (src) {
        const s = decodeURIComponent(src.replace(/^\//, ''));
        const i = s.indexOf('/');
        const [sb, sk] = [s.slice(0, i), s.slice(i + 1)];
        const sm = this.readMeta(sb, sk);
        if (!sm) throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: sk });
        const m = this.putObject(bucket, key, fs.readFileSync(this.objPath(sb, sk)), sm.contentType, sm.meta);
        return this.xml(
          res,
          200,
          `<CopyObjectResult><ETag>${m.etag}</ETag><LastModified>${new Date().toISOString()}</LastModified></CopyObjectResult>`,
        );
      }
      const md5 = req.headers['content-md5'];
      if (md5 && crypto.createHash('md5').update(body).digest('base64') !== md5)
        throw new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
      const m = this.putObject(bucket, key, body, String(req.headers['content-type'] ?? 'application/octet-stream'), meta);
      res.writeHead(200, { ...ridH, ETag: m.etag, 'Content-Length': 0 });
      return void res.end();
    }
    if (method === 'GET' || method === 'HEAD') {
      const m = this.readMeta(bucket, key);
      if (!m) throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
      const headers: Record<string, string | number> = {
        ...ridH,
        ETag: m.etag,
        'Last-Modified': m.lastModified,
        'Content-Type': m.contentType,
        'Accept-Ranges': 'bytes',
        ...m.meta,
      };
      const range = req.headers.range && /^bytes=(\d*)-(\d*)$/.exec(req.headers.range);
      if (range && method === 'GET') {
        const start = range[1] ? Number(range[1]) : Math.max(0, m.size - Number(range[2]));
        const end = range[1] && range[2] ? Math.min(Number(range[2]), m.size - 1) : m.size - 1;
        if (start >= m.size) throw new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied.');
        res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${m.size}`, 'Content-Length': end - start + 1 });
        fs.createReadStream(this.objPath(bucket, key), { start, end }).pipe(res);
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': m.size });
      if (method === 'HEAD') return void res.end();
      fs.createReadStream(this.objPath(bucket, key)).pipe(res);
      return;
    }
    if (method === 'DELETE') {
      fs.rmSync(this.objPath(bucket, key), { force: true });
      fs.rmSync(this.metaPath(bucket, key), { force: true });
      res.writeHead(204, ridH);
      return void res.end();
    }
    throw new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  /**
   * A bucket lives in one region; requests for it through another region's endpoint are refused with the endpoint to
   * use, as OSS does. GetBucketInfo and GetBucketLocation are answered from any endpoint (Aliyun's API reference says
   * so of both), which is how a client learns where a bucket is.
   */
  private checkEndpoint(req: http.IncomingMessage, bucket: string): void {
    const asked = this.requestRegion(req);
    const { region } = this.bucketSettings(bucket);
    if (asked && asked !== region)
      throw new OssError(
        403,
        'AccessDenied',
        'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
        { Bucket: bucket, Endpoint: `${region}.aliyuncs.com` },
      );
  }

  /** PutBucket: a new bucket in the region of the endpoint it was sent to, with the ACL and storage class asked for. */
  private putBucket(req: http.IncomingMessage, res: http.ServerResponse, bucket: string, body: Buffer, ridH: Record<string, string>): void {
    checkBucketName(bucket);
    const acl = req.headers['x-oss-acl'] === undefined ? 'private' : checkAcl(String(req.headers['x-oss-acl']));
    const config = parseCreateBucketConfiguration(body.toString('utf8'));
    // names are global: taken in any region (this lab has one account, so it is always "taken")
    if (fs.existsSync(this.bdir(bucket)))
      throw new OssError(409, 'BucketAlreadyExists', 'The requested bucket name is not available.', { BucketName: bucket });
    this.createBucket(bucket, { region: this.requestRegion(req) ?? this.region, acl });
    this.updateSettings(bucket, (s) => ({ ...s, ...config }));
    res.writeHead(200, { ...ridH, Location: `/${bucket}` });
    res.end();
  }

  /**
   * The bucket's settings: bucketInfo, location, acl, versioning, lifecycle. Returns false when the request is none
   * of these.
   */
  private bucketSetting(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    bucket: string,
    query: ParsedQuery,
    body: Buffer,
    ridH: Record<string, string>,
  ): boolean {
    const has = (sub: string) => query.get(sub) !== undefined;
    const done = (status: number) => {
      res.writeHead(status, ridH);
      res.end();
      return true;
    };
    const s = this.bucketSettings(bucket);
    if (method === 'GET' && has('bucketInfo')) {
      this.xml(
        res,
        200,
        `<BucketInfo><Bucket><AccessMonitor>Disabled</AccessMonitor><CreationDate>${s.creationDate}</CreationDate><ExtranetEndpoint>${s.region}.aliyuncs.com</ExtranetEndpoint><IntranetEndpoint>${s.region}-internal.aliyuncs.com</IntranetEndpoint><Location>${s.region}</Location><StorageClass>${s.storageClass}</StorageClass><TransferAcceleration>Disabled</TransferAcceleration><CrossRegionReplication>Disabled</CrossRegionReplication><DataRedundancyType>${s.dataRedundancyType}</DataRedundancyType><Name>${bucket}</Name><ResourceGroupId>rg-default-id</ResourceGroupId><Owner><DisplayName>lab</DisplayName><ID>lab</ID></Owner><AccessControlList><Grant>${s.acl}</Grant></AccessControlList>${s.versioning ? `<Versioning>${s.versioning}</Versioning>` : ''}<ServerSideEncryptionRule><SSEAlgorithm>None</SSEAlgorithm></ServerSideEncryptionRule></Bucket></BucketInfo>`,
      );
      return true;
    }
    if (method === 'GET' && has('location')) {
      this.xml(res, 200, `<LocationConstraint>${s.region}</LocationConstraint>`);
      return true;
    }
    const sub = ['acl', 'versioning', 'lifecycle'].find(has);
    if (!sub) return false;
    this.checkEndpoint(req, bucket);
    if (sub === 'acl' && method === 'GET') {
      this.xml(
        res,
        200,
        `<AccessControlPolicy><Owner><ID>lab</ID><DisplayName>lab</DisplayName></Owner><AccessControlList><Grant>${s.acl}</Grant></AccessControlList></AccessControlPolicy>`,
      );
      return true;
    }
    if (sub === 'acl' && method === 'PUT') {
      const acl = checkAcl(String(req.headers['x-oss-acl'] ?? ''));
      this.updateSettings(bucket, (x) => ({ ...x, acl }));
      return done(200);
    }
    // Versioning: absent until first set (OSS answers an empty configuration then); once enabled it can only be
    // suspended, which PutBucketVersioning's two values already ensure.
    if (sub === 'versioning' && method === 'GET') {
      this.xml(res, 200, `<VersioningConfiguration>${s.versioning ? `<Status>${s.versioning}</Status>` : ''}</VersioningConfiguration>`);
      return true;
    }
    if (sub === 'versioning' && method === 'PUT') {
      const versioning = parseVersioning(body.toString('utf8'));
      this.updateSettings(bucket, (x) => ({ ...x, versioning }));
      return done(200);
    }
    if (sub === 'lifecycle' && method === 'GET') {
      if (!s.lifecycle) throw new OssError(404, 'NoSuchLifecycle', 'No Row found in Lifecycle Table.', { BucketName: bucket });
      this.xml(res, 200, lifecycleXml(s.lifecycle));
      return true;
    }
    if (sub === 'lifecycle' && method === 'PUT') {
      const lifecycle: XmlNode[] = parseLifecycle(body.toString('utf8'));
      this.updateSettings(bucket, (x) => ({ ...x, lifecycle }));
      return done(200);
    }
    if (sub === 'lifecycle' && method === 'DELETE') {
      this.updateSettings(bucket, ({ lifecycle: _gone, ...x }) => x);
      return done(204);
    }
    throw new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  private listObjects(res: http.ServerResponse, bucket: string, q: ParsedQuery): void {
    const v2 = q.get('list-type') === '2';
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const max = Math.min(Number(q.get('max-keys') ?? 100) || 100, 1000);
    const after =
      (v2
        ? q.get('continuation-token')
          ? Buffer.from(q.get('continuation-token')!, 'base64').toString()
          : q.get('start-after')
        : q.get('marker')) ?? '';
    const contents: string[] = [];
    const prefixes = new Set<string>();
    let truncated = false;
    let last = '';
    for (const k of this.listKeys(bucket)) {
      if (!k.startsWith(prefix) || (after && k <= after)) continue;
      if (contents.length + prefixes.size >= max) {
        truncated = true;
        break;
      }
      if (delimiter) {
        const rest = k.slice(prefix.length);
        const i = rest.indexOf(delimiter);
        if (i >= 0) {
          prefixes.add(prefix + rest.slice(0, i + delimiter.length));
          last = k;
          continue;
        }
      }
      const m = this.readMeta(bucket, k)!;
      contents.push(
        `  <Contents><Key>${xmlEsc(k)}</Key><LastModified>${new Date(m.lastModified).toISOString()}</LastModified><ETag>${m.etag}</ETag><Type>Normal</Type><Size>${m.size}</Size><StorageClass>Standard</StorageClass><Owner><ID>lab</ID><DisplayName>lab</DisplayName></Owner></Contents>`,
      );
      last = k;
    }
    const next = truncated
      ? v2
        ? `<NextContinuationToken>${Buffer.from(last).toString('base64')}</NextContinuationToken>`
        : `<NextMarker>${xmlEsc(last)}</NextMarker>`
      : '';
    this.xml(
      res,
      200,
      `<ListBucketResult>\n  <Name>${bucket}</Name>\n  <Prefix>${xmlEsc(prefix)}</Prefix>\n  ${v2 ? `<KeyCount>${contents.length + prefixes.size}</KeyCount>` : `<Marker>${xmlEsc(after)}</Marker>`}\n  <MaxKeys>${max}</MaxKeys>\n  <Delimiter>${xmlEsc(delimiter)}</Delimiter>\n  <IsTruncated>${truncated}</IsTruncated>\n  ${next}\n${contents.join('\n')}\n${[...prefixes].map((p) => `  <CommonPrefixes><Prefix>${xmlEsc(p)}</Prefix></CommonPrefixes>`).join('\n')}\n</ListBucketResult>`,
    );
  }
}
