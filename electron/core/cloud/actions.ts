/**
 * Every Aliyun OpenAPI action the app calls, per product: the one list the RAM policy the app prints is made from
 * (policy.ts), that the session refuses to go beyond (session.ts: an action not listed is never sent), and that
 * test/unit/cloud-policy.test.ts compares with the calls written in this folder, so the policy cannot drift from the
 * code in either direction.
 */
import type { CloudProduct } from '../../../shared/profile';

/** Each product's OpenAPI version and its prefix in RAM actions (`slb:SetBackendServers`). */
export const PRODUCTS = {
  // The classic load balancer has no package of its own on npm: generic callApi, RPC style, this version.
  slb: { version: '2014-05-15', ram: 'slb' },
  alb: { version: '2020-06-16', ram: 'alb' },
  ecs: { version: '2014-05-26', ram: 'ecs' },
  rds: { version: '2014-08-15', ram: 'rds' },
  kvstore: { version: '2015-01-01', ram: 'kvstore' },
  sts: { version: '2015-04-01', ram: 'sts' },
} as const satisfies Record<CloudProduct, { version: string; ram: string }>;

export const ACTIONS = {
  slb: [
    'DescribeLoadBalancerAttribute',
    'DescribeLoadBalancerListeners',
    'DescribeHealthStatus',
    'AddBackendServers',
    'RemoveBackendServers',
    'SetBackendServers',
  ],
  // ALB server groups: not yet called (docs/cloud.md says what the app does for an ALB today).
  alb: [],
  // CLB backends are ECS instances by id; the profile knows nodes by address.
  ecs: ['DescribeInstances'],
  rds: ['DescribeDBInstanceIPArrayList', 'ModifySecurityIps'],
  kvstore: ['DescribeSecurityIps', 'ModifySecurityIps'],
  sts: ['AssumeRole'],
} as const satisfies Record<CloudProduct, readonly string[]>;

export type CloudAction<P extends CloudProduct = CloudProduct> = (typeof ACTIONS)[P][number];

/** `slb:SetBackendServers`: the action as RAM names it. */
export const ramAction = (product: CloudProduct, action: string): string => `${PRODUCTS[product].ram}:${action}`;

/** The product an OpenAPI version belongs to (each product has its own version string). */
export function productOfVersion(version: string): CloudProduct | undefined {
  return (Object.keys(PRODUCTS) as CloudProduct[]).find((p) => PRODUCTS[p].version === version);
}

export function isListed(product: CloudProduct, action: string): boolean {
  return (ACTIONS[product] as readonly string[]).includes(action);
}
