/**
 * What the Harbor step modules share: the context a step runs with (the Harbor environment and the step's own) and
 * the helper that writes a text in both languages.
 */
import type { StepContext } from '../../deploy/step';
import { L } from '../../../../shared/i18n/localized';
import type { HarborEnv } from '../env';

export type Ctx = HarborEnv & StepContext;
/** Re-exported for this folder's modules: the helper is defined once, in shared/i18n/localized.ts. */
export { L };
/** Node 1: it goes first, and the cluster's services are reached through it. */
export const firstNode = (ctx: Ctx) => ctx.nodes.find((n) => n.index === 0)!;
