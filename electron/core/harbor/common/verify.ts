/**
 * Verification after a deployment, measured where it matters: containers on every node; Harbor's
 * own answers per node (through the node's SSH connection) and through the load balancer from this
 * computer; the /v2/ realm against the public URL; and an end-to-end login, push and pull of a tiny
 * image through the load balancer, then pulled from every node directly, with the nodes' proxy logs
 * showing which node served the push. On failure: the relevant /var/log/harbor lines and known fixes.
 */
import type { Localized } from '../../../../shared/i18n/localized';
import type { Profile } from '../../../../shared/profile';
import type { HarborEnv } from '../env';
import { deployError, type NodeShell } from '../../deploy/remote';
import { type NodeRef, type Step, type StepContext } from '../../deploy/step';
import { httpRequest, type HttpRequestOptions } from '../../probe/http';
import {
  acceptsToken,
  challenge,
  pullImage,
  pushTinyImage,
  realmRefused,
  token,
  type PushResult,
  type RegistryEndpoint,
} from '../registry';
import { HARBOR_LOG_DIR, harborContainers, nodeEndpoint, parseV2Health } from '../node';
import { containerStates, nodeOf } from './steps/nodes';
import { TIMEOUTS } from './timeouts';
import { sleep } from '../../deploy/wait';
import { readOnly, readShell } from '../../deploy/plan';

type Ctx = HarborEnv & StepContext;
const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

export interface VerifySpec {
  readonly generation: 'v1' | 'v2';
}

export const VERIFY_REPOSITORY = 'library/harbor-ha-verify';

/** Where this computer reaches the load balancer. */
export function lbAddress(p: Profile): string | undefined {
  const lb = p.loadBalancer;
  return lb.kind === 'self-hosted' ? lb.address : (lb.publicAddress ?? lb.privateAddress);
}

export function publicUrl(p: Profile): string {
  return `${p.access.protocol}://${p.access.domain}`;
}

function domainPort(p: Profile): number {
  const m = /:(\d+)$/.exec(p.access.domain);
  return m ? Number(m[1]) : p.access.protocol === 'https' ? 443 : 80;
}

/** The URL a node itself serves (http behind a load balancer that ends TLS), under the public name. */
export function nodeUrl(p: Profile): { base: string; port: number } {
  const { scheme, port } = nodeEndpoint(p);
  return { base: `${scheme}://${p.access.domain.replace(/:\d+$/, '')}`, port };
}

export interface Check {
  readonly id: string;
  readonly ok: boolean;
  readonly message: Localized;
}

/**
 * How to ask a node itself, verified: over https it must present the profile's certificate (TLS on
 * the nodes requires one) or one a CA vouches for, since the pulls send the admin's login.
 */
async function viaNode(
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
async function askNode(ctx: Ctx, node: NodeRef, stepId = 'verify'): Promise<Pick<HttpRequestOptions, 'via' | 'connectTo' | 'insecure'>> {
  const { via, connectTo } = await viaNode(ctx, node, stepId);
  return { via, connectTo, insecure: true };
}

/** An error's text in both languages (ours carry their own translation). */
function says(error: unknown): Localized {
  if (error instanceof Error && 'localized' in error) return (error as Error & { localized: Localized }).localized;
  const m = (error as Error).message;
  return L(m, m);
}

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * Waits until Harbor answers on the node itself (1.x: ping and systeminfo; 2.x: ping and every
 * health component), asked by the node: after a reinstall, before the next node goes down.
 */
export async function waitServing(
  ctx: Ctx,
  node: NodeRef,
  spec: VerifySpec,
  stepId: string,
  timeoutMs: number = TIMEOUTS.servingAfterReinstall,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const checks = await harborAnswers(spec, nodeUrl(ctx.profile).base, await askNode(ctx, node, stepId), node.label);
    const bad = checks.filter((c) => !c.ok);
    if (!bad.length) {
      ctx.log.line(`${node.label}: Harbor answers again`);
      return;
    }
    const why = bad.map((c) => c.message.en).join('; ');
    if (why !== last) ctx.log.line(`waiting for Harbor to answer: ${why}`);
    last = why;
    if (Date.now() > deadline || ctx.signal.aborted) {
      const zh = bad.map((c) => c.message['zh-CN']).join('；');
      throw deployError(
        node.label,
        L(
          `${why} (after ${Math.round(timeoutMs / 1000)} s). Look at ${HARBOR_LOG_DIR}/ on the node.`,
          `${zh}（已等待 ${Math.round(timeoutMs / 1000)} 秒）。请查看节点上的 ${HARBOR_LOG_DIR}/。`,
        ),
      );
    }
    await sleep(TIMEOUTS.poll, ctx.signal);
  }
}

