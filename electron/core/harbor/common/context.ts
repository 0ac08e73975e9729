/**
 * What the Harbor step modules share: the context a step runs with (the Harbor environment and the step's own) and
 * the helper that writes a text in both languages.
 */
import type { StepContext } from '../../deploy/step';
import { L } from '../../../../shared/i18n/localized';
import type { HarborEnv } from '../env';

export type Ctx = HarborEnv & StepContext;
/** Re-exported for this folder's modules: the helper is defined once, in shared/i18n/localized.ts. */
export { L };
/** Node 1: it goes first, and the cluster's services are reached through it. */
export const firstNode = (ctx: Ctx) => ctx.nodes.find((n) => n.index === 0)!;

/** The secrets prepare needs in both generations, read from the vault when a step asks (missing: an error naming it). */
export function preparedSecrets(env: HarborEnv): { adminPassword: string; dbPassword: string; redisPassword?: string; ossSecret: string } {
  return {
    adminPassword: env.requireSecret('harbor.adminPassword', L('Harbor admin password', 'Harbor 管理员密码')),
    dbPassword: env.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码')),
    ...(env.profile.redis.auth === 'none' ? {} : { redisPassword: env.requireSecret('redis.password', L('Redis password', 'Redis 密码')) }),
    ossSecret: env.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret')),
  };
}
