/**
 * Harbor stopped on every node, for the day-two operations that must change what every core reads while none runs: a
 * restore replaces the database, an upgrade migrates its schema (node 1's new core does it, and an old core still
 * running would work on a schema it does not know).
 */
import type { Localized } from '../../../../../shared/i18n/localized';
import { planned, readShell } from '../../../deploy/plan';
import type { Step } from '../../../deploy/step';
import type { HarborAdapter } from '../../adapter';
import type { HarborEnv } from '../../env';
import { L, type Ctx } from '../context';
import { composeCommand } from '../../node';
import { HARBOR_DIR } from '../paths';
import { containerStates } from './nodes';

/** `why`: what would go wrong with a core running, for the step's explanation. */
export function stopStep(adapter: HarborAdapter, o: { readonly id: string; readonly why: Localized }): Step<HarborEnv> {
  const running = async (ctx: Ctx) => {
    const states = await containerStates(readShell(ctx, o.id));
    return adapter.containers(ctx.profile).filter((c) => states.get(c)?.state === 'running');
  };
  return planned<HarborEnv>({
    id: o.id,
    title: L('Stop Harbor on every node', '停止每个节点上的 Harbor'),
    explain: L(
      `Stops Harbor's containers on every node (docker compose down in ${HARBOR_DIR}, or docker stop when there is no compose file) before any of them starts again: ${o.why.en}. The data volume, the configuration and the images stay; the install step starts Harbor again, node 1 first.`,
      `在任何节点再次启动之前，停止每个节点上的 Harbor 容器（在 ${HARBOR_DIR} 中执行 docker compose down；没有 compose 文件时执行 docker stop）：${o.why['zh-CN']}。数据卷、配置和镜像保持不变；安装步骤会再次启动 Harbor，先节点 1。`,
    ),
    scope: 'each-node',
    disrupts: true,
    async check(ctx) {
      const up = await running(ctx);
      return up.length
        ? { done: false, disruptive: true, reason: L(`running: ${up.join(', ')}`, `正在运行：${up.join('、')}`) }
        : { done: true, reason: L('no Harbor container runs here', '此处没有运行中的 Harbor 容器') };
    },
    async plan(ctx) {
      const up = await running(ctx);
      if (!up.length) return { actions: [], notes: [L('Nothing runs here.', '此处没有运行中的容器。')] };
      const hasCompose = await readShell(ctx, o.id).exists(`${HARBOR_DIR}/docker-compose.yml`);
      const argv = hasCompose
        ? ['sh', '-c', 'cd "$1" && shift && exec "$@" down', 'sh', HARBOR_DIR, ...composeCommand(ctx.profile)]
        : ['docker', 'stop', ...up];
      return { actions: [{ kind: 'run', argv, options: { stream: true }, done: L('Harbor stopped', 'Harbor 已停止') }] };
    },
  });
}
