/**
 * The Logs panel's list (LogsPanel.tsx): rows of one fixed height absolutely placed in a spacer as tall as all lines,
 * only the rows in view (and a few around) in the page. While the view is at the end — as it opens, and while
 * following — the rows of the end are rendered straight away and the list scrolled there before the browser paints,
 * so the first frame shows the newest lines, with no second pass after a scroll event. Rows are plain elements styled
 * with the theme's tokens rather than antd components: dozens are rendered whenever the view moves.
 */
import { theme as antdTheme, Typography } from 'antd';
import { useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { LogLevel, LogLine } from '../../../shared/api/contracts/logs';
import { rowsInView } from './logs-view';

/** Each row is one line high, so what is in view follows from the scroll position alone. */
const ROW_PX = 22;
const VIEW_ROWS = 18;

export interface LogsListProps {
  readonly lines: readonly LogLine[];
  /** A read is under way: no "no lines" text meanwhile. */
  readonly busy: boolean;
  readonly nodeName: ReadonlyMap<string, string>;
  readonly noneText: string;
  readonly traceText: string;
  readonly onTrace: (line: LogLine) => void;
}

export function LogsList({ lines, busy, nodeName, noneText, traceText, onTrace }: LogsListProps) {
  const { token } = antdTheme.useToken();
  const listRef = useRef<HTMLDivElement>(null);
  /** The scroll position when the operator scrolled away from the end; null while the view keeps to the end. */
  const [top, setTop] = useState<number | null>(null);
  const { first, count } = rowsInView({ rows: lines.length, rowPx: ROW_PX, viewRows: VIEW_ROWS, top });

  // At the end, new lines keep the view there; set before paint so the frame shows what the rows above assumed.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && top === null) el.scrollTop = el.scrollHeight;
  }, [lines, top]);

  const look = useMemo(() => {
    const levelColor: Record<LogLevel, string> = {
      debug: token.colorTextTertiary,
      info: token.colorText,
      warning: token.colorWarning,
      error: token.colorError,
      fatal: token.colorError,
    };
    // The theme's values for logs.css, set once on the list rather than on every row.
    const vars = {
      '--logs-tag-color': token.colorText,
      '--logs-tag-bg': token.colorBgContainer,
      '--logs-tag-fill': token.colorFillTertiary,
      '--logs-tag-radius': `${token.borderRadiusSM}px`,
      '--logs-font': token.fontFamily,
      '--logs-link': token.colorLink,
    } as CSSProperties;
    return { levelColor, vars };
  }, [token]);

  return (
    <div
      ref={listRef}
      className="terminal-logs-list"
      data-testid="logs-list"
      style={{ ...look.vars, height: VIEW_ROWS * ROW_PX }}
      onScroll={(e) => {
        const el = e.currentTarget;
        setTop(el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX ? null : el.scrollTop);
      }}
    >
      {lines.length === 0 && !busy && <Typography.Text type="secondary">{noneText}</Typography.Text>}
      <div style={{ height: lines.length * ROW_PX, position: 'relative' }}>
        {lines.slice(first, first + count).map((l, k) => (
          <div
            key={first + k}
            className="terminal-logs-row"
            data-testid="logs-row"
            style={{ top: (first + k) * ROW_PX, height: ROW_PX, color: l.level ? look.levelColor[l.level] : undefined }}
            title={l.text}
          >
            <span className="terminal-logs-time">{timeOf(l.time)}</span>
            <span className="terminal-logs-tag terminal-logs-node">{nodeName.get(l.node) ?? l.node}</span>
            <span className="terminal-logs-tag terminal-logs-component">{l.component}</span>
            {l.request && (
              <button type="button" className="terminal-logs-trace" data-testid="logs-trace" onClick={() => onTrace(l)}>
                {traceText}
              </button>
            )}
            <span className="terminal-logs-text">{l.text}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

/** Local time with milliseconds and the date (lines of several days can be in view). */
export function timeOf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
