/**
 * The plan as a compact grid: a row per step, a column per node; a cluster step has one cell across
 * all columns. Every cell carries `data-step`, `data-node` and `data-status` for tests; clicking a
 * cell (or a step's title) selects it for the details and the preview. After Check plan, the cells
 * show what each step would do now (`data-check`) instead of the last run's status.
 */
import { Tag, Tooltip, Typography, theme } from 'antd';
import { memo } from 'react';
import type { Plan, PlanCheck, PlanStep, RunCell, RunView } from '../../../shared/api/contracts/deploy';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { CheckTag } from './CheckSummary';
import { CLUSTER, cellOf, progressKey, stepStatus, type Progress } from './model';
import type { Selection } from './state';
import { StatusTag } from './status';

export const SCOPE_LABEL: Record<PlanStep['scope'], MessageKey> = {
  cluster: 'walk.scope.cluster',
  'each-node': 'walk.scope.each-node',
  'first-then-rest': 'walk.scope.first-then-rest',
};

function CellView({ cell, progress }: { cell: RunCell | undefined; progress: Progress | undefined }) {
  const { pick, locale } = useI18n();
  const status = cell?.status ?? 'none';
  const pct = status === 'running' && progress && progress.total > 0 ? ` ${Math.floor((progress.done / progress.total) * 100)}%` : '';
  const why = cell?.error ?? cell?.reason;
  const times = cell?.startedAt
    ? `${new Date(cell.startedAt).toLocaleTimeString(locale)}${cell.finishedAt ? ` – ${new Date(cell.finishedAt).toLocaleTimeString(locale)}` : ''}`
    : '';
  const tag = <StatusTag status={status} compact extra={pct} />;
  if (!why && !times) return tag;
  return (
    <Tooltip
      title={
        <div>
          {why && <div>{pick(why)}</div>}
          {times && <div style={{ opacity: 0.75 }}>{times}</div>}
        </div>
      }
    >
      {tag}
    </Tooltip>
  );
}

export const StepGrid = memo(function StepGrid({
  plan,
  run,
  check,
  progress,
  selection,
  skips,
  onSelect,
}: {
  plan: Plan;
  run: RunView | null;
  /** The whole-plan check shown instead of the run, when there is one. */
  check: PlanCheck | null;
  progress: Readonly<Record<string, Progress>>;
  selection: Selection | null;
  skips: Readonly<Record<string, string>>;
  onSelect: (s: Selection) => void;
}) {
  const { t, pick } = useI18n();
  const { token } = theme.useToken();
  const border = `1px solid ${token.colorBorderSecondary}`;
  const cellStyle = (selected: boolean) => ({
    borderBottom: border,
    padding: '6px 8px',
    textAlign: 'center' as const,
    cursor: 'pointer',
    whiteSpace: 'nowrap' as const,
    outline: selected ? `2px solid ${token.colorPrimary}` : undefined,
    outlineOffset: -2,
  });
  return (
    <div style={{ overflowX: 'auto' }}>
      <table data-testid="walk-grid" className="walk-grid" style={{ color: token.colorText }}>
        <thead>
          <tr style={{ background: token.colorFillQuaternary }}>
            <th style={{ borderBottom: border, width: 36 }}>#</th>
            <th style={{ borderBottom: border, textAlign: 'start' }}>{t('walk.grid.step')}</th>
            {plan.nodes.map((n) => (
              <th key={n.id} style={{ borderBottom: border }} data-testid="walk-grid-node" data-node={n.id}>
                <Typography.Text ellipsis style={{ maxWidth: 200 }} title={n.label}>
                  {n.label}
                </Typography.Text>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {plan.steps.map((s, i) => {
            const selectedRow = selection?.stepId === s.id;
            const ids = s.scope === 'cluster' ? [CLUSTER] : plan.nodes.map((n) => n.id);
            return (
              <tr
                key={s.id}
                data-testid="walk-step"
                data-step={s.id}
                data-status={stepStatus(run, s.id)}
                style={selectedRow ? { background: token.colorPrimaryBg } : undefined}
              >
                <td style={{ borderBottom: border, textAlign: 'center', color: token.colorTextSecondary }}>{i + 1}</td>
                <td
                  style={{ borderBottom: border, cursor: 'pointer', padding: '6px 8px' }}
                  onClick={() =>
                    onSelect({
                      stepId: s.id,
                      nodeId:
                        s.scope === 'cluster'
                          ? CLUSTER
                          : selection?.nodeId && selection.nodeId !== CLUSTER
                            ? selection.nodeId
                            : (plan.nodes[0]?.id ?? CLUSTER),
                    })
                  }
                  data-testid="walk-step-title"
                >
                  <Typography.Text strong>{pick(s.title)}</Typography.Text>{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(SCOPE_LABEL[s.scope])}
                  </Typography.Text>
                  {skips[s.id] !== undefined && (
                    <Tag color="default" style={{ marginInlineStart: 8 }} data-testid="walk-skip-planned">
                      {t('walk.skip.planned')}
                    </Tag>
                  )}
                </td>
                {ids.map((nodeId) => (
                  <td
                    key={nodeId}
                    colSpan={nodeId === CLUSTER ? Math.max(1, plan.nodes.length) : 1}
                    style={cellStyle(selectedRow && selection?.nodeId === nodeId)}
                    onClick={() => onSelect({ stepId: s.id, nodeId })}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        onSelect({ stepId: s.id, nodeId });
                      }
                    }}
                    tabIndex={0}
                    data-testid="walk-cell"
                    data-step={s.id}
                    data-node={nodeId}
                    data-status={cellOf(run, s.id, nodeId)?.status ?? 'none'}
                    data-check={check?.cells[s.id]?.[nodeId]?.status ?? ''}
                  >
                    {check?.cells[s.id]?.[nodeId] ? (
                      <CheckTag plan={plan} cell={check.cells[s.id]![nodeId]!} />
                    ) : (
                      <CellView cell={cellOf(run, s.id, nodeId)} progress={progress[progressKey(s.id, nodeId)]} />
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
