/**
 * Server-side verification of Aliyun's V3 signature, ACS3-HMAC-SHA256, as Aliyun's "request syntax and signature
 * method V3" documents it:
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(hmac-sha256(AccessKeySecret, StringToSign))
 *   Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b;c>,Signature=<hex>
 *
 * Every common header present (host, x-acs-*, content-type; Authorization excepted) must be among the signed ones,
 * `x-acs-content-sha256` must be the hex sha256 of the body as received, `x-acs-date` within 15 minutes of now and
 * `x-acs-signature-nonce` unseen within that window. Written from the documentation; the app side signs with the
 * official SDK, so the lab's tests prove both agree.
 */
import crypto from 'node:crypto';
import { gatewayErrors as E } from './errors';

export const ALGORITHM = 'ACS3-HMAC-SHA256';
/** How far x-acs-date may be from the server's clock, and how long a nonce is remembered. */
export const DATE_WINDOW_MS = 15 * 60_000;

export interface SignedRequest {
  method: string;
  /** path without the query, as sent */
  path: string;
  /** the raw query string after `?` (may be empty) */
  rawQuery: string;
  /** header names lower-case, as node gives them */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Query pairs decoded (`+` is a space in application/x-www-form-urlencoded, as Node's querystring sends it). */
export function decodePairs(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const i = p.indexOf('=');
      const dec = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          throw E.invalidParameter(s, 'It is not well percent-encoded.');
        }
      };
      return i < 0 ? [dec(p), ''] : [dec(p.slice(0, i)), dec(p.slice(i + 1))];
    });
}

export function canonicalQueryString(raw: string): string {
  return decodePairs(raw)
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(h: string | string[] | undefined): string | undefined {
  if (h === undefined) return undefined;
  return Array.isArray(h) ? h.map((x) => x.trim()).join(',') : h.trim();
}

/** Headers that must be signed when present: host, content-type and every x-acs-* one. */
const mustSign = (name: string) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-');

export interface Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(value: string | undefined): Authorization {
  if (!value) throw E.missingHeader('Authorization');
  const sp = value.indexOf(' ');
  const alg = sp < 0 ? value : value.slice(0, sp);
  if (alg !== ALGORITHM) throw E.unsupportedAlgorithm(alg);
  const fields = new Map<string, string>();
  for (const part of value.slice(sp + 1).split(',')) {
    const i = part.indexOf('=');
    if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signed = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signed || !signature) throw E.incompleteSignature('Authorization needs Credential, SignedHeaders and Signature.');
  return { accessKeyId, signedHeaders: signed.split(';'), signature };
}

/** Remembers nonces for the date window; a second use within it is a replay. */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  /** false when the nonce was seen within the window */
  use(nonce: string, now: number): boolean {
    for (const [n, until] of this.seen) if (until < now) this.seen.delete(n);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now + DATE_WINDOW_MS);
    return true;
  }
}

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Verify a request; answers the access key id it was signed with, or throws the AcsError Aliyun would answer.
 * Order as the gateway checks: headers present, key known, date fresh, payload hash, signature, then the nonce (a
 * request that fails verification does not use up its nonce).
 */
export function verifyAcs3(
  req: SignedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  nonces: NonceCache,
  now = Date.now(),
): string {
  const h = (n: string) => headerValue(req.headers[n]);
  const auth = parseAuthorization(h('authorization'));
  for (const name of ['x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'host'])
    if (!h(name)) throw E.missingHeader(name);
  const secret = secretOf(auth.accessKeyId);
  if (secret === undefined) throw E.keyNotFound();

  const date = h('x-acs-date')!;
  if (!ISO_SECONDS.test(date)) throw E.timestampFormat();
  if (Math.abs(Date.parse(date) - now) > DATE_WINDOW_MS) throw E.timestampExpired();

  const payloadHash = crypto.createHash('sha256').update(req.body).digest('hex');
  if (h('x-acs-content-sha256')!.toLowerCase() !== payloadHash) throw E.contentHashMismatch();

  const signed = auth.signedHeaders.map((x) => x.toLowerCase());
  const sorted = [...signed].sort();
  if (signed.join(';') !== sorted.join(';')) throw E.incompleteSignature('SignedHeaders must be sorted.');
  for (const name of Object.keys(req.headers))
    if (name !== 'authorization' && mustSign(name) && !signed.includes(name)) throw E.incompleteSignature(`Header ${name} must be signed.`);
  const canonicalHeaders = signed.map((n) => `${n}:${h(n) ?? ''}\n`).join('');

  const canonicalUri = req.path || '/';
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri,
    canonicalQueryString(req.rawQuery),
    canonicalHeaders,
    signed.join(';'),
    h('x-acs-content-sha256')!.toLowerCase(),
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${crypto.createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = crypto.createHmac('sha256', secret).update(stringToSign).digest('hex');
  const given = auth.signature.toLowerCase();
  if (given.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
    throw E.signatureMismatch(stringToSign);

  if (!nonces.use(h('x-acs-signature-nonce')!, now)) throw E.nonceUsed();
  return auth.accessKeyId;
}