/** ping and systeminfo (1.x) or health (2.x) at an endpoint. */
async function harborAnswers(
  spec: VerifySpec,
  base: string,
  how: Pick<HttpRequestOptions, 'via' | 'connectTo' | 'insecure' | 'pinnedCertificate'>,
  where: string,
): Promise<Check[]> {
  const out: Check[] = [];
  const get = (path: string) => httpRequest(`${base}${path}`, { ...how, timeoutMs: TIMEOUTS.harborRequest });
  const fail = (id: string, en: string, zh: string): Check => ({ id, ok: false, message: L(`${where}: ${en}`, `${where}：${zh}`) });
  try {
    if (spec.generation === 'v1') {
      const ping = await get('/api/ping');
      const body = ping.body.toString().trim().replace(/^"|"$/g, '');
      out.push(
        ping.status === 200 && body === 'Pong'
          ? { id: 'ping', ok: true, message: L(`${where}: /api/ping answers Pong`, `${where}：/api/ping 返回 Pong`) }
          : fail(
              'ping',
              `/api/ping answered HTTP ${ping.status} ${body.slice(0, 120)}`,
              `/api/ping 返回 HTTP ${ping.status} ${body.slice(0, 120)}`,
            ),
      );
      const info = await get('/api/systeminfo');
      type Info = { harbor_version?: string; registry_url?: string };
      const parsed = parseJson<Info>(info.body.toString());
      out.push(
        info.status === 200 && parsed?.harbor_version
          ? {
              id: 'systeminfo',
              ok: true,
              message: L(
                `${where}: Harbor ${parsed.harbor_version}, registry ${parsed.registry_url}`,
                `${where}：Harbor ${parsed.harbor_version}，registry ${parsed.registry_url}`,
              ),
            }
          : fail(
              'systeminfo',
              `/api/systeminfo answered HTTP ${info.status} ${info.body.toString().slice(0, 200)} (adminserver cannot read its configuration from the registry database?)`,
              `/api/systeminfo 返回 HTTP ${info.status} ${info.body.toString().slice(0, 200)}（adminserver 无法从 registry 数据库读取配置？）`,
            ),
      );
    } else {
      const ping = await get('/api/v2.0/ping');
      out.push(
        ping.status === 200
          ? { id: 'ping', ok: true, message: L(`${where}: /api/v2.0/ping answers`, `${where}：/api/v2.0/ping 正常`) }
          : fail('ping', `/api/v2.0/ping answered HTTP ${ping.status}`, `/api/v2.0/ping 返回 HTTP ${ping.status}`),
      );
      // Its HTTP status is always 200: the body says what is healthy.
      const health = await get('/api/v2.0/health');
      const h = parseV2Health(health.body.toString());
      const detail = h?.detail ?? health.body.toString().slice(0, 200);
      out.push(
        h?.healthy
          ? { id: 'health', ok: true, message: L(`${where}: every component healthy`, `${where}：所有组件健康`) }
          : fail('health', `unhealthy: ${detail}`, `不健康：${detail}`),
      );
    }
  } catch (error) {
    const why = says(error);
    out.push(fail('reach', `no answer (${why.en})`, `无应答（${why['zh-CN']}）`));
  }
  return out;
}

