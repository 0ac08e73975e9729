/**
 * Harbor offline installers built by the lab from Harbor's own release files (`../shared/harbor-release`, see
 * harbor-release.ts) as the Makefiles package them, with a stand-in image bundle (no image can be run here), cached
 * under /var/cache/harbor-lab (HARBOR_LAB_CACHE) keyed by their content. The `goharbor/prepare` image's application
 * folder is built beside the installer, and so is the `goharbor/harbor-core` image's working directory (Harbor's schema
 * migrations); the bundle's manifest points the docker stand-in at them.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { installerLayout, releaseDir, writeInstallerFiles, writePrepareApp, type InstallerLayout } from './harbor-release';
import { CACHE_DIR } from './util';

export type HarborEra = 'v1' | 'v2';

export const DEFAULT_VERSIONS: Record<HarborEra, string> = { v1: 'v1.5.0', v2: 'v2.15.2' };
/** Default size of the random image bundle inside an installer. */
export const DEFAULT_BUNDLE_SIZE = 64 << 20;

export interface InstallerOptions {
  /** e.g. `v1.5.0`, `v2.15.2` */
  version?: string;
  /** size of the random image bundle (`harbor/harbor.<ver>.tar.gz` payload), bytes; default 64 MiB, max 1 GiB */
  bundleSize?: number;
}

function tarHeader(name: string, size: number, mode = 0o644): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
  );
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/**
 * Write a `docker save`-shaped gzipped tar: manifest.json naming the images, then one random "layer". An image the
 * lab can run (the prepare image) carries `LabRoot`, the folder the docker stand-in runs it from.
 */
export async function writeImageBundle(
  file: string,
  tags: readonly string[],
  size: number,
  labRoots: Readonly<Record<string, string>> = {},
): Promise<void> {
  const layerId = crypto.createHash('sha256').update(tags.join(',')).digest('hex');
  const manifest = Buffer.from(
    JSON.stringify(
      tags.map((t) => ({
        Config: `${layerId}.json`,
        RepoTags: [t],
        Layers: [`${layerId}/layer.tar`],
        ...(labRoots[t] ? { LabRoot: labRoots[t] } : {}),
      })),
    ),
  );
  const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
  async function* gen() {
    yield tarHeader('manifest.json', manifest.length);
    yield manifest;
    yield pad(manifest.length);
    yield tarHeader(`${layerId}/layer.tar`, size);
    let left = size;
    while (left > 0) {
      const n = Math.min(left, 1 << 20);
      yield crypto.randomBytes(n);
      left -= n;
    }
    yield pad(size);
    yield Buffer.alloc(1024);
  }
  await pipeline(Readable.from(gen()), zlib.createGzip({ level: 1 }), fs.createWriteStream(file));
}

async function tarGz(srcParent: string, name: string, out: string): Promise<void> {
  const tar = spawn('tar', ['--owner=0', '--group=0', '-cf', '-', '-C', srcParent, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => tar.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`tar exited ${c}`)))));
  await pipeline(tar.stdout, zlib.createGzip({ level: 1 }), fs.createWriteStream(out));
  await done;
}

/**
 * Harbor's schema migrations as the `goharbor/harbor-core` image holds them: its Dockerfile has
 * `COPY ./make/migrations /harbor/migrations` and `WORKDIR /harbor/`, and core reads `migrations/postgresql/` from there.
 */
function coreMigrations(version: string): string[] {
  const dir = path.join(releaseDir(version), 'make', 'migrations', 'postgresql');
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.up.sql'))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

/** The core image's `/harbor` as far as the lab needs it: `migrations/postgresql/*.up.sql`. */
function writeCoreRoot(version: string, root: string): void {
  const dest = path.join(root, 'migrations', 'postgresql');
  fs.mkdirSync(dest, { recursive: true });
  for (const f of coreMigrations(version)) fs.copyFileSync(f, path.join(dest, path.basename(f)));
}

function hashLayout(layout: InstallerLayout, h: crypto.Hash): void {
  for (const f of layout.files) h.update(`${f.path}\0${f.mode}\0${JSON.stringify(f.replace)}\0`).update(fs.readFileSync(f.source));
  h.update(layout.images.join(','));
}

/**
 * Build (or reuse from the cache) an offline installer from Harbor's release files; returns the path of
 * `harbor-offline-installer-<version>.tgz`. For 2.x, `prepare-app/` beside it is the prepare image's `/usr/src/app` and
 * `core-root/` the core image's `/harbor`.
 */
export async function buildInstaller(era: HarborEra, opts: InstallerOptions = {}): Promise<string> {
  const version = opts.version ?? DEFAULT_VERSIONS[era];
  const size = opts.bundleSize ?? DEFAULT_BUNDLE_SIZE;
  if (size < 0 || size > 1 << 30) throw new Error(`bundleSize must be between 0 and 1 GiB`);
  const layout = installerLayout(era, version);
  const h = crypto.createHash('sha256');
  h.update(`${era}|${version}|${size}|`);
  hashLayout(layout, h);
  for (const f of coreMigrations(version)) h.update(`${path.basename(f)}\0`).update(fs.readFileSync(f));
  h.update(fs.readFileSync(new URL(import.meta.url)));
  h.update(fs.readFileSync(new URL('./harbor-release.ts', import.meta.url)));
  const key = h.digest('hex').slice(0, 16);
  const outDir = path.join(CACHE_DIR, `${era}-${version}-${size}-${key}`);
  const out = path.join(outDir, `harbor-offline-installer-${version}.tgz`);
  if (fs.existsSync(out)) return out;

  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const build = fs.mkdtempSync(path.join(CACHE_DIR, '.build-'));
  try {
    const hd = path.join(build, 'harbor');
    writeInstallerFiles(layout, hd);
    const labRoots: Record<string, string> = {};
    const prepareImage = layout.images.find((i) => i.includes('/prepare:'));
    if (prepareImage) {
      writePrepareApp(version, path.join(build, 'prepare-app'));
      labRoots[prepareImage] = path.join(outDir, 'prepare-app');
    }
    const coreImage = era === 'v2' ? layout.images.find((i) => i.includes('/harbor-core:')) : undefined;
    if (coreImage) {
      writeCoreRoot(version, path.join(build, 'core-root'));
      labRoots[coreImage] = path.join(outDir, 'core-root');
    }
    await writeImageBundle(path.join(hd, `harbor.${version}.tar.gz`), layout.images, size, labRoots);
    const tmpOut = path.join(build, 'installer.tgz');
    await tarGz(build, 'harbor', tmpOut);
    fs.mkdirSync(outDir, { recursive: true });
    if (prepareImage) fs.renameSync(path.join(build, 'prepare-app'), path.join(outDir, 'prepare-app'));
    if (coreImage) fs.renameSync(path.join(build, 'core-root'), path.join(outDir, 'core-root'));
    fs.renameSync(tmpOut, out);
    // drop builds of this installer made from older sources
    for (const e of fs.readdirSync(CACHE_DIR)) {
      if (e.startsWith(`${era}-${version}-${size}-`) && e !== path.basename(outDir)) {
        const old = path.join(CACHE_DIR, e);
        if (Date.now() - fs.statSync(old).mtimeMs > 60_000) fs.rmSync(old, { recursive: true, force: true });
      }
    }
    return out;
  } finally {
    fs.rmSync(build, { recursive: true, force: true });
  }
}
