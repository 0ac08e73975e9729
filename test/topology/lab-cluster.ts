/**
 * A running Harbor 2.x cluster on the lab for the topology tests: the v2 fixture installed on every
 * node against the lab's PostgreSQL, Redis and OSS, node 1's key material shared (as the
 * walkthrough does), and a saved profile that describes exactly that cluster.
 */
import pg from 'pg';
import type { ProfileService } from '../../electron/core/profiles/service';
import { profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';
import { up, type Lab, type LabNode } from '../lab';
import { installHarbor, prepareHarborNode } from '../lab/harbor-yml';

export const PROFILE_ID = 'lab';
export const ADMIN_PASSWORD = 'Harbor12345';

const SHARED = ['/data/secret/keys/secretkey', '/data/secret/core/private_key.pem', '/data/secret/registry/root.crt'];

/** A lab with Harbor 2.x running on every node, node 1's keys on all of them. */
export async function harborLab(nodes: number): Promise<Lab> {
  const l = await up({ nodes, harbor: 'v2', bundleSize: 1 << 20 });
  const c = new pg.Client(l.postgres.connection);
  await c.connect();
  await c.query('CREATE DATABASE registry');
  await c.end();
  const [first, ...rest] = l.nodes;
  await prepareHarborNode(l, first!, { adminPassword: ADMIN_PASSWORD });
  await installHarbor(first!);
  await Promise.all(
    rest.map(async (n) => {
      for (const f of SHARED) await n.writeFile(f, await first!.readFile(f), 0o600);
      await prepareHarborNode(l, n, { adminPassword: ADMIN_PASSWORD });
      await installHarbor(n);
    }),
  );
  // One CSRF_KEY on every core (node 1's), as the deployment's CSRF step leaves it.
  const env = '/opt/harbor/common/config/core/env';
  const line = /^CSRF_KEY=.*$/m.exec(await first!.readText(env))![0];
  await Promise.all(
    rest.map(async (n) => {
      await n.writeFile(env, (await n.readText(env)).replace(/^CSRF_KEY=.*$/m, line));
      await n.execOk('docker restart harbor-core');
    }),
  );
  await l.lb.waitForBackends(80);
  return l;
}

/**
 * Saves profile `lab` describing the lab cluster: node 1 signs in with its password, the others
 * with the lab's key; host keys are pinned in the profile, so no prompt is needed. The vault must be open.
 * `only` saves another profile with some of the nodes.
 */
export async function saveClusterProfile(
  profiles: ProfileService,
  l: Lab,
  only?: { id: string; name: string; nodes: readonly LabNode[] },
): Promise<void> {
  await profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = only?.id ?? PROFILE_ID;
        p.name = only?.name ?? 'Lab cluster';
        p.harbor = { ...p.harbor, adminPassword: { value: ADMIN_PASSWORD } };
        p.access = { domain: l.registryName, protocol: 'http', privateKey: { set: false } };
        p.nodes = (only?.nodes ?? l.nodes).map((n) => ({
          id: `n${n.index}`,
          name: n.name,
          host: n.address,
          hostKeyFingerprint: n.hostKeyFingerprint,
          auth:
            n.index === 1
              ? { kind: 'password', password: { value: n.password } }
              : { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
        }));
        p.loadBalancer = { kind: 'self-hosted', address: l.lb.address, software: 'haproxy' };
        p.database = {
          engine: 'postgresql',
          host: l.postgres.address,
          port: 5432,
          admin: { user: 'postgres', password: { value: l.postgres.password } },
          harbor: { user: 'postgres', password: { value: l.postgres.password }, database: 'registry', sslMode: 'disable' },
        };
        p.redis = { host: l.redis.address, port: 6379, auth: 'password', password: { value: l.redis.password } };
        p.oss = {
          region: l.oss.region,
          bucket: l.oss.bucket,
          internal: true,
          secure: false,
          rootDirectory: '/harbor',
          accessKeyId: l.oss.accessKeyId,
          accessKeySecret: { value: l.oss.accessKeySecret },
        };
        p.options = { scanner: 'none', dataVolume: '/data' };
      }),
    ),
  );
}
