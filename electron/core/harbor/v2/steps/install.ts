/** install.sh on node 1 first, then the rest; a node is reinstalled only when what it was installed from changed. */
import type { Profile } from '../../../../../shared/profile';
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { planned, readPurpose, readShell } from '../../../deploy/plan';
import { underUtf8 } from '../../common/locale';
import { HARBOR_DIR, INSTALL_STARTED } from '../../common/paths';
import { containerStates, installStampCheck } from '../../common/steps/nodes';
import { TIMEOUTS } from '../../common/timeouts';
import { PROXY_CONTAINER, v2Containers, v2SecretFiles } from '../../node';
import { v2TlsPaths } from '../config';
import { L, HARBOR_YML, INSTALL_STAMP, firstNode, tlsOnNodes, v2InstallArgs } from './context';
import { nodeHealth, coreLogSize, waitHealthy } from './health';

// ───────────────────────────── install ─────────────────────────────

export const stampInputs = (p: Profile) => [
  HARBOR_YML,
  ...v2SecretFiles(p).map((f) => f.path),
  ...(tlsOnNodes(p) ? [v2TlsPaths(p).certificate, v2TlsPaths(p).privateKey] : []),
];

export async function stampOf(shell: NodeShell, p: Profile): Promise<string> {
  const sums = await shell.sha256(stampInputs(p));
  return `${sums.map((s) => s ?? 'missing').join(' ')} args=${v2InstallArgs(p).join(',')}`;
}

/**
 * Files the running core holds through file bind mounts (the shared secrets and the TLS files) that were replaced
 * after harbor-core started. The app writes files by renaming a new one over the old, and a file bind mount keeps
 * the inode it was started with: such a core still uses the previous key until its containers are recreated, even
 * though the files on disk (and the install stamp) are right. Seconds resolution: `stat -c %Y` is what CentOS 7 has.
 */
export async function replacedSinceCoreStarted(shell: NodeShell, p: Profile): Promise<string[]> {
  // The TLS files reach only the proxy (prepare copies them into the directory nginx mounts): they count from nginx's
  // start, so a certificate rotation, which writes every copy and restarts nginx alone, leaves nothing to reinstall.
  const tls = tlsOnNodes(p) ? [v2TlsPaths(p).certificate, v2TlsPaths(p).privateKey] : [];
  const secrets = stampInputs(p).filter((f) => f !== HARBOR_YML && !tls.includes(f));
  return [...(await replacedSince(shell, 'harbor-core', secrets)), ...(await replacedSince(shell, PROXY_CONTAINER, tls))];
}

/** The files modified after a container started (none when it cannot be read). */
async function replacedSince(shell: NodeShell, container: string, paths: readonly string[]): Promise<string[]> {
  if (!paths.length) return [];
  const started = await shell.run(['docker', 'inspect', '-f', '{{.State.StartedAt}}', container]);
  const startedAt = Date.parse(started.stdout.trim());
  if (started.code !== 0 || Number.isNaN(startedAt)) return [];
  const r = await shell.run(['sh', '-c', 'for f in "$@"; do stat -c %Y -- "$f" 2>/dev/null || echo 0; done', 'sh', ...paths]);
  const mtimes = r.stdout.trim().split('\n').map(Number);
  return paths.filter((_, i) => (mtimes[i] ?? 0) > Math.floor(startedAt / 1000));
}

