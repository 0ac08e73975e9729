/**
 * One line of /var/log/harbor/<component>.log → a LogLine. Harbor's `log` container (rsyslog, 1.x and 2.x) writes
 * each line of a container's output with the traditional syslog prefix, `Dec  8 00:33:52 172.18.0.1 core[1]: `, local
 * time of the log container (UTC unless changed) and no year. After it comes the component's own format:
 *   core/jobservice (lib/log): `2026-12-08T00:33:52Z [INFO] [/path/file.go:12][requestID="…"]: message`
 *   registry (logrus):         `time="…" level=info msg="…" http.request.id=… http.request.uri="…"`
 *   proxy (nginx timed_combined): `10.0.0.1 - "GET /v2/ HTTP/1.1" 401 87 "-" "docker/…" 0.002 0.002 .`
 * Any other line is kept as raw text with the time of the line before it (a stack trace's continuation).
 */
import type { LogLevel, LogLine } from '../../../shared/api/contracts/logs';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SYSLOG = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) \S+ [^\s[:]+(?:\[\d+\])?: ?/;
// rsyslog's high-precision file format (RSYSLOG_FileFormat), kept for installations configured with it.
const SYSLOG_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) \S+ [^\s[:]+(?:\[\d+\])?: ?/;
const HARBOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) \[(DEBUG|INFO|WARNING|ERROR|FATAL)\] ?((?:\[[^\]]*\])*):? ?/;
const REQUEST_ID_FIELD = /\[requestID="([^"]{1,128})"\]/;
// 2.x core's log middleware, at level debug, names the id it gives a request before any line carries it as a field.
const ATTACH_REQUEST_ID = /^attach request id (\S{1,128}) to the logger for the request /;
const NGINX = /^\S+ - (?:\S+ \[[^\]]*\] )?"([A-Z]{1,16}) (\S{1,4096})[^"]*" (\d{3}) /;
const LOGRUS_FIELD = /([\w.]+)=("(?:[^"\\]|\\.)*"|\S*)/g;

const LEVELS: Readonly<Record<string, LogLevel>> = {
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  warning: 'warning',
  error: 'error',
  fatal: 'fatal',
  panic: 'fatal',
};

export interface ParseContext {
  readonly node: string;
  readonly component: string;
  /** Now, to give a syslog time (which has no year) its year: the latest not more than a day ahead. */
  readonly now: number;
  /** The time of the line before (for lines without one). */
  previousTime: number;
}

/** Parses one line; never throws (an odd line is raw text). */
export function parseLine(raw: string, ctx: ParseContext): LogLine {
  let body = raw;
  let time: number | null = null;
  const sys = SYSLOG.exec(raw);
  if (sys) {
    time = syslogTime(sys, ctx.now);
    body = raw.slice(sys[0].length);
  } else {
    const iso = SYSLOG_ISO.exec(raw);
    if (iso) {
      time = Date.parse(iso[1]!);
      body = raw.slice(iso[0].length);
    }
  }
  const own = componentFields(body);
  // The component's own time is finer than syslog's seconds (or carries the year); prefer it when there is one.
  const t = own.time ?? time;
  const at = t !== null && Number.isFinite(t) ? t : ctx.previousTime;
  ctx.previousTime = at;
  return {
    time: at,
    node: ctx.node,
    component: ctx.component,
    level: own.level,
    requestId: own.requestId,
    request: own.request,
    text: body,
  };
}

interface Fields {
  readonly time: number | null;
  readonly level: LogLevel | null;
  readonly requestId: string | null;
  readonly request: LogLine['request'];
}

function componentFields(body: string): Fields {
  const h = HARBOR.exec(body);
  if (h) {
    return {
      time: Date.parse(h[1]!),
      level: LEVELS[h[2]!.toLowerCase()] ?? null,
      requestId: REQUEST_ID_FIELD.exec(h[3] ?? '')?.[1] ?? ATTACH_REQUEST_ID.exec(body.slice(h[0].length))?.[1] ?? null,
      request: null,
    };
  }
  if (body.startsWith('time="')) return logrusFields(body);
  const n = NGINX.exec(body);
  if (n) {
    const status = Number(n[3]);
    return {
      time: null,
      level: status >= 500 ? 'error' : status >= 400 ? 'warning' : 'info',
      requestId: null,
      request: { method: n[1]!, path: n[2]!, status },
    };
  }
  return { time: null, level: null, requestId: null, request: null };
}

function logrusFields(body: string): Fields {
  const f = new Map<string, string>();
  for (const m of body.matchAll(LOGRUS_FIELD)) {
    const v = m[2]!;
    f.set(m[1]!, v.startsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);
  }
  const time = f.has('time') ? Date.parse(f.get('time')!) : NaN;
  const method = f.get('http.request.method');
  const path = f.get('http.request.uri');
  const status = Number(f.get('http.response.status'));
  return {
    time: Number.isFinite(time) ? time : null,
    level: LEVELS[f.get('level') ?? ''] ?? null,
    requestId: f.get('http.request.id')?.slice(0, 128) || null,
    request: method && path ? { method, path, status: Number.isFinite(status) ? status : 0 } : null,
  };
}

function syslogTime(m: RegExpExecArray, now: number): number | null {
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  const day = Number(m[2]!.trim());
  const [h, min, s] = [Number(m[3]), Number(m[4]), Number(m[5])];
  const year = new Date(now).getUTCFullYear();
  const t = Date.UTC(year, month, day, h, min, s);
  // A December line read in January belongs to last year.
  return t > now + 86_400_000 ? Date.UTC(year - 1, month, day, h, min, s) : t;
}

/**
 * Splits text into lines and parses each (the caller drops a partial first line). Lines before the first with a time
 * (a chunk that starts inside a stack trace) take the first time that follows, so they stay beside their entry.
 */
export function parseText(text: string, ctx: ParseContext): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) if (raw !== '') out.push(parseLine(raw.replace(/\r$/, ''), ctx));
  let next = Number.NaN;
  for (let i = out.length - 1; i >= 0; i--) {
    const l = out[i]!;
    if (!Number.isNaN(l.time)) next = l.time;
    else out[i] = { ...l, time: Number.isNaN(next) ? 0 : next };
  }
  return out;
}

/** A context for a file read from somewhere in its middle: no time known before its first line. */
export function freshContext(node: string, component: string, now: number): ParseContext {
  return { node, component, now, previousTime: Number.NaN };
}
