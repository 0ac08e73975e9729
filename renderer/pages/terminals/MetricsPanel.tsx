/**
 * The Metrics panel beside the terminals (docs/terminals.md, "Metrics"): the active terminal's node as the core samples
 * it every few seconds (`metrics.watch`), its readings as text, four small charts of the session's history, its
 * containers with their state and restarts, and the node coloured with the topology's levels and colours. Closing the
 * panel unsubscribes; the core stops sampling when nobody else watches, and keeps the history for the next look.
 */
import { Alert, Badge, Table, Tag, Typography, theme as antdTheme } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MetricsContainer, MetricsSample } from '../../../shared/api/contracts/metrics';
import { METRICS } from '../../../shared/api/contracts/metrics';
import type { Health } from '../../../shared/api/contracts/topology';
import type { Localized } from '../../../shared/i18n/localized';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { formatBytes } from '../walkthrough/model';
import { MetricsChart } from './MetricsChart';
import './metrics.css';

/** As the topology shows a node's status (its Details badges and the legend's words). */
const BADGE: Record<Health, 'success' | 'warning' | 'error' | 'default'> = {
  ok: 'success',
  warn: 'warning',
  fail: 'error',
  unknown: 'default',
};
const MAX_SAMPLES = Math.ceil(METRICS.historyMs / METRICS.intervalMs);

