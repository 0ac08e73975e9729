/**
 * What a client sees of a run: its journal with every message masked once more (nothing the renderer
 * sees may carry a secret), and its log, one JSON line an entry, masked when it was written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLine, RunView } from '../../../shared/api/contracts/deploy';
import type { Localized } from '../../../shared/i18n/localized';
import type { Redactor } from '../log';
import type { Cell, Journal } from './journal';

export function maskCell<T extends { reason?: Localized; error?: Localized }>(redactor: Redactor, cell: T): T {
  const m = (l?: Localized) => (l ? { en: redactor.redact(l.en), 'zh-CN': redactor.redact(l['zh-CN']) } : undefined);
  const reason = m(cell.reason);
  const error = m(cell.error);
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

/** The run's log as written; none (a run that logged nothing, or an unknown id) is an empty log. */
export function readRunLog(logDir: string, runId: string): LogLine[] {
  try {
    return readFileSync(runLogFile(logDir, runId), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);
  } catch {
    return [];
  }
}
