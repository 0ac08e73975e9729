/**
 * RDS 2014-08-15 for the lab: an instance for the lab's PostgreSQL and one for its MariaDB, each with IP whitelist
 * groups (`DescribeDBInstanceIPArrayList`, `ModifySecurityIps` with `DBInstanceIPArrayName` and `ModifyMode`).
 */
import { AcsError } from './errors';
import { labId, notFound, required, type Product } from './product';
import { Whitelists } from './whitelist';

export class Rds {
  readonly whitelists: Whitelists;
  /** instance ids by the lab service they front */
  readonly ids: { postgres: string; mariadb: string };
  constructor(slot: number, changed: (instanceId: string, entries: string[]) => void) {
    this.whitelists = new Whitelists(
      {
        badList: () => new AcsError(400, 'InvalidSecurityIPList.Format', 'Specified security IP list is not valid.'),
        badGroup: () => new AcsError(400, 'InvalidDBInstanceIPArrayName.Format', 'Specified DB instance IP array name is not valid.'),
        badMode: () => new AcsError(400, 'InvalidModifyMode.Format', 'Specified modify mode is not valid.'),
        tooMany: () => new AcsError(400, 'QuotaExceeded.SecurityIPs', 'The number of security IPs exceeds the quota (1000).'),
      },
      changed,
    );
    this.ids = { postgres: labId('pgm-', slot), mariadb: labId('rm-', slot) };
    this.whitelists.addInstance(this.ids.postgres);
    this.whitelists.addInstance(this.ids.mariadb);
  }
  private instance(p: Record<string, string>): string {
    const id = required(p, 'DBInstanceId');
    if (!this.whitelists.has(id)) throw notFound('InvalidDBInstanceId.NotFound', 'Specified instance does not exist or not support.');
    return id;
  }
  readonly product: Product = {
    code: 'Rds',
    version: '2014-08-15',
    ramService: 'rds',
    actions: {
      DescribeDBInstanceIPArrayList: (p) => ({
        Items: {
          DBInstanceIPArray: this.whitelists.list(this.instance(p)).map((g) => ({
            DBInstanceIPArrayName: g.name,
            DBInstanceIPArrayAttribute: g.attribute,
            SecurityIPType: 'ipv4',
            SecurityIPList: g.entries.join(','),
            WhitelistNetworkType: 'MIX',
          })),
        },
      }),
      ModifySecurityIps: (p) => {
        const id = this.instance(p);
        this.whitelists.modify(id, {
          ips: required(p, 'SecurityIps'),
          group: p.DBInstanceIPArrayName,
          mode: p.ModifyMode,
          attribute: p.DBInstanceIPArrayAttribute,
        });
        return { TaskId: String(Date.now() % 1_000_000_000) };
      },
    },
  };
}
