#!/usr/bin/env node
// Runs @doyensec/electronegativity over electron/ and fails on any finding of medium severity or
// above. The renderer's index.html goes into the scan too: its meta CSP is the policy the window
// loads with (electron/main/protocol.ts also sends it as a header, which static analysis cannot see). Electronegativity parses TypeScript with typescript-estree 4, which needs the TypeScript 4
// compiler API; the project's own TypeScript 7 (native) has none, so its `require('typescript')`
// is pointed at the copy electronegativity ships.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEVERITY = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

/** Parses electronegativity's CSV output into findings. */
export function parseCsv(text) {
  const rows = [];
  for (const line of text.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    // Header: issue, severity, confidence, filename, location, sample, description, url
    const [issue, severity, confidence, filename, location, , description] = cells;
    rows.push({ issue, filename, location, severity, confidence, description });
  }
  return rows;
}

/** Runs the scan; returns every finding and the ones at medium or above. */
export function scan(electronDir = join(root, 'electron')) {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  try {
    const csv = join(dir, 'report.csv');
    const input = join(dir, 'app');
    cpSync(electronDir, join(input, 'electron'), { recursive: true });
    cpSync(join(root, 'renderer', 'index.html'), join(input, 'renderer', 'index.html'));
    const shim = join(root, 'build', 'electronegativity-ts-shim.cjs');
    const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
    const result = spawnSync(process.execPath, ['-r', shim, cli, '-i', input, '-o', csv, '-e', '45.5.0'], {
      encoding: 'utf8',
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    if (result.status !== 0) throw new Error(`electronegativity failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    const findings = parseCsv(readFileSync(csv, 'utf8'));
    const serious = findings.filter((f) => (SEVERITY[f.severity] ?? 4) >= SEVERITY.MEDIUM);
    return { findings, serious, output: result.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { findings, serious } = scan(process.argv[2]);
  for (const f of findings) console.log(`${f.severity.padEnd(13)} ${f.issue} ${f.filename}:${f.location} ${f.description}`);
  console.log(`${findings.length} finding(s), ${serious.length} of medium severity or above`);
  process.exit(serious.length ? 1 : 0);
}
