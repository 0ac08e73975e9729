/**
 * Fixture Harbor offline installers, built by the lab from test/lab/fixture/** (never downloaded), with the real
 * file layout (harbor-facts.md §0), and cached under /var/cache/harbor-lab (HARBOR_LAB_CACHE) keyed by their content.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { CACHE_DIR, LAB_DIR, runOk } from './util';

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

function images(era: HarborEra, v: string): string[] {
  if (era === 'v1')
    return [
      `vmware/harbor-log:${v}`,
      `vmware/registry-photon:v2.6.2-${v}`,
      `vmware/harbor-adminserver:${v}`,
      `vmware/harbor-ui:${v}`,
      `vmware/harbor-jobservice:${v}`,
      `vmware/nginx-photon:${v}`,
      `vmware/harbor-db:${v}`,
      `vmware/redis-photon:${v}`,
      `vmware/clair-photon:v2.0.1-${v}`,
      `vmware/postgresql-photon:${v}`,
      `vmware/notary-server-photon:v0.5.1-${v}`,
      `vmware/notary-signer-photon:v0.5.1-${v}`,
      `vmware/harbor-migrator:${v}`,
    ];
  return ['prepare', 'harbor-log', 'registry-photon', 'harbor-registryctl', 'harbor-core', 'harbor-portal', 'harbor-jobservice', 'nginx-photon', 'harbor-db', 'redis-photon', 'trivy-adapter-photon', 'harbor-exporter'].map(
    (n) => `goharbor/${n}:${v}`,
  );
}

function tarHeader(name: string, size: number, mode = 0o644): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** Write a `docker save`-shaped gzipped tar: manifest.json naming the images, then one random "layer". */
export async function writeImageBundle(file: string, era: HarborEra, version: string, size: number): Promise<void> {
  const tags = images(era, version);
  const layerId = crypto.createHash('sha256').update(`${era}${version}`).digest('hex');
  const manifest = Buffer.from(JSON.stringify(tags.map((t) => ({ Config: `${layerId}.json`, RepoTags: [t], Layers: [`${layerId}/layer.tar`] }))));
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

function hashDir(dir: string, h: crypto.Hash): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    h.update(e.name);
    if (e.isDirectory()) hashDir(p, h);
    else h.update(fs.readFileSync(p));
  }
}

/** Python 2 `prepare` whose body the lab's python stand-in runs (see node/standin.mjs). */
function v1PrepareScript(): string {
  const js = fs.readFileSync(path.join(LAB_DIR, 'node', 'prepare-v1.mjs'), 'utf8');
  return [
    '#!/usr/bin/python',
    '# -*- coding: utf-8 -*-',
    '# Harbor HA Deployer lab fixture: `prepare` of a Harbor 1.5-style installer.',
    "# The real file is a Python 2 program. In the lab, /usr/bin/python is a stand-in that runs the JavaScript",
    "# below (a real Python 2 would just see an unused string literal). Without /usr/bin/python this fails like",
    '# the real one: "bad interpreter: No such file or directory".',
    "'''LAB-JS",
    js.replace(/'''/g, "' ''"),
    "'''",
    '',
  ].join('\n');
}

async function tarGz(srcParent: string, name: string, out: string): Promise<void> {
  const tar = spawn('tar', ['--owner=0', '--group=0', '-cf', '-', '-C', srcParent, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => tar.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`tar exited ${c}`)))));
  await pipeline(tar.stdout, zlib.createGzip({ level: 1 }), fs.createWriteStream(out));
  await done;
}

/**
 * Build (or reuse from the cache) a fixture offline installer; returns the path of
 * `harbor-offline-installer-<version>.tgz`.
 */
export async function buildInstaller(era: HarborEra, opts: InstallerOptions = {}): Promise<string> {
  const version = opts.version ?? DEFAULT_VERSIONS[era];
  const size = opts.bundleSize ?? DEFAULT_BUNDLE_SIZE;
  if (size < 0 || size > 1 << 30) throw new Error(`bundleSize must be between 0 and 1 GiB`);
  const h = crypto.createHash('sha256');
  h.update(`${era}|${version}|${size}|`);
  hashDir(path.join(LAB_DIR, 'fixture', era), h);
  h.update(fs.readFileSync(path.join(LAB_DIR, 'fixtures.ts')));
  if (era === 'v1') h.update(fs.readFileSync(path.join(LAB_DIR, 'node', 'prepare-v1.mjs')));
  const key = h.digest('hex').slice(0, 16);
  const outDir = path.join(CACHE_DIR, `${era}-${version}-${size}-${key}`);
  const out = path.join(outDir, `harbor-offline-installer-${version}.tgz`);
  if (fs.existsSync(out)) return out;

  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const build = fs.mkdtempSync(path.join(CACHE_DIR, '.build-'));
  try {
    const hd = path.join(build, 'harbor');
    fs.cpSync(path.join(LAB_DIR, 'fixture', era, 'harbor'), hd, { recursive: true });
    if (era === 'v1') {
      fs.writeFileSync(path.join(hd, 'prepare'), v1PrepareScript(), { mode: 0o755 });
      // the token key pair shipped for customize_crt = off
      await runOk('openssl', [
        'req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', path.join(hd, 'common/templates/ui/private_key.pem'),
        '-x509', '-days', '3650', '-out', path.join(hd, 'common/templates/registry/root.crt'), '-subj', '/CN=harbor-token-default',
      ]);
      for (const f of ['docker-compose.yml', 'docker-compose.clair.yml', 'docker-compose.notary.yml', 'ha/docker-compose.yml', 'ha/docker-compose.clair.yml']) {
        const p = path.join(hd, f);
        fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replaceAll('v1.5.0', version));
      }
    } else {
      const p = path.join(hd, 'prepare');
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('__VERSION__', version), { mode: 0o755 });
    }
    await writeImageBundle(path.join(hd, `harbor.${version}.tar.gz`), era, version, size);
    const tmpOut = path.join(build, 'installer.tgz');
    await tarGz(build, 'harbor', tmpOut);
    fs.mkdirSync(outDir, { recursive: true });
    fs.renameSync(tmpOut, out);
    // drop builds of this installer made from older fixture sources
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
