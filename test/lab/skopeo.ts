/**
 * A real registry client for the lab's tests: skopeo (Debian's, containers/image underneath), and the OCI image
 * layouts it copies from. Nothing here speaks the registry protocol itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface SkopeoResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run skopeo with `args`. Registries in the lab speak plain http, so every docker:// reference is used with
 * `--tls-verify=false` by the caller (skopeo then falls back from https to http, as docker does for an insecure
 * registry). A private temporary directory keeps parallel runs apart.
 */
export function skopeo(args: string[], timeoutMs = 120_000): Promise<SkopeoResult> {
  return new Promise((resolve, reject) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skopeo-'));
    const child = spawn('skopeo', args, { env: { ...process.env, TMPDIR: tmp, HOME: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.rmSync(tmp, { recursive: true, force: true });
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

const SECRET_OPTIONS = ['--creds', '--src-creds', '--dest-creds', '--registry-token', '--src-registry-token', '--dest-registry-token'];
/** The arguments with credentials and tokens masked, for messages. */
const shown = (args: string[]) => args.map((a, i) => (SECRET_OPTIONS.includes(args[i - 1] ?? '') ? '***' : a)).join(' ');

/** skopeo, failing with its own output when it exits non-zero. */
export async function skopeoOk(args: string[]): Promise<string> {
  const r = await skopeo(args);
  if (r.code !== 0) throw new Error(`skopeo ${shown(args)} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

export interface OciImage {
  /** the `oci:` layout directory */
  dir: string;
  tag: string;
  manifestDigest: string;
  layerDigests: string[];
  configDigest: string;
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * An OCI image layout (image-spec v1.0 `oci-layout`, `index.json`, `blobs/sha256/…`) holding one image of `layers`
 * gzipped tar layers with a random file each (`layerSize` bytes), so every image made has new blobs.
 */
export function makeOciImage(dir: string, tag: string, layers = 3, layerSize = 256 * 1024): OciImage {
  const blobs = path.join(dir, 'blobs', 'sha256');
  fs.mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer): { digest: string; size: number } => {
    const digest = sha256(data);
    fs.writeFileSync(path.join(blobs, digest.slice(7)), data);
    return { digest, size: data.length };
  };
  const diffIds: string[] = [];
  const layerDescs: Array<{ mediaType: string; digest: string; size: number }> = [];
  for (let i = 1; i <= layers; i++) {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-layer-'));
    fs.writeFileSync(path.join(src, `layer-${i}.bin`), randomBytes(layerSize));
    const tar = spawnSync('tar', ['-C', src, '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '.'], { maxBuffer: 64 << 20 });
    fs.rmSync(src, { recursive: true, force: true });
    if (tar.status !== 0) throw new Error(`tar: ${tar.stderr.toString()}`);
    diffIds.push(sha256(tar.stdout));
    layerDescs.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...put(gzipSync(tar.stdout)) });
  }
  const config = put(
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } })),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: layerDescs,
    }),
  );
  const m = put(manifest);
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, annotations: { 'org.opencontainers.image.ref.name': tag } },
      ],
    }),
  );
  return { dir, tag, manifestDigest: m.digest, layerDigests: layerDescs.map((l) => l.digest), configDigest: config.digest };
}

/** The manifest digest and layer digests `skopeo inspect` reports for a docker:// reference. */
export async function inspect(ref: string, auth: string[]): Promise<{ digest: string; layers: string[] }> {
  const j = JSON.parse(await skopeoOk(['inspect', '--tls-verify=false', ...auth, ref])) as { Digest: string; Layers: string[] };
  return { digest: j.Digest, layers: j.Layers };
}
