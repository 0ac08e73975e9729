/** What a node shows of itself: its containers, its proxy log (which node served a request) and Harbor's log tails. */
import type { NodeShell } from '../../../deploy/remote';
import type { NodeRef } from '../../../deploy/step';
import { readShell } from '../../../deploy/plan';
import { HARBOR_LOG_DIR, harborContainers } from '../../node';
import { type Ctx, L } from '../context';
import { containerStates } from '../steps/nodes';
import type { Check, VerifySpec } from './check';

export async function containerChecks(ctx: Ctx, spec: VerifySpec, node: NodeRef): Promise<Check> {
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
export async function servedBy(shell: NodeShell, needle: string): Promise<number> {
  const r = await shell.run(['grep', '-c', '-F', '--', needle, `${HARBOR_LOG_DIR}/proxy.log`]);
  return Number.parseInt(r.stdout.trim(), 10) || 0;
}

/** The last lines of Harbor's logs on a node, for the live log after a failure. */
export async function harborLogTail(shell: NodeShell): Promise<string> {
  const r = await shell.run([
    'sh',
    '-c',
    'for f in "$1"/*.log; do [ -f "$f" ] || continue; echo "== $f"; tail -n 15 -- "$f"; done',
    'sh',
    HARBOR_LOG_DIR,
  ]);
  return r.stdout;
}
