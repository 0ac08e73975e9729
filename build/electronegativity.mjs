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

/** Parses electronegativity's CSV output into findings (RFC 4180: quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text) {
  const records = [];
  let record = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || record.length) {
    record.push(cell);
    records.push(record);
  }
  return records
    .slice(1)
    .filter((r) => r.some((x) => x.trim() !== ''))
    .map((cells) => {
      // Header: issue, severity, confidence, filename, location, sample, description, url
      const [issue, severity, confidence, filename, location, , description] = cells.map((x) => x.trim());
      return { issue, severity, confidence, filename, location, description };
    });
}

/** One run of the scanner; the parsed findings, or null when its CSV came out damaged. */
function runOnce(input, dir) {
  const csv = join(dir, `report-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
  const shim = join(root, 'build', 'electronegativity-ts-shim.cjs');
  const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
  const result = spawnSync(process.execPath, ['-r', shim, cli, '-i', input, '-o', csv, '-e', '45.5.0'], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  if (result.status !== 0) throw new Error(`electronegativity failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  const findings = parseCsv(readFileSync(csv, 'utf8'));
  // electronegativity writes the CSV header and the rows with two unsynchronised fs.writeFile
  // calls; now and then the header lands over the first row. Such a report is run again.
  const wellFormed = findings.every((f) => f.severity in SEVERITY && /^[A-Z0-9_]+$/.test(f.issue ?? ''));
  return wellFormed ? { findings, output: result.stdout } : null;
}

/** Runs the scan; returns every finding and the ones at medium or above. */
export function scan(electronDir = join(root, 'electron')) {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  try {
    const input = join(dir, 'app');
    cpSync(electronDir, join(input, 'electron'), { recursive: true });
    cpSync(join(root, 'renderer', 'index.html'), join(input, 'renderer', 'index.html'));
    for (let attempt = 1; attempt <= 5; attempt++) {
      const run = runOnce(input, dir);
      if (!run) continue;
      const serious = run.findings.filter((f) => SEVERITY[f.severity] >= SEVERITY.MEDIUM);
      return { findings: run.findings, serious, output: run.output };
    }
    throw new Error('electronegativity wrote a damaged report five times in a row');
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
