/**
 * The Cloud calls of the API (shared/api/contracts/cloud.ts): a profile's Aliyun resources read as Aliyun holds
 * them, the nodes let into a whitelist with consent (audited), and the RAM policy for the profile. The AccessKey
 * secret comes from the vault for each call and never leaves the core.
 */
import type { CloudStatus, RamPolicyText, WhitelistService, WhitelistView } from '../../../shared/api/contracts/cloud';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import type { AuditLog } from '../audit';
import type { Redactor } from '../log';
import { fromVaultError } from '../profiles/errors';
import { secretPrefix } from '../profiles/secrets';
import type { Vault } from '../vault/vault';
import { ramAction } from './actions';
import { describeClb } from './clb';
import { ramPolicies } from './policy';
import { CloudSession } from './session';
import {
  admissions,
  APP_GROUP,
  appendToWhitelist,
  nodeSourceAddresses,
  readWhitelist,
  whitelistTargets,
  type WhitelistTarget,
} from './whitelists';

export interface CloudServiceOptions {
  readonly profile: (profileId: string) => Profile;
  readonly vault: Vault;
  readonly redactor: Redactor;
  readonly audit: AuditLog;
}

function noCloud(): ApiError {
  return new ApiError({
    code: 'invalid_input',
    reason: 'no_cloud',
    field: 'cloud',
    message: L(
      'The profile has no Aliyun account: add one (region and AccessKey) to let the app read the load balancer and the whitelists.',
      '集群配置中没有阿里云账号：请添加（地域与 AccessKey），应用才能读取负载均衡与白名单。',
    ),
  });
}

export class CloudService {
  readonly #o: CloudServiceOptions;

  constructor(options: CloudServiceOptions) {
    this.#o = options;
  }

  async status(profileId: string): Promise<CloudStatus> {
    const p = this.#o.profile(profileId);
    const session = await this.#session(p);
    const errors: Array<CloudStatus['errors'][number]> = [];
    const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await read();
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'cloud') throw error;
        errors.push({ what, error: error.toData() });
        return undefined;
      }
    };
    const lb = p.loadBalancer;
    const [loadBalancer, ...whitelists] = await Promise.all([
      lb.kind === 'clb' && lb.instanceId ? attempt(lb.instanceId, () => describeClb(session, p, lb.instanceId!)) : undefined,
      ...whitelistTargets(p).map((t) => attempt(t.instanceId, () => this.#view(session, p, t))),
    ]);
    return {
      region: session.region,
      ...(loadBalancer ? { loadBalancer } : {}),
      whitelists: whitelists.filter((w): w is WhitelistView => w !== undefined),
      errors,
    };
  }

  async allowNodes(profileId: string, service: WhitelistService, nodeIds: readonly string[]): Promise<WhitelistView> {
    const p = this.#o.profile(profileId);
    const target = whitelistTargets(p).find((t) => t.service === service);
    if (!target)
      throw new ApiError({
        code: 'invalid_input',
        field: service === 'database' ? 'database.instanceId' : 'redis.instanceId',
        message: L(
          `The profile names no ${service === 'database' ? 'RDS' : 'Redis'} instance: enter its instance id first.`,
          `集群配置中没有 ${service === 'database' ? 'RDS' : 'Redis'} 实例：请先填写实例 ID。`,
        ),
      });
    const sources = nodeSourceAddresses(p);
    const wanted = nodeIds.map((id) => {
      const n = sources.find((s) => s.nodeId === id);
      if (!n) throw new ApiError({ code: 'not_found', message: L(`The profile has no node "${id}".`, `集群配置中没有节点“${id}”。`) });
      if (!n.address)
        throw new ApiError({
          code: 'invalid_input',
          reason: 'no_address',
          field: `nodes.${p.nodes.findIndex((x) => x.id === id)}.privateAddress`,
          message: L(
            `Node "${id}" has a host name, not an address: enter the private address RDS and Redis see.`,
            `节点“${id}”的主机是名称而非地址：请填写 RDS 与 Redis 看到的内网地址。`,
          ),
        });
      return { nodeId: id, address: n.address };
    });
    const session = await this.#session(p);
    const missing = admissions(await readWhitelist(session, target), wanted)
      .filter((a) => a.by.length === 0)
      .map((a) => a.address);
    if (missing.length) {
      const started = Date.now();
      const command = `${ramAction(target.product, 'ModifySecurityIps')} ${target.instanceId} group=${APP_GROUP} mode=Append ips=${missing.join(',')}`;
      let ok = false;
      try {
        await appendToWhitelist(session, target, missing);
        ok = true;
      } finally {
        this.#o.audit.record({
          time: new Date(started).toISOString(),
          profileId,
          node: `Aliyun ${target.instanceId}`,
          command,
          exitCode: ok ? 0 : 1,
          durationMs: Date.now() - started,
          purpose: 'cloud: allow nodes',
        });
      }
    }
    return this.#view(session, p, target);
  }

  policy(profileId: string): RamPolicyText {
    const p = this.#o.profile(profileId);
    if (!p.cloud) throw noCloud();
    const policies = ramPolicies(p);
    return {
      key: JSON.stringify(policies.key, null, 2),
      ...(policies.role ? { role: JSON.stringify(policies.role, null, 2) } : {}),
    };
  }

  async #view(session: CloudSession, p: Profile, t: WhitelistTarget): Promise<WhitelistView> {
    const groups = await readWhitelist(session, t);
    const admitted = admissions(groups, nodeSourceAddresses(p));
    return {
      service: t.service,
      instanceId: t.instanceId,
      groups,
      nodes: p.nodes.map((n) => {
        const a = admitted.find((x) => x.nodeId === n.id);
        return a ? { nodeId: n.id, address: a.address, by: a.by } : { nodeId: n.id, by: [] };
      }),
    };
  }

  async #session(p: Profile): Promise<CloudSession> {
    if (!p.cloud) throw noCloud();
    const key = `${secretPrefix(p.id)}cloud.accessKeySecret`;
    let secret: string | undefined;
    try {
      secret = this.#o.vault.has(key) ? this.#o.vault.get(key) : undefined;
    } catch (error) {
      throw fromVaultError(error);
    }
    if (!secret)
      throw new ApiError({
        code: 'invalid_input',
        field: 'cloud.accessKeySecret',
        message: L('Enter the AccessKey secret of the Aliyun account.', '请输入阿里云账号的 AccessKey Secret。'),
      });
    return CloudSession.open(p.cloud, secret, this.#o.redactor);
  }
}
