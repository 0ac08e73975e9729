/**
 * Steps both Harbor generations share: preflight (gates the run), installing a missing runtime
 * (only with consent), getting the installer onto every node (one upload from the desktop, relayed
 * by node 1; or the nodes download it), unpacking it, the NAT rules for a layer-4 SLB, and the
 * check that the shared key material is identical on every node.
 */
import { posix } from 'node:path';
import OSS from 'ali-oss';
import { ApiError } from '../../../../shared/errors';
import type { Localized } from '../../../../shared/i18n/localized';
import type { Profile } from '../../../../shared/profile';
import type { HarborEnv } from '../env';
import { deployError, tail, type NodeShell } from '../../deploy/remote';
import { unifiedDiff } from '../../../../shared/diff';
import { type CheckResult, type NodeRef, type Preview, type Step, type StepContext } from '../../deploy/step';
import { commandLine } from '../../ssh/quote';
import { readFacts } from './facts';
import { DOCKER_PS, parseDockerPs, type KeyFile } from '../node';
import type { ContainerState } from '../../../../shared/api/contracts/topology';
import { HARBOR_DIR } from './paths';
import { SHA256_STDIN } from '../../transfer/remote';
import { planned, readOnly, readShell, type Action } from '../../deploy/plan';
import { TIMEOUTS } from './timeouts';

export { HARBOR_DIR };
import { nodePreflight } from './preflight';
import { findingsError } from './preflight/findings';
import { runtimeFindings, runtimeInstallCommands, type RuntimeNeeds } from './preflight/runtime';

type Ctx = HarborEnv & StepContext;
const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

/** Written into /opt/harbor after unpacking: the sha256 of the installer it came from. */
export const UNPACK_MARKER = `${HARBOR_DIR}/.harbor-ha-deployer-installer`;
/** Pristine copies of the installer files the config steps edit. */
export const PRISTINE_DIR = `${HARBOR_DIR}/.harbor-ha-deployer-orig`;

export function nodeOf(env: HarborEnv, node: NodeRef) {
  const n = env.profile.nodes.find((x) => x.id === node.id);
  if (!n) throw new Error(`no node ${node.id}`);
  return n;
}

/** The node's address as the services see it (for whitelist advice). */
export function nodeAddress(env: HarborEnv, node: NodeRef): string {
  const n = nodeOf(env, node);
  return n.privateAddress ?? n.host;
}

// ───────────────────────────── preflight ─────────────────────────────

/** The base preflight of a node: runtime, space and the services as the node reaches them (reads only). */
function nodePreflightCheck(needs: RuntimeNeeds): (ctx: Ctx) => Promise<CheckResult> {
  return async (ctx) => {
    const shell = readShell(ctx, 'preflight');
    const installer = await ctx.installer();
    const { findings } = await nodePreflight(ctx, shell, needs, nodeAddress(ctx, ctx.node!), installer.size ?? 0);
    for (const f of findings)
      ctx.log.line(`${f.ok ? '✔' : f.severity === 'warning' ? '!' : '✖'} ${f.message.en}${!f.ok && f.fix ? ` → ${f.fix.en}` : ''}`);
    const failed = findings.filter((f) => !f.ok && f.severity === 'error');
    const warnings = findings.filter((f) => !f.ok && f.severity === 'warning');
    if (failed.length) return { done: false, reason: findingsError(findings) };
    return {
      done: true,
      reason: L(
        `${findings.length - warnings.length} checks passed${warnings.length ? `; ${warnings.length} to fix in the next step` : ''}`,
        `${findings.length - warnings.length} 项检查通过${warnings.length ? `；${warnings.length} 项将在下一步修复` : ''}`,
      ),
    };
  };
}

/**
 * Preflight: nothing changes anywhere until every node passes (a gate). A generation adds its own checks (`more`),
 * given the base verdict; the plan is that verdict (readOnly).
 */
