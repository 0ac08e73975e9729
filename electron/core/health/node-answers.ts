/**
 * What a node answered in a sweep, as its checks: why the app could not log in to it (the SSH
 * check), and what its health command reported (containers, disks, clock) or why it gave no report.
 */
import type { Check, Health, NodeHealth } from '../../../shared/api/contracts/topology';
import { ApiError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profile';
import { SshError } from '../ssh/errors';
import type { ExecResult } from '../ssh/exec';
import { VaultError } from '../vault/vault';
import { clockCheck, containersCheck, disksCheck, L, LIMITS, now, parseNodeReport, type NodeReport } from './checks';
import type { NodeKind } from './kind';
import { UNKNOWN } from './summary';

export interface ConnectFailure {
  readonly status: Health;
  readonly ssh: Check;
  /** Why SSH or the API refused (host key, login, refused…), for the problems to name; none when the vault is locked. */
  readonly code?: string;
}

/** The SSH check of a node the app could not log in to (`started`: when it tried, by performance.now). Any other error is thrown on. */
export function connectFailure(error: unknown, started: number): ConnectFailure {
  const at = now();
  if (error instanceof VaultError) {
    return {
      status: 'unknown',
      ssh: {
        status: 'unknown',
        checkedAt: at,
        detail: 'vault',
        error: L(
          'The vault is locked: unlock it to check this node (its password is stored there).',
          '保险库已锁定：请解锁后再检查该节点（其密码保存在保险库中）。',
        ),
      },
    };
  }
  if (error instanceof SshError) {
    return {
      status: 'fail',
      code: error.code,
      ssh: {
        status: 'fail',
        checkedAt: at,
        latencyMs: Math.round(performance.now() - started),
        detail: error.code,
        error: error.localized,
      },
    };
  }
  if (error instanceof ApiError) {
    return {
      status: 'fail',
      code: error.reason ?? error.code,
      ssh: { status: 'fail', checkedAt: at, detail: error.code, error: error.localized },
    };
  }
  throw error;
}

/** The health command's answer as the sweep awaits it: its result or its error, and when it came (by Date.now). */
export type CommandAnswer = { r: ExecResult; receivedAt: number } | { error: Error; receivedAt: number };

export interface CommandChecks {
  readonly containers: NodeHealth['containers'];
  readonly disks: NodeHealth['disks'];
  readonly clock: NodeHealth['clock'];
  /** None when the command failed or gave no answer in time: the connection is then taken for broken. */
  readonly report?: NodeReport;
}

/** The checks read from the health command (`sentAt`: when it was sent, by Date.now; `at`: the time they are stamped with). */
export function commandChecks(kind: NodeKind, profile: Profile, command: CommandAnswer, sentAt: number, at: string): CommandChecks {
  if ('error' in command || command.r.timedOut) {
    const why = 'error' in command ? command.error.message : `no answer within ${LIMITS.commandMs / 1000} s`;
    const failed: Check = { status: 'fail', checkedAt: at, error: L(`The health command failed: ${why}`, `健康检查命令失败：${why}`) };
    return { containers: failed, disks: UNKNOWN, clock: UNKNOWN };
  }
  const report = parseNodeReport(command.r.stdout);
  return {
    containers: containersCheck(kind, profile, report, at),
    disks: disksCheck(report, at),
    clock: clockCheck(report, sentAt, command.receivedAt, at),
    report,
  };
}
