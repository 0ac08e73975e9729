import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type SshConnection } from '../../electron/core/ssh/connect';
import { KnownHosts } from '../../electron/core/ssh/known-hosts';
import type { LabNode } from '../lab';

/** A verified key-auth connection to a lab node, its host key pinned in a known_hosts of its own. */
export async function connectToLabNode(node: LabNode): Promise<SshConnection> {
  const file = join(mkdtempSync(join(tmpdir(), 'lab-ssh-')), 'known_hosts');
  writeFileSync(file, `${node.knownHostsLine}\n`);
  return connect(
    { label: node.name, host: node.address, port: node.port, user: 'root', auth: { kind: 'key', keyPath: node.privateKeyPath } },
    { knownHosts: new KnownHosts(file) },
  );
}