async function containerChecks(ctx: Ctx, spec: VerifySpec, node: NodeRef): Promise<Check> {
  const shell = readShell(ctx, 'verify', node);
  const states = await containerStates(shell);
  const want = harborContainers(ctx.profile);
  const down = want.filter((c) => states.get(c)?.state !== 'running');
  if (!down.length)
    return {
      id: 'containers',
      ok: true,
      message: L(`${node.label}: ${want.length} containers up`, `${node.label}：${want.length} 个容器运行中`),
    };
  return {
    id: 'containers',
    ok: false,
    message: L(
      `${node.label}: not running: ${down.map((c) => `${c} (${states.get(c)?.status ?? 'missing'})`).join(', ')}`,
      `${node.label}：未运行：${down.map((c) => `${c}（${states.get(c)?.status ?? '不存在'}）`).join('、')}`,
    ),
  };
}

/** How many proxy log lines on the node mention the repository (which node served the push). */
async function servedBy(shell: NodeShell, needle: string): Promise<number> {
  const r = await shell.run(['grep', '-c', '-F', '--', needle, `${HARBOR_LOG_DIR}/proxy.log`]);
  return Number.parseInt(r.stdout.trim(), 10) || 0;
}

/** The last lines of Harbor's logs on a node, for the live log after a failure. */
async function harborLogTail(shell: NodeShell): Promise<string> {
  const r = await shell.run([
    'sh',
    '-c',
    'for f in "$1"/*.log; do [ -f "$f" ] || continue; echo "== $f"; tail -n 15 -- "$f"; done',
    'sh',
    HARBOR_LOG_DIR,
  ]);
  return r.stdout;
}

export function knownFixes(spec: VerifySpec, p: Profile): Localized[] {
  const fixes: Localized[] = [];
  if (spec.generation === 'v1' && p.access.protocol === 'https' && p.access.tlsTermination === 'lb') {
    fixes.push(
      L(
        'TLS ends at the load balancer: Harbor 1.5 answers with http:// redirects unless the registry has relativeurls: true (the config step sets it; re-run it if you edited config_ha.yml by hand).',
        'TLS 在负载均衡终止：除非 registry 配置了 relativeurls: true，否则 Harbor 1.5 会返回 http:// 的跳转（配置步骤会设置它；若手工改过 config_ha.yml，请重新运行该步骤）。',
      ),
    );
  }
  if (spec.generation === 'v2' && p.access.protocol === 'https' && p.access.tlsTermination === 'lb') {
    fixes.push(
      L(
        'TLS ends at the load balancer: the SLB listener must send X-Forwarded-Proto: https, or Harbor builds http:// URLs and logins fail.',
        'TLS 在负载均衡终止：SLB 监听必须添加 X-Forwarded-Proto: https 头，否则 Harbor 生成 http:// 地址，登录会失败。',
      ),
    );
  }
  fixes.push(
    spec.generation === 'v1'
      ? L(
          "On a failing node: cd /opt/harbor && ./prepare --ha, then docker-compose down and docker-compose up -d (the runbook's fix).",
          '在出问题的节点上：cd /opt/harbor && ./prepare --ha，然后 docker-compose down，再 docker-compose up -d（手册中的修复方法）。',
        )
      : L(
          'On a failing node: cd /opt/harbor && ./prepare, then docker compose down and docker compose up -d; then run this deployment again so the shared secrets and CSRF key are re-synchronised.',
          '在出问题的节点上：cd /opt/harbor && ./prepare，然后 docker compose down，再 docker compose up -d；之后重新运行本部署，以重新同步共享密钥和 CSRF 密钥。',
        ),
  );
  fixes.push(
    L(
      "A 401 on push through the load balancer while each node works alone means the nodes do not share the token keys: run the install step again (it copies node 1's keys).",
      '单个节点正常、经负载均衡推送却返回 401，说明各节点未共享令牌密钥：请重新运行安装步骤（会复制节点 1 的密钥）。',
    ),
  );
  return fixes;
}

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
  ctx.log.line(`requests for ${tag} per node (proxy.log): ${served.map((s) => `${s.n.label} ${s.count}`).join(', ')}`);
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

