/**
 * Verification after a deployment, measured where it matters: containers on every node; Harbor's
 * own answers per node (through the node's SSH connection) and through the load balancer from this
 * computer; the /v2/ realm against the public URL; and an end-to-end login, push and pull of a tiny
 * image through the load balancer, then pulled from every node directly, with the nodes' proxy logs
 * showing which node served the push. On failure: the relevant /var/log/harbor lines and known fixes.
 */
import type { HarborEnv } from '../env';
import type { Step } from '../../deploy/step';
import { readOnly, readShell } from '../../deploy/plan';
import { pullImage } from '../registry';
import { type Ctx, L } from './context';
import { harborAnswers } from './verify/answers';
import { says, VERIFY_REPOSITORY, type Check, type VerifySpec } from './verify/check';
import { askNode, domainPort, lbAddress, nodeUrl, publicUrl, viaNode } from './verify/endpoints';
import { knownFixes } from './verify/fixes';
import { containerChecks, harborLogTail, servedBy } from './verify/nodes';
import { registryThroughLb } from './verify/through-lb';
import { tokensAcrossNodes } from './verify/tokens';

async function runChecks(ctx: Ctx, spec: VerifySpec): Promise<Check[]> {
  const p = ctx.profile;
  const checks: Check[] = [];
  // Per node, all at once.
  const perNode = await Promise.all(
    ctx.nodes.map(async (n) => {
      const c = await containerChecks(ctx, spec, n).catch((e: Error): Check => ({
        id: 'containers',
        ok: false,
        message: L(`${n.label}: ${e.message}`, `${n.label}：${e.message}`),
      }));
      const answers = await harborAnswers(spec, nodeUrl(p).base, await askNode(ctx, n), n.label);
      return [c, ...answers];
    }),
  );
  checks.push(...perNode.flat());
  const address = lbAddress(p);
  if (!address) {
    checks.push({
      id: 'lb',
      ok: false,
      message: L('The profile has no load balancer address to verify through.', '集群配置中没有可用于验证的负载均衡地址。'),
    });
    return checks;
  }
  // A certificate the operator put in the profile is trusted when the load balancer presents exactly it.
  const lbHow = {
    connectTo: { host: address, port: domainPort(p) },
    ...(p.access.protocol === 'https' && p.access.certificate ? { pinnedCertificate: p.access.certificate } : {}),
  };
  const where = `load balancer ${address}`;
  const lbAnswers = await harborAnswers(spec, publicUrl(p), lbHow, where);
  checks.push(...lbAnswers);
  const tag = `t${ctx.runId.replace(/[^A-Za-z0-9]/g, '').slice(-20)}${Date.now().toString(36)}`;
  const adminPassword = () => ctx.requireSecret('harbor.adminPassword', L('Harbor admin password', 'Harbor 管理员密码'));
  const {
    checks: lbChecks,
    pushed,
    service,
  } = await registryThroughLb(spec, p, { baseUrl: publicUrl(p), connect: lbHow }, adminPassword, tag, where);
  checks.push(...lbChecks);
  checks.push(...(await tokensAcrossNodes(ctx, service, adminPassword())));
  if (!pushed) return checks;
  const password = adminPassword();
  // Every node serves the image itself: shared storage and shared keys.
  for (const n of ctx.nodes) {
    try {
      const d = await pullImage(
        { baseUrl: nodeUrl(p).base, connect: await viaNode(ctx, n) },
        `${nodeUrl(p).base}/service/token`,
        service,
        VERIFY_REPOSITORY,
        tag,
        'admin',
        password,
      );
      checks.push({
        id: 'pull-node',
        ok: d === pushed.manifestDigest,
        message: L(`${n.label} serves the pushed image`, `${n.label} 可以提供刚推送的镜像`),
      });
    } catch (error) {
      const why = says(error);
      checks.push({
        id: 'pull-node',
        ok: false,
        message: L(
          `${n.label}: pulling the pushed image from this node failed: ${why.en}`,
          `${n.label}：从此节点拉取刚推送的镜像失败：${why['zh-CN']}`,
        ),
      });
    }
  }
  const served = await Promise.all(
    ctx.nodes.map(async (n) => ({ n, count: await servedBy(readShell(ctx, 'verify', n), tag).catch(() => 0) })),
  );
  const counts = served.map((s) => `${s.n.label} ${s.count}`);
  ctx.log.line(
    L(`requests for ${tag} per node (proxy.log): ${counts.join(', ')}`, `各节点处理 ${tag} 的请求数（proxy.log）：${counts.join('、')}`),
  );
  const landed = served.filter((s) => s.count > 0).length;
  if (ctx.nodes.length > 1) {
    checks.push(
      landed > 1
        ? { id: 'spread', ok: true, message: L(`the push and pull were served by ${landed} nodes`, `推送和拉取由 ${landed} 个节点处理`) }
        : {
            id: 'spread',
            ok: true,
            message: L(
              `all requests landed on one node (session persistence on the load balancer?); the direct pulls above still prove every node serves the image`,
              `所有请求都落在同一节点（负载均衡开启了会话保持？）；上面的逐节点拉取仍证明每个节点都能提供镜像`,
            ),
          },
    );
  }
  return checks;
}

