/**
 * Harbor 2.x installed by hand on a lab node, as its docs say: the offline installer unpacked into /opt/harbor,
 * harbor.yml written from its own template for the lab's PostgreSQL, Redis and OSS, then its install.sh. The lab's own
 * tests and the topology's cluster use it (the app's deployment is what the other tests exercise).
 */
import YAML from 'yaml';
import type { Lab, LabNode } from './index';

/** Harbor's database: the lab's superuser on `registry` unless another account and database are given. */
export interface HarborYmlDatabase {
  readonly name: string;
  readonly user: string;
  readonly password: string;
}

export interface HarborYmlOptions {
  readonly database?: HarborYmlDatabase;
  /** harbor_admin_password (the template's own when absent). */
  readonly adminPassword?: string;
  /** Last changes to the document before it is written. */
  readonly edit?: (doc: YAML.Document) => void;
}

/** Unpacks the 2.x installer on `n` and writes harbor.yml for the lab's shared services. */
export async function prepareHarborNode(l: Lab, n: LabNode, o: HarborYmlOptions = {}): Promise<void> {
  await n.execOk(`rm -rf /opt/harbor && cd /opt && tar xzf ${l.installers.v2}`);
  const doc = YAML.parseDocument(await n.readText('/opt/harbor/harbor.yml.tmpl'));
  doc.set('hostname', l.registryName);
  doc.delete('https');
  if (o.adminPassword) doc.set('harbor_admin_password', o.adminPassword);
  const db = o.database ?? { name: 'registry', user: 'postgres', password: l.postgres.password };
  doc.set(
    'external_database',
    doc.createNode({
      harbor: { host: l.postgres.address, port: 5432, db_name: db.name, username: db.user, password: db.password, ssl_mode: 'disable' },
    }),
  );
  doc.set('external_redis', doc.createNode({ host: `${l.redis.address}:6379`, password: l.redis.password }));
  doc.set(
    'storage_service',
    doc.createNode({
      oss: {
        accesskeyid: l.oss.accessKeyId,
        accesskeysecret: l.oss.accessKeySecret,
        region: l.oss.region,
        bucket: l.oss.bucket,
        internal: true,
        secure: false,
        rootdirectory: '/harbor',
      },
      redirect: { disable: true },
    }),
  );
  o.edit?.(doc);
  await n.writeFile('/opt/harbor/harbor.yml', doc.toString());
}

/** Harbor's own install.sh on `n`; a failure carries what it printed. */
export async function installHarbor(n: LabNode): Promise<void> {
  const r = await n.exec('cd /opt/harbor && ./install.sh');
  if (r.code !== 0) throw new Error(`${n.name}: install.sh exited ${r.code}\n${r.stdout}\n${r.stderr}`);
}
