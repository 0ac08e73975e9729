/**
 * The RAM policy the operator grants the app's AccessKey: exactly the actions the app calls for this profile (the
 * load balancer's product, the instances it names), from the one list in actions.ts. With a RAM role, the key needs
 * only sts:AssumeRole and the role holds the rest. Resource is `*`: the read actions (Describe*, List*) accept no
 * narrower resource, and one statement is what an operator can read and audit at a glance.
 */
import type { CloudProduct, Profile } from '../../../shared/profile';
import { ACTIONS, ramAction } from './actions';

export interface RamPolicyDocument {
  readonly Version: '1';
  readonly Statement: ReadonlyArray<{ readonly Effect: 'Allow'; readonly Action: readonly string[]; readonly Resource: '*' }>;
}

export interface RamPolicies {
  /** For the AccessKey's RAM user. */
  readonly key: RamPolicyDocument;
  /** For the role the key assumes, when the profile names one. */
  readonly role?: RamPolicyDocument;
}

/** The products the app calls for this profile (STS aside). */
export function productsInUse(p: Profile): CloudProduct[] {
  const out: CloudProduct[] = [];
  // Load balancer backends are ECS instances; the app finds a node's instance by its address.
  if (p.loadBalancer.kind === 'clb') out.push('slb', 'ecs');
  if (p.database.instanceId) out.push('rds');
  if (p.redis.instanceId) out.push('kvstore');
  return out;
}

const documentOf = (products: readonly CloudProduct[]): RamPolicyDocument => ({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: products.flatMap((p) => ACTIONS[p].map((a) => ramAction(p, a))), Resource: '*' }],
});

export function ramPolicies(p: Profile): RamPolicies {
  const products = productsInUse(p);
  if (!p.cloud?.roleArn) return { key: documentOf(products) };
  return { key: documentOf(['sts']), role: documentOf(products) };
}
