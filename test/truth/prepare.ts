/**
 * Harbor's real prepare, run on this machine for many inputs at once: 2.x's Python code in the lab's container
 * (test/lab/node/container.sh, with the bind mounts the release's `prepare` wrapper gives `docker run`), 1.5's Python 2
 * script in a copy of the installer under a real Python 2.7 with a UTF-8 locale (as the app runs it). Each case's
 * outputs come back as text, keyed by their path below the installer's `harbor/` folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildInstaller } from '../lab/fixtures';
import { installerLayout, writeInstallerFiles } from '../lab/harbor-release';
import { LAB_DIR, python27Prefix } from '../lab/util';

export interface PrepareResult {
  readonly code: number;
  /** stdout and stderr */
  readonly output: string;
  /** every file prepare wrote, by path below harbor/ (e.g. `common/config/core/env`, `docker-compose.yml`) */
  readonly files: Readonly<Record<string, string>>;
}

function readTree(dir: string, prefix: string, out: Record<string, string>): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const rel = `${prefix}${e.name}`;
    if (e.isDirectory()) readTree(p, `${rel}/`, out);
    else if (e.isFile()) out[rel] = fs.readFileSync(p, 'utf8');
  }
}

function run(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Splits `items` into `n` interleaved shares (one per worker). */
function shares<T>(items: readonly T[], n: number): Array<Array<{ item: T; index: number }>> {
  const out = Array.from({ length: n }, () => [] as Array<{ item: T; index: number }>);
  items.forEach((item, index) => out[index % n]!.push({ item, index }));
  return out;
}

/** The case loop inside the container: one prepare per case folder, its outputs copied back beside its input. */
const V2_LOOP = `for d in /cases/*; do
  cp "$d/harbor.yml" /input/harbor.yml
  rm -rf /config/* /compose_location/docker-compose.yml
  python3 main.py prepare "$@" > "$d/output" 2>&1 && echo 0 > "$d/code" || echo $? > "$d/code"
  mkdir -p "$d/files/common"
  cp -a /config "$d/files/common/config"
  if [ -f /compose_location/docker-compose.yml ]; then cp /compose_location/docker-compose.yml "$d/files/"; fi
done`;

/** Runs Harbor 2.x's prepare (release `version`, with `args` as install.sh passes them) once per harbor.yml text. */
export async function runPrepareV2(
  version: string,
  harborYmls: readonly string[],
  args: readonly string[] = [],
  workers = 2,
): Promise<PrepareResult[]> {
  const app = path.join(path.dirname(await buildInstaller('v2', { version, bundleSize: 1024 })), 'prepare-app');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'harbor-prepare-v2-'));
  const results: PrepareResult[] = [];
  try {
    await Promise.all(
      shares(harborYmls, workers).map(async (share, w) => {
        const dir = path.join(base, `w${w}`);
        const harbor = path.join(dir, 'harbor');
        for (const d of ['harbor/input', 'harbor/common/config', 'data', 'cases', 'roots'])
          fs.mkdirSync(path.join(dir, d), { recursive: true });
        for (const { item, index } of share) {
          fs.mkdirSync(path.join(dir, 'cases', String(index).padStart(5, '0')));
          fs.writeFileSync(path.join(dir, 'cases', String(index).padStart(5, '0'), 'harbor.yml'), item);
        }
        // the mounts of the release's prepare wrapper (`docker run -v …`), and the cases
        const mounts = [
          [path.join(harbor, 'input'), '/input'],
          [path.join(dir, 'data'), '/data'],
          [harbor, '/compose_location'],
          [path.join(harbor, 'common', 'config'), '/config'],
          ['/', '/hostfs'],
          [path.join(dir, 'cases'), '/cases'],
        ].flatMap(([h, c]) => [h!, c!, 'rw']);
        const r = await run(
          'unshare',
          [
            '--mount',
            '--propagation',
            'private',
            'sh',
            path.join(LAB_DIR, 'node', 'container.sh'),
            app,
            ...mounts,
            '--',
            'sh',
            '-c',
            V2_LOOP,
            'prepare-cases',
            ...args,
          ],
          {
            env: { ...process.env, LAB_CONTAINER_PARENT: path.join(dir, 'roots') },
          },
        );
        if (r.code !== 0) throw new Error(`the prepare container failed (${r.code}): ${r.output}`);
        for (const { index } of share) {
          const c = path.join(dir, 'cases', String(index).padStart(5, '0'));
          const files: Record<string, string> = {};
          readTree(path.join(c, 'files'), '', files);
          results[index] = {
            code: Number(fs.readFileSync(path.join(c, 'code'), 'utf8').trim()),
            output: fs.readFileSync(path.join(c, 'output'), 'utf8'),
            files,
          };
        }
      }),
    );
    return results;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** The files of one 1.x case, written into the installer before prepare runs (harbor.cfg and patched templates). */
export interface V1Case {
  readonly files: Readonly<Record<string, string>>;
  readonly args: readonly string[];
}

/**
 * Runs Harbor 1.5's prepare (release `version`) once per case, each in the installer's own layout with the case's
 * files written over the shipped ones (the others restored), under a real Python 2.7 and a UTF-8 locale.
 */
export async function runPrepareV1(version: string, cases: readonly V1Case[], workers = 2): Promise<PrepareResult[]> {
  const prefix = python27Prefix();
  if (!prefix) throw new Error('no Python 2.7 on this machine (pyenv 2.7.x) to run Harbor 1.5 prepare with');
  const layout = installerLayout('v1', version);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'harbor-prepare-v1-'));
  const results: PrepareResult[] = [];
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', LD_LIBRARY_PATH: path.join(prefix, 'lib') };
  try {
    await Promise.all(
      shares(cases, workers).map(async (share, w) => {
        const harbor = path.join(base, `w${w}`, 'harbor');
        const secrets = path.join(base, `w${w}`, 'secret');
        fs.mkdirSync(secrets, { recursive: true });
        writeInstallerFiles(layout, harbor);
        const pristine = new Map<string, Buffer>();
        for (const { item, index } of share) {
          for (const [rel, data] of pristine) fs.writeFileSync(path.join(harbor, rel), data);
          for (const [rel, text] of Object.entries(item.files)) {
            if (!pristine.has(rel)) pristine.set(rel, fs.readFileSync(path.join(harbor, rel)));
            // prepare keeps its secret key under secretkey_path: this worker's own folder, not the machine's /data
            fs.writeFileSync(
              path.join(harbor, rel),
              rel === 'harbor.cfg' ? text.replace(/^secretkey_path = .*$/m, `secretkey_path = ${secrets}`) : text,
            );
          }
          fs.rmSync(path.join(harbor, 'common', 'config'), { recursive: true, force: true });
          const r = await run(path.join(prefix, 'bin', 'python2.7'), ['./prepare', ...item.args], { cwd: harbor, env });
          const files: Record<string, string> = {};
          readTree(path.join(harbor, 'common', 'config'), 'common/config/', files);
          results[index] = { code: r.code, output: r.output, files };
        }
      }),
    );
    return results;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}
