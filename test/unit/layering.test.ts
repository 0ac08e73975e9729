/** The layering rules and the per-layer type check, over the real tree and over planted violations. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without types
import { checkLayers, importsOf } from '../../build/check-layers.mjs';
// @ts-expect-error plain ESM build script without types
import { typecheck } from '../../build/typecheck.mjs';

interface Violation {
  file: string;
  line: number;
  spec: string;
  reason: string;
}
const check = checkLayers as (root: string) => Violation[];

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A copy of the real layered folders, to plant one bad file in. */
function copyTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const top of ['electron', 'renderer', 'shared']) cpSync(join(root, top), join(dir, top), { recursive: true });
  return dir;
}

function plant(dir: string, rel: string, source: string) {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), source);
}

describe('layering check', () => {
  it('finds no violation in the project', () => {
    expect(check(root)).toEqual([]);
  });

  it("fails when someone adds import 'electron' under electron/core", () => {
    const dir = copyTree();
    plant(dir, 'electron/core/bad.ts', "import { app } from 'electron';\nexport const x = app;\n");
    const v = check(dir);
    expect(v).toEqual([
      expect.objectContaining({
        file: 'electron/core/bad.ts',
        line: 1,
        spec: 'electron',
        reason: expect.stringContaining('must not import electron'),
      }),
    ]);
  });

  it('fails when the deploy engine imports the Harbor adapter, even for a type', () => {
    const dir = copyTree();
    plant(
      dir,
      'electron/core/deploy/bad.ts',
      "import type { HarborEnv } from '../harbor/env';\nimport { v2Steps } from '../harbor/v2/steps';\nexport type X = HarborEnv;\nexport const y = v2Steps;\n",
    );
    expect(check(dir)).toEqual([
      expect.objectContaining({
        file: 'electron/core/deploy/bad.ts',
        line: 1,
        spec: '../harbor/env',
        reason: expect.stringContaining('must not import electron/core/harbor'),
      }),
      expect.objectContaining({
        file: 'electron/core/deploy/bad.ts',
        line: 2,
        spec: '../harbor/v2/steps',
        reason: expect.stringContaining('must not import electron/core/harbor'),
      }),
    ]);
  });

  it('fails when the health sweep imports the Harbor adapter, even for a type or a re-export, in any of its folders', () => {
    const dir = copyTree();
    plant(
      dir,
      'electron/core/health/bad.ts',
      "import type { KeyFile } from '../harbor/node';\nimport { harborNodes } from '../harbor/adapter';\nexport type X = KeyFile;\nexport const y = harborNodes;\n",
    );
    plant(dir, 'electron/core/health/problems/bad.ts', "export { CORE_ENV } from '../../harbor/common/paths';\n");
    const reason = expect.stringContaining('electron/core/health must not import electron/core/harbor');
    expect(check(dir)).toEqual([
      expect.objectContaining({ file: 'electron/core/health/bad.ts', line: 1, spec: '../harbor/node', reason }),
      expect.objectContaining({ file: 'electron/core/health/bad.ts', line: 2, spec: '../harbor/adapter', reason }),
      expect.objectContaining({ file: 'electron/core/health/problems/bad.ts', line: 1, spec: '../../harbor/common/paths', reason }),
    ]);
  });

  it('catches every import form, type-only ones included, and ignores comments', () => {
    const dir = copyTree();
    plant(
      dir,
      'electron/core/forms.ts',
      [
        "// import 'electron' in a comment is fine",
        "/* require('electron') too */",
        "import type { BrowserWindow } from 'electron';",
        "export * from 'electron/main';",
        "const m = await import('electron');",
        "const r = require('electron');",
        'const s = \'import x from "electron"\';',
      ].join('\n'),
    );
    const lines = check(dir)
      .filter((x) => x.file === 'electron/core/forms.ts')
      .map((x) => x.line)
      .sort();
    expect(lines).toEqual([3, 4, 5, 6]);
  });

  it('keeps Node built-ins, electron and back-end packages out of the renderer', () => {
    const dir = copyTree();
    plant(
      dir,
      'renderer/bad.tsx',
      "import fs from 'node:fs';\nimport { readFile } from 'fs/promises';\nimport { Client } from 'ssh2';\nimport Redis from 'ioredis';\nimport { ipcRenderer } from 'electron';\nimport { createCore } from '../electron/core/core';\n",
    );
    const specs = check(dir)
      .filter((x) => x.file === 'renderer/bad.tsx')
      .map((x) => x.spec);
    expect(specs).toEqual(['node:fs', 'fs/promises', 'ssh2', 'ioredis', 'electron', '../electron/core/core']);
  });

  it('keeps shared/ free of either side', () => {
    const dir = copyTree();
    plant(
      dir,
      'shared/bad.ts',
      "import { App } from '../renderer/App';\nimport { createCore } from '../electron/core/core';\nimport { createHash } from 'node:crypto';\nimport mysql from 'mysql2';\n",
    );
    expect(check(dir).map((x) => x.spec)).toEqual(['../renderer/App', '../electron/core/core', 'node:crypto', 'mysql2']);
  });

  it('keeps the sandboxed preload to electron and shared/', () => {
    const dir = copyTree();
    plant(
      dir,
      'electron/preload/bad.ts',
      "import { readFileSync } from 'node:fs';\nimport { createCore } from '../core/core';\nimport { contract } from '../../shared/api';\n",
    );
    expect(check(dir).map((x) => x.spec)).toEqual(['node:fs', '../core/core']);
  });

  it('reads multi-line imports', () => {
    expect(importsOf("import {\n  a,\n  b,\n} from 'x';\n").map((i: { spec: string }) => i.spec)).toEqual(['x']);
  });
});

describe('type check', () => {
  it('passes for every layer with only its own globals', () => {
    const failures = (typecheck as () => { project: string; output: string }[])();
    expect(failures.map((f) => `${f.project}:\n${f.output}`).join('\n')).toBe('');
  }, 180_000);
});
