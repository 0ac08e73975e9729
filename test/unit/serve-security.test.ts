/**
 * Serve mode's checks on their own, with the inputs a browser or an attacker's page sends: the token (query or
 * cookie), the Host header against DNS rebinding, the Origin of a WebSocket. The whole server is in serve.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  allowedHosts,
  cookieToken,
  isLoopback,
  newToken,
  originAllowed,
  RENDERER_CSP,
  TOKEN_COOKIE,
  tokenMatches,
} from '../../electron/core/serve/security';

describe('the serve token', () => {
  it('is 32 random bytes in base64url, different each time', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(a);
  });

  it('matches only itself: not a prefix, an extension, another case, or a string of equal length in characters but not bytes', () => {
    const t = newToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t, t.slice(0, -1))).toBe(false);
    expect(tokenMatches(t, `${t}x`)).toBe(false);
    expect(tokenMatches(t, t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase())).toBe(false);
    expect(tokenMatches(t, `${t.slice(0, -1)}é`)).toBe(false);
    expect(tokenMatches(t, '')).toBe(false);
    expect(tokenMatches(t, null)).toBe(false);
    expect(tokenMatches(t, undefined)).toBe(false);
    expect(tokenMatches(t, 42 as unknown as string)).toBe(false);
  });

  it('is read from its own cookie only, trimmed, whatever else the header carries', () => {
    expect(cookieToken(undefined)).toBeUndefined();
    expect(cookieToken('')).toBeUndefined();
    expect(cookieToken(`${TOKEN_COOKIE}=abc`)).toBe('abc');
    expect(cookieToken(`theme=dark; ${TOKEN_COOKIE}=abc ; lang=en`)).toBe('abc');
    // A value may itself hold "=" (only the first one separates the name).
    expect(cookieToken(`${TOKEN_COOKIE}=a=b`)).toBe('a=b');
    expect(cookieToken(`x${TOKEN_COOKIE}=abc; ${TOKEN_COOKIE}x=def`)).toBeUndefined();
    expect(cookieToken(`=abc; ${TOKEN_COOKIE}`)).toBeUndefined();
    expect(cookieToken(`other=${TOKEN_COOKIE}=abc`)).toBeUndefined();
    // A part without "=" is no cookie at all, even when it starts with the name.
    expect(cookieToken(`${TOKEN_COOKIE}x`)).toBeUndefined();
    expect(cookieToken(`a=b; ${TOKEN_COOKIE}`)).toBeUndefined();
  });
});

describe('Host and Origin', () => {
  it('knows loopback addresses, with or without brackets, and nothing else', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.255.0.9')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('127.example.com')).toBe(false);
    expect(isLoopback('localhost.example.com')).toBe(false);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('::2')).toBe(false);
    expect(isLoopback('10.127.0.1')).toBe(false);
    // Only one pair of brackets around the whole address is taken off.
    expect(isLoopback('127.0.[0.1')).toBe(false);
    expect(isLoopback('127.0.0.1]1')).toBe(false);
    expect(isLoopback('[127.0.0.1')).toBe(true);
  });

  it('answers the bound address, and on loopback also localhost and 127.0.0.1, each with the port', () => {
    expect([...allowedHosts('127.0.0.1', 8080)].sort()).toEqual(['127.0.0.1:8080', 'localhost:8080']);
    expect([...allowedHosts('::1', 8080)].sort()).toEqual(['127.0.0.1:8080', '[::1]:8080', 'localhost:8080']);
    expect([...allowedHosts('192.168.1.5', 8080)]).toEqual(['192.168.1.5:8080']);
    expect([...allowedHosts('Harbor-Deployer.example', 80)]).toEqual(['harbor-deployer.example:80']);
  });

  it('accepts only the Origin of a page this server served to an allowed Host', () => {
    const hosts = allowedHosts('127.0.0.1', 8080);
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', hosts)).toBe(true);
    expect(originAllowed('http://localhost:8080', 'LOCALHOST:8080', hosts)).toBe(true);
    // A rebound name: the Host is not ours, even though the Origin agrees with it.
    expect(originAllowed('http://evil.example:8080', 'evil.example:8080', hosts)).toBe(false);
    // Another page in the browser, or another scheme or port.
    expect(originAllowed('http://evil.example', '127.0.0.1:8080', hosts)).toBe(false);
    expect(originAllowed('https://127.0.0.1:8080', '127.0.0.1:8080', hosts)).toBe(false);
    expect(originAllowed('http://127.0.0.1:8081', '127.0.0.1:8080', hosts)).toBe(false);
    expect(originAllowed('http://localhost:8080', '127.0.0.1:8080', hosts)).toBe(false);
    expect(originAllowed(undefined, '127.0.0.1:8080', hosts)).toBe(false);
    expect(originAllowed('http://127.0.0.1:8080', undefined, hosts)).toBe(false);
    expect(originAllowed('null', '127.0.0.1:8080', hosts)).toBe(false);
  });

  it('the renderer CSP allows our own scripts only, no framing, no plugins', () => {
    const directives = new Map(RENDERER_CSP.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
  });
});
