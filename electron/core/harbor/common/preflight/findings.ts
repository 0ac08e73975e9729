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
}

export const ok = (id: string, en: string, zh: string): Finding => ({ id, ok: true, severity: 'error', message: L(en, zh) });
export const bad = (id: string, message: Localized, fix?: Localized, severity: 'error' | 'warning' = 'error'): Finding => ({
  id,
  ok: false,
  severity,
  message,
  ...(fix ? { fix } : {}),
});

/** One message listing what failed, with the fixes. */
export function findingsError(findings: readonly Finding[]): Localized {
  const failed = findings.filter((f) => !f.ok && f.severity === 'error');
  const line = (f: Finding, lang: 'en' | 'zh-CN') => `✖ ${f.message[lang]}${f.fix ? `\n  → ${f.fix[lang]}` : ''}`;
  return {
    en: `${failed.length} check${failed.length === 1 ? '' : 's'} failed; nothing was changed:\n${failed.map((f) => line(f, 'en')).join('\n')}`,
    'zh-CN': `${failed.length} 项检查未通过；未做任何更改：\n${failed.map((f) => line(f, 'zh-CN')).join('\n')}`,
  };
}
