/**
 * ECS 2014-05-26 for the lab: one Running instance per lab node, its private address the node's address, nested as
 * the real API nests it (`VpcAttributes.PrivateIpAddress.IpAddress`). The app maps node addresses to instance ids
 * with `DescribeInstances` (CLB backends are named by instance id).
 */
import { integer, jsonParam, REGION, required, ZONE, type Product } from './product';

export interface EcsInstance {
  InstanceId: string;
  /** the lab node's name (`node-2`), also its HAProxy server name */
  InstanceName: string;
  PrivateIp: string;
}

export class Ecs {
  readonly instances: EcsInstance[];
  readonly vpcId: string;
  constructor(slot: number, nodes: ReadonlyArray<{ name: string; address: string }>) {
    this.vpcId = `vpc-lab${slot}net`;
    this.instances = nodes.map((n) => ({
      InstanceId: `i-lab${slot}${n.name.replace(/-/g, '')}`,
      InstanceName: n.name,
      PrivateIp: n.address,
    }));
  }
  byId(id: string): EcsInstance | undefined {
    return this.instances.find((i) => i.InstanceId === id);
  }

  private view(i: EcsInstance): Record<string, unknown> {
    return {
      InstanceId: i.InstanceId,
      InstanceName: i.InstanceName,
      HostName: i.InstanceName,
      RegionId: REGION,
      ZoneId: ZONE,
      Status: 'Running',
      InstanceType: 'ecs.lab.node',
      InstanceNetworkType: 'vpc',
      OSName: 'CentOS 7.9 64位',
      VpcAttributes: {
        VpcId: this.vpcId,
        VSwitchId: `vsw-${this.vpcId.slice(4)}`,
        NatIpAddress: '',
        PrivateIpAddress: { IpAddress: [i.PrivateIp] },
      },
      InnerIpAddress: { IpAddress: [] },
      PublicIpAddress: { IpAddress: [] },
      NetworkInterfaces: {
        NetworkInterface: [
          {
            NetworkInterfaceId: `eni-${i.InstanceId.slice(2)}`,
            Type: 'Primary',
            PrimaryIpAddress: i.PrivateIp,
            PrivateIpSets: { PrivateIpSet: [{ PrivateIpAddress: i.PrivateIp, Primary: true }] },
          },
        ],
      },
    };
  }

  readonly product: Product = {
    code: 'Ecs',
    version: '2014-05-26',
    ramService: 'ecs',
    actions: {
      DescribeInstances: (p) => {
        // RegionId is mandatory on ECS; another region's instances are not this lab's
        const region = required(p, 'RegionId');
        const ids = jsonParam<string[]>(p, 'InstanceIds');
        const ips = jsonParam<string[]>(p, 'PrivateIpAddresses');
        const size = integer(p, 'PageSize', 10, 1, 100);
        const page = integer(p, 'PageNumber', 1, 1, 1_000_000);
        const all = (region !== REGION ? [] : this.instances).filter(
          (i) => (!ids || ids.includes(i.InstanceId)) && (!ips || ips.includes(i.PrivateIp)),
        );
        return {
          Instances: { Instance: all.slice((page - 1) * size, page * size).map((i) => this.view(i)) },
          TotalCount: all.length,
          PageNumber: page,
          PageSize: size,
        };
      },
    },
  };
}