export function preflightStep(
  needs: RuntimeNeeds,
  more?: { readonly explain?: Localized; check?(ctx: Ctx, base: CheckResult): Promise<CheckResult> },
): Step<HarborEnv> {
  const base = nodePreflightCheck(needs);
  return readOnly<HarborEnv>({
    id: 'preflight',
    title: L('Preflight checks', '预检'),
    explain:
      more?.explain ??
      L(
        'Changes nothing. Connects to every node and checks, from each node, what Harbor needs: docker and compose versions, Python 2 and openssl (1.x), free space, and the database, Redis and OSS as that node reaches them (RDS whitelists are per node, so a check from your computer proves nothing). Nothing is changed anywhere until every node passes.',
        '不做任何更改。连接每个节点，并从每个节点检查 Harbor 所需的一切：docker 与 compose 版本、Python 2 与 openssl（1.x）、磁盘空间，以及该节点能否访问数据库、Redis 和 OSS（RDS 白名单按节点生效，从您电脑上检查说明不了问题）。所有节点都通过之前，不会更改任何地方。',
      ),
    scope: 'each-node',
    gate: true,
    reads: L(
      'Read-only: commands that only look (docker --version, df, …) and logins to the services from each node.',
      '只读：仅查看信息的命令（docker --version、df 等），以及从每个节点登录各项服务。',
    ),
    failReason: 'preflight',
    check: more?.check ? async (ctx) => more.check!(ctx, await base(ctx)) : base,
  });
}

// ───────────────────────────── runtime ─────────────────────────────

export function runtimeStep(needs: RuntimeNeeds): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'runtime',
    title: L('Docker and Compose', 'Docker 与 Compose'),
    explain: L(
      `Makes sure docker ≥ ${needs.docker}${needs.generation === 'v1' ? `, the standalone docker-compose binary ≥ ${needs.compose} and Python 2 at /usr/bin/python` : ` and the compose plugin`} are there. Installs what is missing only when you allowed it for this run (EPEL and the docker-ce repository on CentOS/RHEL, as in the runbook; apt on Debian/Ubuntu), and repairs the docker-compose "requests.packages.urllib3" ImportError.`,
      `确保 docker ≥ ${needs.docker}${needs.generation === 'v1' ? `、独立的 docker-compose ≥ ${needs.compose}，以及 /usr/bin/python 为 Python 2` : '以及 compose 插件'}。仅在您为本次运行允许时才安装缺少的软件（CentOS/RHEL 上按手册使用 EPEL 与 docker-ce 源；Debian/Ubuntu 使用 apt），并修复 docker-compose 的“requests.packages.urllib3” ImportError。`,
    ),
    scope: 'each-node',
    async check(ctx) {
      const facts = await readFacts(readShell(ctx, 'runtime'), []);
      const bad = runtimeFindings(facts, needs, ctx.node!.label, false).filter((f) => !f.ok);
      return bad.length
        ? { done: false, reason: findingsError(bad) }
        : { done: true, reason: L('docker and compose are in place', 'docker 与 compose 已就绪') };
    },
    async plan(ctx) {
      const label = ctx.node!.label;
      const facts = await readFacts(readShell(ctx, 'runtime'), []);
      const bad = runtimeFindings(facts, needs, label, false).filter((f) => !f.ok);
      if (!bad.length) return { actions: [] };
      const commands = runtimeInstallCommands(facts, needs);
      const repair = bad.some((f) => f.id === 'docker-compose.importerror');
      const install = bad.some((f) => f.id !== 'docker-compose.importerror');
      const actions: Action[] = [];
      if (!ctx.options.installRuntime) {
        // What would run is still shown, so the operator knows what allowing it means.
        const would = [...(repair ? [PIP_REPAIR] : []), ...(install ? commands : [])].map(commandLine);
        return {
          actions: [{ kind: 'fail', message: findingsError(bad), reason: 'runtime' }],
          notes: would.length
            ? [L(`Allowed to install, it would run: ${would.join('; ')}`, `若允许安装，将执行：${would.join('；')}`)]
            : [],
        };
      }
      if (repair) actions.push({ kind: 'run', argv: PIP_REPAIR, options: { stream: true, timeoutMs: TIMEOUTS.pipRepair } });
      if (install) {
        if (!commands.length)
          return {
            actions: [
              ...actions,
              {
                kind: 'fail',
                message: L(
                  `${label}: no yum or apt-get here; install docker and compose by hand.`,
                  `${label}：没有 yum 或 apt-get；请手工安装 docker 与 compose。`,
                ),
              },
            ],
          };
        for (const argv of commands) actions.push({ kind: 'run', argv, options: { stream: true, timeoutMs: TIMEOUTS.runtimePackages } });
        if (needs.python2 && facts.packageManager === 'apt') actions.push({ kind: 'run', argv: PYTHON_LINK });
      }
      return { actions };
    },
  });
}

