/** Which audit entries the Activity page shows: the filters a person combines, each one optional. */
import type { ActivityEntry } from '../../../shared/api/contracts/ssh';

/** `ok`: exit 0; `failed`: any other end, an unfinished command included; a number: that exit code. */
export type ExitFilter = 'any' | 'ok' | 'failed' | number;

export interface ActivityFilter {
  readonly purpose?: string;
  readonly node?: string;
  readonly exit: ExitFilter;
  /** Words looked for, ignoring case, in the command, its output, the node and the purpose. */
  readonly text: string;
}

export const NO_FILTER: ActivityFilter = { exit: 'any', text: '' };

function exitMatches(code: number | null, exit: ExitFilter): boolean {
  if (exit === 'any') return true;
  if (exit === 'ok') return code === 0;
  if (exit === 'failed') return code !== 0;
  return code === exit;
}

export function matches(entry: ActivityEntry, filter: ActivityFilter): boolean {
  if (filter.purpose !== undefined && entry.purpose !== filter.purpose) return false;
  if (filter.node !== undefined && entry.node !== filter.node) return false;
  if (!exitMatches(entry.exitCode, filter.exit)) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [entry.command, entry.node, entry.purpose ?? '', entry.output?.stdout ?? '', entry.output?.stderr ?? '']
    .join('\n')
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** The distinct values of a field, sorted, for a filter's choices. */
export function choices(entries: readonly ActivityEntry[], pick: (e: ActivityEntry) => string | undefined): string[] {
  return [...new Set(entries.map(pick).filter((v): v is string => v !== undefined && v !== ''))].sort();
}

/** A command's first line and how many lines it has (the sweeps' commands are 30-line scripts). */
export function firstLine(command: string): { line: string; lines: number } {
  const all = command.split('\n');
  return { line: all[0] ?? '', lines: all.length };
}
