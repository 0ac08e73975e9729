/** A preflight finding (what was checked, whether it passed, what to do) and the message that lists the failed ones. */
import type { Localized } from '../../../../../shared/i18n/localized';
import { L } from '../context';

export interface Finding {
  /** Stable id, e.g. `docker-compose.version` (tests and the UI key on it). */
  readonly id: string;
  readonly ok: boolean;
  /** Warnings do not stop the run. */
  readonly severity: 'error' | 'warning';
  readonly message: Localized;
  readonly fix?: Localized;
  /** The profile field whose value is why it failed (`database.port`), when a setting is the cause. */
  readonly field?: string;
}

export const ok = (id: string, en: string, zh: string): Finding => ({ id, ok: true, severity: 'error', message: L(en, zh) });
export const bad = (id: string, message: Localized, fix?: Localized, severity: 'error' | 'warning' = 'error', field?: string): Finding => ({
  id,
  ok: false,
  severity,
  message,
  ...(fix ? { fix } : {}),
  ...(field ? { field } : {}),
});

/** The field of the first failed finding that names one: what "Edit this field" opens for the failed check. */
export function failedField(findings: readonly Finding[]): { field?: string } {
  const field = findings.find((f) => !f.ok && f.severity === 'error' && f.field)?.field;
  return field ? { field } : {};
}

/** A finding as a line of the run's log: its mark, its message and, when it failed, the fix. */
export function findingLine(f: Finding): Localized {
  const mark = f.ok ? '✔' : f.severity === 'warning' ? '!' : '✖';
  const line = (lang: 'en' | 'zh-CN') => `${mark} ${f.message[lang]}${!f.ok && f.fix ? ` → ${f.fix[lang]}` : ''}`;
  return { en: line('en'), 'zh-CN': line('zh-CN') };
}

/** One message listing what failed, with the fixes. */
export function findingsError(findings: readonly Finding[]): Localized {
  const failed = findings.filter((f) => !f.ok && f.severity === 'error');
  const line = (f: Finding, lang: 'en' | 'zh-CN') => `✖ ${f.message[lang]}${f.fix ? `\n  → ${f.fix[lang]}` : ''}`;
  return {
    en: `${failed.length} check${failed.length === 1 ? '' : 's'} failed; nothing was changed:\n${failed.map((f) => line(f, 'en')).join('\n')}`,
    'zh-CN': `${failed.length} 项检查未通过；未做任何更改：\n${failed.map((f) => line(f, 'zh-CN')).join('\n')}`,
  };
}