export function verifyStep(spec: VerifySpec): Step<HarborEnv> {
  return readOnly<HarborEnv>({
    id: 'verify',
    title: L('Verify', '验证'),
    explain: L(
      `Checks that the expected containers are up on every node; Harbor's ${spec.generation === 'v1' ? '/api/ping and /api/systeminfo' : '/api/v2.0/ping and /api/v2.0/health (its status is always 200, so the body is read)'} on each node and through the load balancer; that /v2/ names the public URL as its token realm; and logs in, pushes and pulls a tiny image through the load balancer, then pulls it from every node, and from every other node with a token issued by the first one, which only works when the nodes share storage and keys.`,
      `检查每个节点上预期的容器都在运行；每个节点以及经负载均衡访问 Harbor 的 ${spec.generation === 'v1' ? '/api/ping 与 /api/systeminfo' : '/api/v2.0/ping 与 /api/v2.0/health（它总是返回 200，因此读取响应内容）'}；/v2/ 的令牌 realm 是公开地址；并经负载均衡登录、推送、拉取一个很小的镜像，再从每个节点拉取，并用第一个节点签发的令牌从其他每个节点拉取，只有各节点共享存储和密钥时才会成功。`,
    ),
    scope: 'cluster',
    needsAllNodes: true,
    reads: L(
      `Changes nothing on the nodes: docker ps and the proxy log on every node; ${spec.generation === 'v1' ? 'GET /api/ping and /api/systeminfo' : 'GET /api/v2.0/ping and /api/v2.0/health'} on each node and through the load balancer; GET /v2/; a push of the tiny test image ${VERIFY_REPOSITORY} through the load balancer and its pull from every node.`,
      `不更改节点上的任何内容：在每个节点上执行 docker ps 并读取代理日志；在每个节点及经负载均衡请求 ${spec.generation === 'v1' ? 'GET /api/ping 与 /api/systeminfo' : 'GET /api/v2.0/ping 与 /api/v2.0/health'}；GET /v2/；经负载均衡推送很小的测试镜像 ${VERIFY_REPOSITORY}，再从每个节点拉取。`,
    ),
    failReason: 'verify',
    async check(ctx) {
      const checks = await runChecks(ctx, spec);
      for (const c of checks) ctx.log.line(L(`${c.ok ? '✔' : '✖'} ${c.message.en}`, `${c.ok ? '✔' : '✖'} ${c.message['zh-CN']}`));
      const bad = checks.filter((c) => !c.ok);
      if (!bad.length) return { done: true, reason: L(`${checks.length} checks passed`, `${checks.length} 项检查通过`) };
      for (const n of ctx.nodes) {
        const tail = await harborLogTail(readShell(ctx, 'verify', n)).catch(() => '');
        if (!tail.trim()) continue;
        ctx.log.line(L(`${n.label}: Harbor logs`, `${n.label}：Harbor 日志`));
        for (const line of tail.trimEnd().split('\n')) ctx.log.line(line);
      }
      const fixes = knownFixes(spec, ctx.profile);
      return {
        done: false,
        reason: L(
          `${bad.map((c) => `✖ ${c.message.en}`).join('\n')}\nKnown fixes:\n${fixes.map((f) => `→ ${f.en}`).join('\n')}`,
          `${bad.map((c) => `✖ ${c.message['zh-CN']}`).join('\n')}\n已知的修复方法：\n${fixes.map((f) => `→ ${f['zh-CN']}`).join('\n')}`,
        ),
      };
    },
  });
}
