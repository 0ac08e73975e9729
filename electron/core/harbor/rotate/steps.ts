/**
 * A certificate rotation as a plan of the deployment engine (operation `rotate-cert`). The maintenance service checked
 * the new certificate and saved it into the profile before the run, so the run pushes the profile's certificate: a
 * resume, or the next deployment, uses the same one.
 *
 * TLS on the nodes: one node at a time (Step.rolling), each written, its proxy restarted, healthy and presenting the
 * new certificate over TLS before the next is touched; a node that fails stops the rollout, and the nodes not reached
 * keep serving the old certificate. Only the proxy restarts: Harbor's core, registry and jobs keep running.
 * TLS at the load balancer: no node changes; the profile's pin is the new certificate, and the run checks that the
 * load balancer presents it.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { Localized } from '../../../../shared/i18n/localized';
import type { Profile } from '../../../../shared/profile';
import { readShell } from '../../deploy/plan';
import { deployError, type NodeShell } from '../../deploy/remote';
import type { NodeRef, Step } from '../../deploy/step';
import { rotationIssues } from '../../maintenance/rotate-cert';
import { httpRequest } from '../../probe/http';
import { commandLine } from '../../ssh/quote';
import { L, type Ctx } from '../common/context';
import { INSTALL_STAMP } from '../common/paths';
import { TIMEOUTS } from '../common/timeouts';
import { waitServing } from '../common/verify/answers';
import { askNode, domainPort, lbAddress, nodeUrl, publicUrl } from '../common/verify/endpoints';
import type { HarborEnv } from '../env';
import { PROXY_CONTAINER, tlsOnNodes } from '../node';
import { stampOf as v1Stamp } from '../v1/steps/install';
import { V1_VERIFY } from '../v1/steps/context';
import { stampOf as v2Stamp } from '../v2/steps/install';
import { coreLogSize, waitHealthy } from '../v2/steps/health';
import { tlsFiles, type TlsFile } from './files';

const KEY_FIELD = L('TLS private key', 'TLS 私钥');

/**
 * The profile's certificate (the new one) byte for byte as each generation's config step writes it (2.x adds a final
 * newline, 1.5 writes it as stored), so the next deployment finds the files it would write.
 */
function certificateText(ctx: Ctx): string {
  const pem = ctx.profile.access.certificate;
  if (!pem)
    throw deployError(
      '',
      L('The profile has no certificate to rotate to.', '集群配置中没有要轮换到的证书。'),
      'no_certificate',
      'access.certificate',
    );
  return ctx.profile.harbor.generation === 'v1' || pem.endsWith('\n') ? pem : `${pem}\n`;
}

/** SHA-256 fingerprint of the leaf (the chain's first certificate), `AA:BB:…` as the TLS probe reports it. */
function fingerprintOf(pem: string): string {
  return new X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0]).fingerprint256;
}

const short = (fp: string | null) => (fp ? `SHA256 ${fp.slice(0, 23)}…` : '—');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What a file of the node must hold. */
function contentOf(ctx: Ctx, f: TlsFile): string {
  if (f.what === 'certificate') return certificateText(ctx);
  const key = ctx.requireSecret('access.privateKey', KEY_FIELD);
  ctx.redactor.add(key);
  return key;
}

/** The certificate a server presents over TLS (no credentials go with the request), or null with why not. */
async function presented(ask: () => Promise<{ certificate?: { fingerprint256: string } }>): Promise<{ fp: string | null; why?: string }> {
  try {
    const r = await ask();
    return { fp: r.certificate?.fingerprint256 ?? null };
  } catch (error) {
    return { fp: null, why: (error as Error).message };
  }
}

/** What the node itself serves on its https port, asked from the node (as the load balancer reaches it). */
async function nodePresents(ctx: Ctx, node: NodeRef, stepId: string) {
  return presented(async () =>
    httpRequest(`${nodeUrl(ctx.profile).base}/`, { ...(await askNode(ctx, node, stepId)), timeoutMs: TIMEOUTS.healthProbe }),
  );
}

