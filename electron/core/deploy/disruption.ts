/**
 * The serving nodes a run would stop (a reinstall of a running Harbor) and how long each is expected to be down:
 * what a run asks the operator's consent for before anything changes (deploy.start's `confirmDisruption`).
 */
import type { CheckCell, Disruption, Downtime } from '../../../shared/api/contracts/deploy';
import { ApiError } from '../../../shared/errors';
import { type Localized, L } from '../../../shared/i18n/localized';
import type { Journal } from './journal';
import type { NodeRef, Step } from './step';

/**
 * Stated when no run of this profile has applied the step yet: install.sh stops the containers, prepare renders the
 * configuration and the containers start again, then the step waits until the node answers (1–3 minutes on the lab
 * and on the runbook's 4-core nodes).
 */
export const ESTIMATED_DOWNTIME_SECONDS = 120;

/**
 * How long the step kept a node busy the last time a run applied it (journals newest first): on this node if it has
 * been applied there, else on any node; else the stated estimate.
 */
export function expectedDowntime(journals: readonly Journal[], stepId: string, nodeId: string): Downtime {
  const applied = (j: Journal, id: string) => {
    const c = j.cells[stepId]?.[id];
    if (c?.status !== 'succeeded' || !c.startedAt || !c.finishedAt) return null;
    const ms = Date.parse(c.finishedAt) - Date.parse(c.startedAt);
    return Number.isFinite(ms) && ms >= 0 ? Math.max(1, Math.round(ms / 1000)) : null;
  };
  for (const ids of [[nodeId], null]) {
    for (const j of journals) {
      for (const id of ids ?? Object.keys(j.cells[stepId] ?? {})) {
        const seconds = applied(j, id);
        if (seconds !== null) return { seconds, source: 'measured', runId: j.runId, nodeId: id };
      }
    }
  }
  return { seconds: ESTIMATED_DOWNTIME_SECONDS, source: 'estimate' };
}

/** The disruptive cells of a check, as consent asks for them. */
export function disruptionsOf<C>(
  steps: readonly Step<C>[],
  nodes: readonly NodeRef[],
  cells: Readonly<Record<string, Readonly<Record<string, CheckCell>>>>,
  journals: readonly Journal[],
): Disruption[] {
  const out: Disruption[] = [];
  for (const s of steps.filter((x) => x.disrupts)) {
    for (const n of nodes) {
      const c = cells[s.id]?.[n.id];
      if (c?.status === 'will-change' && c.disruptive)
        out.push({ nodeId: n.id, label: n.label, stepId: s.id, downtime: expectedDowntime(journals, s.id, n.id) });
    }
  }
  return out;
}

/** "about 42 s (measured on node-1 in run …)" in both languages. */
export function downtimeText(d: Downtime, label: (nodeId: string) => string): Localized {
  const long = d.seconds >= 90;
  const amount = long
    ? L(`about ${Math.round(d.seconds / 60)} min`, `约 ${Math.round(d.seconds / 60)} 分钟`)
    : L(`about ${d.seconds} s`, `约 ${d.seconds} 秒`);
  const from =
    d.source === 'measured'
      ? L(`measured on ${label(d.nodeId ?? '')} in run ${d.runId ?? ''}`, `在运行 ${d.runId ?? ''} 中于 ${label(d.nodeId ?? '')} 上实测`)
      : L('an estimate: no run has reinstalled a node yet', '估计值：尚无运行重新安装过节点');
  return L(`${amount.en} (${from.en})`, `${amount['zh-CN']}（${from['zh-CN']}）`);
}

/** The refusal of a run that would stop serving nodes the operator has not agreed to. */
export function disruptionRefusal(missing: readonly Disruption[], label: (nodeId: string) => string): ApiError {
  const lines = missing.map((d) => ({ d, t: downtimeText(d.downtime, label) }));
  return new ApiError({
    code: 'confirmation_required',
    reason: 'disruption',
    message: L(
      `This run reinstalls Harbor on nodes that are serving now, stopping each one in turn: ${lines.map(({ d, t }) => `${d.label} for ${t.en}`).join('; ')}. The load balancer keeps the other nodes. Confirm these nodes to go on (confirmDisruption: ${missing.map((d) => d.nodeId).join(', ')}).`,
      `此次运行会在正在提供服务的节点上重新安装 Harbor，逐个停止：${lines.map(({ d, t }) => `${d.label} 停止${t['zh-CN']}`).join('；')}。负载均衡会使用其他节点。请确认这些节点后继续（confirmDisruption：${missing.map((d) => d.nodeId).join('、')}）。`,
    ),
  });
}
