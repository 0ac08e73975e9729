/** What the steps read about a node: its entry in the profile, its address as the services see it, its containers. */
import type { ContainerState } from '../../../../../shared/api/contracts/topology';
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { CheckResult, NodeRef } from '../../../deploy/step';
import { L, type Localized } from '../../../../../shared/i18n/localized';
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

/**
 * Whether a node is installed as the profile now says, from its install stamp: not done when the stamp differs (a
 * serving node is then reinstalled one at a time, CheckResult.disruptive) or a container is down; null when it is
 * installed and running (the generation's own checks follow).
 */
export function installStampCheck(
  stamp: string | null | undefined,
  current: string,
  down: readonly string[],
  changed: Localized,
): CheckResult | null {
  if (stamp?.trim() !== current) {
    return {
      done: false,
      disruptive: !!stamp && down.length === 0,
      reason: stamp ? changed : L('not installed by this app yet', '尚未由本应用安装'),
    };
  }
  if (down.length) return { done: false, reason: L(`not running: ${down.join(', ')}`, `未运行：${down.join('、')}`) };
  return null;
}

/** Free kilobytes in a folder of a node (`df -Pk`, POSIX output on every distribution), null when it cannot be read. */
export async function freeKb(shell: NodeShell, dir: string): Promise<number | null> {
  const r = await shell.run(['df', '-Pk', dir]);
  const free = Number(r.stdout.trim().split('\n')[1]?.trim().split(/\s+/)[3]);
  return r.code === 0 && Number.isFinite(free) ? free : null;
}
