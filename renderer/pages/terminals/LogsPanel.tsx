/**
 * The Logs panel beside the terminals (docs/terminals.md, "Logs"): Harbor's logs of every node of the cluster in one
 * list by time. The core reads, parses, merges, filters and masks; this shows the lines in a virtualised list (only the
 * rows in view are in the page), reads the chunk before on request, follows (acknowledging what it showed, so the core's
 * flow control holds the nodes back when the page falls behind), traces a proxy request and saves a bundle.
 */
import { Alert, Button, Input, Modal, Select, Space, Switch, Tag, Typography, theme as antdTheme } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LogCursors, LogFilter, LogLevel, LogLine, LogTrace } from '../../../shared/api/contracts/logs';
import { FIRST_LOG_CHUNK, logLevels } from '../../../shared/api/contracts/logs';
import type { Localized } from '../../../shared/i18n/localized';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import './logs.css';

/** Each row is one line high, so what is in view follows from the scroll position alone. */
const ROW_PX = 22;
const VIEW_ROWS = 18;
/** The most lines the page keeps (the newest); the core keeps none. */
const MAX_SHOWN = 200_000;

export interface LogsPanelProps {
  readonly profileId: string;
  readonly nodes: readonly { readonly id: string; readonly name: string }[];
}

const toLocalized = (e: unknown): Localized => (e instanceof ApiError ? e.localized : { en: String(e), 'zh-CN': String(e) });

