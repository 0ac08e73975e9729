/**
 * The cluster's Aliyun resources as Aliyun holds them (docs/cloud.md): the classic load balancer's listeners and
 * backends beside the profile's nodes, the RDS and Redis whitelists with each node let in or not, the RAM policy the
 * app needs, and the one change made here with consent: letting the nodes into a whitelist.
 */
import { z } from 'zod';
import type { ApiErrorData } from '../../errors';
import { call } from '../define';
import { profileId } from './profiles';
import { nodeId } from './ssh';

export interface CloudListener {
  readonly port: number;
  readonly protocol: string;
  readonly healthCheck: 'tcp' | 'http' | 'off';
  /** The path an HTTP health check asks (2.x `/api/v2.0/ping`, 1.x `/api/ping`). */
  readonly healthCheckUri?: string;
  /** Layer 7 listeners: whether the UI's sessions stay on one node. */
  readonly stickySession?: boolean;
}

export interface CloudBackend {
  /** The ECS instance. */
  readonly serverId: string;
  /** The profile's node it is, when it is one. */
  readonly nodeId?: string;
  readonly address?: string;
  /** 0 to 100; 0 takes no new connections. */
  readonly weight: number;
  /** Per listener port: normal, abnormal or unavailable, as Aliyun's health checks see it. */
  readonly health: ReadonlyArray<{ readonly port: number; readonly status: string }>;
}

export interface CloudLoadBalancer {
  readonly product: 'clb';
  readonly instanceId: string;
  readonly address?: string;
  readonly status?: string;
  readonly listeners: readonly CloudListener[];
  readonly backends: readonly CloudBackend[];
  /** Profile nodes whose instance is not a backend. */
  readonly notAttached: readonly string[];
  /** Profile nodes no ECS instance in the region has the address of. */
  readonly noInstance: readonly string[];
}

export type WhitelistService = 'database' | 'redis';

export interface WhitelistView {
  readonly service: WhitelistService;
  readonly instanceId: string;
  readonly groups: ReadonlyArray<{ readonly name: string; readonly entries: readonly string[]; readonly hidden: boolean }>;
  /** Each node with the entries that let it in (empty: refused); `address` absent when the profile does not tell it. */
  readonly nodes: ReadonlyArray<{ readonly nodeId: string; readonly address?: string; readonly by: readonly string[] }>;
}

export interface CloudStatus {
  readonly region: string;
  /** Absent when the load balancer is not a CLB with an instance id (ALB: not managed yet; self-hosted). */
  readonly loadBalancer?: CloudLoadBalancer;
  readonly whitelists: readonly WhitelistView[];
  /** What could not be read, each with Aliyun's reason (a permission missing, a wrong key, an unknown instance). */
  readonly errors: ReadonlyArray<{ readonly what: string; readonly error: ApiErrorData }>;
}

export interface RamPolicyText {
  /** The policy document for the AccessKey's RAM user, as JSON text to paste into the RAM console. */
  readonly key: string;
  /** For the role the key assumes, when the profile names one. */
  readonly role?: string;
}

export const cloudContract = {
  'cloud.status': call(
    z.object({ profileId }).strict(),
    "The profile's Aliyun resources as Aliyun holds them now: the CLB's listeners and backends beside the nodes, the RDS and Redis whitelists with each node let in or not. Reads only. Fails with vault_locked when the vault is locked (the AccessKey secret is there).",
  ).returns<CloudStatus>(),
  'cloud.allowNodes': call(
    z
      .object({
        profileId,
        service: z.enum(['database', 'redis']),
        nodeIds: z.array(nodeId).min(1).max(16),
        confirm: z.literal(true),
      })
      .strict(),
    "Adds the nodes' addresses to the instance's whitelist, in the app's own group harbor_ha with ModifyMode Append (no other group is touched), and answers the whitelist after. Addresses another entry already lets in are not added. Needs confirm: true; recorded in the audit log.",
  ).returns<WhitelistView>(),
  'cloud.policy': call(
    z.object({ profileId }).strict(),
    'The RAM policy the app needs for this profile: exactly the Aliyun actions it calls (with a RAM role: sts:AssumeRole for the key, the rest for the role).',
  ).returns<RamPolicyText>(),
} as const;
