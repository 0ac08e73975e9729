/** The check that the shared key material is identical on every node. */
import { posix } from 'node:path';
import type { Profile } from '../../../../../shared/profile';
import type { HarborEnv } from '../../env';
import type { Step } from '../../../deploy/step';
import { planned, readShell } from '../../../deploy/plan';
import type { KeyFile } from '../../node';
import { type Ctx, L } from '../context';

/** Checks that every node has the same key material (by sha256; the keys never leave the nodes' shells). */
export function keysVerifyStep(files: (p: Profile) => readonly KeyFile[]): Step<HarborEnv> {
  const compare = async (ctx: Ctx) => {
    const list = files(ctx.profile);
    const sums = await Promise.all(
      ctx.nodes.map(async (n) => ({ node: n, sums: await readShell(ctx, 'keys-verify', n).sha256(list.map((f) => f.path)) })),
    );
    const problems: string[] = [];
    const problemsZh: string[] = [];
    list.forEach((f, i) => {
      const ref = sums[0]!.sums[i];
      for (const s of sums) {
        const v = s.sums[i];
        if (!v) {
          problems.push(`${s.node.label}: ${f.path} is missing`);
          problemsZh.push(`${s.node.label}：缺少 ${f.path}`);
        } else if (v !== ref) {
          problems.push(`${s.node.label}: ${f.path} differs from ${sums[0]!.node.label} (${f.what.en})`);
          problemsZh.push(`${s.node.label}：${f.path} 与 ${sums[0]!.node.label} 不同（${f.what['zh-CN']}）`);
        }
      }
    });
    for (const s of sums) {
      const sum = (i: number, missing: string) => s.sums[i]?.slice(0, 12) ?? missing;
      ctx.log.line(
        L(
          `${s.node.label}: ${list.map((f, i) => `${posix.basename(f.path)} ${sum(i, 'missing')}`).join(', ')}`,
          `${s.node.label}：${list.map((f, i) => `${posix.basename(f.path)} ${sum(i, '缺失')}`).join('、')}`,
        ),
      );
    }
    return { problems, problemsZh, count: list.length };
  };
  return planned<HarborEnv>({
    id: 'keys-verify',
    title: L('Same keys on every node', '各节点密钥一致'),
    explain: L(
      'Compares the sha256 of the token signing key, the registry certificate and the secret key on every node. If they differ, a token issued by one node is refused by another, and a push through the load balancer fails with 401.',
      '比较每个节点上令牌签名私钥、registry 证书和 secretkey 的 sha256。若不一致，一个节点签发的令牌会被另一个节点拒绝，经负载均衡推送镜像会返回 401。',
    ),
    scope: 'cluster',
    needsAllNodes: true,
    readOnly: true,
    async check(ctx) {
      const r = await compare(ctx);
      if (r.problems.length) return { done: false, reason: L(r.problems.join('\n'), r.problemsZh.join('\n')) };
      return {
        done: true,
        reason: L(`${r.count} files identical on ${ctx.nodes.length} nodes`, `${r.count} 个文件在 ${ctx.nodes.length} 个节点上一致`),
      };
    },
    // Nothing is changed here: the plan is to fail, naming the files, when they differ.
    async plan(ctx) {
      const r = await compare(ctx);
      const notes = [
        L(
          `Compares ${r.count} files on ${ctx.nodes.length} nodes by sha256 and changes nothing.`,
          `按 sha256 比较 ${ctx.nodes.length} 个节点上的 ${r.count} 个文件，不做任何修改。`,
        ),
      ];
      if (!r.problems.length) return { actions: [], notes };
      return {
        notes,
        actions: [
          {
            kind: 'fail',
            reason: 'keys_differ',
            message: L(
              `The key material differs between nodes:\n${r.problems.join('\n')}\nRun the install step again for those nodes (it copies node 1's keys).`,
              `各节点的密钥不一致：\n${r.problemsZh.join('\n')}\n请对这些节点重新运行安装步骤（会复制节点 1 的密钥）。`,
            ),
          },
        ],
      };
    },
  });
}
