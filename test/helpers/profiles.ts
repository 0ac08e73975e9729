import type { ProfileInput } from '../../shared/profile';

/** A complete, valid Harbor 2.x profile with distinctive secret values; tweak with `patch`. */
export function v2Profile(patch: (p: ProfileInput) => void = () => undefined): ProfileInput {
  const p: ProfileInput = {
    id: 'prod-1',
    name: 'Production',
    harbor: {
      generation: 'v2',
      version: '2.15.2',
      installer: { kind: 'local', path: '/tmp/harbor-offline-installer-v2.15.2.tgz' },
      adminPassword: { value: 'AdminPw9Zq' },
    },
    access: { domain: 'registry.example.com', protocol: 'https', tlsTermination: 'lb', privateKey: { set: false } },
    nodes: [
      { id: 'n1', host: '192.168.10.10', auth: { kind: 'password', password: { value: 'NodePw-1-Xq7' } } },
      { id: 'n2', host: '192.168.10.11', auth: { kind: 'key', keyPath: '~/.ssh/id_ed25519', passphrase: { set: false } } },
    ],
    loadBalancer: {
      kind: 'clb',
      instanceId: 'lb-2zeabc1234',
      publicAddress: '123.123.123.123',
      privateAddress: '192.168.10.12',
      listener: 'tcp',
    },
    database: {
      engine: 'postgresql',
      host: 'pgm-abc.pg.rds.aliyuncs.com',
      admin: { user: 'pgadmin', password: { value: 'PgAdminPw-Ux3' } },
      harbor: { user: 'harbor', password: { value: 'PgHarborPw-Vw4' } },
    },
    redis: { host: 'r-abc.redis.rds.aliyuncs.com', auth: 'password', password: { value: 'RedisPw-Ty5' } },
    oss: {
      region: 'cn-beijing',
      bucket: 'my-harbor-registry',
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: { value: 'OssSecret-Rs6' },
    },
    options: { scanner: 'trivy' },
  };
  patch(p);
  return p;
}

/** A complete, valid Harbor 1.5 profile in the shape of the seed runbook. */
export function v1Profile(patch: (p: ProfileInput) => void = () => undefined): ProfileInput {
  return v2Profile((p) => {
    p.harbor = {
      generation: 'v1',
      version: '1.5.4',
      installer: { kind: 'local', path: '/tmp/harbor-offline-installer-v1.5.4.tgz' },
      adminPassword: { value: 'AdminPw9Zq' },
    };
    p.access = { domain: 'registry.xxx.com', protocol: 'http', privateKey: { set: false } };
    p.database = {
      engine: 'mysql',
      host: 'xxx.mysql.rds.aliyuncs.com',
      admin: { user: 'root_admin', password: { value: 'MyAdminPw-Pq1' } },
      harbor: { user: 'harbor', password: { value: 'MyHarborPw-Op2' } },
    };
    p.clair = { host: 'xxx.pg.rds.aliyuncs.com', port: 3433, user: 'pguser', password: { value: 'ClairPw-Nm3' } };
    p.options = { scanner: 'clair', jobWorkers: 5 };
    patch(p);
  });
}
