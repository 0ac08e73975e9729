/**
 * The RDS and Redis whitelists as Aliyun holds them, when the profile names the instances and an Aliyun account: a
 * node whose address no entry lets in is named before any login is tried, with the fix (the app adds it with the
 * operator's consent: the Cloud panel, or `cloud.allowNodes`). Read once per run for all nodes; the account's own
 * failures (a permission missing, a wrong key) are one finding that says what to grant or fix.
 */
import { ApiError } from '../../../../../shared/errors';
import { L } from '../../../../../shared/i18n/localized';
import { CloudSession } from '../../../cloud/session';
import { admissions, nodeSourceAddresses, readWhitelist, whitelistTargets, type WhitelistTarget } from '../../../cloud/whitelists';
import type { HarborEnv } from '../../env';
import { bad, type Finding } from './findings';

const NAMES: Record<WhitelistTarget['service'], { en: string; 'zh-CN': string }> = {
  database: { en: 'RDS', 'zh-CN': 'RDS' },
  redis: { en: 'Redis', 'zh-CN': 'Redis' },
};

function session(env: HarborEnv): Promise<CloudSession> {
  const account = env.profile.cloud!;
  return env.once('cloud.session', () =>
    CloudSession.open(
      account,
      env.requireSecret('cloud.accessKeySecret', L('Aliyun AccessKey secret', '阿里云 AccessKey Secret')),
      env.redactor,
    ),
  );
}

/** The whitelist findings of one node (none when the profile gives no Aliyun account or no instance ids). */
export async function whitelistFindings(env: HarborEnv, nodeId: string, label: string): Promise<Finding[]> {
  const p = env.profile;
  const targets = whitelistTargets(p);
  if (!p.cloud || !targets.length) return [];
  const node = nodeSourceAddresses(p).find((n) => n.nodeId === nodeId);
  const out: Finding[] = [];
  for (const t of targets) {
    const name = NAMES[t.service];
    const id = `whitelist.${t.service}`;
    if (!node?.address) {
      out.push(
        bad(
          id,
          L(
            `${label}: the app cannot tell which address ${name.en} ${t.instanceId} sees from this node (its SSH host is a name).`,
            `${label}：无法确定 ${name['zh-CN']} ${t.instanceId} 看到的该节点地址（其 SSH 主机是名称）。`,
          ),
          L("Enter the node's private address.", '请填写该节点的内网地址。'),
          'warning',
          `nodes.${p.nodes.findIndex((n) => n.id === nodeId)}.privateAddress`,
        ),
      );
      continue;
    }
    try {
      const groups = await env.once(`cloud.whitelist.${t.instanceId}`, async () => readWhitelist(await session(env), t));
      const [admitted] = admissions(groups, [node]);
      if (admitted?.by.length)
        out.push({
          id,
          ok: true,
          severity: 'error',
          message: L(
            `${label}: ${name.en} ${t.instanceId} lets ${node.address} in (${admitted.by.join(', ')})`,
            `${label}：${name['zh-CN']} ${t.instanceId} 的白名单包含 ${node.address}（${admitted.by.join('、')}）`,
          ),
        });
      else
        out.push(
          bad(
            id,
            L(
              `${label}: ${name.en} ${t.instanceId} refuses ${node.address}: no whitelist group holds it.`,
              `${label}：${name['zh-CN']} ${t.instanceId} 会拒绝 ${node.address}：没有任何白名单分组包含它。`,
            ),
            L(
              `Let the app add it (Topology → Cloud → Allow the nodes; it appends to its own group harbor_ha and touches no other), or add it in the console. Then run the preflight again.`,
              `让应用添加（拓扑 → 云资源 → 放行节点；只追加到应用自己的分组 harbor_ha，不改动其他分组），或在控制台中添加。然后重新运行预检。`,
            ),
            'error',
            t.field,
          ),
        );
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'cloud') throw error;
      out.push(
        bad(
          id,
          L(
            `${label}: the ${name.en} whitelist of ${t.instanceId} could not be read: ${error.localized.en}`,
            `${label}：无法读取 ${t.instanceId} 的 ${name['zh-CN']} 白名单：${error.localized['zh-CN']}`,
          ),
          undefined,
          'warning',
          error.field,
        ),
      );
    }
  }
  return out;
}
