/** What the 1.x steps share: whether Clair and TLS on the nodes are on, the secrets harbor.cfg needs, the verification spec. */
import type { Profile } from '../../../../../shared/profile';
import type { HarborEnv } from '../../env';
import { L, preparedSecrets } from '../../common/context';
import type { VerifySpec } from '../../common/verify/check';

export const V1_VERIFY: VerifySpec = { generation: 'v1' };

export const clairOn = (p: Profile) => p.options.scanner === 'clair' && !!p.clair;

/** What harbor.cfg needs: the secrets both generations' prepare reads, and Clair's database password when Clair is on. */
export function secrets(env: HarborEnv) {
  return {
    ...preparedSecrets(env),
    ...(clairOn(env.profile)
      ? { clairPassword: env.requireSecret('clair.password', L('Clair database password', 'Clair 数据库密码')) }
      : {}),
  };
}

export { tlsOnNodes } from '../../node';
