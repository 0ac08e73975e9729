/** What the 1.x steps share: whether Clair and TLS on the nodes are on, the secrets harbor.cfg needs, the verification spec. */
import type { Profile } from '../../../../../shared/profile';
import type { HarborEnv } from '../../env';
import { L } from '../../common/context';
import type { VerifySpec } from '../../common/verify/check';

export const V1_VERIFY: VerifySpec = { generation: 'v1' };

export const clairOn = (p: Profile) => p.options.scanner === 'clair' && !!p.clair;

export function secrets(env: HarborEnv) {
  const p = env.profile;
  return {
    adminPassword: env.requireSecret('harbor.adminPassword', L('Harbor admin password', 'Harbor 管理员密码')),
    dbPassword: env.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码')),
    ...(p.redis.auth === 'none' ? {} : { redisPassword: env.requireSecret('redis.password', L('Redis password', 'Redis 密码')) }),
    ossSecret: env.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret')),
    ...(clairOn(p) ? { clairPassword: env.requireSecret('clair.password', L('Clair database password', 'Clair 数据库密码')) } : {}),
  };
}

export { tlsOnNodes } from '../../node';
