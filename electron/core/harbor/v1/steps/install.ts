/** install.sh --ha, node 1 first: every other node gets node 1's ha/ keys before its own install. */
import type { Profile } from '../../../../../shared/profile';
import type { HarborEnv } from '../../env';
import { deployError, type NodeShell } from '../../../deploy/remote';
import type { NodeRef, Step } from '../../../deploy/step';
import { planned, readPurpose, readShell, type Action } from '../../../deploy/plan';
import { type Ctx, L, firstNode } from '../../common/context';
import { underUtf8 } from '../../common/locale';
import { HARBOR_DIR, INSTALL_STAMP } from '../../common/paths';
import { containerStates, installStampCheck } from '../../common/steps/nodes';
import { TIMEOUTS } from '../../common/timeouts';
import { waitServing } from '../../common/verify/answers';
import { v1Containers } from '../../node';
import { V1_TEMPLATES, v1ClientUrl } from '../config';
import { clairOn, tlsOnNodes, V1_VERIFY } from './context';

const HA_KEYS = ['private_key.pem', 'root.crt', 'secretkey'] as const;

/** What install.sh passes to prepare on an HA node (the Snippets run prepare the same way). */
export const installArgs = (p: Profile) => ['--ha', ...(clairOn(p) ? ['--with-clair'] : [])];

const stampInputs = (p: Profile) => [
  `${HARBOR_DIR}/${V1_TEMPLATES.cfg}`,
  `${HARBOR_DIR}/${V1_TEMPLATES.configHa}`,
  ...(v1ClientUrl(p) ? [`${HARBOR_DIR}/${V1_TEMPLATES.adminserverEnv}`] : []),
  ...HA_KEYS.map((k) => `${HARBOR_DIR}/ha/${k}`),
  ...(tlsOnNodes(p) ? [`${p.options.dataVolume}/cert/server.crt`, `${p.options.dataVolume}/cert/server.key`] : []),
];

export async function stampOf(shell: NodeShell, p: Profile): Promise<string> {
  const sums = await shell.sha256(stampInputs(p));
  return sums.map((s) => s ?? 'missing').join(' ');
}

export function installStep(): Step<HarborEnv> {
  const haSums = async (ctx: Ctx, n: NodeRef) => readShell(ctx, 'install', n).sha256(HA_KEYS.map((k) => `${HARBOR_DIR}/ha/${k}`));
  return planned<HarborEnv>({
    id: 'install',
    title: L('Install Harbor (node 1 first)', '安装 Harbor（先节点 1）'),
    explain: L(
      "Node 1 runs install.sh --ha (with --with-clair when Clair is on); its prepare generates the token key pair and the secret key and keeps copies in ha/. Every other node then receives node 1's ha/ files before its own install, so all nodes sign and accept the same tokens. A node whose configuration or keys changed since its last install is installed again (install.sh stops the old containers first); on a cluster that is serving, such nodes are reinstalled one at a time, each answering /api/ping and /api/systeminfo again before the next goes down, so the load balancer always has the others.",
      '节点 1 先运行 install.sh --ha（启用 Clair 时加 --with-clair）；其 prepare 生成令牌密钥对和 secretkey，并在 ha/ 中保留副本。其他节点在各自安装前先获得节点 1 的 ha/ 文件，因此所有节点签发和接受相同的令牌。自上次安装以来配置或密钥有变化的节点会重新安装（install.sh 会先停止旧容器）；集群正在提供服务时，这些节点逐个重新安装，每个节点重新响应 /api/ping 与 /api/systeminfo 之后下一个才停止，因此负载均衡始终有其他节点可用。',
    ),
    scope: 'first-then-rest',
    disrupts: true,
    async check(ctx) {
      const shell = readShell(ctx, 'install');
      const p = ctx.profile;
      const [stamp, current, states] = await Promise.all([shell.read(INSTALL_STAMP), stampOf(shell, p), containerStates(shell)]);
      const down = v1Containers(p).filter((c) => states.get(c)?.state !== 'running');
      if (ctx.node!.index !== 0) {
        const [mine, theirs] = await Promise.all([haSums(ctx, ctx.node!), haSums(ctx, firstNode(ctx))]);
        if (mine.some((s, i) => s !== theirs[i]))
          return { done: false, reason: L(`the ha/ keys differ from ${firstNode(ctx).label}`, `ha/ 密钥与 ${firstNode(ctx).label} 不同`) };
      }
      const stale = installStampCheck(
        stamp,
        current,
        down,
        L('the configuration changed since the last install', '自上次安装以来配置已变化'),
      );
      if (stale) return stale;
      // serving: a change of the files it was installed from would reinstall it (Step.disrupts)
      return {
        done: true,
        disruptive: true,
        reason: L(`${v1Containers(p).length} containers up`, `${v1Containers(p).length} 个容器运行中`),
      };
    },
    async plan(ctx) {
      const p = ctx.profile;
      const node = ctx.node!;
      const actions: Action[] = [];
      if (node.index !== 0) {
        // read from node 1 when written: node 1 makes them in this very step, after this node's preview
        const source = readShell(ctx, 'install', firstNode(ctx));
        const fromNode1 = (k: string) => async () => {
          const content = await source.read(`${HARBOR_DIR}/ha/${k}`);
          if (content === null)
            throw deployError(
              node.label,
              L(
                `${firstNode(ctx).label} has no ${HARBOR_DIR}/ha/${k}: install node 1 first.`,
                `${firstNode(ctx).label} 上没有 ${HARBOR_DIR}/ha/${k}：请先安装节点 1。`,
              ),
            );
          ctx.redactor.add(content.trim());
          return content;
        };
        for (const k of HA_KEYS)
          actions.push({
            kind: 'write',
            path: `${HARBOR_DIR}/ha/${k}`,
            content: fromNode1(k),
            mode: 0o600,
            done: L(`received ha/${k} from ${firstNode(ctx).label}`, `已从 ${firstNode(ctx).label} 获得 ha/${k}`),
          });
      }
      actions.push(
        {
          kind: 'run',
          argv: underUtf8(['sh', '-c', 'cd "$1" && shift && ./install.sh "$@"', 'sh', HARBOR_DIR, ...installArgs(p)]),
          options: { stream: true, timeoutMs: TIMEOUTS.installScript },
        },
        // after install.sh: node 1's prepare --ha seeds ha/ with the keys it made, which the stamp covers
        { kind: 'write', path: INSTALL_STAMP, content: async () => `${await stampOf(readShell(ctx, 'install'), p)}\n`, mode: 0o644 },
        // serving again before the next node (a rolling reinstall) or the verification goes on
        {
          kind: 'wait',
          what: L('until /api/ping and /api/systeminfo answer on this node', '直到此节点的 /api/ping 与 /api/systeminfo 有应答'),
          until: () => waitServing(ctx, node, V1_VERIFY, readPurpose('install')),
        },
      );
      return {
        actions,
        notes: [
          L(
            'install.sh stops running Harbor containers on this node (docker-compose down -v) before starting the new ones.',
            'install.sh 会先停止此节点上正在运行的 Harbor 容器（docker-compose down -v），再启动新的容器。',
          ),
          L(
            'It runs under a UTF-8 locale (C.UTF-8, or en_US.UTF-8 where the node has no C.UTF-8): prepare is Python 2 and fails on any non-ASCII value otherwise.',
            '它在 UTF-8 区域设置下运行（C.UTF-8；节点没有时用 en_US.UTF-8）：prepare 是 Python 2 程序，否则遇到任何非 ASCII 字符都会失败。',
          ),
        ],
      };
    },
  });
}