/** The runbook's repair of docker-compose's "requests.packages.urllib3" ImportError. */
const PIP_REPAIR = ['pip', 'install', 'requests', 'urllib3', 'pyOpenSSL', '--force', '--upgrade'];
/** Harbor 1.x's prepare runs `python`: on Debian/Ubuntu point it at Python 2 unless something is there already. */
const PYTHON_LINK = ['sh', '-c', '[ -e /usr/bin/python ] || ln -s /usr/bin/python2 /usr/bin/python'];

// ───────────────────────────── installer ─────────────────────────────

async function remoteSum(shell: NodeShell, path: string): Promise<string | null> {
  return (await shell.sha256([path]))[0] ?? null;
}

/**
 * Downloads on the node with curl (or wget) into a temporary name, checks the sha256 when the profile gives one, then
 * moves it into place; a wrong sum deletes the download and exits 3. The URL arrives on stdin, never in the command
 * line: an OSS link is signed (a credential for an hour), and the preview and the run show the same command.
 */
const DOWNLOAD = [
  'set -e',
  'IFS= read -r url',
  'mkdir -p "$(dirname "$1")"',
  'if command -v curl >/dev/null 2>&1; then printf \'url = "%s"\\n\' "$url" | curl -fsSL --retry 3 -o "$1.download" -K -; else printf \'%s\\n\' "$url" | wget -q -O "$1.download" -i -; fi',
  `if [ -n "$2" ] && [ "$(${SHA256_STDIN} < "$1.download" | cut -c1-64)" != "$2" ]; then rm -f -- "$1.download"; exit 3; fi`,
  'mv -f -- "$1.download" "$1"',
].join('\n');

