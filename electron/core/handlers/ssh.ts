import type { CallsOf } from '../api/dispatcher';
import type { AuditLog } from '../audit';
import { fromVaultError } from '../profiles/service';
import { SshError } from '../ssh/errors';
import type { SshPool } from '../ssh/pool';

/** SSH failures in the API's terms; a vault that must be unlocked first says so. */
function apiError(error: unknown): unknown {
  if (error instanceof SshError) return error.toApiError();
  return fromVaultError(error);
}

export function sshHandlers(pool: SshPool, audit: AuditLog): CallsOf<'ssh' | 'activity'> {
  return {
    'ssh.test': async ({ profileId, nodeId }) => {
      const started = performance.now();
      let connection;
      try {
        connection = await pool.open(profileId, nodeId);
      } catch (error) {
        if (error instanceof SshError && error.code === 'host_key_unknown') {
          return { status: 'host_key_unknown', label: error.node, fingerprint: error.detail.fingerprint ?? '', keyType: error.detail.keyType ?? '', message: error.localized };
        }
        throw apiError(error);
      }
      try {
        const latencyMs = Math.round(performance.now() - started);
        const r = await pool.runOn(connection.client, connection.target.label, ['uname', '-s', '-n', '-r', '-m'], { profileId, purpose: 'test connection', timeoutMs: 10_000 });
        // uname prints in its own fixed order: kernel name, node name, release, machine.
        const [kernel = '', hostname = '', release = '', machine = ''] = r.stdout.trim().split(/\s+/);
        return { status: 'ok', label: connection.target.label, fingerprint: connection.fingerprint, hostname, os: `${kernel} ${release} ${machine}`.trim(), latencyMs };
      } catch (error) {
        throw apiError(error);
      } finally {
        connection.close();
      }
    },
    'ssh.trustHostKey': ({ fingerprint }) => {
      try {
        const { host, port } = pool.trust(fingerprint);
        return { host, port, fingerprint };
      } catch (error) {
        throw apiError(error);
      }
    },
    'activity.list': ({ profileId, limit }) => audit.read(5000).filter((e) => !profileId || e.profileId === profileId).slice(0, limit),
  };
}
