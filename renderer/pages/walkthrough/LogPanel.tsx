/**
 * The live log of a run, per node and step: filters, transfer progress bars, and the newest
 * matching lines only (a capped list: the page never renders thousands of rows). It follows the
 * end unless the operator scrolled up.
 */
import { Input, Progress as ProgressBar, Select, Space, Typography, theme } from 'antd';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogLine, Plan } from '../../../shared/api/contracts/deploy';
import { useI18n } from '../../i18n';
import { CLUSTER, filterLog, formatBytes, type Progress } from './model';
import type { LogFilter } from './state';

/** Lines rendered at most; older matching lines stay in memory and in the core's log file. */
export const SHOWN_LINES = 400;

function ProgressRow({
  stepTitle,
  nodeLabel,
  p,
  stepId,
  nodeId,
}: {
  stepTitle: string;
  nodeLabel: string;
  p: Progress;
  stepId: string;
  nodeId: string;
}) {
  const pct = p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 0;
  const amount = p.unit === 'bytes' ? `${formatBytes(p.done)} / ${formatBytes(p.total)}` : `${p.done} / ${p.total}`;
  return (
    <div data-testid="walk-progress" data-step={stepId} data-node={nodeId} data-done={p.done} data-total={p.total} data-unit={p.unit}>
      <Typography.Text style={{ fontSize: 12 }}>
        {stepTitle} · {nodeLabel} · {amount}
      </Typography.Text>
      <ProgressBar percent={pct} size="small" status={pct >= 100 ? 'success' : 'active'} />
    </div>
  );
}

export const LogPanel = memo(function LogPanel({
  plan,
  log,
  logTotal,
  progress,
  filter,
  onFilter,
}: {
  plan: Plan;
  log: readonly LogLine[];
  logTotal: number;
  progress: Readonly<Record<string, Progress>>;
  filter: LogFilter;
  onFilter: (f: LogFilter) => void;
}) {
  const { t, pick, locale } = useI18n();
  const { token } = theme.useToken();
  const [text, setText] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  const nodeLabel = (id: string) => (id === CLUSTER ? t('walk.log.cluster') : (plan.nodes.find((n) => n.id === id)?.label ?? id));
  const stepTitle = (id: string) => {
    const s = plan.steps.find((x) => x.id === id);
    return s ? pick(s.title) : id;
  };
  const { lines, matched } = useMemo(
    () => filterLog(log, { node: filter.node, step: filter.step, text }, SHOWN_LINES),
    [log, filter.node, filter.step, text],
  );

  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  useEffect(() => {
    follow.current = true;
  }, [filter.node, filter.step, text]);

  const bars = Object.entries(progress)
    .map(([key, p]) => {
      const [stepId, nodeId] = key.split('\u0000') as [string, string];
      return { key, stepId, nodeId, p };
    })
    .filter((b) => (!filter.node || b.nodeId === filter.node) && (!filter.step || b.stepId === filter.step));

  return (
    <div data-testid="walk-log-panel">
      <Space wrap style={{ marginBottom: 8 }}>
        <Select
          data-testid="walk-log-node"
          size="small"
          style={{ minWidth: 160 }}
          value={filter.node ?? ''}
          onChange={(v: string) => onFilter({ ...filter, node: v || undefined })}
          aria-label={t('walk.log.node')}
          options={[
            { value: '', label: t('walk.log.allNodes') },
            { value: CLUSTER, label: t('walk.log.cluster') },
            ...plan.nodes.map((n) => ({ value: n.id, label: n.label })),
          ]}
        />
        <Select
          data-testid="walk-log-step"
          size="small"
          style={{ minWidth: 160 }}
          value={filter.step ?? ''}
          onChange={(v: string) => onFilter({ ...filter, step: v || undefined })}
          aria-label={t('walk.log.step')}
          options={[{ value: '', label: t('walk.log.allSteps') }, ...plan.steps.map((s) => ({ value: s.id, label: pick(s.title) }))]}
        />
        <Input.Search
          size="small"
          allowClear
          placeholder={t('walk.log.search')}
          onChange={(e) => setText(e.target.value)}
          style={{ width: 180 }}
          data-testid="walk-log-search"
        />
      </Space>
      {bars.length > 0 && (
        <div style={{ marginBottom: 8 }}>
          {bars.map((b) => (
            <ProgressRow
              key={b.key}
              stepId={b.stepId}
              nodeId={b.nodeId}
              stepTitle={stepTitle(b.stepId)}
              nodeLabel={nodeLabel(b.nodeId)}
              p={b.p}
            />
          ))}
        </div>
      )}
      <div
        ref={box}
        className="walk-log walk-code"
        data-testid="walk-log"
        data-lines={lines.length}
        data-total={logTotal}
        style={{ borderColor: token.colorBorderSecondary, background: token.colorFillQuaternary, color: token.colorText }}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {lines.length === 0 ? (
          <Typography.Text type="secondary">{log.length ? t('walk.log.noMatch') : t('walk.log.empty')}</Typography.Text>
        ) : (
          lines.map((l, i) => (
            <div
              key={`${l.time}-${i}`}
              data-testid="walk-log-line"
              data-node={l.nodeId}
              data-step={l.stepId}
              style={l.line.en.startsWith('✖') ? { color: token.colorErrorText } : undefined}
            >
              <span style={{ color: token.colorTextTertiary }}>{new Date(l.time).toLocaleTimeString(locale, { hour12: false })} </span>
              <span style={{ color: token.colorTextSecondary }}>
                [{nodeLabel(l.nodeId)} · {l.stepId || '-'}]{' '}
              </span>
              {pick(l.line)}
            </div>
          ))
        )}
      </div>
      {matched > lines.length && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="walk-log-capped">
          {t('walk.log.capped', { shown: lines.length, matched })}
        </Typography.Text>
      )}
      {logTotal > log.length && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {t('walk.log.dropped', { n: logTotal - log.length })}
        </Typography.Text>
      )}
    </div>
  );
});
