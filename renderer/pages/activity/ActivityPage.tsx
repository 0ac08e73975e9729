import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ProfileSummary } from '../../../shared/api/types';
import type { ActivityEntry } from '../../../shared/api/contracts/ssh';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';

const REFRESH_MS = 5000;

/** The audit log: what ran where, with which result. Read-only. */
export function ActivityPage() {
  const api = useApi();
  const { t, pick, locale } = useI18n();
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  const [profileId, setProfileId] = useState<string | undefined>();
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    try {
      setEntries(await api.call('activity.list', { ...(profileId ? { profileId } : {}), limit: 1000 }));
      setError(null);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  }, [api, profileId]);

  useEffect(() => {
    api.call('profiles.list', {}).then(setProfiles, () => undefined);
  }, [api]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <section data-testid="page-activity">
      <Typography.Title level={3}>{t('activity.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('activity.intro')}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Select
          data-testid="activity-profile"
          style={{ minWidth: 240 }}
          value={profileId ?? ''}
          onChange={(v) => setProfileId(v || undefined)}
          options={[{ value: '', label: t('activity.allProfiles') }, ...profiles.map((p) => ({ value: p.id, label: p.name }))]}
          aria-label={t('activity.profile')}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void load()} data-testid="activity-refresh">
          {t('activity.refresh')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={pick(error.localized)} style={{ marginBottom: 16 }} />}
      <Table<ActivityEntry>
        data-testid="activity-table"
        size="small"
        loading={entries === null && !error}
        rowKey={(e) => `${e.time}|${e.node}|${e.command}`}
        dataSource={entries ?? []}
        locale={{ emptyText: <Empty description={<span data-testid="empty-description">{t('activity.empty')}</span>} /> }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        columns={[
          { title: t('activity.col.time'), dataIndex: 'time', width: 190, render: (v: string) => new Date(v).toLocaleString(locale) },
          { title: t('activity.col.node'), dataIndex: 'node', width: 220 },
          {
            title: t('activity.col.command'),
            dataIndex: 'command',
            render: (v: string) => (
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {v}
              </Typography.Text>
            ),
          },
          { title: t('activity.col.purpose'), dataIndex: 'purpose', width: 200 },
          {
            title: t('activity.col.exit'),
            dataIndex: 'exitCode',
            width: 110,
            render: (v: number | null) =>
              v === null ? <Tag>{t('activity.exit.none')}</Tag> : <Tag color={v === 0 ? 'success' : 'error'}>{v}</Tag>,
          },
          {
            title: t('activity.col.duration'),
            dataIndex: 'durationMs',
            width: 110,
            align: 'right',
            render: (v: number) => (v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`),
          },
        ]}
      />
    </section>
  );
}
