/** The Activity page's filtered view as files: CSV for spreadsheets, JSON for tools. */
import type { ActivityEntry } from '../../../shared/api/contracts/ssh';

/** Column names are the entry's field names, the same in both languages: the files are read by tools as much as by people. */
const COLUMNS = [
  'time',
  'profileId',
  'node',
  'origin',
  'purpose',
  'exitCode',
  'durationMs',
  'command',
  'stdout',
  'stderr',
  'truncated',
] as const;

type Cell = string | number | boolean | null | undefined;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces, quotes doubled.
 * A text starting with = + - @ (or a tab or carriage return, which some spreadsheets skip before looking) is run as a
 * formula when the file is opened in a spreadsheet; commands and output come from the servers, so a line a node
 * printed could run in the reader's spreadsheet (CSV injection). A leading ' keeps such a cell text.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

function row(e: ActivityEntry): Cell[] {
  return [
    e.time,
    e.profileId,
    e.node,
    e.origin,
    e.purpose,
    e.exitCode,
    e.durationMs,
    e.command,
    e.output?.stdout,
    e.output?.stderr,
    e.output ? e.output.truncated : undefined,
  ];
}

/** CRLF rows as RFC 4180 has them; a byte order mark first, or Excel reads the UTF-8 (Chinese node names) as ANSI. */
export function toCsv(entries: readonly ActivityEntry[]): string {
  const lines = [COLUMNS.join(','), ...entries.map((e) => row(e).map(csvField).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function toJson(entries: readonly ActivityEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}

/** `activity-20261125-100000.csv`, in local time: the name says when the view was saved. */
export function exportFileName(now: Date, extension: 'csv' | 'json'): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `activity-${stamp}.${extension}`;
}
