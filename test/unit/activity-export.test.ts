/** The Activity page's exports and filters (renderer/pages/activity/export.ts, filter.ts). */
import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../shared/api/contracts/ssh';
import { csvField, toCsv, toJson } from '../../renderer/pages/activity/export';
import { firstLine, matches, NO_FILTER } from '../../renderer/pages/activity/filter';

const entry = (over: Partial<ActivityEntry> = {}): ActivityEntry => ({
  time: '2026-11-25T10:00:00.000Z',
  node: 'node-1 (10.0.0.1)',
  command: 'docker version',
  exitCode: 0,
  durationMs: 12,
  origin: 'operator',
  ...over,
});

/** An RFC 4180 reader, to check the file reads back as written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) field += c;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks, and keeps formula-leading cells text', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    for (const lead of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvField(`${lead}1+1`).startsWith(`'${lead}`) || csvField(`${lead}1+1`).startsWith(`"'${lead}`)).toBe(true);
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
  });

  it('reads back cell for cell, one row per entry, a byte order mark first', () => {
    const entries = [
      entry({ command: 'sh -c \'a, "b"\nc\'', purpose: 'deploy: config', output: { stdout: '=cmd|x\n', stderr: '-1', truncated: false } }),
      entry({ node: '节点-2', exitCode: null, origin: 'automatic', command: '@SUM(A1)' }),
    ];
    const csv = toCsv(entries);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows).toEqual([
      ['time', 'profileId', 'node', 'origin', 'purpose', 'exitCode', 'durationMs', 'command', 'stdout', 'stderr', 'truncated'],
      [
        '2026-11-25T10:00:00.000Z',
        '',
        'node-1 (10.0.0.1)',
        'operator',
        'deploy: config',
        '0',
        '12',
        'sh -c \'a, "b"\nc\'',
        "'=cmd|x\n",
        "'-1",
        'false',
      ],
      ['2026-11-25T10:00:00.000Z', '', '节点-2', 'automatic', '', '', '12', "'@SUM(A1)", '', '', ''],
    ]);
  });

  it('JSON is the entries as they are', () => {
    const entries = [entry({ output: { stdout: 'x', stderr: '', truncated: true } })];
    expect(JSON.parse(toJson(entries))).toEqual(entries);
  });
});

describe('filters', () => {
  const ok = entry({ purpose: 'deploy: config', output: { stdout: 'Server Version: 24.0', stderr: '', truncated: false } });
  const failed = entry({ node: 'node-2', exitCode: 3, purpose: 'preflight', command: 'sh -c x\ny\nz' });
  const unfinished = entry({ exitCode: null });

  it('combine purpose, node, exit code and words from the command and output', () => {
    expect(matches(ok, { ...NO_FILTER, purpose: 'deploy: config', exit: 'ok', text: 'server 24.0' })).toBe(true);
    expect(matches(ok, { ...NO_FILTER, text: 'server nothere' })).toBe(false);
    expect(matches(failed, { ...NO_FILTER, node: 'node-2', exit: 3 })).toBe(true);
    expect(matches(failed, { ...NO_FILTER, node: 'node-2', exit: 4 })).toBe(false);
    expect(matches(failed, { ...NO_FILTER, purpose: 'deploy: config' })).toBe(false);
    expect([ok, failed, unfinished].filter((e) => matches(e, { ...NO_FILTER, exit: 'failed' }))).toEqual([failed, unfinished]);
    expect([ok, failed, unfinished].filter((e) => matches(e, { ...NO_FILTER, exit: 'ok' }))).toEqual([ok]);
  });

  it('shows a command by its first line', () => {
    expect(firstLine(failed.command)).toEqual({ line: 'sh -c x', lines: 3 });
    expect(firstLine('uname')).toEqual({ line: 'uname', lines: 1 });
  });
});
