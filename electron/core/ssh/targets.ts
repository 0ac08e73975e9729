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

/** A secret of the profile by its slot key (`nodes/n-1a2b/auth.password`, see shared/profile/secrets.ts). */
export type SecretLookup = (slotKey: string) => string | undefined;

/** The secrets of a saved profile: its vault entries. */
export function vaultSecrets(profileId: string, vault: Vault): SecretLookup {
  return (slotKey) => {
    const key = secretPrefix(profileId) + slotKey;
    return vault.has(key) ? vault.get(key) : undefined;
  };
}

function authOf(auth: Auth, slotKey: string, secret: SecretLookup, label: string): SshAuth {
  if (auth.kind === 'agent') return { kind: 'agent' };
  if (auth.kind === 'key') {
    const passphrase = secret(`${slotKey}/auth.passphrase`);
    return { kind: 'key', keyPath: auth.keyPath, ...(passphrase ? { passphrase } : {}) };
  }
  const password = secret(`${slotKey}/auth.password`);
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
  return nodeTarget(nodeLabel(profile, node), node, vaultSecrets(profile.id, vault));
}

/** The SSH target of a node, its secrets from `secret` (the vault, or a form not saved yet). */
export function nodeTarget(label: string, node: NodeProfile, secret: SecretLookup): SshTarget {
  const base = `nodes/${node.id}`;
  const jumps: SshHop[] = node.jumpHosts.map((j, k) => ({
    label: `${label} jump ${k + 1} (${j.host})`,
    host: j.host,
    port: j.port,
    user: j.user,
    auth: authOf(j.auth, `${base}/jump${k}`, secret, label),
    ...(j.hostKeyFingerprint ? { expectedFingerprint: j.hostKeyFingerprint } : {}),
  }));
  return {
    label,
    host: node.host,
    port: node.port,
    user: node.user,
    auth: authOf(node.auth, base, secret, label),
    ...(node.hostKeyFingerprint ? { expectedFingerprint: node.hostKeyFingerprint } : {}),
    ...(node.privateAddress && node.privateAddress !== node.host ? { privateHost: node.privateAddress } : {}),
    jumps,
  };
}
