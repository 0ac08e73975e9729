/** What every check of a sweep shares: messages in both languages, the worst of states, timestamps and time limits. */
import type { Health } from '../../../../shared/api/contracts/topology';
import { L } from '../../../../shared/i18n/localized';

/** Re-exported for this folder's modules: the helper is defined once, in shared/i18n/localized.ts. */
export { L };

const ORDER: Record<Health, number> = { ok: 0, unknown: 1, warn: 2, fail: 3 };
export function worst(...states: Health[]): Health {
  return states.reduce<Health>((a, b) => (ORDER[b] > ORDER[a] ? b : a), 'ok');
}

export const now = (): string => new Date().toISOString();

/** Per-request time limits of a sweep. The SSH connect timeout is the pool's. */
export const LIMITS = { reachMs: 5000, helloMs: 3000, httpMs: 8000, commandMs: 15_000 } as const;
