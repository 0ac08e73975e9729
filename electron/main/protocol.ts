/**
 * Serves the built renderer from `app://harbor/` instead of file://, so the page has an origin of
 * its own (the IPC trust rule checks it), gets our CSP as a real header and can read nothing
 * outside the renderer folder.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { RENDERER_CSP } from '../core/serve/security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** Answers one `app://harbor/...` request from `rendererDir`. */
export async function serveRendererFile(rendererDir: string, requestUrl: string): Promise<Response> {
  const root = resolve(rendererDir);
  const url = new URL(requestUrl);
  const headers = {
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
  };
  if (url.host !== 'harbor') return new Response('Not found', { status: 404, headers });
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return new Response('Bad request', { status: 400, headers });
  }
  let file = normalize(join(root, rel === '/' ? 'index.html' : rel));
  if (!file.startsWith(root + sep)) return new Response('Not found', { status: 404, headers });
  if (!extname(file)) file = join(root, 'index.html');
  try {
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' } });
  } catch {
    return new Response('Not found', { status: 404, headers });
  }
}
