/**
 * The lab cloud's HTTPS endpoint: one address for every product, as the SDKs are pointed at it. Each request is
 * verified (ACS3-HMAC-SHA256), routed by `x-acs-version` to a product and by `x-acs-action` to an action, authorised
 * by RAM, then run with the RPC parameters of the query string and the form body together. Answers are JSON with
 * `RequestId`, errors in Aliyun's shape. Actions run one at a time: each is a small state change that may drive
 * HAProxy, and Aliyun's own answers are never interleaved halves.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NonceCache, decodePairs, verifyAcs3 } from './acs3';
import { AcsError, errorBody, gatewayErrors as E, newRequestId } from './errors';
import type { Product } from './product';
import type { Ram } from './ram';

export interface RequestLogEntry {
  action: string;
  /** the product code, or '' when the version is unknown */
  product: string;
  /** the key id the request claimed (never its secret) */
  accessKeyId: string;
  /** `OK`, or the error code answered */
  code: string;
  status: number;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** the Credential of an Authorization header, for the log, whether or not the request verifies */
const claimedKey = (auth: string | undefined) => /Credential=([^,\s]+)/.exec(auth ?? '')?.[1] ?? '';

export class CloudServer {
  readonly log: RequestLogEntry[] = [];
  private readonly nonces = new NonceCache();
  private readonly server: https.Server;
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly opts: { address: string; port: number; certPem: string; keyPem: string; ram: Ram; products: readonly Product[] },
  ) {
    this.server = https.createServer({ cert: opts.certPem, key: opts.keyPem }, (req, res) => void this.handle(req, res));
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.address, () => resolve());
    });
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** one action after the other */
  private serial<T>(f: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const action = String(req.headers['x-acs-action'] ?? '');
    const version = String(req.headers['x-acs-version'] ?? '');
    const product = this.opts.products.find((p) => p.version === version);
    const entry: RequestLogEntry = {
      action,
      product: product?.code ?? '',
      accessKeyId: claimedKey(req.headers.authorization),
      code: 'OK',
      status: 200,
    };
    let status = 200;
    let body: Record<string, unknown>;
    try {
      const raw = await readBody(req);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const signed = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: raw,
      };
      const keyId = verifyAcs3(signed, (id) => this.opts.ram.secretOf(id), this.nonces);
      const token = req.headers['x-acs-security-token'];
      this.opts.ram.checkToken(keyId, Array.isArray(token) ? token.join(',') : token);
      if (!product) throw E.unknownVersion(version);
      const run = product.actions[action];
      if (!run) throw E.unknownAction();
      this.opts.ram.authorize(keyId, `${product.ramService}:${action}`);
      const params: Record<string, string> = Object.fromEntries(decodePairs(signed.rawQuery));
      if (/^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? '')))
        Object.assign(params, Object.fromEntries(decodePairs(raw.toString('utf8'))));
      body = { RequestId: requestId, ...(await this.serial(() => run(params))) };
    } catch (e) {
      const err =
        e instanceof AcsError
          ? e
          : new AcsError(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.');
      if (!(e instanceof AcsError)) console.error(`lab cloud: ${action}: ${(e as Error).message}`);
      status = err.status;
      entry.code = err.code;
      body = errorBody(err, requestId, String(req.headers.host ?? this.opts.address), entry.product);
    }
    entry.status = status;
    this.log.push(entry);
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json;charset=utf-8',
      'x-acs-request-id': requestId,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}
