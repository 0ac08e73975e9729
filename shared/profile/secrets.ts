/**
 * Where a profile keeps secrets. Each slot has a stable key (used in the vault, independent of node
 * order) and its path in the profile (used for field messages).
 */
import type { SecretInput } from './fields';
import type { Auth, Profile } from './schema';
import type { PolicedSecret } from './value-policy';

export interface SecretSlot {
  /** Vault key below the profile's prefix, e.g. `nodes/n-1a2b/auth.password`. */
  readonly key: string;
  readonly path: readonly (string | number)[];
  readonly policed?: PolicedSecret;
  readonly get: () => SecretInput;
  readonly set: (value: SecretInput) => void;
}

function authSlots(auth: Auth, key: string, path: (string | number)[]): SecretSlot[] {
  if (auth.kind === 'password') {
    return [
      { key: `${key}/auth.password`, path: [...path, 'auth', 'password'], get: () => auth.password, set: (v) => (auth.password = v) },
    ];
  }
  if (auth.kind === 'key') {
    return [
      {
        key: `${key}/auth.passphrase`,
        path: [...path, 'auth', 'passphrase'],
        get: () => auth.passphrase,
        set: (v) => (auth.passphrase = v),
      },
    ];
  }
  return [];
}

/** Every secret slot of the profile, reading and writing the object in place. */
export function secretSlots(p: Profile): SecretSlot[] {
  const slots: SecretSlot[] = [
    {
      key: 'harbor.adminPassword',
      path: ['harbor', 'adminPassword'],
      policed: 'harbor.adminPassword',
      get: () => p.harbor.adminPassword,
      set: (v) => (p.harbor.adminPassword = v),
    },
    { key: 'access.privateKey', path: ['access', 'privateKey'], get: () => p.access.privateKey, set: (v) => (p.access.privateKey = v) },
    {
      key: 'database.admin.password',
      path: ['database', 'admin', 'password'],
      policed: 'database.admin.password',
      get: () => p.database.admin.password,
      set: (v) => (p.database.admin.password = v),
    },
    {
      key: 'database.harbor.password',
      path: ['database', 'harbor', 'password'],
      policed: 'database.harbor.password',
      get: () => p.database.harbor.password,
      set: (v) => (p.database.harbor.password = v),
    },
    {
      key: 'redis.password',
      path: ['redis', 'password'],
      policed: 'redis.password',
      get: () => p.redis.password,
      set: (v) => (p.redis.password = v),
    },
    {
      key: 'oss.accessKeySecret',
      path: ['oss', 'accessKeySecret'],
      policed: 'oss.accessKeySecret',
      get: () => p.oss.accessKeySecret,
      set: (v) => (p.oss.accessKeySecret = v),
    },
  ];
  const clair = p.clair;
  if (clair)
    slots.push({
      key: 'clair.password',
      path: ['clair', 'password'],
      policed: 'clair.password',
      get: () => clair.password,
      set: (v) => (clair.password = v),
    });
  const cloud = p.cloud;
  // The app's own Aliyun key: it never leaves this computer, so no Harbor file carries it (not policed).
  if (cloud)
    slots.push({
      key: 'cloud.accessKeySecret',
      path: ['cloud', 'accessKeySecret'],
      get: () => cloud.accessKeySecret,
      set: (v) => (cloud.accessKeySecret = v),
    });
  p.nodes.forEach((node, i) => {
    slots.push(...authSlots(node.auth, `nodes/${node.id}`, ['nodes', i]));
    node.jumpHosts.forEach((jump, k) => slots.push(...authSlots(jump.auth, `nodes/${node.id}/jump${k}`, ['nodes', i, 'jumpHosts', k])));
  });
  return slots;
}
