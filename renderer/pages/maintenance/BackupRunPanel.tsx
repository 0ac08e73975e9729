/**
 * One maintenance run (a backup or a restore) as it happens: its steps (the core's titles) with their status and reason, the progress of the
 * transfer or the verification, and the newest log lines; Resume (asking the passphrase again) for the newest run
 * that failed or was interrupted, Cancel while it runs. The events come through deploy.events, as the walkthrough's.
 */
import { Button, Card, Progress, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import type { CellStatus, LogLine, OperationId, Plan, ProgressReport, RunEvent, RunView } from '../../../shared/api/contracts/deploy';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { formatBytes } from '../walkthrough/model';
import { RunStateTag, StatusTag } from '../walkthrough/status';
import { useRunEvents } from '../walkthrough/useRunEvents';

/** Each maintenance operation's run title (a backup's is the plain one). */
const RUN_TITLES: Readonly<Record<OperationId, 'maint.run.title' | `maint.run.title.${'restore' | 'upgrade' | 'rotate-cert'}`>> = {
  deploy: 'maint.run.title',
  backup: 'maint.run.title',
  restore: 'maint.run.title.restore',
  upgrade: 'maint.run.title.upgrade',
  'rotate-cert': 'maint.run.title.rotate-cert',
};

/** A node step's status as one: the worst of its nodes' (failed before running before pending before done). */
function overall(statuses: readonly CellStatus[]): CellStatus {
  for (const s of ['failed', 'interrupted', 'running', 'blocked', 'pending'] as const) if (statuses.includes(s)) return s;
  return statuses[0] ?? 'pending';
}

/** The newest lines shown; the whole log stays in the run's file (deploy.run). */
const SHOWN_LINES = 200;

interface Live {
  readonly run: RunView;
  readonly log: readonly LogLine[];
  readonly progress: ProgressReport | null;
}

function apply(live: Live | null, events: readonly RunEvent[]): Live | null {
  let next = live;
  for (const e of events) {
    if (e.kind === 'snapshot') next = { run: e.run, log: e.log.slice(-SHOWN_LINES), progress: e.progress?.at(-1) ?? null };
    if (!next) continue;
    if (e.kind === 'cell')
      next = {
        ...next,
        run: { ...next.run, cells: { ...next.run.cells, [e.stepId]: { ...next.run.cells[e.stepId], [e.nodeId]: e.cell } } },
      };
    else if (e.kind === 'log') next = { ...next, log: [...next.log, e.entry].slice(-SHOWN_LINES) };
    else if (e.kind === 'progress') next = { ...next, progress: e };
    else if (e.kind === 'state') next = { ...next, run: { ...next.run, state: e.state, active: e.active } };
  }
  return next;
}

export function BackupRunPanel({
  runId,
  plans,
  newest,
  onEnded,
  onResume,
  onRollback,
  onError,
}: {
  runId: string;
  /** The plans of the page's operations: the run's gives its step titles and node labels. */
  plans: Partial<Record<OperationId, Plan>>;
  /** Only the newest run may be resumed. */
  newest: boolean;
  onEnded: () => void;
  onResume: (runId: string) => void;
  /** A failed upgrade's rollback (its own backup restored, the old version reinstalled). */
  onRollback?: (runId: string) => void;
  onError: (e: unknown) => void;
}) {
  const { t, pick, locale } = useI18n();
  const api = useApi();
  const [live, setLive] = useState<Live | null>(null);
  const onEvents = useCallback(
    (id: string, events: readonly RunEvent[]) => {
      if (id !== runId) return;
      setLive((prev) => apply(prev, events));
      if (events.some((e) => e.kind === 'state' && !e.active)) onEnded();
    },
    [runId, onEnded],
  );
  useRunEvents(runId, onEvents, onError);
  if (!live) return <Card loading data-testid="maint-run" />;
  const { run, log, progress } = live;
  const plan = plans[run.operation];
  const title = (stepId: string) => plan?.steps.find((s) => s.id === stepId)?.title;
  const label = (nodeId: string) => plan?.nodes.find((n) => n.id === nodeId)?.label ?? nodeId;
  const resumable = newest && !run.active && (run.state === 'failed' || run.state === 'interrupted');
  return (
    <Card
      data-testid="maint-run"
      data-run={run.runId}
      data-state={run.state}
      data-active={run.active ? 'true' : 'false'}
      size="small"
      title={
        <Space>
          {t(RUN_TITLES[run.operation], { time: new Date(run.createdAt).toLocaleString(locale) })}
          <RunStateTag state={run.state} testId="maint-run-state" />
        </Space>
      }
      extra={
        <Space>
          {run.active && (
            <Button size="small" data-testid="maint-cancel" onClick={() => void api.call('deploy.cancel', { runId }).catch(onError)}>
              {t('maint.backup.cancel')}
            </Button>
          )}
          {resumable && run.operation === 'upgrade' && onRollback && (
            <Button size="small" danger data-testid="maint-rollback" onClick={() => onRollback(runId)}>
              {t('maint.rollback')}
            </Button>
          )}
          {resumable && (
            <Button size="small" type="primary" data-testid="maint-resume" onClick={() => onResume(runId)}>
              {t('maint.backup.resume')}
            </Button>
          )}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {run.steps.map((stepId) => {
          const cells = run.cells[stepId] ?? {};
          const cluster = cells['*'];
          const name = title(stepId);
          // A cluster step has one cell ('*'); a node step (a restore's) one per node, each shown with its node.
          const nodeCells = cluster ? [] : Object.entries(cells);
          const status = cluster?.status ?? overall(nodeCells.map(([, c]) => c.status));
          const why = cluster?.error ?? cluster?.reason;
          return (
            <div key={stepId} data-testid="maint-step" data-step={stepId} data-status={status}>
              <Space align="start">
                <StatusTag status={status} />
                <Typography.Text strong>{name ? pick(name) : stepId}</Typography.Text>
              </Space>
              {why && (
                <Typography.Paragraph
                  type={cluster?.error ? 'danger' : 'secondary'}
                  style={{ margin: '4px 0 0 0', whiteSpace: 'pre-wrap' }}
                >
                  {pick(why)}
                </Typography.Paragraph>
              )}
              {nodeCells.map(([nodeId, c]) => {
                const because = c.error ?? c.reason;
                return (
                  <div key={nodeId} className="maint-node-cell" data-testid="maint-node-cell" data-node={nodeId} data-status={c.status}>
                    <Typography.Text type="secondary">{label(nodeId)}</Typography.Text> <StatusTag status={c.status} />
                    {because && (
                      <Typography.Text type={c.error ? 'danger' : 'secondary'} style={{ whiteSpace: 'pre-wrap' }}>
                        {pick(because)}
                      </Typography.Text>
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
        {run.active && progress && progress.total > 0 && (
          <div data-testid="maint-progress">
            <Progress percent={Math.floor((progress.done / progress.total) * 100)} size="small" />
            <Typography.Text type="secondary">
              {formatBytes(progress.done)} / {formatBytes(progress.total)}
            </Typography.Text>
          </div>
        )}
        <Typography.Text type="secondary">{t('maint.run.log')}</Typography.Text>
        <pre className="maint-log" data-testid="maint-log">
          {log.map((l) => `${l.time.slice(11, 19)} ${pick(l.line)}`).join('\n')}
        </pre>
      </Space>
    </Card>
  );
}
