/**
 * Turns a saved profile's node into something ssh can connect to: address, user, and the
 * credentials from the vault. Only the core ever holds these values.
 */
import { ApiError } from '../../../shared/errors';
import type { Auth, NodeProfile, Profile } from '../../../shared/profile';
import type { Vault } from '../vault/vault';
import type { SshAuth, SshHop, SshTarget } from './connect';
import { secretPrefix } from '../profiles/secrets';

export function nodeLabel(profile: Profile, node: NodeProfile): string {
  const index = profile.nodes.findIndex((n) => n.id === node.id) + 1;
  return `${node.name || `node ${index}`} (${node.host})`;
}

function authOf(auth: Auth, vaultKey: string, vault: Vault, label: string): SshAuth {
  const secret = (key: string): string | undefined => (vault.has(key) ? vault.get(key) : undefined);
  if (auth.kind === 'agent') return { kind: 'agent' };
  if (auth.kind === 'key') {
    const passphrase = secret(`${vaultKey}/auth.passphrase`);
    return { kind: 'key', keyPath: auth.keyPath, ...(passphrase ? { passphrase } : {}) };
  }
  const password = secret(`${vaultKey}/auth.password`);
  if (password === undefined) {
    throw new ApiError({
      code: 'invalid_input',
      node: label,
      message: {
        en: `${label}: no SSH password is stored. Open the profile and enter it.`,
        'zh-CN': `${label}：没有保存 SSH 密码。请打开集群配置并输入。`,
      },
    });
  }
  return { kind: 'password', password };
}

/** The SSH target of one node of a saved profile (secrets read from the vault, which must be unlocked). */
export function resolveTarget(profile: Profile, nodeId: string, vault: Vault): SshTarget {
  const node = profile.nodes.find((n) => n.id === nodeId);
  if (!node) {
    throw new ApiError({
      code: 'not_found',
      message: { en: `The profile has no node "${nodeId}".`, 'zh-CN': `集群配置中没有节点“${nodeId}”。` },
    });
  }
  const label = nodeLabel(profile, node);
  const base = `${secretPrefix(profile.id)}nodes/${node.id}`;
  const jumps: SshHop[] = node.jumpHosts.map((j, k) => ({
    label: `${label} jump ${k + 1} (${j.host})`,
    host: j.host,
    port: j.port,
    user: j.user,
    auth: authOf(j.auth, `${base}/jump${k}`, vault, label),
    ...(j.hostKeyFingerprint ? { expectedFingerprint: j.hostKeyFingerprint } : {}),
  }));
  return {
    label,
    host: node.host,
    port: node.port,
    user: node.user,
    auth: authOf(node.auth, base, vault, label),
    ...(node.hostKeyFingerprint ? { expectedFingerprint: node.hostKeyFingerprint } : {}),
    ...(node.privateAddress && node.privateAddress !== node.host ? { privateHost: node.privateAddress } : {}),
    jumps,
  };
}