export function installerStep(): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'installer',
    title: L('Installer on every node', '安装包分发到每个节点'),
    explain: L(
      'Puts the Harbor offline installer on every node. From your computer it is uploaded once, to node 1, which copies it to the other nodes inside the network (with a temporary key that is removed afterwards); each copy is checked by sha256, and an interrupted upload resumes. With a URL or an OSS object, each node downloads it itself.',
      '把 Harbor 离线安装包放到每个节点上。从您的电脑只上传一次（到节点 1），再由节点 1 在内网中复制到其他节点（使用用后即删的临时密钥）；每份副本都校验 sha256，中断的上传会续传。若使用 URL 或 OSS 对象，则由各节点自行下载。',
    ),
    scope: 'each-node',
    async check(ctx) {
      const installer = await ctx.installer();
      const sum = await remoteSum(readShell(ctx, 'installer'), installer.remotePath);
      if (!sum) return { done: false, reason: L(`${installer.remotePath} is not there yet`, `${installer.remotePath} 尚不存在`) };
      if (installer.sha256 && sum !== installer.sha256)
        return {
          done: false,
          reason: L(
            `${installer.remotePath} differs from the installer (sha256 ${sum.slice(0, 12)}…)`,
            `${installer.remotePath} 与安装包不同（sha256 ${sum.slice(0, 12)}…）`,
          ),
        };
      return {
        done: true,
        reason: L(`${installer.remotePath} (sha256 ${sum.slice(0, 12)}…)`, `${installer.remotePath}（sha256 ${sum.slice(0, 12)}…）`),
      };
    },
    async plan(ctx) {
      const installer = await ctx.installer();
      const i = ctx.profile.harbor.installer;
      const label = ctx.node!.label;
      if (i.kind === 'local') {
        const first = ctx.nodes.find((n) => n.index === 0)!;
        const how = L(
          `${installer.name} (${(installer.size / 1048576).toFixed(1)} MiB) is uploaded once, to ${first.label}, which copies it to the other nodes; each copy is checked by sha256.`,
          `${installer.name}（${(installer.size / 1048576).toFixed(1)} MiB）只上传一次到 ${first.label}，再由它复制到其他节点；每份副本都校验 sha256。`,
        );
        return {
          notes: [how],
          actions: [
            {
              kind: 'wait',
              what: L(`until ${installer.name} has arrived on ${label}`, `${installer.name} 送达 ${label}`),
              until: () => receiveUpload(ctx, installer),
            },
          ],
        };
      }
      const source = i.kind === 'url' ? i.url : `oss://${i.bucket ?? ctx.profile.oss.bucket}/${i.object}`;
      return {
        notes: [
          L(
            `${label} downloads ${source}${i.kind === 'oss' ? ' through a link signed for one hour (the node never holds the AccessKey)' : ''}${i.sha256 ? ', checked against the sha256 in the profile' : ''}.`,
            `${label} 下载 ${source}${i.kind === 'oss' ? '（通过有效期一小时的签名链接，节点不会持有 AccessKey）' : ''}${i.sha256 ? '，并按集群配置中的 sha256 校验' : ''}。`,
          ),
        ],
        actions: [
          {
            kind: 'run',
            argv: ['sh', '-c', DOWNLOAD, 'sh', installer.remotePath, i.sha256?.toLowerCase() ?? ''],
            options: { stdin: `${downloadUrl(ctx)}\n`, timeoutMs: TIMEOUTS.download, signal: ctx.signal },
            failure: (r) =>
              r.code === 3
                ? L(
                    `${label}: the installer downloaded from ${source} does not have the sha256 ${i.sha256 ?? ''} the profile gives. It was deleted.`,
                    `${label}：从 ${source} 下载的安装包 sha256 与集群配置中的 ${i.sha256 ?? ''} 不符，已删除。`,
                  )
                : L(
                    `${label}: the download of ${source} failed (exit ${r.code ?? r.signal}): ${tail(r.stderr, 3)}`,
                    `${label}：下载 ${source} 失败（退出码 ${r.code ?? r.signal}）：${tail(r.stderr, 3)}`,
                  ),
          },
        ],
      };
    },
  });
}

/** Where the node downloads from: the profile's URL, or a link to the OSS object signed for an hour. */
function downloadUrl(ctx: Ctx): string {
  const i = ctx.profile.harbor.installer;
  if (i.kind === 'url') return i.url;
  if (i.kind !== 'oss') throw new Error('no download for a local installer');
  const o = ctx.profile.oss;
  const client = new OSS({
    region: o.region,
    bucket: i.bucket ?? o.bucket,
    accessKeyId: o.accessKeyId,
    accessKeySecret: ctx.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret')),
    internal: o.internal,
    secure: o.secure,
  });
  const url = client.signatureUrl(i.object, { expires: 3600 });
  ctx.redactor.add(new URL(url).searchParams.get('Signature') ?? undefined);
  return url;
}

