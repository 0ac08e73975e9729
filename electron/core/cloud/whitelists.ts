/**
 * The RDS and Redis (Tair) whitelists, as the nodes need them: which node addresses each instance refuses, adding
 * them with consent, and taking them out again. The app keeps its entries in its own group (`harbor_ha`) and only
 * ever appends to or deletes from that group (ModifyMode Append / Delete, never Cover), so nobody's other entries are
 * touched; an address another group already lets in (one address or a block) is not added again.
 */
import type { Profile } from '../../../shared/profile';
import { isIPv4 } from '../../../shared/profile';
import { coveringEntries } from './addresses';
import type { CloudSession } from './session';

/** The group the app's entries live in; a name both RDS and Redis accept (letters, digits, underscores). */
export const APP_GROUP = 'harbor_ha';

export type WhitelistService = 'database' | 'redis';

/** An instance whose whitelist the nodes must be in. */
export interface WhitelistTarget {
  readonly service: WhitelistService;
  readonly product: 'rds' | 'kvstore';
  readonly instanceId: string;
  /** The profile field of the instance id, for "edit this field". */
  readonly field: string;
}

export interface WhitelistGroup {
  readonly name: string;
  readonly entries: readonly string[];
  /** Groups Aliyun keeps for itself (attribute `hidden`): shown, never changed. */
  readonly hidden: boolean;
}

/** A node address and whether the instance lets it in. */
export interface NodeAdmission {
  readonly nodeId: string;
  readonly address: string;
  /** The entries that let it in (empty: refused). */
  readonly by: readonly string[];
}

/** The instances the profile names: the database's RDS instance, the Redis instance. */
export function whitelistTargets(p: Profile): WhitelistTarget[] {
  const out: WhitelistTarget[] = [];
  if (p.database.instanceId)
    out.push({ service: 'database', product: 'rds', instanceId: p.database.instanceId, field: 'database.instanceId' });
  if (p.redis.instanceId) out.push({ service: 'redis', product: 'kvstore', instanceId: p.redis.instanceId, field: 'redis.instanceId' });
  return out;
}

/**
 * The address each node's connections to RDS and Redis come from: its private address when the profile gives one
 * (the SSH host may be a public or jump address), else the SSH host when that is an address. A host name says
 * nothing about the source address, so such a node has none and the caller says what to enter.
 */
export function nodeSourceAddresses(p: Profile): Array<{ nodeId: string; address: string | undefined }> {
  return p.nodes.map((n) => ({ nodeId: n.id, address: n.privateAddress ?? (isIPv4(n.host) ? n.host : undefined) }));
}

const splitList = (list: string | undefined): string[] =>
  (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The instance's whitelist groups as Aliyun holds them now. */
export async function readWhitelist(session: CloudSession, t: WhitelistTarget): Promise<WhitelistGroup[]> {
  if (t.product === 'rds') {
    const answer = await session.typed('rds', (client, models, runtime) =>
      client.describeDBInstanceIPArrayListWithOptions(
        new models.DescribeDBInstanceIPArrayListRequest({ DBInstanceId: t.instanceId }),
        runtime,
      ),
    );
    return (answer.body?.items?.DBInstanceIPArray ?? []).map((g) => ({
      name: g.DBInstanceIPArrayName ?? '',
      entries: splitList(g.securityIPList),
      hidden: g.DBInstanceIPArrayAttribute === 'hidden',
    }));
  }
  const answer = await session.typed('kvstore', (client, models, runtime) =>
    client.describeSecurityIpsWithOptions(new models.DescribeSecurityIpsRequest({ instanceId: t.instanceId }), runtime),
  );
  return (answer.body?.securityIpGroups?.securityIpGroup ?? []).map((g) => ({
    name: g.securityIpGroupName ?? '',
    entries: splitList(g.securityIpList),
    hidden: g.securityIpGroupAttribute === 'hidden',
  }));
}

/** Each node with the entries that let it in; nodes without a known source address are left out. */
export function admissions(groups: readonly WhitelistGroup[], nodes: ReturnType<typeof nodeSourceAddresses>): NodeAdmission[] {
  const entries = groups.flatMap((g) => g.entries);
  return nodes.flatMap((n) => (n.address ? [{ nodeId: n.nodeId, address: n.address, by: coveringEntries(entries, n.address) }] : []));
}

async function modify(session: CloudSession, t: WhitelistTarget, addresses: readonly string[], mode: 'Append' | 'Delete'): Promise<void> {
  const securityIps = addresses.join(',');
  if (t.product === 'rds') {
    await session.typed('rds', (client, models, runtime) =>
      client.modifySecurityIpsWithOptions(
        new models.ModifySecurityIpsRequest({
          DBInstanceId: t.instanceId,
          DBInstanceIPArrayName: APP_GROUP,
          securityIps,
          modifyMode: mode,
          securityIPType: 'IPv4',
        }),
        runtime,
      ),
    );
    return;
  }
  await session.typed('kvstore', (client, models, runtime) =>
    client.modifySecurityIpsWithOptions(
      new models.ModifySecurityIpsRequest({ instanceId: t.instanceId, securityIpGroupName: APP_GROUP, securityIps, modifyMode: mode }),
      runtime,
    ),
  );
}

/** Appends the addresses to the app's group (created by the first append). */
export function appendToWhitelist(session: CloudSession, t: WhitelistTarget, addresses: readonly string[]): Promise<void> {
  return modify(session, t, addresses, 'Append');
}

/**
 * Deletes the addresses from the app's group only, and only those it holds: entries the operator keeps elsewhere
 * stay. Returns what was deleted.
 */
export async function removeFromWhitelist(session: CloudSession, t: WhitelistTarget, addresses: readonly string[]): Promise<string[]> {
  const own = (await readWhitelist(session, t)).find((g) => g.name === APP_GROUP)?.entries ?? [];
  const present = addresses.filter((a) => own.includes(a));
  if (present.length) await modify(session, t, present, 'Delete');
  return present;
}
