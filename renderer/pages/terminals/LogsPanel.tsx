/**
 * The Logs panel beside the terminals (docs/terminals.md, "Logs"): Harbor's logs of every node of the cluster in one
 * list by time. The core reads, parses, merges, filters and masks; this shows the lines in a virtualised list
 * (LogsList.tsx), reads the chunk before on request, follows (acknowledging what it showed, so the core's flow control
 * holds the nodes back when the page falls behind), traces a proxy request and saves a bundle.
 *
 * The first lines are on screen soonest when the first read is on its way before anything heavy is rendered and the
 * page is free when its answer comes: the read is asked for from the click on the Logs switch (logs-read.ts), or else
 * in the panel's first render, which holds only the list; the filters, the bundle bar and the trace dialog (antd's selects and inputs: most of the panel's cost to mount,
 * their styles and forced layouts tens of ms on a busy machine) mount once the first read's lines are painted (or it
 * failed), in a transition. What a later answer changes in the bar (the components found, busy, earlier lines to
 * read) reaches it in a render after the rows'.
 */
import { Alert, Button, Input, Modal, Space, Tag, Typography } from 'antd';
import { startTransition, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { LogChunk, LogCursors, LogFilter, LogLine, LogTrace } from '../../../shared/api/contracts/logs';
import type { Localized } from '../../../shared/i18n/localized';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { LogsFilters } from './LogsFilters';
import { LogsList, timeOf } from './LogsList';
import { readChunk, takeFirstRead } from './logs-read';
import './logs.css';

/** The most lines the page keeps (the newest); the core keeps none. */
const MAX_SHOWN = 200_000;

export interface LogsPanelProps {
  readonly profileId: string;
  readonly nodes: readonly { readonly id: string; readonly name: string }[];
}

const toLocalized = (e: unknown): Localized => (e instanceof ApiError ? e.localized : { en: String(e), 'zh-CN': String(e) });

/** Runs `fn` after the browser has painted the frame being prepared (a task queued from an animation frame runs after its paint). */
function afterPaint(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (timer = setTimeout(fn)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

export function LogsPanel({ profileId, nodes }: LogsPanelProps) {
  const { t, pick } = useI18n();
  const api = useApi();
  const nodeIds = useMemo(() => nodes.map((n) => n.id), [nodes]);
  const nodeName = useMemo(() => new Map(nodes.map((n) => [n.id, n.name])), [nodes]);
  const [filter, setFilter] = useState<LogFilter>({});
  // Asked for from the switch's click (readAhead) or else while rendering, not in an effect after the commit: the
  // request leaves before the page's render is committed. (React's development double render would ask twice; a read
  // changes nothing.)
  const [firstRead] = useState(() => takeFirstRead(api, profileId, nodeIds));
  const pendingFirst = useRef(firstRead);
  const [lines, setLines] = useState<readonly LogLine[]>([]);
  const [cursors, setCursors] = useState<LogCursors | null>(null);
  const [components, setComponents] = useState<readonly string[]>([]);
  const [failures, setFailures] = useState<readonly Localized[]>([]);
  const [busy, setBusy] = useState(firstRead !== null);
  const [following, setFollowing] = useState(false);
  const [trace, setTrace] = useState<{ line: LogLine; result: LogTrace | null } | null>(null);
  const [bundlePath, setBundlePath] = useState('~/harbor-logs.tar.gz');
  const [saved, setSaved] = useState<string | null>(null);
  /** The filters and the rest mount after the first lines (see the module's comment). */
  const [controls, setControls] = useState(false);
  const latestRead = useRef(0);

  useEffect(() => {
    if (controls || busy) return;
    return afterPaint(() => startTransition(() => setControls(true)));
  }, [controls, busy]);

  /** Shows a read's answer unless a later read was asked for meanwhile (other filters): only the latest is shown. */
  const show = useCallback(async (answer: Promise<LogChunk>, before?: LogCursors) => {
    const seq = ++latestRead.current;
    setBusy(true);
    try {
      const chunk = await answer;
      if (seq !== latestRead.current) return;
      setFailures(chunk.failures.map((f) => ({ en: `${f.node}: ${f.message.en}`, 'zh-CN': `${f.node}：${f.message['zh-CN']}` })));
      setCursors(chunk.cursors);
      if (!before) setComponents([...new Set(chunk.files.map((f) => f.component))].sort());
      setLines((prev) => (before ? [...chunk.lines, ...prev] : chunk.lines).slice(-MAX_SHOWN));
    } catch (e) {
      if (seq === latestRead.current) setFailures([toLocalized(e)]);
    } finally {
      if (seq === latestRead.current) setBusy(false);
    }
  }, []);

  const read = useCallback(
    (before?: LogCursors) => void show(readChunk(api, profileId, nodeIds, filter, before), before),
    [api, profileId, nodeIds, filter, show],
  );

  // The end of the logs, again whenever the filters change; the first time, the read already under way.
  useEffect(() => {
    if (nodeIds.length === 0) return;
    const first = pendingFirst.current;
    pendingFirst.current = null;
    if (first) void show(first);
    else read();
  }, [read, show, nodeIds.length]);

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

  const startTrace = useCallback(
    async (line: LogLine) => {
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
    },
    [api, profileId],
  );

  const download = async () => {
    try {
      const r = await api.call('logs.bundle', { profileId, nodeIds: [...nodeIds], filter, path: bundlePath });
      setSaved(t('tlogs.saved', { path: r.path, lines: r.lines }));
    } catch (e) {
      setFailures([toLocalized(e)]);
    }
  };

  const earlier = cursors !== null && Object.values(cursors).some((c) => Object.values(c).some((n) => n > 0));
  const bar = { components: useDeferredValue(components), busy: useDeferredValue(busy), earlier: useDeferredValue(earlier) };
  const readEnd = useCallback(() => read(), [read]);
  const readEarlier = useCallback(() => cursors && read(cursors), [read, cursors]);

  return (
    <div className="terminal-logs" data-testid="logs-panel">
      {controls ? (
        <LogsFilters
          nodes={nodes}
          components={bar.components}
          filter={filter}
          onFilter={setFilter}
          busy={bar.busy}
          canReadEarlier={bar.earlier}
          onRefresh={readEnd}
          onEarlier={readEarlier}
          following={following}
          onFollow={setFollowing}
        />
      ) : (
        <div className="terminal-logs-bar-pending" />
      )}
      {failures.map((f, k) => (
        <Alert key={k} type="warning" showIcon message={pick(f)} className="terminal-logs-alert" />
      ))}
      <LogsList
        lines={lines}
        busy={busy}
        nodeName={nodeName}
        noneText={t('tlogs.none')}
        traceText={t('tlogs.trace')}
        onTrace={(l) => void startTrace(l)}
      />
      {controls ? (
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
      ) : (
        <div className="terminal-logs-bar-pending" />
      )}
      {controls && (
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
                <Tag color={l.match === 'request-id' ? 'green' : l.match === 'path' ? 'blue' : undefined}>
                  {t(`tlogs.match.${l.match}`)}
                </Tag>
                <span className="terminal-logs-text">{l.text}</span>
              </div>
            ))}
          </div>
        </Modal>
      )}
    </div>
  );
}
