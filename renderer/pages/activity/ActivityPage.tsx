import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Collapse, Empty, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ProfileSummary } from '../../../shared/api/types';
import type { ActivityEntry, ActivityOrigin } from '../../../shared/api/contracts/ssh';
import { OUTPUT_KEEP_CHARS } from '../../../shared/audit-output';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { downloadText } from '../../components/download';
import { useI18n } from '../../i18n';
import { exportFileName, toCsv, toJson } from './export';
import { type ActivityFilter, choices, firstLine, matches, NO_FILTER } from './filter';
import { TerminalSummary } from './TerminalSummary';

const REFRESH_MS = 5000;
/** Entries of each origin the page asks for: the filters apply to these. */
const LOAD_LIMIT = 1000;

const rowKey = (e: ActivityEntry) => `${e.origin}|${e.time}|${e.node}|${e.purpose ?? ''}|${e.exitCode}|${e.durationMs}|${e.command}`;

/** The audit log: what ran where, with which result and output. Read-only. */
export function ActivityPage() {
  const api = useApi();
  const { t, pick } = useI18n();
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  const [profileId, setProfileId] = useState<string | undefined>();
  const [showAutomatic, setShowAutomatic] = useState(false);
  const [operator, setOperator] = useState<ActivityEntry[] | null>(null);
  const [automatic, setAutomatic] = useState<ActivityEntry[]>([]);
  const [filter, setFilter] = useState<ActivityFilter>(NO_FILTER);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    const list = (origin: ActivityOrigin) => api.call('activity.list', { ...(profileId ? { profileId } : {}), origin, limit: LOAD_LIMIT });
    try {
      const [mine, checks] = await Promise.all([list('operator'), showAutomatic ? list('automatic') : Promise.resolve([])]);
      setOperator(mine);
      setAutomatic(checks);
      setError(null);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  }, [api, profileId, showAutomatic]);

  useEffect(() => {
    api.call('profiles.list', {}).then(setProfiles, () => undefined);
  }, [api]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const loaded = useMemo(() => [...(operator ?? []), ...automatic], [operator, automatic]);
  const shownOperator = useMemo(() => (operator ?? []).filter((e) => matches(e, filter)), [operator, filter]);
  const shownAutomatic = useMemo(() => automatic.filter((e) => matches(e, filter)), [automatic, filter]);
  const exitCodes = useMemo(
    () => [...new Set(loaded.map((e) => e.exitCode).filter((c): c is number => c !== null && c !== 0))].sort((a, b) => a - b),
    [loaded],
  );

  const save = (format: 'csv' | 'json') => {
    const view = [...shownOperator, ...shownAutomatic];
    downloadText(
      exportFileName(new Date(), format),
      format === 'csv' ? toCsv(view) : toJson(view),
      format === 'csv' ? 'text/csv' : 'application/json',
    );
  };

  return (
    <section data-testid="page-activity">
      <Typography.Title level={3}>{t('activity.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('activity.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          data-testid="activity-profile"
          style={{ minWidth: 200 }}
          value={profileId ?? ''}
          onChange={(v) => setProfileId(v || undefined)}
          options={[{ value: '', label: t('activity.allProfiles') }, ...profiles.map((p) => ({ value: p.id, label: p.name }))]}
          aria-label={t('activity.profile')}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void load()} data-testid="activity-refresh">
          {t('activity.refresh')}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => save('csv')} data-testid="activity-export-csv">
          {t('activity.export.csv')}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => save('json')} data-testid="activity-export-json">
          {t('activity.export.json')}
        </Button>
      </Space>
      <Filters filter={filter} setFilter={setFilter} entries={loaded} exitCodes={exitCodes} />
      <label style={{ display: 'inline-flex', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        <Switch checked={showAutomatic} onChange={setShowAutomatic} data-testid="activity-show-automatic" />
        {t('activity.showAutomatic')}
      </label>
      {error && <Alert type="error" showIcon title={pick(error.localized)} style={{ marginBottom: 16 }} />}
      <EntryTable
        testId="activity-table"
        entries={shownOperator}
        loading={operator === null && !error}
        empty={operator?.length ? t('activity.noMatch') : t('activity.empty')}
      />
      {showAutomatic && (
        <Collapse
          data-testid="activity-automatic"
          style={{ marginTop: 16 }}
          items={[
            {
              key: 'automatic',
              label: t('activity.automatic.summary', {
                count: shownAutomatic.length,
                failed: shownAutomatic.filter((e) => e.exitCode !== 0).length,
              }),
              children: (
                <EntryTable
                  testId="activity-automatic-table"
                  entries={shownAutomatic}
                  loading={false}
                  empty={t('activity.automatic.none')}
                />
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

function Filters({
  filter,
  setFilter,
  entries,
  exitCodes,
}: {
  filter: ActivityFilter;
  setFilter: (f: ActivityFilter) => void;
  entries: readonly ActivityEntry[];
  exitCodes: readonly number[];
}) {
  const { t } = useI18n();
  const purposes = useMemo(() => choices(entries, (e) => e.purpose), [entries]);
  const nodes = useMemo(() => choices(entries, (e) => e.node), [entries]);
  const set = (patch: Partial<ActivityFilter>) => setFilter({ ...filter, ...patch });
  return (
    <Space wrap style={{ marginBottom: 12 }} data-testid="activity-filters">
      <Input.Search
        data-testid="activity-search"
        allowClear
        style={{ width: 280 }}
        placeholder={t('activity.filter.text')}
        aria-label={t('activity.filter.text')}
        value={filter.text}
        onChange={(e) => set({ text: e.target.value })}
      />
      <Select
        data-testid="activity-purpose"
        allowClear
        showSearch
        style={{ minWidth: 220 }}
        placeholder={t('activity.filter.purpose')}
        aria-label={t('activity.filter.purpose')}
        value={filter.purpose}
        onChange={(v?: string) => set({ purpose: v })}
        options={purposes.map((p) => ({ value: p, label: p }))}
      />
      <Select
        data-testid="activity-node"
        allowClear
        showSearch
        style={{ minWidth: 200 }}
        placeholder={t('activity.filter.node')}
        aria-label={t('activity.filter.node')}
        value={filter.node}
        onChange={(v?: string) => set({ node: v })}
        options={nodes.map((n) => ({ value: n, label: n }))}
      />
      <Select<string>
        data-testid="activity-exit"
        showSearch
        style={{ minWidth: 160 }}
        aria-label={t('activity.filter.exit')}
        value={String(filter.exit)}
        onChange={(v) => set({ exit: v === 'any' || v === 'ok' || v === 'failed' ? v : Number(v) })}
        options={[
          { value: 'any', label: t('activity.exit.any') },
          { value: 'ok', label: t('activity.exit.ok') },
          { value: 'failed', label: t('activity.exit.failed') },
          ...exitCodes.map((c) => ({ value: String(c), label: t('activity.exit.code', { code: c }) })),
        ]}
      />
      <Button onClick={() => setFilter(NO_FILTER)} data-testid="activity-clear-filters">
        {t('activity.filter.clear')}
      </Button>
    </Space>
  );
}

function EntryTable({ testId, entries, loading, empty }: { testId: string; entries: ActivityEntry[]; loading: boolean; empty: string }) {
  const { t, locale } = useI18n();
  const [expanded, setExpanded] = useState<readonly string[]>([]);
  const toggle = (key: string) => setExpanded((keys) => (keys.includes(key) ? keys.filter((k) => k !== key) : [...keys, key]));
  return (
    <Table<ActivityEntry>
      data-testid={testId}
      size="small"
      loading={loading}
      rowKey={rowKey}
      dataSource={entries}
      locale={{ emptyText: <Empty description={<span data-testid="empty-description">{empty}</span>} /> }}
      pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
      expandable={{
        expandedRowKeys: [...expanded],
        showExpandColumn: false,
        expandedRowRender: (e) => <EntryDetails entry={e} />,
      }}
      columns={[
        { title: t('activity.col.time'), dataIndex: 'time', width: 170, render: (v: string) => new Date(v).toLocaleString(locale) },
        { title: t('activity.col.node'), dataIndex: 'node', width: 200 },
        {
          title: t('activity.col.command'),
          dataIndex: 'command',
          render: (v: string, e) => {
            const { line, lines } = firstLine(v);
            const open = expanded.includes(rowKey(e));
            return (
              <Space orientation="vertical" size={0} style={{ width: '100%' }}>
                <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="activity-command">
                  {line}
                  {lines > 1 && !open ? ' …' : ''}
                </Typography.Text>
                {e.terminal && <TerminalSummary summary={e.terminal} />}
                <Button
                  type="link"
                  size="small"
                  style={{ padding: 0 }}
                  aria-expanded={open}
                  onClick={() => toggle(rowKey(e))}
                  data-testid="activity-expand"
                >
                  {open ? t('activity.collapse') : lines > 1 ? t('activity.expandLines', { lines }) : t('activity.expand')}
                </Button>
              </Space>
            );
          },
        },
        { title: t('activity.col.purpose'), dataIndex: 'purpose', width: 190 },
        {
          title: t('activity.col.exit'),
          dataIndex: 'exitCode',
          width: 100,
          render: (v: number | null, e) =>
            e.terminal ? (
              <Tag>{t('activity.terminal.ended')}</Tag>
            ) : v === null ? (
              <Tag>{t('activity.exit.none')}</Tag>
            ) : (
              <Tag color={v === 0 ? 'success' : 'error'}>{v}</Tag>
            ),
        },
        {
          title: t('activity.col.duration'),
          dataIndex: 'durationMs',
          width: 100,
          align: 'right',
          render: (v: number) => (v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`),
        },
      ]}
    />
  );
}

const preStyle = { margin: 0, maxHeight: 360, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' } as const;

/** The whole command and what it printed (masked and bounded by the core). */
function EntryDetails({ entry }: { entry: ActivityEntry }) {
  const { t } = useI18n();
  const { output } = entry;
  return (
    <div data-testid="activity-details" style={{ display: 'grid', gap: 8 }}>
      <Typography.Text strong>{t('activity.details.command')}</Typography.Text>
      <pre style={preStyle} data-testid="activity-full-command">
        {entry.command}
      </pre>
      {!output && <Typography.Text type="secondary">{t('activity.details.noOutput')}</Typography.Text>}
      {output && !output.stdout && !output.stderr && <Typography.Text type="secondary">{t('activity.details.empty')}</Typography.Text>}
      {output?.stdout && (
        <>
          <Typography.Text strong>{t('activity.details.stdout')}</Typography.Text>
          <pre style={preStyle} data-testid="activity-stdout">
            {output.stdout}
          </pre>
        </>
      )}
      {output?.stderr && (
        <>
          <Typography.Text strong>{t('activity.details.stderr')}</Typography.Text>
          <pre style={preStyle} data-testid="activity-stderr">
            {output.stderr}
          </pre>
        </>
      )}
      {output?.truncated && (
        <Typography.Text type="secondary">{t('activity.details.truncated', { chars: OUTPUT_KEEP_CHARS / 2 })}</Typography.Text>
      )}
    </div>
  );
}
