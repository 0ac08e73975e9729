#!/usr/bin/env node
// Builds everything the app runs: the renderer with Vite, and main, preload and serve mode with esbuild.
// `node build/build.mjs --if-needed` skips the build when out/ is newer than every source file.
import { build as esbuild } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out');
const SOURCES = ['electron', 'renderer', 'shared', 'templates', 'sql', 'package.json', 'vite.config.ts', 'build/build.mjs'];
const STAMP = join(out, '.build-stamp');

/**
 * The packages the bundles load from node_modules at run time (esbuild's `external`; `@scope/*` for a whole scope):
 * CommonJS packages, some with native parts. ESM-only ones such as conf are bundled, because CommonJS output cannot
 * load them reliably (require(esm) gives a namespace). test/unit/start.test.ts checks the bundles require nothing
 * else and that each of these is CommonJS.
 */
export const RUNTIME_PACKAGES = [
  'electron',
  'ssh2',
  'cpu-features',
  'mysql2',
  'pg',
  'pg-native',
  'ioredis',
  'ali-oss',
  // Aliyun's OpenAPI SDKs: CommonJS, and the RDS and ECS clients are megabytes each.
  '@alicloud/*',
  '@darabonba/*',
  'ws',
  'bufferutil',
  'utf-8-validate',
];

function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let max = info.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

export function buildIsCurrent() {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  if (!stamp) return false;
  return SOURCES.every((s) => newest(join(root, s)) <= stamp.mtimeMs);
}

export async function build({ quiet = false } = {}) {
  const started = Date.now();
  const { build: viteBuild } = await import('vite');
  // Always a production build, also when the test runner (NODE_ENV=test) triggers it: the React
  // plugin picks its JSX runtime from NODE_ENV, so set it for the build and restore it after.
  const previousEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info', mode: 'production' });
  } finally {
    if (previousEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previousEnv;
  }

  const external = RUNTIME_PACKAGES;
  // `import text from './file?raw'` (templates/, sql/): the file's content as a string, as Vite does.
  const raw = {
    name: 'raw',
    setup(b) {
      b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: join(args.resolveDir, args.path.slice(0, -4)), namespace: 'raw' }));
      b.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
    },
  };
  const common = {
    plugins: [raw],
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: quiet ? 'warning' : 'info',
    absWorkingDir: root,
  };
  await Promise.all([
    // Main: CommonJS, as Electron loads it.
    esbuild({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'out/main/index.cjs', format: 'cjs', external }),
    // Preload: sandboxed, so one self-contained CommonJS file that requires nothing but 'electron'.
    esbuild({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: 'out/preload/index.cjs',
      format: 'cjs',
      platform: 'browser',
      external: ['electron'],
      minify: true,
    }),
    // The command line (harbor-ha render | plan | deploy | verify): plain Node, like serve mode.
    esbuild({
      ...common,
      entryPoints: ['electron/core/cli/harbor-ha.ts'],
      outfile: 'out/cli/harbor-ha.cjs',
      format: 'cjs',
      external,
      define: { 'import.meta.url': '__importMetaUrl' },
      banner: { js: "#!/usr/bin/env node\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
    // Serve mode: plain Node. CommonJS like main, so CommonJS packages (ssh2, mysql2) keep every
    // named export; import.meta.url is given its CommonJS equivalent.
    esbuild({
      ...common,
      entryPoints: ['electron/core/serve/cli.ts'],
      outfile: 'out/serve/index.cjs',
      format: 'cjs',
      external,
      define: { 'import.meta.url': '__importMetaUrl' },
      banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
  ]);
  mkdirSync(out, { recursive: true });
  writeFileSync(STAMP, new Date().toISOString());
  if (!quiet) console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function buildIfNeeded(options) {
  if (existsSync(STAMP) && buildIsCurrent()) return false;
  await build(options);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ifNeeded = process.argv.includes('--if-needed');
  (ifNeeded ? buildIfNeeded() : build()).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
