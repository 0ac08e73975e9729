/**
 * STS 2015-04-01 for the lab: AssumeRole on a role made with `cloud.role(allowed)`; the temporary key it answers works
 * with its SecurityToken until it expires, with the role's permissions (checked in ram.ts).
 */
import { integer, required, type Product } from './product';
import type { Ram } from './ram';

export function stsProduct(ram: Ram): Product {
  return {
    code: 'Sts',
    version: '2015-04-01',
    ramService: 'sts',
    actions: {
      AssumeRole: (p) => {
        const session = required(p, 'RoleSessionName');
        // Aliyun: 900 s to the role's maximum session (3600 s unless raised); default 3600
        const seconds = integer(p, 'DurationSeconds', 3600, 900, 3600);
        const r = ram.assumeRole(required(p, 'RoleArn'), session, seconds);
        return {
          Credentials: {
            AccessKeyId: r.key.id,
            AccessKeySecret: r.key.secret,
            SecurityToken: r.token,
            Expiration: r.expires.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
          AssumedRoleUser: { Arn: r.assumedArn, AssumedRoleId: r.assumedId },
        };
      },
    },
  };
}
