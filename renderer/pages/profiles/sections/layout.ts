/** What the editor's sections share. Each section lays out fields bound to the draft; no rules live here. */
import type { Advice } from '../../../../shared/profile/rules';

export type SectionProps = { advice: readonly Advice[] };
export const half = { xs: 24, md: 12 } as const;
