/**
 * Harbor's log lines as real Harbor writes them (syslog prefix of the `log` container, then the component's format:
 * lines taken from goharbor/harbor issues #13460, #14250, #16668 and the nginx `timed_combined` format of the 1.5 and
 * 2.x templates) parsed by electron/core/logs/parse.ts, and the stable merge by time of merge.ts.
 */
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/api/contracts/logs';
import { lineFilter, mergeByTime } from '../../electron/core/logs/merge';
import { freshContext, parseLine, parseText } from '../../electron/core/logs/parse';

const NOW = Date.UTC(2026, 11, 8, 1, 0, 0);
const ctx = (component: string) => freshContext('n1', component, NOW);

describe('parsing Harbor log lines', () => {
  it('core (2.x): the RFC 3339 time, the level and the requestID field', () => {
    const l = parseLine(
      'Dec  8 00:33:52 172.18.0.1 core[45156]: 2026-12-08T00:33:52Z [WARNING] [/server/middleware/security/idtoken.go:45][requestID="e8d126bc9c549eb3ac6af5195187eac0"]: failed to verify token',
      ctx('core'),
    );
    expect(l).toMatchObject({
      time: Date.UTC(2026, 11, 8, 0, 33, 52),
      node: 'n1',
      component: 'core',
      level: 'warning',
      requestId: 'e8d126bc9c549eb3ac6af5195187eac0',
      request: null,
    });
    expect(l.text).toMatch(/^2026-12-08T00:33:52Z \[WARNING\]/);
  });

  it('core (2.x, level debug): the id its log middleware gives a request, named in the message', () => {
    const l = parseLine(
      'Dec  8 01:25:12 172.18.0.1 core[1]: 2026-12-08T01:25:12Z [DEBUG] [/server/middleware/log/log.go:30]: attach request id e8d126bc9c549eb3ac6af5195187eac0 to the logger for the request GET /api/v2.0/system/gc/121/log',
      ctx('core'),
    );
    expect(l).toMatchObject({ level: 'debug', requestId: 'e8d126bc9c549eb3ac6af5195187eac0' });
  });

  it('core without a request id, and a 1.x-style line without a location', () => {
    expect(
      parseLine('Dec  8 00:33:59 172.21.0.1 core[1]: 2026-12-08T00:33:59Z [ERROR] [/lib/http/error.go:54]: {"errors":[]}', ctx('core')),
    ).toMatchObject({ level: 'error', requestId: null, time: Date.UTC(2026, 11, 8, 0, 33, 59) });
    expect(parseLine('Dec  8 00:34:00 172.21.0.1 ui[1]: 2026-12-08T00:34:00Z [INFO] started', ctx('ui'))).toMatchObject({ level: 'info' });
  });

  it('registry (logrus): its own time with fractions, level and http.request.id, method and uri', () => {
    const l = parseLine(
      'Apr  7 08:27:09 ubuntu registry[1655363]: time="2026-04-07T08:27:09.7183258Z" level=info msg="authorized request" go.version=go1.17.2 http.request.host=10.202.250.197 http.request.id=5655c306-28ef-4bb5-8f6b-70bd8a02d378 http.request.method=HEAD http.request.remoteaddr=10.117.180.99 http.request.uri="/v2/library/golang/blobs/sha256:1c9a" vars.name="library/golang"',
      ctx('registry'),
    );
    expect(l).toMatchObject({
      time: Date.parse('2026-04-07T08:27:09.718Z'),
      level: 'info',
      requestId: '5655c306-28ef-4bb5-8f6b-70bd8a02d378',
      request: { method: 'HEAD', path: '/v2/library/golang/blobs/sha256:1c9a', status: 0 },
    });
  });

  it('proxy (nginx timed_combined): the request, the status as the level, the syslog time', () => {
    const l = parseLine(
      'Dec  8 00:33:52 172.18.0.1 proxy[7]: 10.0.0.9 - "GET /api/v2.0/projects?page=1 HTTP/1.1" 500 87 "-" "curl/8.5.0" 0.004 0.004 .',
      ctx('proxy'),
    );
    expect(l).toMatchObject({
      time: Date.UTC(2026, 11, 8, 0, 33, 52),
      level: 'error',
      requestId: null,
      request: { method: 'GET', path: '/api/v2.0/projects?page=1', status: 500 },
    });
  });

  it('a syslog time later than now (by more than a day) is last year', () => {
    const jan = freshContext('n1', 'proxy', Date.UTC(2027, 0, 2));
    expect(parseLine('Dec 31 23:59:59 h proxy[1]: x', jan).time).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
  });

  it('odd lines never throw: kept whole, with the time around them', () => {
    const lines = parseText(
      [
        '\tat some.stack.frame(File.java:1)',
        'Dec  8 00:33:52 172.18.0.1 core[1]: 2026-12-08T00:33:52Z [ERROR] boom',
        'panic: \u0000\uFFFD not a log line',
        'time="not a time" level=weird msg=',
        '',
      ].join('\n'),
      ctx('core'),
    );
    expect(lines.map((l) => l.time)).toEqual(Array(4).fill(Date.UTC(2026, 11, 8, 0, 33, 52)));
    expect(lines[2]).toMatchObject({ level: null, text: 'panic: \u0000\uFFFD not a log line' });
    expect(lines[3]).toMatchObject({ level: null, requestId: null });
  });
});

describe('merging nodes by time', () => {
  const line = (node: string, time: number, text: string): LogLine => ({
    time,
    node,
    component: 'core',
    level: 'info',
    requestId: null,
    request: null,
    text,
  });

  it('k lists in time order become one, equal times in the order of the lists and then of the file', () => {
    const a = [line('a', 1, 'a1'), line('a', 3, 'a3'), line('a', 3, 'a3b'), line('a', 7, 'a7')];
    const b = [line('b', 2, 'b2'), line('b', 3, 'b3'), line('b', 8, 'b8')];
    const c = [line('c', 0, 'c0'), line('c', 3, 'c3')];
    expect(mergeByTime([a, b, c]).map((l) => l.text)).toEqual(['c0', 'a1', 'b2', 'a3', 'a3b', 'b3', 'c3', 'a7', 'b8']);
  });

  it('a list out of order (a late syslog line) is sorted first', () => {
    expect(mergeByTime([[line('a', 5, 'x'), line('a', 2, 'y')], [line('b', 3, 'z')]]).map((l) => l.text)).toEqual(['y', 'z', 'x']);
  });

  it('filters: node, component, level, text (any case) and time range together', () => {
    const l = { ...line('a', 10, 'Token REFUSED'), level: 'error' as const };
    expect(lineFilter({ nodeIds: ['a'], components: ['core'], levels: ['error'], text: 'refused', from: 10, to: 10 })(l)).toBe(true);
    expect(lineFilter({ nodeIds: ['b'] })(l)).toBe(false);
    expect(lineFilter({ components: ['proxy'] })(l)).toBe(false);
    expect(lineFilter({ levels: ['info'] })(l)).toBe(false);
    expect(lineFilter({ text: 'accepted' })(l)).toBe(false);
    expect(lineFilter({ from: 11 })(l)).toBe(false);
    expect(lineFilter({ to: 9 })(l)).toBe(false);
  });
});
