/** Facts about the profile's load balancer that several parts of the app need. */
import type { LoadBalancer } from './schema';

/**
 * Where this computer reaches the load balancer: a self-hosted one's address, a CLB's public address (else its
 * private one), an ALB's DNS name (an ALB has no fixed address). Undefined when the profile does not say: then the
 * registry domain's DNS decides.
 */
export function loadBalancerAddress(lb: LoadBalancer): string | undefined {
  if (lb.kind === 'self-hosted') return lb.address;
  if (lb.kind === 'alb') return lb.dnsName;
  return lb.publicAddress ?? lb.privateAddress;
}
