import type { CallsOf } from '../api/dispatcher';
import type { AuditLog } from '../audit';
import { SshError } from '../ssh/errors';
import type { SshPool } from '../ssh/pool';

export function sshHandlers(pool: SshPool, audit: AuditLog): CallsOf<'ssh' | 'activity'> {
  return {
    'ssh.test': async ({ profileId, nodeId }) => {
      const started = performance.now();
      let connection;
      try {
        connection = await pool.open(profileId, nodeId);
      } catch (error) {
        // Not a failure but a question for the operator: the fingerprint to compare before trusting it.
        if (error instanceof SshError && error.code === 'host_key_unknown') {
          return {
            status: 'host_key_unknown',
            label: error.node,
            fingerprint: error.detail.fingerprint ?? '',
            keyType: error.detail.keyType ?? '',
            message: error.localized,
          };
        }
        throw error;
      }
      try {
        const latencyMs = Math.round(performance.now() - started);
        const r = await pool.runOn(connection.ssh, connection.target.label, ['uname', '-s', '-n', '-r', '-m'], {
          profileId,
          purpose: 'test connection',
          timeoutMs: 10_000,
        });
        // uname prints in its own fixed order: kernel name, node name, release, machine.
        const [kernel = '', hostname = '', release = '', machine = ''] = r.stdout.trim().split(/\s+/);
        return {
          status: 'ok',
          label: connection.target.label,
          fingerprint: connection.fingerprint,
          hostname,
          os: `${kernel} ${release} ${machine}`.trim(),
          latencyMs,
        };
      } finally {
        connection.close();
      }
    },
    'ssh.trustHostKey': ({ fingerprint }) => {
      const { host, port } = pool.trust(fingerprint);
      return { host, port, fingerprint };
    },
    'activity.list': ({ profileId, origin, limit }) =>
      audit.read({ limit, ...(profileId ? { profileId } : {}), ...(origin ? { origin } : {}) }),
  };
}
