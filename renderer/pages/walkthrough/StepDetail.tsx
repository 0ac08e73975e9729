/**
 * The selected step: its plain-language explanation, its status on the selected node (with the
 * error and the node's last log lines when it failed), the step's own actions (run only this step,
 * skip it with a reason, retry this node) and the preview of what it would do there.
 */
import { PlayCircleOutlined, RedoOutlined, StepForwardOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Segmented, Space, Tag, Tooltip, Typography, theme } from 'antd';
import type { LogLine, Plan, PlanStep, RunView } from '../../../shared/api/contracts/deploy';
import type { RunOptions } from './state';
import { useI18n } from '../../i18n';
import { CLUSTER, cellOf, lastLines } from './model';
import { editFieldHref } from './outcome';
import { PreviewPanel } from './PreviewPanel';
import { RichText } from './RichText';
import type { Selection } from './state';
import { SCOPE_LABEL } from './StepGrid';
import { StatusTag } from './status';

export function StepDetail({
  profileId,
  plan,
  step,
  index,
  selection,
  run,
  log,
  previewVersion,
  options,
  canRun,
  skipReason,
  onSelect,
  onRunStep,
  onSkip,
  onUnskip,
  onRetryNode,
}: {
  profileId: string;
  plan: Plan;
  step: PlanStep;
  index: number;
  selection: Selection;
  run: RunView | null;
  log: readonly LogLine[];
  previewVersion: number;
  /** The options the next run gets: the preview shows that run. */
  options: RunOptions;
  canRun: boolean;
  skipReason: string | undefined;
  onSelect: (s: Selection) => void;
  onRunStep: (stepId: string) => void;
  onSkip: (stepId: string) => void;
  onUnskip: (stepId: string) => void;
  onRetryNode: (nodeId: string) => void;
}) {
  const { t, pick, locale } = useI18n();
  const { token } = theme.useToken();
  const nodeId = step.scope === 'cluster' ? CLUSTER : selection.nodeId === CLUSTER ? (plan.nodes[0]?.id ?? CLUSTER) : selection.nodeId;
  const cell = cellOf(run, step.id, nodeId);
  const status = cell?.status ?? 'none';
  const where = nodeId === CLUSTER ? t('walk.detail.cluster') : (plan.nodes.find((n) => n.id === nodeId)?.label ?? nodeId);
  const tail = status === 'failed' || status === 'interrupted' ? lastLines(log, step.id, nodeId, 12) : [];
  const time = (iso: string) => new Date(iso).toLocaleTimeString(locale, { hour12: false });

  return (
    <Card
      size="small"
      data-testid="walk-detail"
      data-step={step.id}
      data-node={nodeId}
      title={
        <Space wrap>
          <span>
            {index + 1}. {pick(step.title)}
          </span>
          <Tag>{t(SCOPE_LABEL[step.scope])}</Tag>
        </Space>
      }
      extra={
        <Space wrap>
          <Tooltip title={t('walk.action.runStep.help')}>
            <Button
              size="small"
              icon={<PlayCircleOutlined />}
              disabled={!canRun}
              onClick={() => onRunStep(step.id)}
              data-testid="walk-run-step"
            >
              {t('walk.action.runStep')}
            </Button>
          </Tooltip>
          {skipReason === undefined ? (
            <Tooltip title={t('walk.action.skip.help')}>
              <Button
                size="small"
                icon={<StepForwardOutlined />}
                disabled={!canRun}
                onClick={() => onSkip(step.id)}
                data-testid="walk-skip"
              >
                {t('walk.action.skip')}
              </Button>
            </Tooltip>
          ) : (
            <Button size="small" onClick={() => onUnskip(step.id)} data-testid="walk-unskip">
              {t('walk.action.unskip')}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph data-testid="walk-explain" style={{ marginBottom: 12 }}>
        <RichText text={pick(step.explain)} />
      </Typography.Paragraph>
      {skipReason !== undefined && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('walk.skip.plannedWhy', { reason: skipReason })} />
      )}
      {step.scope !== 'cluster' && plan.nodes.length > 0 && (
        <Segmented
          data-testid="walk-detail-node"
          style={{ marginBottom: 12 }}
          value={nodeId}
          onChange={(v) => onSelect({ stepId: step.id, nodeId: String(v) })}
          options={plan.nodes.map((n) => ({ value: n.id, label: n.label }))}
        />
      )}
      <div data-testid="walk-detail-cell" data-status={status} style={{ marginBottom: 12 }}>
        <Space wrap>
          <Typography.Text type="secondary">{where}:</Typography.Text>
          <StatusTag status={status} />
          {cell?.startedAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {time(cell.startedAt)}
              {cell.finishedAt ? ` – ${time(cell.finishedAt)}` : ''}
            </Typography.Text>
          )}
          {(status === 'failed' || status === 'interrupted') && nodeId !== CLUSTER && (
            <Button
              size="small"
              type="primary"
              icon={<RedoOutlined />}
              disabled={!canRun || !run}
              onClick={() => onRetryNode(nodeId)}
              data-testid="walk-retry-node"
            >
              {t('walk.action.retryNode')}
            </Button>
          )}
        </Space>
        {cell?.reason && !cell.error && (
          <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }} data-testid="walk-detail-reason">
            {pick(cell.reason)}
          </Typography.Paragraph>
        )}
        {cell?.error && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 8 }}
            data-testid="walk-detail-error"
            title={pick(cell.error)}
            action={
              cell.field && (
                <Button size="small" href={editFieldHref(profileId, cell.field)} data-testid="walk-detail-edit-field">
                  {t('walk.failures.editField')}
                </Button>
              )
            }
          />
        )}
        {tail.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t('walk.detail.lastLines')}</Typography.Text>
            <pre
              className="walk-code"
              style={{ borderColor: token.colorBorderSecondary, background: token.colorFillQuaternary, color: token.colorText }}
            >
              {tail.map((l) => pick(l.line)).join('\n')}
            </pre>
          </div>
        )}
      </div>
      <PreviewPanel
        profileId={profileId}
        stepId={step.id}
        nodeId={nodeId === CLUSTER ? undefined : nodeId}
        options={options}
        version={previewVersion}
      />
    </Card>
  );
}
