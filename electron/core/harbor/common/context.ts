/**
 * What the Harbor step modules share: the context a step runs with (the Harbor environment and the step's own) and
 * the helper that writes a text in both languages.
 */
import type { Localized } from '../../../../shared/i18n/localized';
import type { StepContext } from '../../deploy/step';
import type { HarborEnv } from '../env';

export type Ctx = HarborEnv & StepContext;
export const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });
/** Node 1: it goes first, and the cluster's services are reached through it. */
export const firstNode = (ctx: Ctx) => ctx.nodes.find((n) => n.index === 0)!;
