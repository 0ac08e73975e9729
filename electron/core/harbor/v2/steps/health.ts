/** Harbor's answers on a node: its health, and core's own fatal errors while it will not start. */
import { deployError, type NodeShell } from '../../../deploy/remote';
import type { NodeRef } from '../../../deploy/step';
import { httpRequest } from '../../../probe/http';
import { nodeOf } from '../../common/steps/nodes';
import { TIMEOUTS } from '../../common/timeouts';
import { sleep } from '../../../deploy/wait';
import { HARBOR_LOG_DIR, parseV2Health } from '../../node';
import { nodeUrl } from '../../common/verify/endpoints';
import { type Ctx, L } from './context';

/** Harbor core's log on a node. */
export const CORE_LOG = `${HARBOR_LOG_DIR}/core.log`;

// ───────────────────────────── Harbor's answers on a node ─────────────────────────────

export interface Health {
  readonly healthy: boolean;
  /** Nothing behind nginx answers (or nothing answers at all): core is starting or has stopped. */
  readonly coreDown?: boolean;
  readonly detail: string;
}

/** /api/v2.0/health asked by the node itself (its HTTP status is always 200: the body decides). */
export async function nodeHealth(ctx: Ctx, node: NodeRef, stepId: string): Promise<Health> {
  const p = ctx.profile;
  const n = nodeOf(ctx, node);
  const { base, port } = nodeUrl(p);
  try {
    const { client } = await ctx.shell(node, stepId, ctx).connection();
    const r = await httpRequest(`${base}/api/v2.0/health`, {
      via: { client, from: node.label },
      connectTo: { host: n.privateAddress ?? n.host, port },
      insecure: true,
      timeoutMs: TIMEOUTS.healthProbe,
    });
    // nginx answers 502/503 while core is not running (starting, or stopped by a fatal error)
    if (r.status >= 500) return { healthy: false, coreDown: true, detail: `HTTP ${r.status}: core is not answering` };
    const h = parseV2Health(r.body.toString());
    if (!h) return { healthy: false, detail: `HTTP ${r.status}: no health answer` };
    return { healthy: h.healthy, detail: h.detail };
  } catch (error) {
    return { healthy: false, coreDown: true, detail: `no answer (${(error as Error).message})` };
  }
}

/** The size of core's log before a (re)start: the wait then reads only what that start wrote. */
export async function coreLogSize(shell: NodeShell): Promise<number> {
  const r = await shell.run(['sh', '-c', 'stat -c %s "$1" 2>/dev/null || echo 0', 'sh', CORE_LOG]);
  return Number.parseInt(r.stdout.trim(), 10) || 0;
}

/** The last fatal errors core logged since `from` (it logs one and stops, and docker starts it again). */
export async function coreFatal(shell: NodeShell, from: number): Promise<string | null> {
  const r = await shell.run([
    'sh',
    '-c',
    'tail -c +"$2" "$1" 2>/dev/null | grep -a "\\[FATAL\\]" | tail -n 1',
    'sh',
    CORE_LOG,
    String(from + 1),
  ]);
  const line = r.stdout.trim();
  return line ? line.replace(/^.*?\[FATAL\]\s*(\[[^\]]*\]:?\s*)?/, '') : null;
}

/**
 * Waits until Harbor's health reports every component healthy. When core keeps not answering while its log shows a
 * fatal error written since `coreLogFrom` for longer than a restart or two, the wait ends at once with that error
 * instead of running out its time (a core that cannot start never gets healthy).
 */
export async function waitHealthy(
  ctx: Ctx,
  node: NodeRef,
  stepId: string,
  coreLogFrom: number,
  timeoutMs: number = TIMEOUTS.healthyAfterInstall,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const shell = ctx.shell(node, stepId, ctx);
  let last = '';
  let fatalSince: number | null = null;
  for (;;) {
    const h = await nodeHealth(ctx, node, stepId);
    if (h.healthy) {
      ctx.log.line(L(`${node.label}: /api/v2.0/health: every component healthy`, `${node.label}：/api/v2.0/health：所有组件均健康`));
      return;
    }
    if (h.detail !== last)
      ctx.log.line(L(`${node.label}: waiting for Harbor to be healthy: ${h.detail}`, `${node.label}：等待 Harbor 健康：${h.detail}`));
    last = h.detail;
    const fatal = h.coreDown ? await coreFatal(shell, coreLogFrom) : null;
    fatalSince = fatal ? (fatalSince ?? Date.now()) : null;
    if (fatal && Date.now() - fatalSince! >= TIMEOUTS.coreFatalGrace) {
      throw deployError(
        node.label,
        L(
          `${node.label}: Harbor's core stops at start: ${fatal} (${CORE_LOG} on the node). Fix the cause, then run this step again.`,
          `${node.label}：Harbor core 启动时停止：${fatal}（见节点上的 ${CORE_LOG}）。请修复原因后重新运行此步骤。`,
        ),
      );
    }
    if (Date.now() > deadline || ctx.signal.aborted) {
      throw deployError(
        node.label,
        L(
          `${node.label}: Harbor did not become healthy within ${Math.round(timeoutMs / 1000)} s: ${h.detail}. Look at ${CORE_LOG} on the node.`,
          `${node.label}：Harbor 在 ${Math.round(timeoutMs / 1000)} 秒内未恢复健康：${h.detail}。请查看节点上的 ${CORE_LOG}。`,
        ),
      );
    }
    await sleep(TIMEOUTS.poll, ctx.signal);
  }
}
