import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without types
import { parseCsv, scan } from '../../build/electronegativity.mjs';

interface Finding {
  issue: string;
  severity: string;
  filename: string;
  location: string;
  description: string;
}

describe('electronegativity over electron/', () => {
  it('reads its CSV, quoted fields with commas and line breaks included', () => {
    const csv =
      'issue, severity, confidence, filename, location, sample, description, url\nA,"LOW","FIRM","/x/a,b.html","5:0","<meta\n content="x, y">","d",u\nB,"MEDIUM","CERTAIN","N/A","0:0",N/A,"d2",u\n';
    expect((parseCsv as (t: string) => Finding[])(csv).map((f) => [f.issue, f.severity, f.filename])).toEqual([
      ['A', 'LOW', '/x/a,b.html'],
      ['B', 'MEDIUM', 'N/A'],
    ]);
  });

  it('reports no finding of medium severity or above', () => {
    const { serious } = (scan as () => { findings: Finding[]; serious: Finding[] })();
    expect(serious.map((f) => `${f.severity} ${f.issue} ${f.filename}:${f.location} ${f.description}`)).toEqual([]);
  }, 180_000);

  it('would catch a window without the sandbox and context isolation (the scan is real)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eng-'));
    mkdirSync(join(dir, 'main'));
    writeFileSync(
      join(dir, 'main', 'index.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    const { serious } = (scan as (dir: string) => { serious: Finding[] })(dir);
    const issues = serious.map((f) => f.issue);
    expect(issues).toContain('SANDBOX_JS_CHECK');
    expect(issues).toContain('CONTEXT_ISOLATION_JS_CHECK');
  }, 180_000);
});