/** One transfer for every node of this run (uploaded to node 1, relayed to the rest); resolves when it reached this node. */
async function receiveUpload(ctx: Ctx, installer: Awaited<ReturnType<HarborEnv['installer']>>): Promise<void> {
  const node = ctx.node!;
  const first = ctx.nodes.find((n) => n.index === 0)!;
  const targets = [first, ...ctx.peers.filter((n) => n.id !== first.id)];
  const transferId = await ctx.once('installer-transfer', async () => {
    const { transferId } = await ctx.transfers.start({
      profileId: ctx.profile.id,
      nodeIds: targets.map((n) => n.id),
      localPath: installer.localPath,
      remotePath: installer.remotePath,
      mode: targets.length > 1 ? 'relay' : 'direct',
    });
    return transferId;
  });
  const stop = ctx.transfers.subscribe(transferId, (e) => {
    if (e.kind === 'node' && e.node.nodeId === node.id && e.node.total > 0) ctx.log.progress(e.node.bytes, e.node.total, 'bytes');
  });
  try {
    const finished = await ctx.transfers.wait(transferId)!;
    const mine = finished.nodes.find((n) => n.nodeId === node.id);
    if (!mine || (mine.status !== 'done' && mine.status !== 'unchanged')) {
      throw mine?.error
        ? new ApiError(mine.error)
        : deployError(
            node.label,
            L(
              `${node.label}: the installer did not arrive (${mine?.status ?? 'not part of the transfer'}).`,
              `${node.label}：安装包未送达（${mine?.status ?? '不在本次传输中'}）。`,
            ),
          );
    }
    ctx.log.line(
      `${installer.name}: ${mine.status === 'unchanged' ? 'already there' : mine.via ? `copied from ${first.label}` : 'uploaded'} (sha256 ${mine.sha256?.slice(0, 12) ?? '?'}…)`,
    );
  } finally {
    stop?.();
  }
}

// ───────────────────────────── unpack ─────────────────────────────

/** Installer files that the config steps edit; their pristine copies are kept beside. */
/**
 * Where `path` goes when it is moved aside: `<path>.<word>-<its last change, UTC>`, which a preview and the run that
 * follows read alike (a run id would differ between them); undefined when there is nothing at `path`.
 */
export async function asideName(shell: NodeShell, path: string, word: string): Promise<string | undefined> {
  const changed = Number.parseInt((await shell.run(['stat', '-c', '%Y', '--', path])).stdout.trim(), 10);
  return Number.isFinite(changed)
    ? `${path}.${word}-${new Date(changed * 1000).toISOString().replace(/[-:]/g, '').slice(0, 15)}`
    : undefined;
}

