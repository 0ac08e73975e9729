/** Where Harbor is asked: the public URL, the load balancer as this computer reaches it, and each node itself. */
import { loadBalancerAddress, type Profile } from '../../../../../shared/profile';
import type { NodeRef } from '../../../deploy/step';
import type { HttpRequestOptions } from '../../../probe/http';
import { nodeEndpoint } from '../../node';
import type { Ctx } from '../context';
import { nodeOf } from '../steps/nodes';

/** Where this computer reaches the load balancer. */
export function lbAddress(p: Profile): string | undefined {
  return loadBalancerAddress(p.loadBalancer);
}

export function publicUrl(p: Profile): string {
  return `${p.access.protocol}://${p.access.domain}`;
}

/** The port clients use: the one in the public name, else the protocol's. */
export function domainPort(p: Profile): number {
  const m = /:(\d+)$/.exec(p.access.domain);
  return m ? Number(m[1]) : p.access.protocol === 'https' ? 443 : 80;
}

/** The URL a node itself serves (http behind a load balancer that ends TLS), under the public name. */
export function nodeUrl(p: Profile): { base: string; port: number } {
  const { scheme, port } = nodeEndpoint(p);
  return { base: `${scheme}://${p.access.domain.replace(/:\d+$/, '')}`, port };
}

/**
 * How to ask a node itself, verified: over https it must present the profile's certificate (TLS on
 * the nodes requires one) or one a CA vouches for, since the pulls send the admin's login.
 */
export async function viaNode(
  ctx: Ctx,
  node: NodeRef,
  stepId = 'verify',
): Promise<Pick<HttpRequestOptions, 'via' | 'connectTo' | 'pinnedCertificate'>> {
  const { client } = await ctx.shell(node, stepId, ctx).connection();
  const n = nodeOf(ctx, node);
  const pinned = ctx.profile.access.certificate;
  // The node asks itself at the address it has inside the network (the profile's host may be a public or forwarded one).
  return {
    via: { client, from: node.label },
    connectTo: { host: n.privateAddress ?? n.host, port: nodeUrl(ctx.profile).port },
    ...(pinned ? { pinnedCertificate: pinned } : {}),
  };
}

/** The same without judging the certificate, for Harbor's health answers (no credentials: a bad certificate is not what they test). */
export async function askNode(
  ctx: Ctx,
  node: NodeRef,
  stepId = 'verify',
): Promise<Pick<HttpRequestOptions, 'via' | 'connectTo' | 'insecure'>> {
  const { via, connectTo } = await viaNode(ctx, node, stepId);
  return { via, connectTo, insecure: true };
}