/** Which of the node's TLS files differ from what the profile holds. */
async function staleFiles(ctx: Ctx, shell: NodeShell): Promise<TlsFile[]> {
  const files = tlsFiles(ctx.profile);
  const sums = await shell.sha256(files.map((f) => f.path));
  return files.filter((f, i) => sums[i] !== sha256(contentOf(ctx, f)));
}

/** Writes a file by renaming a complete copy over the old one, with its owner and mode set before the rename. */
function writeArgv(f: TlsFile): string[] {
  return [
    'sh',
    '-c',
    'set -e; umask 077; mkdir -p -- "$(dirname -- "$1")"; t="$1.harbor-ha.tmp"; cat > "$t"; chmod "$2" "$t"; if [ -n "$3" ]; then chown "$3" "$t"; fi; mv -f -- "$t" "$1"',
    'sh',
    f.path,
    f.mode.toString(8),
    f.owner ?? '',
  ];
}

function checkStep(): Step<HarborEnv> {
  return {
    id: 'rotate-check',
    title: L('Check the new certificate and every node', '检查新证书与每个节点'),
    explain: L(
      "Changes nothing. The profile's certificate (saved when the rotation was asked for) still reads, belongs to its key, names the registry's domain, has not expired, and its chain is in order; and every node has Harbor installed by this app, so no node is left half-way because another was never deployed.",
      '不做任何修改。检查配置中的证书（在请求轮换时已保存）仍可读取、与私钥匹配、包含镜像仓库域名、未过期且证书链顺序正确；并检查每个节点都已由本应用安装 Harbor，避免因某个节点从未部署而使轮换停在半途。',
    ),
    scope: 'cluster',
    readOnly: true,
    gate: true,
    async check(ctx) {
      const p = ctx.profile;
      const issues = rotationIssues(certificateText(ctx), ctx.requireSecret('access.privateKey', KEY_FIELD), p.access.domain);
      if (issues.length)
        return {
          done: false,
          reason: L(issues.map((i) => i.message.en).join('; '), issues.map((i) => i.message['zh-CN']).join('；')),
          field: `access.${issues[0]!.path}`,
        };
      const missing: string[] = [];
      for (const n of ctx.nodes) if (!(await readShell(ctx, 'rotate-check', n).exists(INSTALL_STAMP))) missing.push(n.label);
      if (missing.length)
        return {
          done: false,
          reason: L(
            `${missing.join(', ')}: Harbor is not installed by this app there. Deploy the profile first; a rotation changes a running cluster.`,
            `${missing.join('、')}：该处没有由本应用安装的 Harbor。请先部署集群配置；轮换只用于正在运行的集群。`,
          ),
        };
      const cert = new X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(certificateText(ctx))![0]);
      return {
        done: true,
        reason: L(
          `${short(cert.fingerprint256)}, valid until ${new Date(cert.validTo).toISOString().slice(0, 10)}`,
          `${short(cert.fingerprint256)}，有效期至 ${new Date(cert.validTo).toISOString().slice(0, 10)}`,
        ),
      };
    },
    async preview() {
      return { commands: [], files: [], sql: [], notes: [] };
    },
    async apply() {
      // read-only: the check is the work
    },
  };
}

/** Restarts the proxy and waits until the node answers healthy again (2.x: /api/v2.0/health; 1.5: ping and systeminfo). */
async function restartProxy(ctx: Ctx, node: NodeRef, shell: NodeShell): Promise<void> {
  const v2 = ctx.profile.harbor.generation === 'v2';
  const logFrom = v2 ? await coreLogSize(shell) : 0;
  await shell.ok(['docker', 'restart', PROXY_CONTAINER]);
  if (v2) await waitHealthy(ctx, node, 'rotate-node', logFrom, TIMEOUTS.servingAfterReinstall);
  else await waitServing(ctx, node, V1_VERIFY, 'rotate-node');
}

