/** `npm start` and the built bundles, as a fresh machine without the Electron binary sees them. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/serve';

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('npm start without the Electron binary', () => {
  it('says so in one line and serves the app at the URL it prints', async () => {
    const child = spawn(process.execPath, [join(projectRoot, 'build', 'start.mjs')], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        ELECTRON_OVERRIDE_DIST_PATH: join(tmpdir(), 'no-electron-here'),
        HARBOR_HA_DATA_DIR: mkdtempSync(join(tmpdir(), 'harbor-start-')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed; output so far:\n${out}`)), 60_000);
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          const m = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
      });
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^Electron binary not found .*starting serve mode instead/);
      expect(await status(url)).toBe(303);
      expect(await status(url.replace(/\?token=.*/, ''))).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);
});

describe('the built bundles', () => {
  it('has a single-file CommonJS preload that requires nothing but electron', () => {
    const preload = readFileSync(join(projectRoot, 'out', 'preload', 'index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('exposeInMainWorld');
    expect(preload.length).toBeLessThan(20_000);
  });

  it('loads only CommonJS packages and Node built-ins at run time (ESM-only packages are bundled)', async () => {
    const { builtinModules, createRequire } = await import('node:module');
    const buildScript = pathToFileURL(join(projectRoot, 'build', 'build.mjs')).href;
    const { RUNTIME_PACKAGES } = (await import(buildScript)) as { RUNTIME_PACKAGES: string[] };
    const declared = (name: string) => RUNTIME_PACKAGES.some((p) => p === name || (p.endsWith('/*') && name.startsWith(p.slice(0, -1))));
    // Inside the source ajv generates for standalone validators (conf bundles ajv; we pass no schema).
    const generated = new Set(['ajv', 'ajv-formats']);
    const fromRoot = createRequire(join(projectRoot, 'package.json'));
    for (const bundle of ['main/index.cjs', 'serve/index.cjs']) {
      const text = readFileSync(join(projectRoot, 'out', bundle), 'utf8');
      const required = new Set(
        [...text.matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)].map((m) => {
          const parts = m[1]!.replace(/^node:/, '').split('/');
          return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
        }),
      );
      const packages = [...required].filter((r) => !builtinModules.includes(r) && !generated.has(r));
      expect(
        packages.filter((r) => !declared(r)),
        bundle,
      ).toEqual([]);
      // What stays external must be CommonJS (electron is the host itself; optional native parts may be absent).
      for (const name of packages.filter((r) => r !== 'electron')) {
        let manifest: string;
        try {
          manifest = fromRoot.resolve(`${name}/package.json`);
        } catch {
          continue;
        }
        expect((JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type, name).not.toBe('module');
      }
    }
  });

  it('loads the main process bundle as CommonJS', () => {
    const main = readFileSync(join(projectRoot, 'out', 'main', 'index.cjs'), 'utf8');
    expect(main).toContain('requestSingleInstanceLock');
    expect(main).toContain('contextIsolation: true');
    expect(main).toContain('sandbox: true');
  });
});

describe('serve mode with a damaged data folder', () => {
  it('says which file is damaged and what to do, and changes nothing', async () => {
    const { writeFileSync, readFileSync: read } = await import('node:fs');
    const dataDir = mkdtempSync(join(tmpdir(), 'harbor-damaged-'));
    writeFileSync(join(dataDir, 'vault.json'), '{"format": "not ours"');
    const child = spawn(process.execPath, [join(projectRoot, 'out', 'serve', 'index.cjs')], {
      env: { ...process.env, HARBOR_HA_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain(join(dataDir, 'vault.json'));
    expect(err).toMatch(/damaged|损坏/);
    expect(read(join(dataDir, 'vault.json'), 'utf8')).toBe('{"format": "not ours"');
  }, 30_000);
});