export function LogsPanel({ profileId, nodes }: LogsPanelProps) {
  const { t, pick } = useI18n();
  const api = useApi();
  const { token } = antdTheme.useToken();
  const [lines, setLines] = useState<readonly LogLine[]>([]);
  const [cursors, setCursors] = useState<LogCursors | null>(null);
  const [components, setComponents] = useState<readonly string[]>([]);
  const [filter, setFilter] = useState<LogFilter>({});
  const [failures, setFailures] = useState<readonly Localized[]>([]);
  const [busy, setBusy] = useState(false);
  const [following, setFollowing] = useState(false);
  const [trace, setTrace] = useState<{ line: LogLine; result: LogTrace | null } | null>(null);
  const [bundlePath, setBundlePath] = useState('~/harbor-logs.tar.gz');
  const [saved, setSaved] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const nodeIds = useMemo(() => nodes.map((n) => n.id), [nodes]);
  const nodeName = useMemo(() => new Map(nodes.map((n) => [n.id, n.name])), [nodes]);

  const read = useCallback(
    async (before?: LogCursors) => {
      setBusy(true);
      try {
        const chunk = await api.call('logs.read', {
          profileId,
          nodeIds: [...nodeIds],
          filter,
          ...(before ? { before } : { chunkBytes: FIRST_LOG_CHUNK }),
        });
        setFailures(chunk.failures.map((f) => ({ en: `${f.node}: ${f.message.en}`, 'zh-CN': `${f.node}：${f.message['zh-CN']}` })));
        setCursors(chunk.cursors);
        if (!before) setComponents([...new Set(chunk.files.map((f) => f.component))].sort());
        setLines((prev) => (before ? [...chunk.lines, ...prev] : chunk.lines).slice(-MAX_SHOWN));
      } catch (e) {
        setFailures([toLocalized(e)]);
      } finally {
        setBusy(false);
      }
    },
    [api, profileId, nodeIds, filter],
  );

  useEffect(() => {
    if (nodeIds.length) void read();
  }, [read, nodeIds.length]);

  // Following: new lines appended; each batch acknowledged once it is in the list.
  useEffect(() => {
    if (!following || nodeIds.length === 0) return;
    let cancelled = false;
    let stop: (() => void) | undefined;
    void api
      .subscribe(
        'logs.follow',
        { profileId, nodeIds: [...nodeIds], filter },
        {
          next: (e) => {
            if (cancelled || e.type !== 'lines') return;
            setLines((prev) => [...prev, ...e.lines].slice(-MAX_SHOWN));
            requestAnimationFrame(() => void api.call('logs.ack', { profileId, lines: e.lines.length }).catch(() => undefined));
          },
          error: (e) => !cancelled && setFailures([e.localized]),
        },
      )
      .then(
        (unsubscribe) => (cancelled ? unsubscribe() : (stop = unsubscribe)),
        (e: unknown) => !cancelled && setFailures([toLocalized(e)]),
      );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [api, following, profileId, nodeIds, filter]);

  // New lines keep the view at the end when it was there.
  useEffect(() => {
    const el = listRef.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const earlier = cursors && Object.values(cursors).some((c) => Object.values(c).some((n) => n > 0));
  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - 4);
  const shown = lines.slice(first, first + VIEW_ROWS + 8);
  const levelColor: Record<LogLevel, string> = {
    debug: token.colorTextTertiary,
    info: token.colorText,
    warning: token.colorWarning,
    error: token.colorError,
    fatal: token.colorError,
  };

  const startTrace = async (line: LogLine) => {
    setTrace({ line, result: null });
    try {
      const result = await api.call('logs.trace', {
        profileId,
        nodeId: line.node,
        time: line.time,
        method: line.request!.method,
        path: line.request!.path,
      });
      setTrace({ line, result });
    } catch (e) {
      setTrace(null);
      setFailures([toLocalized(e)]);
    }
  };

  const download = async () => {
    try {
      const r = await api.call('logs.bundle', { profileId, nodeIds: [...nodeIds], filter, path: bundlePath });
      setSaved(t('tlogs.saved', { path: r.path, lines: r.lines }));
    } catch (e) {
      setFailures([toLocalized(e)]);
    }
  };

  return (
    <div className="terminal-logs" data-testid="logs-panel">
      <Space wrap size="small" className="terminal-logs-filters">
        <Select
          mode="multiple"
          allowClear
          placeholder={t('tlogs.nodes')}
          aria-label={t('tlogs.nodes')}
          data-testid="logs-filter-nodes"
          style={{ minWidth: 140 }}
          options={nodes.map((n) => ({ value: n.id, label: n.name }))}
          value={filter.nodeIds ?? []}
          onChange={(v: string[]) => setFilter((f) => ({ ...f, nodeIds: v.length ? v : undefined }))}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('tlogs.components')}
          aria-label={t('tlogs.components')}
          data-testid="logs-filter-components"
          style={{ minWidth: 160 }}
          options={components.map((c) => ({ value: c, label: c }))}
          value={filter.components ?? []}
          onChange={(v: string[]) => setFilter((f) => ({ ...f, components: v.length ? v : undefined }))}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('tlogs.levels')}
          aria-label={t('tlogs.levels')}
          data-testid="logs-filter-levels"
          style={{ minWidth: 140 }}
          options={logLevels.map((l) => ({ value: l, label: l }))}
          value={filter.levels ?? []}
          onChange={(v: LogLevel[]) => setFilter((f) => ({ ...f, levels: v.length ? v : undefined }))}
        />
        <Input.Search
          allowClear
          placeholder={t('tlogs.text')}
          aria-label={t('tlogs.text')}
          data-testid="logs-filter-text"
          style={{ width: 200 }}
          onSearch={(v) => setFilter((f) => ({ ...f, text: v || undefined }))}
        />
        <Input
          type="datetime-local"
          aria-label={t('tlogs.from')}
          data-testid="logs-filter-from"
          onChange={(e) => setFilter((f) => ({ ...f, from: e.target.value ? Date.parse(e.target.value) : undefined }))}
        />
        <Input
          type="datetime-local"
          aria-label={t('tlogs.to')}
          data-testid="logs-filter-to"
          onChange={(e) => setFilter((f) => ({ ...f, to: e.target.value ? Date.parse(e.target.value) : undefined }))}
        />
        <Button onClick={() => void read()} loading={busy} data-testid="logs-refresh">
          {t('tlogs.refresh')}
        </Button>
        <Button onClick={() => cursors && void read(cursors)} disabled={!earlier || busy} data-testid="logs-earlier">
          {t('tlogs.earlier')}
        </Button>
        <Space size={4}>
          <Switch checked={following} onChange={setFollowing} aria-label={t('tlogs.follow')} data-testid="logs-follow" />
          <span>{t('tlogs.follow')}</span>
        </Space>
      </Space>
      {failures.map((f, k) => (
        <Alert key={k} type="warning" showIcon message={pick(f)} className="terminal-logs-alert" />
      ))}
      <div
        ref={listRef}
        className="terminal-logs-list"
        data-testid="logs-list"
        style={{ height: VIEW_ROWS * ROW_PX }}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX;
        }}
      >
        {lines.length === 0 && !busy && <Typography.Text type="secondary">{t('tlogs.none')}</Typography.Text>}
        <div style={{ height: lines.length * ROW_PX, position: 'relative' }}>
          {shown.map((l, k) => (
            <div
              key={first + k}
              className="terminal-logs-row"
              data-testid="logs-row"
              style={{ top: (first + k) * ROW_PX, height: ROW_PX, color: l.level ? levelColor[l.level] : undefined }}
              title={l.text}
            >
              <span className="terminal-logs-time">{timeOf(l.time)}</span>
              <Tag className="terminal-logs-node">{nodeName.get(l.node) ?? l.node}</Tag>
              <Tag className="terminal-logs-component">{l.component}</Tag>
              {l.request && (
                <Button size="small" type="link" data-testid="logs-trace" onClick={() => void startTrace(l)}>
                  {t('tlogs.trace')}
                </Button>
              )}
              <span className="terminal-logs-text">{l.text}</span>
            </div>
          ))}
        </div>
      </div>
      <Space size="small" className="terminal-logs-bundle">
        <Input
          aria-label={t('tlogs.bundlePath')}
          data-testid="logs-bundle-path"
          style={{ width: 280 }}
          value={bundlePath}
          onChange={(e) => setBundlePath(e.target.value)}
        />
        <Button onClick={() => void download()} disabled={!bundlePath.trim()} data-testid="logs-download">
          {t('tlogs.download')}
        </Button>
        {saved && <Typography.Text type="secondary">{saved}</Typography.Text>}
      </Space>
      <Modal
        open={trace !== null}
        title={trace ? t('tlogs.traceTitle', { request: `${trace.line.request!.method} ${trace.line.request!.path}` }) : ''}
        footer={null}
        width={900}
        onCancel={() => setTrace(null)}
      >
        <div data-testid="logs-trace-result">
          {trace && !trace.result && <Typography.Text type="secondary">{t('tlogs.tracing')}</Typography.Text>}
          {trace?.result?.lines.length === 0 && <Typography.Text type="secondary">{t('tlogs.traceNone')}</Typography.Text>}
          {trace?.result?.lines.map((l, k) => (
            <div key={k} className="terminal-logs-trace-row" data-testid="logs-trace-row">
              <span className="terminal-logs-time">{timeOf(l.time)}</span>
              <Tag>{l.component}</Tag>
              <Tag color={l.match === 'request-id' ? 'green' : l.match === 'path' ? 'blue' : undefined}>{t(`tlogs.match.${l.match}`)}</Tag>
              <span className="terminal-logs-text">{l.text}</span>
            </div>
          ))}
        </div>
      </Modal>
    </div>
  );
}

/** Local time with milliseconds and the date (lines of several days can be in view). */
function timeOf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