function nodeStep(): Step<HarborEnv> {
  const stamp = (ctx: Ctx, shell: NodeShell) => (ctx.profile.harbor.generation === 'v2' ? v2Stamp : v1Stamp)(shell, ctx.profile);
  return {
    id: 'rotate-node',
    title: L('Put the new certificate on each node, one at a time', '逐个节点放置新证书'),
    explain: L(
      "One node at a time, in order: writes the certificate and key where harbor.yml (harbor.cfg) names them and where Harbor's prepare copies them for its proxy (2.x: the data volume's secret/cert, owned by 10000 with mode 600; 1.5: ha/ and common/config/nginx/cert), each file renamed over the old one complete; restarts only the proxy (nginx), which serves TLS; waits until the node answers healthy and presents the new certificate over TLS, asked from the node itself. Only then the next node. A node that fails stops the rollout: the nodes not reached keep serving the old certificate. The install stamp is updated when it was current, so the next deployment does not reinstall the node for the new certificate. Harbor's core, registry, database, Redis and OSS are not touched.",
      '按顺序逐个节点进行：把证书和私钥写到 harbor.yml（harbor.cfg）指定的位置，以及 Harbor 的 prepare 为代理复制的位置（2.x：数据卷的 secret/cert，属主 10000、权限 600；1.5：ha/ 与 common/config/nginx/cert），每个文件都完整写好后再替换旧文件；只重启提供 TLS 的代理（nginx）；等待节点恢复健康，并在节点本机上通过 TLS 确认其提供的是新证书。之后才处理下一个节点。某个节点失败会停止滚动：尚未处理的节点继续使用旧证书提供服务。安装标记在原本为最新时随之更新，因此下次部署不会因新证书而重新安装该节点。Harbor 的 core、registry、数据库、Redis 和 OSS 均不受影响。',
    ),
    scope: 'each-node',
    rolling: true,
    async check(ctx) {
      const node = ctx.node!;
      const shell = readShell(ctx, 'rotate-node');
      const want = fingerprintOf(certificateText(ctx));
      const [stale, seen] = await Promise.all([staleFiles(ctx, shell), nodePresents(ctx, node, 'rotate-node')]);
      if (stale.length)
        return {
          done: false,
          reason: L(
            `${stale.map((f) => f.path).join(', ')} hold another certificate or key`,
            `${stale.map((f) => f.path).join('、')} 中是其他证书或私钥`,
          ),
        };
      if (seen.fp !== want)
        return {
          done: false,
          reason: L(
            `the files are new, but the node presents ${seen.fp ? short(seen.fp) : `nothing (${seen.why ?? 'no answer'})`} instead of ${short(want)}`,
            `文件已是新的，但节点提供的是 ${seen.fp ? short(seen.fp) : `无（${seen.why ?? '无响应'}）`}，而不是 ${short(want)}`,
          ),
        };
      return { done: true, reason: L(`presents ${short(want)}`, `已提供 ${short(want)}`) };
    },
    async preview(ctx) {
      const files = tlsFiles(ctx.profile);
      return {
        commands: [
          ...files.map((f) => `${commandLine(writeArgv(f))} < (${f.what === 'key' ? 'the key, from the vault' : 'the certificate'})`),
          commandLine(['docker', 'restart', PROXY_CONTAINER]),
        ],
        files: [],
        sql: [],
        notes: [
          L(
            `After the restart the node must answer healthy and present ${short(fingerprintOf(certificateText(ctx)))} before the next node starts.`,
            `重启后节点必须恢复健康并提供 ${short(fingerprintOf(certificateText(ctx)))}，之后下一个节点才开始。`,
          ),
        ],
      };
    },
    async apply(ctx) {
      const node = ctx.node!;
      const shell = ctx.shell(node, 'rotate-node', ctx);
      const [stored, before] = await Promise.all([shell.read(INSTALL_STAMP), stamp(ctx, shell)]);
      for (const f of tlsFiles(ctx.profile)) await shell.ok(writeArgv(f), { stdin: contentOf(ctx, f) });
      // The stamp says what the node was installed from: when it was current, it is current again with the new files.
      if (stored?.trim() === before) await shell.write(INSTALL_STAMP, `${await stamp(ctx, shell)}\n`, 0o644);
      ctx.log.line(L(`${node.label}: restarting ${PROXY_CONTAINER}`, `${node.label}：正在重启 ${PROXY_CONTAINER}`));
      await restartProxy(ctx, node, shell);
      const want = fingerprintOf(certificateText(ctx));
      const seen = await nodePresents(ctx, node, 'rotate-node');
      if (seen.fp !== want)
        throw deployError(
          node.label,
          L(
            `${node.label} is healthy but presents ${seen.fp ? short(seen.fp) : `nothing (${seen.why ?? 'no answer'})`}, not the new ${short(want)}. The rollout stops here; the other nodes keep their certificate.`,
            `${node.label} 已健康，但提供的是 ${seen.fp ? short(seen.fp) : `无（${seen.why ?? '无响应'}）`}，而不是新的 ${short(want)}。滚动在此停止；其他节点保留原证书。`,
          ),
        );
      ctx.log.line(L(`${node.label}: presents ${short(want)}`, `${node.label}：已提供 ${short(want)}`));
    },
  };
}

