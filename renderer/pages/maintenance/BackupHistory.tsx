/** The cluster's backup runs, newest first; a row opens that run in the panel above. */
import { Card, Table } from 'antd';
import type { RunView } from '../../../shared/api/contracts/deploy';
import { useI18n } from '../../i18n';
import { RunStateTag } from '../walkthrough/status';

export function BackupHistory({
  runs,
  shownRunId,
  onOpen,
}: {
  runs: readonly RunView[] | null;
  shownRunId: string | null;
  onOpen: (runId: string) => void;
}) {
  const { t, locale } = useI18n();
  return (
    <Card title={t('maint.history.title')} size="small">
      <Table<RunView>
        size="small"
        rowKey="runId"
        data-testid="maint-history"
        loading={runs === null}
        dataSource={runs ? [...runs] : []}
        pagination={{ pageSize: 5, hideOnSinglePage: true, showSizeChanger: false }}
        onRow={(r) => ({ onClick: () => onOpen(r.runId), style: { cursor: 'pointer' } })}
        rowClassName={(r) => (r.runId === shownRunId ? 'maint-current' : '')}
        columns={[
          { title: t('maint.history.started'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString(locale) },
          { title: t('maint.history.state'), dataIndex: 'state', render: (_: unknown, r) => <RunStateTag state={r.state} /> },
        ]}
      />
    </Card>
  );
}
