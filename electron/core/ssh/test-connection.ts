/**
 * "Test connection": connect (host keys verified before any credential, through the jump hosts), run `uname`, report
 * the host's name, OS and the key's fingerprint. An unknown host key is not a failure but a question for the operator:
 * the fingerprint to compare, answered with `ssh.trustHostKey`.
 */
import type { SshTestResult } from '../../../shared/api/contracts/ssh';
import type { SshConnection } from './connect';
import { SshError } from './errors';
import type { SshPool } from './pool';

export async function testConnection(
  pool: SshPool,
  open: () => Promise<SshConnection>,
  audit: { profileId: string },
): Promise<SshTestResult> {
  const started = performance.now();
  let connection;
  try {
    connection = await open();
  } catch (error) {
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
      profileId: audit.profileId,
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
}
