/**
 * A small time-series chart of the Metrics panel, drawn by uPlot on a canvas. uPlot was chosen over antd's
 * @ant-design/plots (G2) for the CPU goal and the page's weight: about 50 KB, it redraws hundreds of points in well
 * under a millisecond, needs no eval (the renderer's CSP allows none) and is loaded only when the first chart is
 * shown, in a chunk of its own.
 */
import { theme as antdTheme } from 'antd';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

let uplotModule: Promise<typeof uPlot> | undefined;
const loadUPlot = () => (uplotModule ??= import('uplot').then((m) => m.default));

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

const HEIGHT = 120;

export function MetricsChart(props: {
  readonly title: string;
  readonly testId: string;
  /** Seconds since the epoch, one per sample. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  /** The top of the y scale when it has one (percentages); otherwise it follows the data. */
  readonly max?: number;
  readonly format?: (value: number) => string;
}) {
  const { token } = antdTheme.useToken();
  const { locale } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const data = (): uPlot.AlignedData => [[...props.times], ...props.series.map((s) => [...s.values])];
  // The chart is made again when what it shows changes shape or colour (a theme switch); new samples only set its data.
  const shape = JSON.stringify([
    props.series.map((s) => [s.label, s.color]),
    props.max,
    token.colorTextSecondary,
    token.colorBorderSecondary,
    locale,
  ]);

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    void loadUPlot().then((UPlot) => {
      const el = box.current;
      if (cancelled || !el) return;
      const p = latest.current;
      const axis = { stroke: token.colorTextSecondary, grid: { stroke: token.colorBorderSecondary, width: 1 }, ticks: { show: false } };
      const fmt = p.format;
      // uPlot writes times in English (12-hour, "pm"); the app's language writes them here instead.
      const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
      const u = new UPlot(
        {
          width: Math.max(200, el.clientWidth),
          height: HEIGHT,
          legend: { show: true, live: false },
          cursor: { drag: { x: false, y: false } },
          scales: {
            x: { time: true },
            y: p.max !== undefined ? { range: [0, p.max] } : { range: (_u, _min, max) => [0, Math.max(max, 1)] },
          },
          axes: [
            { ...axis, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => clock.format(new Date(t * 1000))) },
            { ...axis, size: 56, ...(fmt ? { values: (_u: uPlot, ticks: number[]) => ticks.map(fmt) } : {}) },
          ],
          series: [{}, ...p.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, points: { show: false }, spanGaps: false }))],
        },
        [[...p.times], ...p.series.map((s) => [...s.values])],
        el,
      );
      chart.current = u;
      observer = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `shape` stands for what the chart is made from
  }, [shape]);

  useEffect(() => {
    chart.current?.setData(data());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- new samples arrive as a new `times` array
  }, [props.times]);

  return (
    <div className="metrics-chart" data-testid={props.testId} data-points={props.times.length}>
      <div className="metrics-chart-title">{props.title}</div>
      <div ref={box} />
    </div>
  );
}
