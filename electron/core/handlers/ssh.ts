import type { CallsOf } from '../api/dispatcher';
import type { AuditLog } from '../audit';
import type { SshPool } from '../ssh/pool';
import { testConnection } from '../ssh/test-connection';

export function sshHandlers(pool: SshPool, audit: AuditLog): CallsOf<'ssh' | 'activity'> {
  return {
    'ssh.test': ({ profileId, nodeId }) => testConnection(pool, () => pool.open(profileId, nodeId), { profileId }),
    'ssh.trustHostKey': ({ fingerprint }) => {
      const { host, port } = pool.trust(fingerprint);
      return { host, port, fingerprint };
    },
    'activity.list': ({ profileId, origin, limit }) =>
      audit.read({ limit, ...(profileId ? { profileId } : {}), ...(origin ? { origin } : {}) }),
  };
}