function lbStep(): Step<HarborEnv> {
  const where = (ctx: Ctx): Localized => {
    const a = lbAddress(ctx.profile);
    return a ? L(`the load balancer (${a})`, `负载均衡（${a}）`) : L(ctx.profile.access.domain, ctx.profile.access.domain);
  };
  return {
    id: 'rotate-pin',
    title: L('Check the load balancer presents the pinned certificate', '检查负载均衡提供的是固定的证书'),
    explain: L(
      "TLS ends at the load balancer, which holds the certificate and its key: install the new one on its HTTPS listener (the SLB console, or your haproxy/nginx). The app keeps only the certificate, as the pin it checks the load balancer against before sending the admin's login; the rotation saved the new one into the profile. This step changes nothing: it connects to the load balancer over TLS and passes when it presents the new certificate. No node is touched.",
      'TLS 在负载均衡终止，证书及私钥都在负载均衡上：请在其 HTTPS 监听上安装新证书（SLB 控制台，或您的 haproxy/nginx）。应用只保存证书，作为发送管理员登录信息前校验负载均衡的固定证书；轮换已把新证书保存到配置中。此步骤不做任何修改：它通过 TLS 连接负载均衡，当其提供新证书时通过。不涉及任何节点。',
    ),
    scope: 'cluster',
    readOnly: true,
    async check(ctx) {
      const p = ctx.profile;
      const issues = rotationIssues(certificateText(ctx), undefined, p.access.domain);
      if (issues.length)
        return {
          done: false,
          reason: L(issues.map((i) => i.message.en).join('; '), issues.map((i) => i.message['zh-CN']).join('；')),
          field: 'access.certificate',
        };
      const want = fingerprintOf(certificateText(ctx));
      const a = lbAddress(p);
      const seen = await presented(() =>
        httpRequest(`${publicUrl(p)}/`, {
          ...(a ? { connectTo: { host: a, port: domainPort(p) } } : {}),
          insecure: true,
          timeoutMs: TIMEOUTS.harborRequest,
        }),
      );
      const w = where(ctx);
      if (seen.fp === want) return { done: true, reason: L(`${w.en} presents ${short(want)}`, `${w['zh-CN']} 已提供 ${short(want)}`) };
      return {
        done: false,
        reason: L(
          `${w.en} presents ${seen.fp ? short(seen.fp) : `nothing (${seen.why ?? 'no answer'})`}, the profile now pins ${short(want)}: install the new certificate on its HTTPS listener, then run the rotation again`,
          `${w['zh-CN']} 提供的是 ${seen.fp ? short(seen.fp) : `无（${seen.why ?? '无响应'}）`}，配置现在固定的是 ${short(want)}：请在其 HTTPS 监听上安装新证书，然后再次运行轮换`,
        ),
      };
    },
    async preview(ctx) {
      return {
        commands: [],
        files: [],
        sql: [],
        notes: [
          L(
            `The profile pins ${short(fingerprintOf(certificateText(ctx)))}; no node changes.`,
            `配置固定 ${short(fingerprintOf(certificateText(ctx)))}；节点不做任何修改。`,
          ),
        ],
      };
    },
    async apply() {
      // read-only: the operator installs the certificate on the load balancer
    },
  };
}

/** The rotation plan of a profile: the rolling push when TLS ends on the nodes, the pin's check when it ends at the LB. */
export function rotateSteps(p: Profile): Step<HarborEnv>[] {
  return tlsOnNodes(p) ? [checkStep(), nodeStep()] : [lbStep()];
}
