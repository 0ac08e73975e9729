/** The Logs view's failures, in both languages, with the node they happened on. */
import { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';

/** A command on the node failed: what was being done, its exit code and the end of its stderr. */
export function logCommandFailed(node: string, what: Localized, code: number | null, stderr: string): ApiError {
  const detail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400);
  return new ApiError({
    code: 'ssh',
    reason: 'log_command',
    node,
    message: {
      en: `${node}: ${what.en} failed (exit ${code ?? 'none'})${detail ? `: ${detail}` : ''}.`,
      'zh-CN': `${node}：${what['zh-CN']}失败（退出码 ${code ?? '无'}）${detail ? `：${detail}` : ''}。`,
    },
  });
}
