/** A new profile: its id, and the values the form starts from for a generation. */
import { randomBytes } from 'node:crypto';
import type { ProfileInput } from '../../../shared/profile';

/** A readable id made from the name, with a random tail: clones and imports of one name get ids of their own. */
export function newProfileId(name: string): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 28) || 'cluster';
  return `${base}-${randomBytes(3).toString('hex')}`;
}

/** A new, unsaved profile with the defaults of a generation. */
export function profileTemplate(generation: 'v1' | 'v2'): ProfileInput {
  const v1 = generation === 'v1';
  return {
    id: newProfileId('cluster'),
    name: '',
    description: '',
    harbor: { generation, version: v1 ? '1.5.4' : '2.15.2', installer: { kind: 'local', path: '' }, adminPassword: { set: false } },
    access: { domain: '', protocol: 'https', tlsTermination: 'nodes', privateKey: { set: false } },
    nodes: [
      {
        id: `n-${randomBytes(3).toString('hex')}`,
        host: '',
        port: 22,
        user: 'root',
        auth: { kind: 'password', password: { set: false } },
        jumpHosts: [],
      },
    ],
    loadBalancer: { kind: 'clb', listener: 'tcp' },
    database: v1
      ? {
          engine: 'mysql',
          host: '',
          port: 3306,
          admin: { user: '', password: { set: false } },
          harbor: { user: '', password: { set: false } },
        }
      : {
          engine: 'postgresql',
          host: '',
          port: 5432,
          admin: { user: '', password: { set: false } },
          harbor: { user: '', password: { set: false }, database: 'registry', sslMode: 'disable' },
        },
    ...(v1 ? { clair: { host: '', port: 5432, user: '', password: { set: false }, database: 'postgres' } } : {}),
    redis: { host: '', port: 6379, auth: 'password', password: { set: false }, dbIndexes: { registry: 1, jobservice: 2, trivy: 5 } },
    oss: {
      region: '',
      bucket: '',
      internal: true,
      rootDirectory: '/harbor',
      accessKeyId: '',
      accessKeySecret: { set: false },
      encrypt: false,
      secure: true,
      redirectDisabled: true,
    },
    options: { scanner: v1 ? 'clair' : 'trivy', jobWorkers: 10, dataVolume: '/data' },
  };
}
