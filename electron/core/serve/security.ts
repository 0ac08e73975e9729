/**
 * The checks that keep serve mode private to whoever holds the printed URL: a random token
 * (query once, then an HttpOnly cookie), a Host allow-list against DNS rebinding, and an Origin
 * check on the WebSocket so no other web page can drive the core.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export const TOKEN_COOKIE = 'harbor_token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares as bytes: a string of the right length in characters can be longer in UTF-8 (a header
 * byte such as 0xE9 arrives as "é"), and timingSafeEqual throws on buffers of different lengths.
 */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name is UTF-8
  const a = Buffer.from(given, 'utf8');
  // Stryker disable next-line StringLiteral: equivalent, as above
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    // Stryker disable next-line EqualityOperator: equivalent for eq = 0, whose empty name is never the cookie's
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** The `Host` header values this server answers to: the bound address, plus localhost names when on loopback. */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const hosts = new Set<string>();
  const add = (h: string) => hosts.add(`${isIP(h) === 6 ? `[${h}]` : h}:${port}`.toLowerCase());
  add(bindHost);
  if (isLoopback(bindHost)) {
    add('localhost');
    add('127.0.0.1');
  }
  return hosts;
}

/** The one Origin a browser sends from a page this server served to that Host. */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined, hosts: Set<string>): boolean {
  if (!origin || !hostHeader) return false;
  const host = hostHeader.toLowerCase();
  return hosts.has(host) && origin.toLowerCase() === `http://${host}`;
}

/** Content-Security-Policy for the renderer: only our own scripts, no inline script, no framing. */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // antd's CSS-in-JS writes <style> elements at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
