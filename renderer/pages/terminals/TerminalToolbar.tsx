/**
 * The Terminals page's toolbar: the cluster and the character set of new shells, a new shell on a node, search in the
 * active terminal, copy and paste, and the switches (broadcast, layout, Files, transcript, Snippets, Metrics) with the list of
 * keyboard shortcuts. The page keeps the state; the search text is the toolbar's own.
 */
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CopyOutlined,
  PlusOutlined,
  QuestionCircleOutlined,
  SearchOutlined,
  SnippetsOutlined,
} from '@ant-design/icons';
import { Button, Dropdown, Input, Popover, Segmented, Select, Space, Switch, Tooltip, Typography, message, type InputRef } from 'antd';
import { useState, type RefObject } from 'react';
import type { TerminalCharset } from '../../../shared/api/contracts/terminal';
import type { ProfileSummary } from '../../../shared/api/types';
import { useI18n } from '../../i18n';
import type { TerminalController } from './controller';
import { PANE_COUNTS, type PaneCount } from './layout';
import { SHORTCUT_HELP } from './shortcuts';
import type { NodeRef } from './tab';

type Toast = ReturnType<typeof message.useMessage>[0];

export interface TerminalToolbarProps {
  readonly profiles: readonly ProfileSummary[] | null;
  readonly profileId: string | null;
  readonly onProfile: (id: string) => void;
  readonly charset: TerminalCharset;
  readonly onCharset: (charset: TerminalCharset) => void;
  readonly nodes: readonly NodeRef[];
  readonly onNewShell: (node: NodeRef) => void;
  /** The page's shortcut focuses it. */
  readonly searchBox: RefObject<InputRef | null>;
  /** The active terminal: what search, copy and paste act on. */
  readonly current: TerminalController | undefined;
  readonly toast: Toast;
  readonly broadcast: boolean;
  readonly onBroadcast: (on: boolean) => void;
  readonly paneCount: PaneCount;
  readonly onPaneCount: (count: PaneCount) => void;
  readonly filesOn: boolean;
  readonly onFiles: (on: boolean) => void;
  /** The active session's transcript, or undefined while no session is open (the switch is then disabled). */
  readonly transcript: { readonly on: boolean; readonly file: string } | undefined;
  readonly onTranscript: (on: boolean) => void;
  readonly snippetsOn: boolean;
  readonly onSnippets: (on: boolean) => void;
  readonly metricsOn: boolean;
  readonly onMetrics: (on: boolean) => void;
  readonly logsOn: boolean;
  readonly onLogs: (on: boolean) => void;
}