export function unpackStep(pristine: readonly string[]): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'unpack',
    title: L('Unpack the installer', '解压安装包'),
    explain: L(
      `Unpacks the installer into ${HARBOR_DIR} and keeps pristine copies of the files the next steps edit, so a second run renders from the installer's own files again. An existing ${HARBOR_DIR} from another installer is moved aside (named after its last change), never deleted.`,
      `把安装包解压到 ${HARBOR_DIR}，并保留后续步骤要修改的文件的原始副本，这样再次运行时仍从安装包自带的文件生成配置。若已有来自其他安装包的 ${HARBOR_DIR}，会被移到一旁（以其最后修改时间命名），不会删除。`,
    ),
    scope: 'each-node',
    async check(ctx) {
      const installer = await ctx.installer();
      const shell = readShell(ctx, 'unpack');
      // The installer step verified the node's copy against this sha256; hash again only when it is not known.
      const [marker, sum] = await Promise.all([
        shell.read(UNPACK_MARKER),
        installer.sha256 ? Promise.resolve(installer.sha256) : remoteSum(shell, installer.remotePath),
      ]);
      if (marker && sum && marker.trim() === sum)
        return { done: true, reason: L(`${HARBOR_DIR} is from ${installer.name}`, `${HARBOR_DIR} 来自 ${installer.name}`) };
      return {
        done: false,
        reason: marker
          ? L(`${HARBOR_DIR} is from another installer`, `${HARBOR_DIR} 来自另一个安装包`)
          : L(`${HARBOR_DIR} is not unpacked yet`, `${HARBOR_DIR} 尚未解压`),
      };
    },
    async plan(ctx) {
      const installer = await ctx.installer();
      const shell = readShell(ctx, 'unpack');
      const label = ctx.node!.label;
      const sum =
        installer.sha256 && (await shell.exists(installer.remotePath)) ? installer.sha256 : await remoteSum(shell, installer.remotePath);
      if (!sum)
        return {
          actions: [
            {
              kind: 'fail',
              message: L(
                `${label}: ${installer.remotePath} is missing; run the installer step first.`,
                `${label}：缺少 ${installer.remotePath}；请先运行安装包分发步骤。`,
              ),
            },
          ],
        };
      const actions: Action[] = [];
      // -T refuses to nest it into an older one of the same name
      const aside = await asideName(shell, HARBOR_DIR, 'before');
      if (aside)
        actions.push({ kind: 'run', argv: ['mv', '-T', '--', HARBOR_DIR, aside], done: `moved the previous ${HARBOR_DIR} to ${aside}` });
      actions.push(
        { kind: 'run', argv: ['tar', 'xzf', installer.remotePath, '-C', '/opt'], options: { timeoutMs: TIMEOUTS.unpack, stream: true } },
        {
          kind: 'run',
          argv: ['test', '-f', `${HARBOR_DIR}/install.sh`],
          failure: L(
            `${label}: ${installer.name} has no harbor/install.sh: is it a Harbor offline installer?`,
            `${label}：${installer.name} 中没有 harbor/install.sh，它是 Harbor 离线安装包吗？`,
          ),
        },
        {
          kind: 'run',
          argv: [
            'sh',
            '-c',
            'set -e; d=$1; shift; for f in "$@"; do mkdir -p "$d/$(dirname "$f")"; cp -p "/opt/harbor/$f" "$d/$f"; done',
            'sh',
            PRISTINE_DIR,
            ...pristine,
          ],
        },
        { kind: 'write', path: UNPACK_MARKER, content: `${sum}\n`, mode: 0o644 },
      );
      return { actions };
    },
  });
}

/** A pristine installer file (as unpacked), or an error naming the node when it is missing. */
export async function pristineFile(shell: NodeShell, relative: string, label: string): Promise<string> {
  const text = await shell.read(`${PRISTINE_DIR}/${relative}`);
  if (text === null)
    throw deployError(
      label,
      L(
        `${label}: ${PRISTINE_DIR}/${relative} is missing; run the unpack step again.`,
        `${label}：缺少 ${PRISTINE_DIR}/${relative}；请重新运行解压步骤。`,
      ),
    );
  return text;
}

// ───────────────────────────── rendered configuration ─────────────────────────────

export interface RenderedFile {
  readonly path: string;
  readonly text: string;
  readonly mode: number;
}

/**
 * A step that writes files rendered for a node: done when every file on the node equals the rendering;
 * the preview is each file's diff against the node, secrets masked.
 */
export function renderedFilesStep(s: {
  id: string;
  title: Localized;
  explain: Localized;
  files: (ctx: Ctx, shell: NodeShell) => Promise<RenderedFile[]>;
}): Step<HarborEnv> {
  /** The rendered files and what each node has now. */
  const compare = async (ctx: Ctx) => {
    const shell = readShell(ctx, s.id);
    const files = await s.files(ctx, shell);
    return Promise.all(files.map(async (f) => ({ ...f, now: await shell.read(f.path) })));
  };
  return planned<HarborEnv>({
    id: s.id,
    title: s.title,
    explain: s.explain,
    scope: 'each-node',
    async check(ctx) {
      const files = await compare(ctx);
      const differ = files.filter((f) => f.now !== f.text).map((f) => f.path);
      return differ.length
        ? { done: false, reason: L(`to write: ${differ.join(', ')}`, `需要写入：${differ.join('、')}`) }
        : {
            done: true,
            reason: L(`${files.length} file${files.length === 1 ? '' : 's'} as rendered`, `${files.length} 个文件与生成结果一致`),
          };
    },
    // Only the files that differ are written; every file's diff is shown (an empty one says it stays as it is).
    async plan(ctx) {
      const files = await compare(ctx);
      return {
        files: files.map((f) => ({ path: f.path, diff: ctx.redactor.redact(unifiedDiff(f.now, f.text, f.path)) })),
        actions: files
          .filter((f) => f.now !== f.text)
          .map((f): Action => ({ kind: 'write', path: f.path, content: f.text, mode: f.mode, done: `wrote ${f.path}` })),
      };
    },
  });
}

