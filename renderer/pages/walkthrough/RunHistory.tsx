/**
 * The runs of the profile, newest first: open one to see its grid and log, resume the newest when it was
 * interrupted or failed (an older one says why it cannot be).
 */
import { Badge, Button, Space, Table, Tag, Typography } from 'antd';
import type { CellStatus, RunView } from '../../../shared/api/contracts/deploy';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { counts } from './model';
import { newestRunId } from './outcome';
import { RunStateTag } from './status';

const SHOWN: readonly { status: CellStatus; color: string; label: MessageKey }[] = [
  { status: 'succeeded', color: 'success', label: 'walk.status.succeeded' },
  { status: 'unchanged', color: 'cyan', label: 'walk.status.unchanged' },
  { status: 'passed', color: 'success', label: 'walk.status.passed' },
  { status: 'failed', color: 'error', label: 'walk.status.failed' },
  { status: 'blocked', color: 'warning', label: 'walk.status.blocked' },
  { status: 'interrupted', color: 'warning', label: 'walk.status.interrupted' },
  { status: 'skipped', color: 'default', label: 'walk.status.skipped' },
  { status: 'pending', color: 'default', label: 'walk.status.pending' },
];

export function RunHistory({
  runs,
  currentRunId,
  canRun,
  onOpen,
  onResume,
}: {
  runs: readonly RunView[] | null;
  currentRunId: string | null;
  canRun: boolean;
  onOpen: (runId: string) => void;
  onResume: (runId: string) => void;
}) {
  const { t, locale } = useI18n();
  const newest = newestRunId(runs);
  return (
    <Table<RunView>
      data-testid="walk-history"
      size="small"
      rowKey="runId"
      loading={runs === null}
      dataSource={runs ? [...runs] : []}
      pagination={{ pageSize: 8, showSizeChanger: false, hideOnSinglePage: true }}
      locale={{ emptyText: t('walk.history.empty') }}
      onRow={(r) =>
        ({
          'data-testid': 'walk-history-row',
          'data-run': r.runId,
          'data-state': r.state,
          'data-active': r.active ? 'true' : 'false',
        }) as never
      }
      rowClassName={(r) => (r.runId === currentRunId ? 'walk-history-current' : '')}
      columns={[
        { title: t('walk.history.started'), dataIndex: 'createdAt', width: 190, render: (v: string) => new Date(v).toLocaleString(locale) },
        {
          title: t('walk.history.state'),
          dataIndex: 'state',
          width: 150,
          render: (_: unknown, r) => (
            <Space size={4}>
              <RunStateTag state={r.state} />
              {r.active && <Badge status="processing" />}
            </Space>
          ),
        },
        {
          title: t('walk.history.cells'),
          render: (_: unknown, r) => {
            const c = counts(r);
            return (
              <Space size={2} wrap>
                {SHOWN.filter((s) => c[s.status]).map((s) => (
                  <Tag key={s.status} color={s.color}>
                    {t(s.label)} {c[s.status]}
                  </Tag>
                ))}
              </Space>
            );
          },
        },
        { title: t('walk.history.updated'), dataIndex: 'updatedAt', width: 190, render: (v: string) => new Date(v).toLocaleString(locale) },
        {
          title: '',
          width: 240,
          render: (_: unknown, r) => (
            <Space>
              <Button
                size="small"
                type={r.runId === currentRunId ? 'default' : 'link'}
                disabled={r.runId === currentRunId}
                onClick={() => onOpen(r.runId)}
                data-testid="walk-history-open"
              >
                {r.runId === currentRunId ? t('walk.history.shown') : t('walk.history.open')}
              </Button>
              {!r.active &&
                (r.state === 'interrupted' || r.state === 'failed') &&
                // Only the newest run continues (the core refuses an older one too): a newer run changed the nodes since.
                (r.runId === newest ? (
                  <Button size="small" disabled={!canRun} onClick={() => onResume(r.runId)} data-testid="walk-history-resume">
                    {t('walk.action.resume')}
                  </Button>
                ) : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="walk-history-superseded">
                    {t('walk.history.superseded')}
                  </Typography.Text>
                ))}
            </Space>
          ),
        },
      ]}
    />
  );
}