export function TerminalToolbar(props: TerminalToolbarProps) {
  const { t } = useI18n();
  const { current, toast, transcript } = props;
  const [query, setQuery] = useState('');
  const find = (backwards: boolean) => {
    if (!current || !query) return;
    if (backwards) current.search.findPrevious(query);
    else current.search.findNext(query);
  };

  return (
    <Space wrap>
      <Typography.Text strong>{t('term.profile')}</Typography.Text>
      <Select
        data-testid="terminal-profile"
        style={{ minWidth: 240 }}
        placeholder={t('term.profile.placeholder')}
        value={props.profileId ?? undefined}
        onChange={(v: string) => props.onProfile(v)}
        options={(props.profiles ?? []).map((p) => ({ value: p.id, label: p.name }))}
      />
      <Tooltip title={t('term.charset.help')}>
        <Select
          data-testid="terminal-charset"
          style={{ width: 110 }}
          value={props.charset}
          onChange={(v: TerminalCharset) => props.onCharset(v)}
          options={[
            { value: 'utf-8', label: 'UTF-8' },
            { value: 'gbk', label: 'GBK' },
          ]}
          aria-label={t('term.charset')}
        />
      </Tooltip>
      <Dropdown
        disabled={props.nodes.length === 0}
        menu={{
          items: props.nodes.map((n) => ({ key: n.id, label: t('term.newShell.on', { node: n.name }) })),
          onClick: ({ key }) => props.onNewShell(props.nodes.find((n) => n.id === key)!),
        }}
      >
        <Button icon={<PlusOutlined />} data-testid="terminal-new">
          {t('term.newShell')}
        </Button>
      </Dropdown>
      <Input
        ref={props.searchBox}
        data-testid="terminal-search"
        allowClear
        prefix={<SearchOutlined />}
        style={{ width: 220 }}
        placeholder={t('term.search')}
        aria-label={t('term.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onPressEnter={(e) => find(e.shiftKey)}
        onKeyDown={(e) => e.key === 'Escape' && current?.focus()}
      />
      <Tooltip title={t('term.search.prev')}>
        <Button icon={<ArrowUpOutlined />} onClick={() => find(true)} aria-label={t('term.search.prev')} />
      </Tooltip>
      <Tooltip title={t('term.search.next')}>
        <Button icon={<ArrowDownOutlined />} onClick={() => find(false)} aria-label={t('term.search.next')} />
      </Tooltip>
      <Tooltip title={t('term.copy')}>
        <Button
          icon={<CopyOutlined />}
          aria-label={t('term.copy')}
          onClick={() => void current?.copy().then((ok) => ok && toast.success(t('term.copied')))}
        />
      </Tooltip>
      <Tooltip title={t('term.paste')}>
        <Button
          icon={<SnippetsOutlined />}
          aria-label={t('term.paste')}
          onClick={() => void current?.pasteFromClipboard().then((ok) => !ok && toast.warning(t('term.clipboardDenied')))}
        />
      </Tooltip>
      <LabelledSwitch
        testId="terminal-broadcast"
        label={t('term.broadcast')}
        help={t('term.broadcast.help')}
        checked={props.broadcast}
        onChange={props.onBroadcast}
      />
      <Tooltip title={t('term.layout.help')}>
        <Space>
          <span>{t('term.layout')}</span>
          <Segmented<PaneCount>
            data-testid="terminal-layout"
            aria-label={t('term.layout')}
            value={props.paneCount}
            onChange={props.onPaneCount}
            options={PANE_COUNTS.map((n) => ({ value: n, label: String(n) }))}
          />
        </Space>
      </Tooltip>
      <LabelledSwitch
        testId="terminal-files"
        label={t('tfiles.toggle')}
        help={t('tfiles.toggle.help')}
        checked={props.filesOn}
        onChange={props.onFiles}
      />
      <LabelledSwitch
        testId="terminal-logging"
        label={t('term.logging')}
        help={transcript ? t('term.logging.help', { file: transcript.file }) : t('term.logging.none')}
        disabled={!transcript}
        checked={transcript?.on ?? false}
        onChange={props.onTranscript}
      />
      <LabelledSwitch
        testId="terminal-snippets"
        label={t('tsnip.toggle')}
        help={t('tsnip.toggle.help')}
        checked={props.snippetsOn}
        onChange={props.onSnippets}
      />
      <LabelledSwitch
        testId="terminal-metrics"
        label={t('tmetrics.toggle')}
        help={t('tmetrics.toggle.help')}
        checked={props.metricsOn}
        onChange={props.onMetrics}
      />
      <LabelledSwitch
        testId="terminal-logs"
        label={t('tlogs.toggle')}
        help={t('tlogs.toggle.help')}
        checked={props.logsOn}
        onChange={props.onLogs}
      />
      <Popover title={t('term.keys')} trigger="click" content={<ShortcutsList />}>
        <Button icon={<QuestionCircleOutlined />} aria-label={t('term.keys')} data-testid="terminal-shortcuts" />
      </Popover>
    </Space>
  );
}

/** A switch with its label beside it and what it does in a tooltip; the label names it for a screen reader too. */
function LabelledSwitch(props: {
  testId: string;
  label: string;
  help: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <Tooltip title={props.help}>
      <Space>
        <Switch
          data-testid={props.testId}
          disabled={props.disabled}
          checked={props.checked}
          onChange={props.onChange}
          aria-label={props.label}
        />
        <span>{props.label}</span>
      </Space>
    </Tooltip>
  );
}

/** The keyboard shortcuts of the page, each key as a key cap. */
function ShortcutsList() {
  const { t } = useI18n();
  return (
    <table data-testid="terminal-shortcuts-list">
      <tbody>
        {SHORTCUT_HELP.map((s) => (
          <tr key={s.text}>
            <td style={{ paddingInlineEnd: 16, paddingBlock: 2, whiteSpace: 'nowrap' }}>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && '+'}
                  <Typography.Text keyboard>{k}</Typography.Text>
                </span>
              ))}
            </td>
            <td>{t(s.text)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