// ───────────────────────────── firewall ─────────────────────────────

export interface NatPlan {
  readonly applies: boolean;
  readonly why: Localized;
  readonly address?: string;
  readonly ports: readonly number[];
}

/** Whether the seed's NAT REDIRECT applies (facts: SLB/CLB hairpin), and for which address and ports. */
export function natPlan(p: Profile): NatPlan {
  const lb = p.loadBalancer;
  const ports = p.access.protocol === 'https' ? [80, 443] : [80];
  if (lb.kind !== 'aliyun-slb')
    return {
      applies: false,
      ports,
      why: L(
        'Not needed: the load balancer is self-hosted, so nodes do not need to accept traffic addressed to it.',
        '不需要：负载均衡为自建，节点无需接收发往它的流量。',
      ),
    };
  if (lb.listener === 'http')
    return {
      applies: false,
      ports,
      why: L(
        'Not needed: a layer-7 (HTTP/HTTPS) SLB listener proxies connections, so there is no hairpin problem.',
        '不需要：七层（HTTP/HTTPS）SLB 监听会代理连接，不存在回环问题。',
      ),
    };
  const address = lb.privateAddress ?? lb.publicAddress;
  if (!address)
    return {
      applies: false,
      ports,
      why: L(
        'Not possible: the profile has no SLB address. Add the SLB private address to apply the rule.',
        '无法添加：集群配置中没有 SLB 地址。请填写 SLB 私网地址。',
      ),
    };
  return {
    applies: true,
    address,
    ports,
    why: L(
      `With a layer-4 SLB, a node cannot reach the SLB address ${address} itself (Aliyun: backends cannot be clients of their own SLB). The rule makes traffic from the node and its containers to ${address} stay on the node: PREROUTING for containers, OUTPUT for the host.`,
      `使用四层 SLB 时，节点自身无法访问 SLB 地址 ${address}（阿里云：后端服务器不能同时作为该 SLB 的客户端）。该规则让节点及其容器发往 ${address} 的流量留在本机：PREROUTING 针对容器，OUTPUT 针对宿主机。`,
    ),
  };
}

const natRule = (chain: string, address: string, port: number) => [
  chain,
  '-p',
  'tcp',
  '-d',
  address,
  '--dport',
  String(port),
  '-j',
  'REDIRECT',
];

/** Where this OS keeps iptables rules across reboots (the first existing directory wins). */
const PERSIST = [
  { dir: '/etc/sysconfig', file: '/etc/sysconfig/iptables' },
  { dir: '/etc/iptables', file: '/etc/iptables/rules.v4' },
];

async function persistTarget(shell: NodeShell): Promise<string | null> {
  for (const p of PERSIST) if ((await shell.run(['test', '-d', p.dir])).code === 0) return p.file;
  return null;
}

