/** SSH to the nodes of a profile: test a connection, accept a host key, and the audit log. */
import { z } from 'zod';
import type { Localized } from '../../i18n/localized';
import { call } from '../define';
import { profileId } from './profiles';
import type { TerminalSessionSummary } from './terminal';

export const nodeId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);
const fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/);

export type SshTestResult =
  | {
      readonly status: 'ok';
      readonly label: string;
      readonly fingerprint: string;
      readonly hostname: string;
      readonly os: string;
      readonly latencyMs: number;
    }
  /** The host (or a jump host) is not known: show the fingerprint, then `ssh.trustHostKey`. */
  | {
      readonly status: 'host_key_unknown';
      readonly label: string;
      readonly fingerprint: string;
      readonly keyType: string;
      readonly message: Localized;
    };

export interface TrustedHostKey {
  readonly host: string;
  readonly port: number;
  readonly fingerprint: string;
}

/**
 * Who started a command: the app by itself (the topology's health sweeps), or the operator (deploy steps, previews,
 * connection tests, transfers). The Activity page keeps the automatic ones apart: they repeat every sweep.
 */
export const activityOrigins = ['operator', 'automatic'] as const;
export type ActivityOrigin = (typeof activityOrigins)[number];

/** What a command printed, secrets masked, each stream bounded (electron/core/audit.ts says how and why). */
export interface ActivityOutput {
  readonly stdout: string;
  readonly stderr: string;
  /** Part of a stream was left out to stay within the bound (its middle, or its end when it was longer still). */
  readonly truncated: boolean;
}

export interface ActivityEntry {
  readonly time: string;
  readonly profileId?: string;
  readonly node: string;
  /** The command line as run, with every secret masked. */
  readonly command: string;
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly purpose?: string;
  readonly origin: ActivityOrigin;
  /** Absent for entries written before output was kept, for work done elsewhere (SQL) and for file reads. */
  readonly output?: ActivityOutput;
  /** An ended terminal session (the command then names the session; the page shows this summary). */
  readonly terminal?: TerminalSessionSummary;
}

export const sshContract = {
  'ssh.test': call(
    z.object({ profileId, nodeId }).strict(),
    'Connects to a node (through its jump hosts), verifying host keys first, and reports its host name and OS.',
  ).returns<SshTestResult>(),
  'ssh.trustHostKey': call(
    z.object({ fingerprint }).strict(),
    'Records a host key the operator compared and accepted (one a host presented in a recent ssh.test).',
  ).returns<TrustedHostKey>(),
  'activity.list': call(
    z
      .object({
        profileId: profileId.optional(),
        /** Only the operator's commands or only the automatic checks (both when absent); applied before the limit. */
        origin: z.enum(activityOrigins).optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    'The commands the app ran on servers, newest first, secrets masked, with what they printed.',
  ).returns<ActivityEntry[]>(),
} as const;
