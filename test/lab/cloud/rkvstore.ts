/**
 * R-KVStore (Tair/Redis) 2015-01-01 for the lab: an instance for the lab's Redis with IP whitelist groups
 * (`DescribeSecurityIps`, `ModifySecurityIps` with `SecurityIpGroupName` and `ModifyMode`).
 */
import { AcsError } from './errors';
import { labId, notFound, required, type Product } from './product';
import { Whitelists } from './whitelist';

export class RKvstore {
  readonly whitelists: Whitelists;
  readonly ids: { redis: string };
  constructor(slot: number, changed: (instanceId: string, entries: string[]) => void) {
    this.whitelists = new Whitelists(
      {
        badList: () => new AcsError(400, 'InvalidSecurityIps.Format', 'Specified security IPs are not valid.'),
        badGroup: () => new AcsError(400, 'InvalidSecurityIpGroupName.Format', 'Specified security IP group name is not valid.'),
        badMode: () => new AcsError(400, 'InvalidModifyMode.Format', 'Specified modify mode is not valid.'),
        tooMany: () => new AcsError(400, 'InvalidSecurityIps.Exceed', 'The number of security IPs exceeds the limit (1000).'),
      },
      changed,
    );
    this.ids = { redis: labId('r-', slot) };
    this.whitelists.addInstance(this.ids.redis);
  }
  private instance(p: Record<string, string>): string {
    const id = required(p, 'InstanceId');
    if (!this.whitelists.has(id)) throw notFound('InvalidInstanceId.NotFound', 'The specified instance does not exist.');
    return id;
  }
  readonly product: Product = {
    code: 'R-kvstore',
    version: '2015-01-01',
    ramService: 'kvstore',
    actions: {
      DescribeSecurityIps: (p) => ({
        SecurityIpGroups: {
          SecurityIpGroup: this.whitelists.list(this.instance(p)).map((g) => ({
            SecurityIpGroupName: g.name,
            SecurityIpGroupAttribute: g.attribute,
            SecurityIpList: g.entries.join(','),
          })),
        },
      }),
      ModifySecurityIps: (p) => {
        const id = this.instance(p);
        this.whitelists.modify(id, {
          ips: required(p, 'SecurityIps'),
          group: p.SecurityIpGroupName,
          mode: p.ModifyMode,
          attribute: p.SecurityIpGroupAttribute,
        });
        return {};
      },
    },
  };
}
