/** One token service for the whole cluster: a token issued by the first node opens every other node. */
import { acceptsToken, token } from '../../registry';
import { type Ctx, L } from '../context';
import { says, VERIFY_REPOSITORY, type Check } from './check';
import { nodeUrl, viaNode } from './endpoints';

/**
 * A token issued by the first node must open every other node: that is what the shared token key pair is for (2.x
 * core checks /v2/ tokens with its own key; 1.x's registry with root.crt). Asked node by node, because a load
 * balancer may keep a client on one node and hide a mismatch from the push, and so that a failed push is explained.
 */
export async function tokensAcrossNodes(ctx: Ctx, service: string, password: string): Promise<Check[]> {
  const [issuer, ...others] = ctx.nodes;
  if (!issuer || others.length === 0) return [];
  const base = nodeUrl(ctx.profile).base;
  let issued: string;
  try {
    issued = await token(
      { baseUrl: base, connect: await viaNode(ctx, issuer) },
      `${base}/service/token`,
      service,
      'admin',
      password,
      `repository:${VERIFY_REPOSITORY}:pull`,
    );
  } catch (error) {
    const why = says(error);
    return [
      {
        id: 'token-shared',
        ok: false,
        message: L(`${issuer.label}: its token service gave no token: ${why.en}`, `${issuer.label}：其令牌服务未签发令牌：${why['zh-CN']}`),
      },
    ];
  }
  return Promise.all(
    others.map(async (n): Promise<Check> => {
      try {
        await acceptsToken({ baseUrl: base, connect: await viaNode(ctx, n) }, issued);
        return {
          id: 'token-shared',
          ok: true,
          message: L(`${n.label} accepts a token issued by ${issuer.label}`, `${n.label} 接受 ${issuer.label} 签发的令牌`),
        };
      } catch (error) {
        const why = says(error);
        return {
          id: 'token-shared',
          ok: false,
          message: L(
            `${n.label} refuses a token issued by ${issuer.label} (${why.en}): the nodes do not share the token key pair, so a client whose login and push land on different nodes gets 401. Fix: run the install step again, which copies ${issuer.label}'s keys to every node.`,
            `${n.label} 拒绝 ${issuer.label} 签发的令牌（${why['zh-CN']}）：各节点未共享令牌密钥对，客户端的登录与推送落在不同节点时会得到 401。修复：重新运行安装步骤，它会把 ${issuer.label} 的密钥复制到每个节点。`,
          ),
        };
      }
    }),
  );
}
