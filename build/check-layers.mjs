#!/usr/bin/env node
// The layering rules of the codebase, checked over the source (not the bundles), so a type-only
// import counts too. `npm run check:layers` prints violations; the test suite runs the same check.
//
//   electron/core     plain Node: never `electron`, never main/preload/renderer code
//   electron/preload  sandboxed: only `electron` and shared/
//   electron/main     never renderer code
//   renderer          browser: no Node built-ins, no `electron`, no back-end packages, no electron/ code
//   shared            pure: imports neither side, no Node built-ins, no back-end packages
//   electron/core/deploy, electron/core/health  never electron/core/harbor (FOLDER_RULES)
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
export const BACKEND_PACKAGES = ['ssh2', 'node-ssh', 'mysql2', 'pg', 'ioredis', 'ali-oss', 'ws', 'electron-store', 'cpu-features'];

const isBuiltin = (spec) => spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0]);
const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const isElectron = (spec) => packageName(spec) === 'electron';
const isBackend = (spec) => BACKEND_PACKAGES.includes(packageName(spec));

/** Which layer a project-relative path belongs to, or null for files outside the layers. */
export function layerOf(rel) {
  const p = rel.split(sep).join('/');
  if (p.startsWith('electron/core/')) return 'core';
  if (p.startsWith('electron/main/')) return 'main';
  if (p.startsWith('electron/preload/')) return 'preload';
  if (p.startsWith('renderer/')) return 'renderer';
  if (p.startsWith('shared/')) return 'shared';
  return null;
}

/** The rule for one import, or null when it is allowed. */
function violation(layer, spec, targetLayer) {
  const local = spec.startsWith('.') || spec.startsWith('/');
  switch (layer) {
    case 'core':
      if (isElectron(spec)) return 'electron/core must not import electron (it runs in plain Node: tests, CLI, serve mode)';
      if (local && targetLayer && targetLayer !== 'core' && targetLayer !== 'shared')
        return `electron/core must not import ${targetLayer} code`;
      return null;
    case 'preload':
      if (local && targetLayer && targetLayer !== 'preload' && targetLayer !== 'shared')
        return `the sandboxed preload must not import ${targetLayer} code`;
      if (!local && !isElectron(spec)) return 'the sandboxed preload may import only electron and shared/';
      return null;
    case 'main':
      if (local && targetLayer === 'renderer') return 'electron/main must not import renderer code';
      return null;
    case 'renderer':
      if (isBuiltin(spec)) return 'the renderer must not import Node built-ins (it is a sandboxed web page)';
      if (isElectron(spec)) return 'the renderer must not import electron (use the API client)';
      if (isBackend(spec)) return `the renderer must not import the back-end package ${packageName(spec)}`;
      if (local && targetLayer && targetLayer !== 'renderer' && targetLayer !== 'shared')
        return `the renderer must not import ${targetLayer} code`;
      return null;
    case 'shared':
      if (isBuiltin(spec)) return 'shared/ must not import Node built-ins (it runs on both sides)';
      if (isElectron(spec)) return 'shared/ must not import electron';
      if (isBackend(spec)) return `shared/ must not import the back-end package ${packageName(spec)}`;
      if (local && targetLayer && targetLayer !== 'shared') return `shared/ must not import ${targetLayer} code`;
      return null;
    default:
      return null;
  }
}

/**
 * Blanks comments and replaces every string literal by a numbered placeholder (`'#0'`), keeping
 * line numbers, so import patterns match code only: an import inside a comment or a string is
 * not an import. Returns the masked code and the literals' contents.
 */
export function maskSource(source) {
  let out = '';
  const strings = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\') j++;
        if (c !== '`' && source[j] === '\n') break;
        j++;
      }
      const body = source.slice(i + 1, j);
      strings.push(body);
      out += `${c}#${strings.length - 1}${c}${'\n'.repeat(body.split('\n').length - 1)}`;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return { code: out, strings };
}

const LITERAL = `['"]#(\\d+)['"]`;
const PATTERNS = [
  new RegExp(`\\bimport\\s+(?:type\\s+)?(?:[\\w$*{}\\s,]+?\\s+from\\s+)?${LITERAL}`, 'g'),
  new RegExp(`\\bexport\\s+(?:type\\s+)?(?:\\*(?:\\s+as\\s+[\\w$]+)?|\\{[^}]*\\})\\s*from\\s+${LITERAL}`, 'g'),
  new RegExp(`\\bimport\\s*\\(\\s*${LITERAL}\\s*\\)`, 'g'),
  new RegExp(`\\brequire\\s*\\(\\s*${LITERAL}\\s*\\)`, 'g'),
];

/** Every module specifier a source file imports, with its line number. */
export function importsOf(source) {
  const { code, strings } = maskSource(source);
  const found = [];
  for (const pattern of PATTERNS) {
    for (const m of code.matchAll(pattern)) {
      found.push({ spec: strings[Number(m[1])], line: code.slice(0, m.index).split('\n').length });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(m|c)?[jt]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/**
 * Rules between folders of one layer: `from` may not import anything under `to`. The deploy engine knows steps,
 * nodes and runs, not what it deploys, and the health sweep knows checks, not what it watches: the Harbor adapter
 * (electron/core/harbor) is injected into both by core.ts.
 */
export const FOLDER_RULES = [
  {
    from: 'electron/core/deploy/',
    to: 'electron/core/harbor/',
    reason: 'electron/core/deploy must not import electron/core/harbor (the engine gets the Harbor adapter injected by core.ts)',
  },
  {
    from: 'electron/core/health/',
    to: 'electron/core/harbor/',
    reason: 'electron/core/health must not import electron/core/harbor (the health sweep gets the Harbor adapter injected by core.ts)',
  },
];

function folderViolation(fromRel, toRel) {
  const from = fromRel.split(sep).join('/');
  const to = toRel.split(sep).join('/');
  return FOLDER_RULES.find((r) => from.startsWith(r.from) && (to.startsWith(r.to) || `${to}/` === r.to))?.reason ?? null;
}

/** Checks the layered folders under `root`; returns one entry per forbidden import. */
export function checkLayers(root) {
  const violations = [];
  for (const top of ['electron', 'renderer', 'shared']) {
    const dir = join(root, top);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const file of sourceFiles(dir)) {
      const rel = relative(root, file);
      const layer = layerOf(rel);
      if (!layer) continue;
      for (const { spec, line } of importsOf(readFileSync(file, 'utf8'))) {
        const local = spec.startsWith('.') || spec.startsWith('/');
        const target = local ? layerOf(relative(root, resolve(dirname(file), spec))) : null;
        const reason =
          violation(layer, spec, target) ?? (local ? folderViolation(rel, relative(root, resolve(dirname(file), spec))) : null);
        if (reason) violations.push({ file: rel.split(sep).join('/'), line, spec, reason });
      }
    }
  }
  return violations;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkLayers(root);
  for (const v of violations) console.error(`${v.file}:${v.line}: import '${v.spec}': ${v.reason}`);
  console.log(violations.length ? `${violations.length} layering violation(s)` : 'layering: ok');
  process.exit(violations.length ? 1 : 0);
}