/**
 * A token issued by the first node must open every other node: that is what the shared token key pair is for (2.x
 * core checks /v2/ tokens with its own key; 1.x's registry with root.crt). Asked node by node, because a load
 * balancer may keep a client on one node and hide a mismatch from the push, and so that a failed push is explained.
 */
async function tokensAcrossNodes(ctx: Ctx, service: string, password: string): Promise<Check[]> {
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

/** What clients need to be told when the realm is elsewhere than the registry. */
export function realmFix(spec: VerifySpec, p: Profile, realm: string): Localized {
  let seen: URL | null = null;
  try {
    seen = new URL(realm);
  } catch {
    seen = null;
  }
  const want = new URL(publicUrl(p));
  if (seen && seen.protocol !== want.protocol && want.protocol === 'https:') {
    return spec.generation === 'v1' && p.access.tlsTermination === 'lb'
      ? L(
          `Harbor 1.x with TLS ending at the load balancer serves http on the nodes (ui_url_protocol = http) but must hand clients https URLs: the registry's token realm (auth.token.realm in common/config/registry/config.yml) and the adminserver's EXT_ENDPOINT must both start with ${publicUrl(p)}. Run the configuration step again, which writes both, or set them on every node and restart Harbor (docker-compose down, docker-compose up -d).`,
          `TLS 在负载均衡终止时，Harbor 1.x 的节点提供 http（ui_url_protocol = http），但交给客户端的地址必须是 https：registry 的令牌 realm（common/config/registry/config.yml 中的 auth.token.realm）与 adminserver 的 EXT_ENDPOINT 都必须以 ${publicUrl(p)} 开头。请重新运行配置步骤（它会写入这两项），或在每个节点上手工设置后重启 Harbor（docker-compose down，再 docker-compose up -d）。`,
        )
      : L(
          'The load balancer ends TLS without telling Harbor: add the header X-Forwarded-Proto: https on its HTTPS listener (Alibaba Cloud SLB: the listener\'s "X-Forwarded-Proto" option; HAProxy: http-request set-header X-Forwarded-Proto https).',
          '负载均衡终止了 TLS 却未告知 Harbor：请在其 HTTPS 监听上添加 X-Forwarded-Proto: https 头（阿里云 SLB：监听的“X-Forwarded-Proto”选项；HAProxy：http-request set-header X-Forwarded-Proto https）。',
        );
  }
  return L(
    `Harbor names itself ${seen?.origin ?? realm}, but clients use ${publicUrl(p)}: Harbor's hostname${spec.generation === 'v2' ? ' and external_url' : ''} must give exactly that scheme, name and port; run the configuration step again.`,
    `Harbor 的自称地址为 ${seen?.origin ?? realm}，而客户端使用 ${publicUrl(p)}：Harbor 的 hostname${spec.generation === 'v2' ? '与 external_url' : ''}必须给出完全相同的协议、名称与端口；请重新运行配置步骤。`,
  );
}

/**
 * Through the load balancer, as docker clients do it: the /v2/ challenge and its realm, then login,
 * push and pull of a tiny image. A realm on another scheme, host or port than the public URL fails
 * with the fix, and nothing is pushed: the admin's login would go to it. The password is asked for
 * only when it is about to be used.
 */
export async function registryThroughLb(
  spec: VerifySpec,
  p: Profile,
  ep: RegistryEndpoint,
  adminPassword: () => string,
  tag: string,
  where: string,
): Promise<{ checks: Check[]; service: string; pushed?: PushResult }> {
  const expected = `${publicUrl(p)}/service/token`;
  let c: Awaited<ReturnType<typeof challenge>>;
  try {
    c = await challenge(ep);
  } catch (error) {
    const why = says(error);
    return {
      checks: [
        { id: 'realm', ok: false, message: L(`${where}: /v2/ did not answer (${why.en})`, `${where}：/v2/ 无应答（${why['zh-CN']}）`) },
      ],
      service: 'harbor-registry',
    };
  }
  const { realm } = c;
  const service = c.service ?? 'harbor-registry';
  const seen = L(
    `/v2/ answered HTTP ${c.status} with realm ${realm ?? '(none)'}; clients need ${expected}`,
    `/v2/ 返回 HTTP ${c.status}，realm 为 ${realm ?? '（无）'}；客户端需要 ${expected}`,
  );
  const elsewhere = realm ? realmRefused(ep.baseUrl, realm) : undefined;
  if (!realm || elsewhere) {
    const fix = realm
      ? realmFix(spec, p, realm)
      : L('hostname and protocol must be what clients use.', 'hostname 与协议必须与客户端使用的一致。');
    const refused = elsewhere
      ? L(`. ${elsewhere.localized.en}; nothing was pushed`, `。${elsewhere.localized['zh-CN']}；未推送任何内容`)
      : L('', '');
    return {
      checks: [
        {
          id: 'realm',
          ok: false,
          message: L(`${seen.en}${refused.en}. Fix: ${fix.en}`, `${seen['zh-CN']}${refused['zh-CN']}。修复方法：${fix['zh-CN']}`),
        },
      ],
      service,
    };
  }
  const checks: Check[] = [
    c.status === 401 && realm === expected
      ? { id: 'realm', ok: true, message: L(`/v2/ realm is ${realm}`, `/v2/ 的 realm 为 ${realm}`) }
      : {
          id: 'realm',
          ok: false,
          message: L(
            `${seen.en} (hostname and protocol must be what clients use)`,
            `${seen['zh-CN']}（hostname 与协议必须与客户端使用的一致）`,
          ),
        },
  ];
  const password = adminPassword();
  try {
    // The realm names the public host; requests still go to the load balancer.
    const pushed = await pushTinyImage(ep, realm, service, VERIFY_REPOSITORY, tag, 'admin', password);
    const pulled = await pullImage(ep, realm, service, VERIFY_REPOSITORY, tag, 'admin', password);
    checks.push(
      pulled === pushed.manifestDigest
        ? {
            id: 'push-pull',
            ok: true,
            message: L(
              `pushed and pulled ${VERIFY_REPOSITORY}:${tag} through the load balancer (${pushed.requests} requests)`,
              `经负载均衡推送并拉取了 ${VERIFY_REPOSITORY}:${tag}（${pushed.requests} 个请求）`,
            ),
          }
        : { id: 'push-pull', ok: false, message: L('the pulled manifest differs from the pushed one', '拉取的 manifest 与推送的不同') },
    );
    return { checks, service, pushed };
  } catch (error) {
    const why = says(error);
    checks.push({
      id: 'push-pull',
      ok: false,
      message: L(`login, push or pull through the load balancer failed: ${why.en}`, `经负载均衡登录、推送或拉取失败：${why['zh-CN']}`),
    });
    return { checks, service };
  }
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
      for (const c of checks) ctx.log.line(`${c.ok ? '✔' : '✖'} ${c.message.en}`);
      const bad = checks.filter((c) => !c.ok);
      if (!bad.length) return { done: true, reason: L(`${checks.length} checks passed`, `${checks.length} 项检查通过`) };
      for (const n of ctx.nodes) {
        const tail = await harborLogTail(readShell(ctx, 'verify', n)).catch(() => '');
        if (tail.trim()) for (const line of [`${n.label}: Harbor logs`, ...tail.trimEnd().split('\n')]) ctx.log.line(line);
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