export function MetricsPanel(props: { profileId: string; nodeId: string; nodeName: string }) {
  const { profileId, nodeId, nodeName } = props;
  const { t, pick } = useI18n();
  const api = useApi();
  const { token } = antdTheme.useToken();
  const [samples, setSamples] = useState<readonly MetricsSample[]>([]);
  const [failure, setFailure] = useState<Localized | null>(null);
  const pickRef = useRef(pick);
  pickRef.current = pick;

  useEffect(() => {
    let cancelled = false;
    let stop: (() => void) | undefined;
    setSamples([]);
    setFailure(null);
    void api
      .subscribe(
        'metrics.watch',
        { profileId, nodeId },
        {
          next: (e) => {
            if (cancelled) return;
            setFailure(e.error ?? null);
            if (e.samples.length) setSamples((prev) => [...prev, ...e.samples].slice(-MAX_SAMPLES));
          },
          error: (e) => !cancelled && setFailure(e.localized),
        },
      )
      .then(
        (unsubscribe) => (cancelled ? unsubscribe() : (stop = unsubscribe)),
        (e: unknown) => !cancelled && setFailure(e instanceof ApiError ? e.localized : { en: String(e), 'zh-CN': String(e) }),
      );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [api, profileId, nodeId]);

  const last = samples.at(-1);
  const status: Health = failure ? 'fail' : (last?.status ?? 'unknown');
  const color = { ok: token.colorSuccess, warn: token.colorWarning, fail: token.colorError, unknown: token.colorTextQuaternary }[status];
  const charts = useMemo(() => chartData(samples), [samples]);
  const none = t('tmetrics.none');
  const fixed = (n: number | undefined, digits = 1) => (n === undefined ? none : n.toFixed(digits));

  const readings: { key: string; label: string; value: string }[] = [
    { key: 'cpu', label: t('tmetrics.cpu'), value: last?.cpuPercent === undefined ? none : `${fixed(last.cpuPercent)}%` },
    {
      key: 'memory',
      label: t('tmetrics.memory'),
      value: last?.memory
        ? t('tmetrics.memory.value', { percent: fixed(last.memory.usedPercent), total: formatBytes(last.memory.totalBytes) })
        : none,
    },
    {
      key: 'load',
      label: t('tmetrics.load'),
      value: last?.load
        ? t('tmetrics.load.value', {
            one: fixed(last.load.one, 2),
            five: fixed(last.load.five, 2),
            fifteen: fixed(last.load.fifteen, 2),
            cpus: last.load.cpus,
          })
        : none,
    },
    ...(last?.disks ?? []).map((d) => ({
      key: `disk:${d.path}`,
      label: `${t('tmetrics.disk')} ${d.path}`,
      value: t('tmetrics.disk.value', { percent: fixed(d.usedPercent), free: formatBytes(d.freeBytes) }),
    })),
    {
      key: 'network',
      label: t('tmetrics.network'),
      value: last?.network
        ? t('tmetrics.network.value', { rx: formatBytes(last.network.rxBytesPerSecond), tx: formatBytes(last.network.txBytesPerSecond) })
        : none,
    },
  ];

  return (
    <div className="terminal-metrics" data-testid="metrics-panel" data-status={status} style={{ borderColor: color }}>
      <div className="metrics-head">
        <Typography.Text strong>{t('tmetrics.title', { node: nodeName })}</Typography.Text>
        <Badge status={BADGE[status]} text={<span data-testid="metrics-status">{t(`topo.legend.${status}`)}</span>} />
      </div>
      {failure && <Alert type="error" showIcon title={t('tmetrics.failed', { error: pick(failure) })} data-testid="metrics-error" />}
      {last?.problems.map((p, i) => (
        <Alert
          key={i}
          type={p.status === 'fail' ? 'error' : 'warning'}
          showIcon
          title={pick(p.message)}
          data-testid="metrics-problem"
          data-status={p.status}
        />
      ))}
      {!last && !failure && <Typography.Text type="secondary">{t('tmetrics.waiting')}</Typography.Text>}
      {last && (
        <>
          <dl className="metrics-readings" data-testid="metrics-readings">
            {readings.map((r) => (
              <div key={r.key} data-reading={r.key}>
                <dt>{r.label}</dt>
                <dd>{r.value}</dd>
              </div>
            ))}
          </dl>
          <MetricsChart
            testId="metrics-chart-cpu"
            title={t('tmetrics.chart.cpuMemory')}
            times={charts.times}
            max={100}
            series={[
              { label: t('tmetrics.cpu'), color: token.colorPrimary, values: charts.cpu },
              { label: t('tmetrics.memory'), color: token.colorWarning, values: charts.memory },
            ]}
          />
          <MetricsChart
            testId="metrics-chart-load"
            title={t('tmetrics.chart.load')}
            times={charts.times}
            series={[{ label: t('tmetrics.load'), color: token.colorPrimary, values: charts.load }]}
          />
          <MetricsChart
            testId="metrics-chart-disks"
            title={t('tmetrics.chart.disks')}
            times={charts.times}
            max={100}
            series={charts.diskPaths.map((p, i) => ({
              label: p,
              color: i === 0 ? token.colorPrimary : token.colorSuccess,
              values: charts.disks[i]!,
            }))}
          />
          <MetricsChart
            testId="metrics-chart-network"
            title={t('tmetrics.chart.network')}
            times={charts.times}
            format={(v) => formatBytes(v)}
            series={[
              { label: t('tmetrics.rx'), color: token.colorPrimary, values: charts.rx },
              { label: t('tmetrics.tx'), color: token.colorSuccess, values: charts.tx },
            ]}
          />
          <Typography.Text strong>{t('tmetrics.containers')}</Typography.Text>
          <Table<MetricsContainer>
            data-testid="metrics-containers"
            size="small"
            pagination={false}
            rowKey="name"
            dataSource={[...last.containers]}
            locale={{ emptyText: t('tmetrics.noContainers') }}
            columns={[
              { title: t('tmetrics.col.name'), dataIndex: 'name' },
              {
                title: t('tmetrics.col.state'),
                dataIndex: 'state',
                render: (v: MetricsContainer['state']) => <Tag color={v === 'running' ? 'success' : 'error'}>{v}</Tag>,
              },
              { title: t('tmetrics.col.restarts'), dataIndex: 'restarts', align: 'right', render: (v?: number) => v ?? none },
              { title: t('tmetrics.col.status'), dataIndex: 'status', ellipsis: true },
            ]}
          />
          <Typography.Text type="secondary" className="metrics-history">
            {t('tmetrics.history', { count: samples.length })}
          </Typography.Text>
        </>
      )}
    </div>
  );
}

/** The history as the charts' columns: a missing reading is a gap, never a zero. */
function chartData(samples: readonly MetricsSample[]) {
  const diskPaths = [...new Set(samples.flatMap((s) => s.disks.map((d) => d.path)))].slice(0, 2);
  return {
    times: samples.map((s) => s.at / 1000),
    cpu: samples.map((s) => s.cpuPercent ?? null),
    memory: samples.map((s) => s.memory?.usedPercent ?? null),
    load: samples.map((s) => (s.load ? Math.round((s.load.one / s.load.cpus) * 100) / 100 : null)),
    diskPaths,
    disks: diskPaths.map((p) => samples.map((s) => s.disks.find((d) => d.path === p)?.usedPercent ?? null)),
    rx: samples.map((s) => s.network?.rxBytesPerSecond ?? null),
    tx: samples.map((s) => s.network?.txBytesPerSecond ?? null),
  };
}
