/**
 * An upgrade of a Harbor 2.x cluster to a newer 2.y as a plan of the deployment engine (operation `upgrade`). The
 * maintenance service has saved the new version and installer into the profile, so the plan is the deployment's for
 * that version, with what an upgrade adds: the running version checked first (what the cluster runs is the version the
 * profile named before, and the hop goes forward), the backup the rollback restores (or its skip, with the operator's
 * reason), and every node stopped just before node 1 installs: node 1's new core applies the schema migrations at its
 * first start (Harbor's own migration files, under a lock), and an old core still running would work on a schema it
 * does not know. harbor.yml is rendered from the new installer's own template and the profile (the config step shows
 * the diff), which is what `prepare migrate` would produce from the old file, without carrying its mistakes forward.
 */
import type { Profile } from '../../../../shared/profile';
import { after, type CheckResult, type Step } from '../../deploy/step';
import { readOnly, readShell } from '../../deploy/plan';
import type { BackupRunInput } from '../../maintenance/backup-run';
import type { HarborAdapter } from '../adapter';
import { backupSteps } from '../backup/steps';
import { L, type Ctx } from '../common/context';
import { stopStep } from '../common/steps/stop';
import type { HarborEnv } from '../env';
import { compareVersions, supportedHop } from './versions';

/** What the maintenance service starts an upgrade run with (StartRequest.input). */
export interface UpgradeRunInput {
  readonly kind: 'upgrade';
  /** The version the cluster runs, which the profile named before this upgrade. */
  readonly from: string;
  readonly backup: BackupRunInput | { readonly skipped: string };
}

function inputOf(ctx: Ctx): UpgradeRunInput {
  const i = ctx.input as UpgradeRunInput | undefined;
  if (i?.kind !== 'upgrade') throw new Error('an upgrade run needs its input (maintenance.upgrade)');
  return i;
}

/** The Harbor version a node runs, from its core container's image tag; null when Harbor is not there. */
async function runningVersion(ctx: Ctx): Promise<string | null> {
  const r = await readShell(ctx, 'upgrade-check').run(['docker', 'inspect', '-f', '{{.Config.Image}}', 'harbor-core']);
  const tag = r.code === 0 ? /:v?(\d+\.\d+\.\d+)\s*$/.exec(r.stdout.trim())?.[1] : undefined;
  return tag ?? null;
}

function checkStep(): Step<HarborEnv> {
  return readOnly<HarborEnv>({
    id: 'upgrade-check',
    title: L('Check the versions', '检查版本'),
    explain: L(
      "Changes nothing. Every node runs the version the upgrade starts from (the tag of its harbor-core image), and the hop goes forward within 2.x: Harbor's core applies every newer schema migration at its first start, and its prepare migrates harbor.yml from 1.9 on, but nothing goes back, which is why the backup comes first. The new installer's sha256 is computed and shown; the installer step checks each node's copy against it.",
      '不做任何修改。检查每个节点运行的都是升级的起始版本（其 harbor-core 镜像的标签），且升级方向是 2.x 内向前：Harbor core 首次启动时会执行所有更新的数据库结构迁移，其 prepare 可迁移 1.9 起的 harbor.yml，但都不能回退，所以要先备份。计算并显示新安装包的 sha256；安装包步骤会用它校验每个节点上的副本。',
    ),
    scope: 'each-node',
    gate: true,
    reads: L("Reads each node's harbor-core image.", '读取每个节点的 harbor-core 镜像。'),
    failReason: 'upgrade_check',
    async check(ctx): Promise<CheckResult> {
      const { from } = inputOf(ctx);
      const to = ctx.profile.harbor.version;
      const hop = supportedHop(from, to);
      if (hop) return { done: false, field: 'harbor.version', reason: hop };
      const running = await runningVersion(ctx);
      if (running === null)
        return {
          done: false,
          reason: L(
            `Harbor does not run here: an upgrade starts from a serving cluster. Deploy Harbor ${from} first, or deploy ${to} directly.`,
            `此处没有运行 Harbor：升级须从正在服务的集群开始。请先部署 Harbor ${from}，或直接部署 ${to}。`,
          ),
        };
      if (compareVersions(running, from) !== 0)
        return {
          done: false,
          reason: L(
            `Runs Harbor ${running}, not ${from} which the profile named: a node left behind by an earlier upgrade. Bring every node to ${from} first (deploy the profile at ${from}).`,
            `运行的是 Harbor ${running}，而不是集群配置之前所写的 ${from}：可能是之前的升级遗留的节点。请先将所有节点统一到 ${from}（按 ${from} 部署集群配置）。`,
          ),
        };
      const installer = await ctx.installer();
      return {
        done: true,
        reason: L(
          `runs ${running}; goes to ${to} (${installer.name}, sha256 ${installer.sha256.slice(0, 16)}…)`,
          `运行 ${running}；升级到 ${to}（${installer.name}，sha256 ${installer.sha256.slice(0, 16)}…）`,
        ),
      };
    },
  });
}

/**
 * The upgrade plan of a profile: the check, the backup (its input the upgrade's), then the deployment's plan with
 * every node stopped right before the install (node 1 first, its core migrating the schema, then the others).
 */
export function upgradeSteps(p: Profile, adapter: HarborAdapter): Step<HarborEnv>[] {
  const deploy = adapter.steps(p);
  const at = deploy.findIndex((s) => s.id === 'install');
  if (at < 0) throw new Error(`the ${p.harbor.generation} plan has no install step to upgrade with`);
  const stop = after(
    stopStep(adapter, {
      id: 'upgrade-stop',
      why: L(
        "node 1's new core migrates the database schema at its first start, and an old core still running would read and write a schema it does not know",
        '节点 1 上的新 core 首次启动时会迁移数据库结构，仍在运行的旧 core 会读写它不认识的结构',
      ),
    }),
    ['unpack', 'config', 'secrets'],
  );
  const install = deploy[at]!;
  return [
    checkStep(),
    ...backupSteps(adapter, (ctx) => inputOf(ctx).backup),
    ...deploy.slice(0, at),
    stop,
    after(install, [...(install.dependsOn ?? []), 'upgrade-stop']),
    ...deploy.slice(at + 1),
  ];
}
