/**
 * The Logs panel's bar (LogsPanel.tsx): the filters (nodes, components, levels, text, time range), reading the end
 * again, the chunk before, and follow. The panel keeps the state.
 */
import { Button, Input, Select, Space, Switch } from 'antd';
import { memo } from 'react';
import type { LogFilter } from '../../../shared/api/contracts/logs';
import { logLevels } from '../../../shared/api/contracts/logs';
import { useI18n } from '../../i18n';
import type { logsMessages } from './logs-messages';

/** The filters chosen from a list, each a multiple select: which filter field, its label, its test id, its width. */
const SELECTS = [
  { field: 'nodeIds', label: 'tlogs.nodes', testId: 'logs-filter-nodes', minWidth: 140 },
  { field: 'components', label: 'tlogs.components', testId: 'logs-filter-components', minWidth: 160 },
  { field: 'levels', label: 'tlogs.levels', testId: 'logs-filter-levels', minWidth: 140 },
] as const satisfies readonly { field: keyof LogFilter; label: keyof typeof logsMessages; testId: string; minWidth: number }[];
type SelectField = (typeof SELECTS)[number]['field'];

export interface LogsFiltersProps {
  readonly nodes: readonly { readonly id: string; readonly name: string }[];
  /** The components of the files the last read found. */
  readonly components: readonly string[];
  readonly filter: LogFilter;
  readonly onFilter: (change: (filter: LogFilter) => LogFilter) => void;
  readonly busy: boolean;
  readonly canReadEarlier: boolean;
  readonly onRefresh: () => void;
  readonly onEarlier: () => void;
  readonly following: boolean;
  readonly onFollow: (on: boolean) => void;
}

/** Memoised: the panel re-renders for every answer and followed batch, which change nothing here. */
export const LogsFilters = memo(function LogsFilters(props: LogsFiltersProps) {
  const { t } = useI18n();
  const { filter, onFilter } = props;
  const options: Record<SelectField, { value: string; label: string }[]> = {
    nodeIds: props.nodes.map((n) => ({ value: n.id, label: n.name })),
    components: props.components.map((c) => ({ value: c, label: c })),
    levels: logLevels.map((l) => ({ value: l, label: l })),
  };
  const time = (field: 'from' | 'to', value: string) => onFilter((f) => ({ ...f, [field]: value ? Date.parse(value) : undefined }));

  return (
    <Space wrap size="small" className="terminal-logs-filters">
      {SELECTS.map((s) => (
        <Select
          key={s.field}
          mode="multiple"
          allowClear
          placeholder={t(s.label)}
          aria-label={t(s.label)}
          data-testid={s.testId}
          style={{ minWidth: s.minWidth }}
          options={options[s.field]}
          value={filter[s.field] ?? []}
          // The values are the options' own (node ids, components, levels), so each field keeps its type.
          onChange={(v: string[]) => onFilter((f) => ({ ...f, [s.field]: v.length ? v : undefined }))}
        />
      ))}
      <Input.Search
        allowClear
        placeholder={t('tlogs.text')}
        aria-label={t('tlogs.text')}
        data-testid="logs-filter-text"
        style={{ width: 200 }}
        onSearch={(v) => onFilter((f) => ({ ...f, text: v || undefined }))}
      />
      <Input
        type="datetime-local"
        aria-label={t('tlogs.from')}
        data-testid="logs-filter-from"
        onChange={(e) => time('from', e.target.value)}
      />
      <Input type="datetime-local" aria-label={t('tlogs.to')} data-testid="logs-filter-to" onChange={(e) => time('to', e.target.value)} />
      <Button onClick={props.onRefresh} loading={props.busy} data-testid="logs-refresh">
        {t('tlogs.refresh')}
      </Button>
      <Button onClick={props.onEarlier} disabled={!props.canReadEarlier || props.busy} data-testid="logs-earlier">
        {t('tlogs.earlier')}
      </Button>
      <Space size={4}>
        <Switch checked={props.following} onChange={props.onFollow} aria-label={t('tlogs.follow')} data-testid="logs-follow" />
        <span>{t('tlogs.follow')}</span>
      </Space>
    </Space>
  );
});
