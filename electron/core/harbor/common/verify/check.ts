/**
 * What verification is about: the generation it checks, how one check reports (an error's text included), the test
 * image's repository.
 */
import type { Localized } from '../../../../../shared/i18n/localized';
import { L } from '../context';

export interface VerifySpec {
  readonly generation: 'v1' | 'v2';
}

export const VERIFY_REPOSITORY = 'library/harbor-ha-verify';

export interface Check {
  readonly id: string;
  readonly ok: boolean;
  readonly message: Localized;
}

/** An error's text in both languages (ours carry their own translation). */
export function says(error: unknown): Localized {
  if (error instanceof Error && 'localized' in error) return (error as Error & { localized: Localized }).localized;
  const m = (error as Error).message;
  return L(m, m);
}
