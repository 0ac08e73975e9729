/**
 * A RemoteSession over a connection of the pool, for a transfer or a Files job: its commands run through the pool and
 * a streamed one (sha256 while uploading) is recorded the same way, so the audit log holds every command either runs.
 */
import type { AuditLog } from '../audit';
import type { SshConnection } from '../ssh/connect';
import type { SshPool } from '../ssh/pool';
import { commandLine } from '../ssh/quote';
import type { RemoteSession } from './remote';

export interface SessionServices {
  readonly pool: Pick<SshPool, 'runOn'>;
  readonly audit: Pick<AuditLog, 'record'>;
}

export function auditedSession({ pool, audit }: SessionServices, profileId: string, c: SshConnection): RemoteSession {
  const label = c.target.label;
  return {
    client: c.client,
    label,
    run: (argv, o = {}) => pool.runOn(c.ssh, label, argv, { ...o, profileId }),
    record: (argv, exitCode, durationMs, purpose) =>
      audit.record({
        time: new Date(Date.now() - durationMs).toISOString(),
        profileId,
        node: label,
        command: commandLine(argv),
        exitCode,
        durationMs,
        purpose,
      }),
  };
}