export function installStep(): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'install',
    title: L('Install Harbor (node 1 first)', '安装 Harbor（先节点 1）'),
    explain: L(
      `Runs install.sh (with --with-trivy when Trivy is on) on node 1 first and waits until /api/v2.0/health reports every component healthy: node 1's core creates and migrates the database tables, and cores that start at the same time fight over the migration lock. Then the other nodes install at once; on a cluster that is serving, nodes are reinstalled one at a time, each healthy again before the next goes down, so the load balancer always has the others. install.sh always stops the node's containers first (docker compose down -v), so a node is installed again only when its harbor.yml, shared secrets or TLS files changed since its last install, when secrets were replaced after its core started or TLS files after its proxy started (a running container keeps the files it was started with), or Harbor is not running or not healthy there.`,
      '先在节点 1 上运行 install.sh（启用 Trivy 时加 --with-trivy），并等待 /api/v2.0/health 报告所有组件健康：节点 1 的 core 会创建并迁移数据库表，同时启动的多个 core 会争抢迁移锁。之后其他节点同时安装；集群正在提供服务时，节点逐个重新安装，每个节点恢复健康之后下一个才停止，因此负载均衡始终有其他节点可用。install.sh 总是先停止节点上的容器（docker compose down -v），因此只有当节点的 harbor.yml、共享密钥或 TLS 文件自上次安装后有变化，密钥在 core 启动之后、或 TLS 文件在代理启动之后被替换（运行中的容器保留启动时的文件），或 Harbor 未运行、不健康时，才会重新安装。',
    ),
    scope: 'first-then-rest',
    disrupts: true,
    async check(ctx) {
      const shell = readShell(ctx, 'install');
      const p = ctx.profile;
      const [stamp, current, states] = await Promise.all([shell.read(INSTALL_STAMP), stampOf(shell, p), containerStates(shell)]);
      const down = v2Containers(p).filter((c) => states.get(c)?.state !== 'running');
      const stale = installStampCheck(
        stamp,
        current,
        down,
        L(
          'harbor.yml, the shared secrets or the TLS files changed since the last install',
          '自上次安装以来 harbor.yml、共享密钥或 TLS 文件已变化',
        ),
      );
      if (stale) return stale;
      const replaced = await replacedSinceCoreStarted(shell, p);
      if (replaced.length) {
        return {
          done: false,
          disruptive: true,
          reason: L(
            `${replaced.join(', ')} replaced after Harbor started here: its running core still holds the previous files until its containers are recreated`,
            `${replaced.join('、')} 在 Harbor 启动之后被替换：正在运行的 core 在容器重建之前仍使用之前的文件`,
          ),
        };
      }
      const h = await nodeHealth(ctx, ctx.node!, readPurpose('install'));
      if (!h.healthy) return { done: false, reason: L(`not healthy: ${h.detail}`, `不健康：${h.detail}`) };
      // serving: a change of the files it was installed from would reinstall it (Step.disrupts)
      return {
        done: true,
        disruptive: true,
        reason: L(
          `${v2Containers(p).length} containers up, every component healthy`,
          `${v2Containers(p).length} 个容器运行中，所有组件健康`,
        ),
      };
    },
    async plan(ctx) {
      const p = ctx.profile;
      const node = ctx.node!;
      const shell = readShell(ctx, 'install');
      if (!(await shell.exists(HARBOR_YML)))
        return {
          actions: [
            {
              kind: 'fail',
              message: L(
                `${node.label}: ${HARBOR_YML} is missing; run the harbor.yml step first.`,
                `${node.label}：缺少 ${HARBOR_YML}；请先运行 harbor.yml 步骤。`,
              ),
            },
          ],
        };
      // what it is installed from, and where core's log stands before: the wait reads only what this start writes
      const [stamp, logFrom] = await Promise.all([stampOf(shell, p), coreLogSize(shell)]);
      return {
        actions: [
          // Marks the node as this app's before its containers start (preflight reads it when the stamp never came).
          { kind: 'write', path: INSTALL_STARTED, content: `${ctx.runId}\n`, mode: 0o644 },
          {
            kind: 'run',
            argv: underUtf8(['sh', '-c', 'cd "$1" && shift && ./install.sh "$@"', 'sh', HARBOR_DIR, ...v2InstallArgs(p)]),
            options: { stream: true, timeoutMs: TIMEOUTS.installScript },
          },
          { kind: 'write', path: INSTALL_STAMP, content: `${stamp}\n`, mode: 0o644 },
          {
            kind: 'wait',
            what: L('until /api/v2.0/health reports every component healthy', '直到 /api/v2.0/health 报告所有组件健康'),
            until: () => waitHealthy(ctx, node, readPurpose('install'), logFrom),
          },
        ],
        notes: [
          L(
            'install.sh stops and removes the Harbor containers on this node (docker compose down -v) before starting new ones; data stays in the data volume, the database and OSS.',
            'install.sh 会先停止并删除此节点上的 Harbor 容器（docker compose down -v），再启动新的容器；数据保留在数据卷、数据库和 OSS 中。',
          ),
          ...(node.index !== 0
            ? [L(`Runs after ${firstNode(ctx).label} has installed and is healthy.`, `在 ${firstNode(ctx).label} 安装完成并健康之后运行。`)]
            : []),
        ],
      };
    },
  });
}
