/**
 * Transfer failures. A connection problem stays an SshError (code 'ssh', its own reason); what the
 * transfer itself finds wrong is a TransferError, also code 'ssh' with a reason of its own, so the
 * UI treats every node failure alike and shows the localized message.
 */
import { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { SshError } from '../ssh/errors';

export type TransferErrorReason =
  /** The file on the node does not have the local file's sha256 after the upload. */
  | 'checksum_mismatch'
  /** A command the transfer runs on a node failed (exit code and stderr in the message). */
  | 'remote_command'
  /** The operator cancelled. */
  | 'cancelled'
  /** Relay: the copy from the first node to this node failed. */
  | 'relay_copy'
  /** Relay: the first node could not receive the file, so no other node could. */
  | 'relay_source';

export class TransferError extends Error {
  readonly localized: Localized;
  constructor(
    readonly reason: TransferErrorReason,
    readonly node: string,
    localized: Localized,
  ) {
    super(localized.en);
    this.name = 'TransferError';
    this.localized = localized;
  }

  toApiError(): ApiError {
    return new ApiError({ code: 'ssh', reason: this.reason, node: this.node, message: this.localized });
  }
}

export function cancelled(node: string): TransferError {
  return new TransferError('cancelled', node, { en: `${node}: the transfer was cancelled.`, 'zh-CN': `${node}：传输已取消。` });
}

export function remoteCommandFailed(node: string, what: string, code: number | null, stderr: string): TransferError {
  const detail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400);
  return new TransferError('remote_command', node, {
    en: `${node}: ${what} failed (exit ${code ?? 'none'})${detail ? `: ${detail}` : ''}.`,
    'zh-CN': `${node}：${what}失败（退出码 ${code ?? '无'}）${detail ? `：${detail}` : ''}。`,
  });
}

export function checksumMismatch(node: string, path: string, expected: string, actual: string): TransferError {
  return new TransferError('checksum_mismatch', node, {
    en: `${node}: ${path} has sha256 ${actual} on the node, but the local file has ${expected}. The copy was removed; upload again.`,
    'zh-CN': `${node}：节点上 ${path} 的 sha256 为 ${actual}，本地文件为 ${expected}。已删除该副本，请重新上传。`,
  });
}

/** Any failure as the API error a node's status carries. */
export function toApiError(error: unknown, node: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof SshError || error instanceof TransferError) return error.toApiError();
  const message = (error as Error)?.message ?? String(error);
  return new ApiError({ code: 'ssh', reason: 'protocol', node, message: { en: `${node}: ${message}`, 'zh-CN': `${node}：${message}` } });
}
