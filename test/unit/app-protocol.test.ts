/**
 * Electron loads the renderer from `app://harbor/` (electron/main/protocol.ts). The renderer is
 * split into chunks fetched on demand, so every chunk the built app can ask for, however deep,
 * must come back from that handler with a type the browser executes as a module or applies as a
 * stylesheet, under the CSP that lets same-origin scripts run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveRendererFile } from '../../electron/main/protocol';
import { projectRoot } from '../helpers/serve';

const rendererDir = join(projectRoot, 'out', 'renderer');
const TYPE = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const;

/** Asset names a file refers to: `./assets/x.js` in the HTML, `./x.js` between chunks. */
function references(text: string): string[] {
  return [...text.matchAll(/["'(]\.\/(?:assets\/)?([\w.-]+\.(?:js|css))["')]/g)].map((m) => m[1]!);
}

describe('the app:// protocol over the built renderer', () => {
  it('serves every chunk reachable from index.html as a module script or stylesheet, under the CSP', async () => {
    const index = await serveRendererFile(rendererDir, 'app://harbor/');
    expect(index.status).toBe(200);
    const html = await index.text();
    const entry = references(html);
    const seen = new Set<string>();
    const queue = [...entry];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const response = await serveRendererFile(rendererDir, `app://harbor/assets/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('Content-Type'), name).toBe(TYPE[name.endsWith('.js') ? 'js' : 'css']);
      expect(response.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
      if (name.endsWith('.js')) queue.push(...references(await response.text()));
    }
    // The pages are chunks of their own, reached only through the entry's dynamic imports.
    const script = (text: string) =>
      [...seen].filter((n) => n.endsWith('.js') && readFileSync(join(rendererDir, 'assets', n), 'utf8').includes(text));
    const terminals = script('xterm-helper-textarea');
    expect(terminals).toHaveLength(1);
    expect(entry).not.toContain(terminals[0]);
    expect(seen.size).toBeGreaterThan(entry.length);
  });
});
