/**
 * The runs of a profile as a history: only the newest one may be resumed. An older failed run resumed under a
 * newer one would run its old plan against nodes the newer run has changed since, and the history would no longer
 * read in order.
 */
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { Journal } from './journal';

/** Throws `conflict` when `journal` is not the profile's newest run (`latestRunId`). */
export function refuseSuperseded(journal: Journal, latestRunId: string | null): void {
  if (latestRunId === null || latestRunId === journal.runId) return;
  throw new ApiError({
    code: 'conflict',
    reason: 'superseded',
    message: L(
      `Run ${journal.runId} cannot be resumed: a newer run of this profile exists (${latestRunId}). Only the newest run continues; start a new run or resume that one.`,
      `无法继续运行 ${journal.runId}：该集群配置已有更新的运行（${latestRunId}）。只有最新的运行可以继续；请开始新的运行或继续那一次。`,
    ),
  });
}
