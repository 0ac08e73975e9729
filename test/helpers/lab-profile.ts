import type { ProfileService } from '../../electron/core/profiles/service';
import { CLOUD_PRODUCTS, profileSchema, type Profile, type ProfileInput } from '../../shared/profile';
import type { AccessKey, Lab } from '../lab';
import { v1Profile, v2Profile } from './profiles';

/**
 * Saves profile `lab` ("Lab cluster") whose nodes are the lab's: node 1 signs in with its password,
 * the others with the lab's key, so both kinds of credentials are exercised. The vault must be open.
 */
export async function saveLabProfile(profiles: ProfileService, l: Lab): Promise<void> {
  await profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.name = 'Lab cluster';
        p.nodes = l.nodes.map((n) => ({
          id: `n${n.index}`,
          name: n.name,
          host: n.address,
          auth:
            n.index === 1
              ? { kind: 'password', password: { value: n.password } }
              : { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
        }));
      }),
    ),
  );
}

/** The first `count` lab nodes as profile nodes: node 1 signs in with its password, the others with the lab's key; host keys pinned. */
function labNodes(l: Lab, count = l.nodes.length): ProfileInput['nodes'] {
  return l.nodes.slice(0, count).map((n) => ({
    id: `n${n.index}`,
    name: n.name,
    host: n.address,
    hostKeyFingerprint: n.hostKeyFingerprint,
    auth:
      n.index === 1
        ? { kind: 'password', password: { value: n.password } }
        : { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
  }));
}

/**
 * A profile in the lab's cloud: its database and Redis are the cloud's RDS and R-KVStore instances, reached through
 * their whitelist gates (a node missing from an instance's whitelist is refused), and the profile has an Aliyun
 * account on the lab's endpoint. Needs a lab with `cloud`.
 */
export interface LabCloudProfile {
  /** The account's AccessKey (default: a new one allowed every action). */
  readonly accessKey?: AccessKey;
}

export interface V1LabOptions {
  /** Harbor's Clair on a PostgreSQL database (default true when the lab runs postgres). */
  readonly clair?: boolean;
  /** Nodes of the lab to put in the profile (default all). */
  readonly nodes?: number;
  /** Database, Clair and Redis through the cloud's whitelist gates, with an Aliyun account (default: direct, none). */
  readonly cloud?: true | LabCloudProfile;
  readonly tweak?: (p: ProfileInput) => void;
}

/** The lab's Aliyun account: every product on the lab's endpoint, trusted through the lab's CA. */
export const labCloudAccount = (l: Lab, key: AccessKey = l.cloud.accessKey('*')): NonNullable<ProfileInput['cloud']> => ({
  region: l.cloud.regionId,
  accessKeyId: key.id,
  accessKeySecret: { value: key.secret },
  endpoints: Object.fromEntries(CLOUD_PRODUCTS.map((product) => [product, l.cloud.endpoint])),
  caCertificate: l.cloud.caPem,
});

const cloudKey = (o: true | LabCloudProfile): AccessKey | undefined => (o === true ? undefined : o.accessKey);

/** Where a database is reached: its whitelist gate (by the address, which the host resolves too) or directly. */
const reach = (gate: { address: string; port: number } | undefined, direct: { address: string; port: number }) => ({
  host: (gate ?? direct).address,
  port: (gate ?? direct).port,
});

/**
 * The lab's MariaDB as RDS MySQL for Harbor 1.5 (its root account for both the admin and Harbor, as the 1.5 lab does);
 * `gated`: the cloud's RDS instance, through its whitelist gate.
 */
export const labMysql = (l: Lab, o: { gated?: boolean } = {}): ProfileInput['database'] => ({
  engine: 'mysql',
  ...(o.gated ? { instanceId: l.gates.mariadb.instanceId } : {}),
  ...reach(o.gated ? l.gates.mariadb : undefined, l.mariadb),
  admin: { user: 'root', password: { value: l.mariadb.password } },
  harbor: { user: 'root', password: { value: l.mariadb.password } },
});

/** The lab's Redis, by password; `gated`: the cloud's R-KVStore instance, through its whitelist gate. */
export const labRedis = (l: Lab, o: { gated?: boolean } = {}): ProfileInput['redis'] => ({
  ...(o.gated ? { instanceId: l.gates.redis.instanceId } : {}),
  ...reach(o.gated ? l.gates.redis : undefined, l.redis),
  auth: 'password',
  password: { value: l.redis.password },
});

/** The lab's OSS on its internal endpoint name, under /harbor. */
export const labOss = (l: Lab): ProfileInput['oss'] => ({
  region: l.oss.region,
  bucket: l.oss.bucket,
  internal: true,
  secure: false,
  accessKeyId: l.oss.accessKeyId,
  accessKeySecret: { value: l.oss.accessKeySecret },
  rootDirectory: '/harbor',
});

/** The lab's HAProxy as a layer-4 Aliyun SLB. */
const labSlb = (l: Lab): ProfileInput['loadBalancer'] => ({
  kind: 'clb',
  publicAddress: l.lb.address,
  privateAddress: l.lb.address,
  listener: 'tcp',
});

/**
 * Saves profile `lab` for a Harbor 1.5 deployment onto the lab: its nodes (host keys pinned by
 * fingerprint), the lab's installer, MariaDB as RDS, PostgreSQL for Clair, Redis, OSS on its
 * internal endpoint name, and the load balancer as a layer-4 SLB. The vault must be open.
 */
export async function saveV1LabProfile(profiles: ProfileService, l: Lab, o: V1LabOptions = {}): Promise<Profile> {
  const clair = o.clair ?? l.services.includes('postgres');
  const gated = o.cloud !== undefined;
  const view = await profiles.save(
    profileSchema.parse(
      v1Profile((p) => {
        p.id = 'lab';
        p.name = 'Lab cluster';
        p.harbor = {
          generation: 'v1',
          version: '1.5.4',
          installer: { kind: 'local', path: l.installers.v1! },
          adminPassword: { value: 'Harbor-Lab-12345' },
        };
        p.access = { domain: l.registryName, protocol: 'http', privateKey: { set: false } };
        p.nodes = labNodes(l, o.nodes);
        p.loadBalancer = labSlb(l);
        p.database = labMysql(l, { gated });
        if (clair)
          p.clair = {
            ...reach(gated ? l.gates.postgres : undefined, l.postgres),
            user: 'postgres',
            password: { value: l.postgres.password },
            database: 'clair',
          };
        else delete p.clair;
        p.redis = labRedis(l, { gated });
        p.oss = labOss(l);
        if (o.cloud) p.cloud = labCloudAccount(l, cloudKey(o.cloud));
        p.options = { scanner: clair ? 'clair' : 'none', jobWorkers: 5 };
        o.tweak?.(p);
      }),
    ),
  );
  return view.profile;
}

/** The PostgreSQL account the Harbor 2.x lab profile gives Harbor (create it as the RDS console would). */
export const V2_LAB_HARBOR_DB = { user: 'harbor', password: 'Harbor-Db-Lab-77', database: 'registry' } as const;

export interface V2LabOptions {
  /** Nodes of the lab to put in the profile (default all). */
  readonly nodes?: number;
  /** Database and Redis through the cloud's whitelist gates, with an Aliyun account (default: direct, none). */
  readonly cloud?: true | LabCloudProfile;
  readonly tweak?: (p: ProfileInput) => void;
}

/**
 * Saves profile `lab` for a Harbor 2.x deployment onto the lab: its nodes (host keys pinned), the
 * lab's v2 installer, PostgreSQL as RDS (admin `postgres`, Harbor's own account
 * {@link V2_LAB_HARBOR_DB}, which the caller creates), Redis by password, OSS on its internal
 * endpoint name, and the load balancer as a layer-4 SLB. The vault must be open.
 */
export async function saveV2LabProfile(profiles: ProfileService, l: Lab, o: V2LabOptions = {}): Promise<Profile> {
  const gated = o.cloud !== undefined;
  const view = await profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.name = 'Lab cluster';
        p.harbor = {
          generation: 'v2',
          version: '2.15.2',
          installer: { kind: 'local', path: l.installers.v2! },
          adminPassword: { value: 'Harbor-Lab-12345' },
        };
        p.access = { domain: l.registryName, protocol: 'http', privateKey: { set: false } };
        p.nodes = labNodes(l, o.nodes);
        p.loadBalancer = labSlb(l);
        p.database = {
          engine: 'postgresql',
          ...(gated ? { instanceId: l.gates.postgres.instanceId } : {}),
          ...reach(gated ? l.gates.postgres : undefined, l.postgres),
          admin: { user: 'postgres', password: { value: l.postgres.password } },
          harbor: { user: V2_LAB_HARBOR_DB.user, password: { value: V2_LAB_HARBOR_DB.password }, database: V2_LAB_HARBOR_DB.database },
        };
        delete p.clair;
        p.redis = labRedis(l, { gated });
        p.oss = labOss(l);
        if (o.cloud) p.cloud = labCloudAccount(l, cloudKey(o.cloud));
        p.options = { scanner: 'none', jobWorkers: 5 };
        o.tweak?.(p);
      }),
    ),
  );
  return view.profile;
}