export function firewallStep(): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'firewall',
    title: L('Firewall (NAT for the SLB address)', '防火墙（SLB 地址的 NAT）'),
    explain: L(
      "The runbook's iptables REDIRECT for the SLB address on ports 80/443, added only when it applies (a layer-4 Aliyun SLB), checked before adding so a second run adds nothing, in PREROUTING (containers) and OUTPUT (the host itself, which the runbook forgot), and saved so it survives a reboot where the OS keeps iptables rules.",
      '手册中针对 SLB 地址 80/443 端口的 iptables REDIRECT，仅在适用时添加（阿里云四层 SLB）；添加前先检查，再次运行不会重复添加；同时加在 PREROUTING（容器）和 OUTPUT（宿主机自身，手册遗漏了）；并在系统支持时保存，重启后仍然有效。',
    ),
    scope: 'each-node',
    async check(ctx) {
      const plan = natPlan(ctx.profile);
      if (!plan.applies) return { done: true, reason: plan.why };
      const shell = readShell(ctx, 'firewall');
      const missing: string[] = [];
      for (const port of plan.ports) {
        for (const chain of ['PREROUTING', 'OUTPUT']) {
          if ((await shell.run(['iptables', '-t', 'nat', '-C', ...natRule(chain, plan.address!, port)])).code !== 0)
            missing.push(`${chain} ${port}`);
        }
      }
      if (missing.length)
        return { done: false, reason: L(`missing NAT rules: ${missing.join(', ')}`, `缺少 NAT 规则：${missing.join('、')}`) };
      const target = await persistTarget(shell);
      if (target) {
        const saved = (await shell.read(target)) ?? '';
        const all = plan.ports.every((port) =>
          ['PREROUTING', 'OUTPUT'].every((c) =>
            new RegExp(`-A ${c} -d ${plan.address!.replace(/\./g, '\\.')}(/32)? -p tcp (-m tcp )?--dport ${port} -j REDIRECT`).test(saved),
          ),
        );
        if (!all) return { done: false, reason: L(`the rules are active but not saved in ${target}`, `规则已生效，但未保存到 ${target}`) };
      }
      return {
        done: true,
        reason: L(
          `REDIRECT for ${plan.address} on ${plan.ports.join('/')} in PREROUTING and OUTPUT${target ? `, saved in ${target}` : ''}`,
          `${plan.address} 的 ${plan.ports.join('/')} 端口 REDIRECT 已在 PREROUTING 与 OUTPUT 中${target ? `，并保存在 ${target}` : ''}`,
        ),
      };
    },
    async plan(ctx) {
      const plan = natPlan(ctx.profile);
      if (!plan.applies) return { actions: [], notes: [plan.why] };
      const shell = readShell(ctx, 'firewall');
      const actions: Action[] = [];
      for (const port of plan.ports) {
        for (const chain of ['PREROUTING', 'OUTPUT']) {
          const rule = natRule(chain, plan.address!, port);
          // a rule already there is left alone: a second run adds nothing
          if ((await shell.run(['iptables', '-t', 'nat', '-C', ...rule])).code !== 0)
            actions.push({
              kind: 'run',
              argv: ['iptables', '-t', 'nat', '-A', ...rule],
              done: `added: iptables -t nat -A ${rule.join(' ')}`,
            });
        }
      }
      const target = await persistTarget(shell);
      const notes = [plan.why];
      if (target)
        actions.push({
          kind: 'run',
          argv: ['sh', '-c', 'iptables-save > "$1.harbor-ha.tmp" && mv -f "$1.harbor-ha.tmp" "$1"', 'sh', target],
          done: `saved the rules in ${target}`,
        });
      else
        notes.push(
          L(
            'This OS has no standard place for saved iptables rules (/etc/sysconfig or /etc/iptables): the rules are lost on reboot unless iptables-services or iptables-persistent is installed.',
            '该系统没有保存 iptables 规则的标准位置（/etc/sysconfig 或 /etc/iptables）：除非安装 iptables-services 或 iptables-persistent，重启后规则会丢失。',
          ),
        );
      return { actions, notes };
    },
  });
}

// ───────────────────────────── shared key material ─────────────────────────────

/** The node's containers by name (`docker ps -a`); empty when docker does not answer. */
export async function containerStates(shell: NodeShell): Promise<Map<string, ContainerState>> {
  const r = await shell.run([...DOCKER_PS]);
  return new Map(r.code === 0 ? parseDockerPs(r.stdout).map((c) => [c.name, c]) : []);
}

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
    for (const s of sums)
      ctx.log.line(
        `${s.node.label}: ${list.map((f, i) => `${posix.basename(f.path)} ${s.sums[i]?.slice(0, 12) ?? 'missing'}`).join(', ')}`,
      );
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

export type { Preview };
