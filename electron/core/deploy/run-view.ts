/**
 * What a client sees of a run: its journal with every message masked once more (nothing the renderer
 * sees may carry a secret), and its log, one JSON line an entry, masked when it was written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLine, RunView } from '../../../shared/api/contracts/deploy';
import type { Localized } from '../../../shared/i18n/localized';
import type { Redactor } from '../log';
import { operationOf, type Cell, type Journal } from './journal';

/** Both languages of a text, masked. */
export function maskText(redactor: Redactor, text: Localized): Localized {
  return { en: redactor.redact(text.en), 'zh-CN': redactor.redact(text['zh-CN']) };
}

export function maskCell<T extends { reason?: Localized; error?: Localized }>(redactor: Redactor, cell: T): T {
  const reason = cell.reason && maskText(redactor, cell.reason);
  const error = cell.error && maskText(redactor, cell.error);
  return { ...cell, ...(reason ? { reason } : {}), ...(error ? { error } : {}) };
}

/** `active`: whether this process is executing the run now. */
export function runView(redactor: Redactor, journal: Journal, active: boolean): RunView {
  const cells: Record<string, Record<string, Cell>> = {};
  for (const [s, byNode] of Object.entries(journal.cells)) {
    cells[s] = {};
    for (const [n, c] of Object.entries(byNode)) cells[s][n] = maskCell(redactor, c);
  }
  return {
    runId: journal.runId,
    profileId: journal.profileId,
    operation: operationOf(journal),
    createdAt: journal.createdAt,
    updatedAt: journal.updatedAt,
    state: journal.state,
    steps: journal.steps,
    cells,
    active,
    ...(journal.request ? { request: journal.request } : {}),
  };
}

export function runLogFile(logDir: string, runId: string): string {
  return join(logDir, `${runId}.log`);
}

/**
 * The run's log as written; none (a run that logged nothing, or an unknown id) is an empty log. Logs of older
 * versions hold one English text a line: it is shown as it is in both languages.
 */
export function readRunLog(logDir: string, runId: string): LogLine[] {
  try {
    return readFileSync(runLogFile(logDir, runId), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const entry = JSON.parse(l) as Omit<LogLine, 'line'> & { line: LogLine['line'] | string };
        return typeof entry.line === 'string' ? { ...entry, line: { en: entry.line, 'zh-CN': entry.line } } : (entry as LogLine);
      });
  } catch {
    return [];
  }
}
