/** What the steps read about a node: its entry in the profile, its address as the services see it, its containers. */
import type { ContainerState } from '../../../../../shared/api/contracts/topology';
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { NodeRef } from '../../../deploy/step';
import { DOCKER_PS, parseDockerPs } from '../../node';

export function nodeOf(env: HarborEnv, node: NodeRef) {
  const n = env.profile.nodes.find((x) => x.id === node.id);
  if (!n) throw new Error(`no node ${node.id}`);
  return n;
}

/** The node's address as the services see it (for whitelist advice). */
export function nodeAddress(env: HarborEnv, node: NodeRef): string {
  const n = nodeOf(env, node);
  return n.privateAddress ?? n.host;
}

/** The node's containers by name (`docker ps -a`); empty when docker does not answer. */
export async function containerStates(shell: NodeShell): Promise<Map<string, ContainerState>> {
  const r = await shell.run([...DOCKER_PS]);
  return new Map(r.code === 0 ? parseDockerPs(r.stdout).map((c) => [c.name, c]) : []);
}
