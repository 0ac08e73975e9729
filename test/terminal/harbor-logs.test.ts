/**
 * Harbor's logs across two lab nodes through the real core (real sshd, real files under /var/log/harbor, dd and
 * tail -F on the nodes): the lines are those real Harbor writes (syslog prefix of the `log` container; core's lib/log
 * with requestID, registry's logrus, nginx's timed_combined without a request id). The merged view in time order
 * across nodes, the filters, a proxy request traced to its core lines on the node that served it, a line appended
 * while following, a 50 MB file read a chunk from the end (bytes counted), secrets masked, the bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogChunk, LogFollowEvent, LogLine, LogTrace } from '../../shared/api/contracts/logs';
import { HIGH_WATERMARK } from '../../electron/core/logs/follow';
import { ApiError } from '../../shared/errors';
import { profileSchema } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';
import { coreLine, proxyLine, rfc3339, syslog } from '../helpers/harbor-log-lines';
import { caller } from '../helpers/terminal';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();
const call = caller(core);
/** Whole seconds, a minute ago: syslog's prefix has seconds and no year. */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

const PATH_A = '/api/v2.0/projects/lab/repositories';
const PATH_B = '/api/v2.0/systeminfo';

beforeAll(async () => {
  l = await lab.up({ nodes: 2, services: [] });
  await core.vault.initialize('vault passphrase for log tests');
  const [n1, n2] = [l.node(1), l.node(2)];
  await core.profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.nodes = [n1, n2].map((n, i) => ({
          id: `n${i + 1}`,
          name: n.name,
          host: n.address,
          auth: { kind: 'password' as const, password: { value: n.password } },
        }));
      }),
    ),
  );
  for (const id of ['n1', 'n2']) {
    const first = await call<{ status: string; fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId: id });
    if (first.status === 'host_key_unknown') await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
  }
  const t = (s: number) => T0 + s * 1000;
  // n1 serves PATH_B at +1 s and +5 s; n2 serves PATH_A at +3 s (core logs its request id when the level is debug).
  await n1.execOk('mkdir -p /var/log/harbor');
  await n2.execOk('mkdir -p /var/log/harbor');
  await n1.writeFile(
    '/var/log/harbor/core.log',
    coreLine(t(0), 'INFO', '/core/main.go:188', null, 'core started') +
      coreLine(
        t(1),
        'DEBUG',
        '/server/middleware/log/log.go:30',
        null,
        `attach request id r1 to the logger for the request GET ${PATH_B}`,
      ) +
      coreLine(
        t(5),
        'ERROR',
        '/lib/http/error.go:57',
        'r5',
        `{"errors":[{"code":"UNAUTHORIZED","message":"password ${n1.password} was wrong"}]}`,
      ),
  );
  await n1.writeFile('/var/log/harbor/proxy.log', proxyLine(t(1), 'GET', PATH_B, 200) + proxyLine(t(5), 'GET', PATH_B, 401));
  await n2.writeFile(
    '/var/log/harbor/core.log',
    coreLine(t(2), 'INFO', '/core/main.go:188', null, 'core started') +
      coreLine(
        t(3),
        'DEBUG',
        '/server/middleware/log/log.go:30',
        null,
        `attach request id r3 to the logger for the request GET ${PATH_A}`,
      ) +
      coreLine(t(3), 'WARNING', '/server/middleware/security/idtoken.go:45', 'r3', 'failed to verify token') +
      coreLine(
        t(3),
        'DEBUG',
        '/server/middleware/log/log.go:30',
        null,
        `attach request id r4 to the logger for the request GET ${PATH_B}`,
      ) +
      coreLine(t(40), 'ERROR', '/lib/http/error.go:57', 'r3', 'late line of the same request'),
  );
  await n2.writeFile('/var/log/harbor/proxy.log', proxyLine(t(3), 'GET', PATH_A, 500) + proxyLine(t(3), 'GET', PATH_B, 200));
  // 50 MB of jobservice lines, then one to recognise.
  await n2.execOk(
    `yes '${syslog(T0 - 3_600_000, 'jobservice')}${rfc3339(T0 - 3_600_000)} [INFO] [/jobservice/worker/cworker/c_worker.go:1]: filler' | head -c 52428800 | sed '$d' > /var/log/harbor/jobservice.log`,
  );
  await n2.execOk(
    `printf '%s\\n' ${JSON.stringify(`${syslog(t(4), 'jobservice')}${rfc3339(t(4))} [INFO] [/jobservice/job.go:9]: the last job line`)} >> /var/log/harbor/jobservice.log`,
  );
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

const read = (input: Record<string, unknown>) => call<LogChunk>('logs.read', { profileId: 'lab', nodeIds: ['n1', 'n2'], ...input });
const summary = (lines: readonly LogLine[]) => lines.map((x) => `${x.node} ${x.component} ${(x.time - T0) / 1000}`);

describe('Harbor logs of two lab nodes', () => {
  it('merges core and proxy of both nodes by time, masks secrets, reads the 50 MB file only from its end', async () => {
    const chunk = await read({ filter: { components: ['core', 'proxy', 'jobservice'] }, chunkBytes: 65_536 });
    expect(chunk.failures).toEqual([]);
    const recent = chunk.lines.filter((x) => x.time >= T0);
    expect(summary(recent)).toEqual([
      'n1 core 0',
      'n1 core 1',
      'n1 proxy 1',
      'n2 core 2',
      'n2 core 3',
      'n2 core 3',
      'n2 core 3',
      'n2 proxy 3',
      'n2 proxy 3',
      'n2 jobservice 4',
      'n1 core 5',
      'n1 proxy 5',
      'n2 core 40',
    ]);
    const password = l.node(1).password;
    expect(chunk.lines.some((x) => x.text.includes(password))).toBe(false);
    expect(recent.find((x) => x.level === 'error' && x.node === 'n1')!.text).toContain('password ****** was wrong');
    // Each file's last 64 KiB at most, the 50 MB one included.
    expect(chunk.files.find((f) => f.component === 'jobservice')!.size).toBeGreaterThan(50_000_000);
    expect(chunk.bytesRead).toBeLessThanOrEqual(5 * 65_536);
    // The chunk before: the 64 KiB that end where this one's first whole line starts.
    const cursor = chunk.cursors.n2!.jobservice!;
    expect(cursor).toBeGreaterThan(50_000_000);
    const earlier = await read({ nodeIds: ['n2'], before: { n2: { jobservice: cursor } }, chunkBytes: 65_536 });
    expect(earlier.bytesRead).toBeLessThanOrEqual(65_536);
    expect(earlier.cursors.n2!.jobservice!).toBeLessThan(cursor);
    expect(earlier.lines.length).toBeGreaterThan(100);
    expect(earlier.lines.every((x) => x.text.endsWith(': filler'))).toBe(true);
  });

  it('reads the end of every file of a node in one command (one round trip, no listing before the reads)', async () => {
    const logCommands = () => core.audit.read(100_000).filter((e) => e.purpose?.startsWith('logs:')).length;
    const before = logCommands();
    const chunk = await read({ chunkBytes: 65_536 });
    expect(chunk.files.map((f) => `${f.node} ${f.component}`)).toEqual(['n1 core', 'n1 proxy', 'n2 core', 'n2 jobservice', 'n2 proxy']);
    expect(logCommands() - before).toBe(2);
  });

  it('filters in the core: node, component, level, text and time range', async () => {
    const only = async (filter: Record<string, unknown>) =>
      summary((await read({ filter: { components: ['core', 'proxy'], ...filter } })).lines);
    expect(await only({ levels: ['error'] })).toEqual(['n2 proxy 3', 'n1 core 5', 'n2 core 40']);
    expect(await only({ nodeIds: ['n1'], components: ['proxy'] })).toEqual(['n1 proxy 1', 'n1 proxy 5']);
    expect(await only({ text: 'FAILED TO VERIFY' })).toEqual(['n2 core 3']);
    expect(await only({ from: T0 + 2000, to: T0 + 3000, components: ['proxy'] })).toEqual(['n2 proxy 3', 'n2 proxy 3']);
  });

  it('traces a proxy request to the core lines of its request id on the node that served it', async () => {
    const proxy = (await read({ filter: { nodeIds: ['n2'], components: ['proxy'], levels: ['error'] } })).lines[0]!;
    expect(proxy.request).toEqual({ method: 'GET', path: PATH_A, status: 500 });
    const trace = await call<LogTrace>('logs.trace', {
      profileId: 'lab',
      nodeId: proxy.node,
      time: proxy.time,
      method: proxy.request!.method,
      path: proxy.request!.path,
    });
    const byId = trace.lines.filter((x) => x.match === 'request-id');
    // r3's three lines, the one 37 s later included; r4 (another request in the same second) only by time.
    expect(byId.map((x) => x.text.replace(/^\S+ /, ''))).toEqual([
      expect.stringContaining(`attach request id r3 to the logger for the request GET ${PATH_A}`),
      expect.stringContaining('failed to verify token'),
      expect.stringContaining('late line of the same request'),
    ]);
    expect(trace.lines.every((x) => x.node === 'n2')).toBe(true);
    expect(trace.lines.find((x) => x.requestId === 'r4')?.match).toBe('time');
  });

  it('traces a request that is no longer in the last chunk: the files are read back, a chunk at a time, to its time', async () => {
    const filler = 'x'.repeat(1500);
    const later = Array.from({ length: 6 }, (_, k) => coreLine(T0 + 50_000, 'INFO', '/core/api/x.go:1', `p${k}`, filler)).join('');
    await l.node(1).execOk(`cat >> /var/log/harbor/core.log`, { stdin: later });
    const trace = await call<LogTrace>('logs.trace', {
      profileId: 'lab',
      nodeId: 'n1',
      time: T0 + 1000,
      method: 'GET',
      path: PATH_B,
      chunkBytes: 1024,
    });
    expect(trace.lines.filter((x) => x.match === 'request-id').map((x) => x.requestId)).toEqual(['r1']);
  });

  it('follows both nodes: a line appended after following started arrives, acknowledged', async () => {
    const events: LogFollowEvent[] = [];
    let wake = () => undefined as void;
    const { envelope, stop } = core.dispatcher.subscribe(
      'logs-follow-1',
      'logs.follow',
      { profileId: 'lab', nodeIds: ['n1', 'n2'], filter: { components: ['core'] } },
      (m) => {
        if (m.kind === 'data') events.push(m.payload as LogFollowEvent);
        wake();
      },
      { transport: 'websocket' },
    );
    if (!envelope.ok) throw ApiError.from(envelope.error);
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise<void>((r) => (wake = r));
    };
    try {
      await until(() => events.filter((e) => e.type === 'state' && e.state === 'following').length === 2);
      const t = Date.now();
      await l
        .node(2)
        .execOk(
          `printf '%s\\n' ${JSON.stringify(coreLine(t, 'INFO', '/core/api/x.go:1', 'r9', 'appended while following').trim())} >> /var/log/harbor/core.log`,
        );
      await until(() => events.some((e) => e.type === 'lines' && e.lines.some((x) => x.text.includes('appended while following'))));
      const got = events.flatMap((e) => (e.type === 'lines' ? e.lines : []));
      expect(got.map((x) => [x.node, x.component, x.requestId])).toEqual([['n2', 'core', 'r9']]);
      await call('logs.ack', { profileId: 'lab', lines: got.length });
    } finally {
      stop();
    }
  });

  it('flow control: a page that does not acknowledge stops the nodes near the high watermark; acknowledged, every line arrives', async () => {
    const WRITTEN = HIGH_WATERMARK + 10_000;
    await l.node(1).execOk('touch /var/log/harbor/jobservice.log');
    let received = 0;
    let wake = () => undefined as void;
    const states: string[] = [];
    const { envelope, stop } = core.dispatcher.subscribe(
      'logs-follow-2',
      'logs.follow',
      { profileId: 'lab', nodeIds: ['n1'], filter: { components: ['jobservice'] } },
      (m) => {
        if (m.kind === 'data') {
          const e = m.payload as LogFollowEvent;
          if (e.type === 'lines') received += e.lines.length;
          else states.push(e.state);
        }
        wake();
      },
      { transport: 'websocket' },
    );
    if (!envelope.ok) throw ApiError.from(envelope.error);
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise<void>((r) => (wake = r));
    };
    try {
      await until(() => states.includes('following'));
      const prefix = `${syslog(T0, 'jobservice')}${rfc3339(T0)} [INFO] [/jobservice/worker.go:1]: job line`;
      await l.node(1).execOk(`seq 1 ${WRITTEN} | sed 's|^|${prefix} |' >> /var/log/harbor/jobservice.log`);
      await until(() => received >= HIGH_WATERMARK);
      // Time for the rest to arrive if nothing held it back (the file is written whole already).
      await new Promise((r) => setTimeout(r, 1500));
      const unacknowledged = received;
      expect(unacknowledged).toBeLessThan(WRITTEN - 5_000);
      await call('logs.ack', { profileId: 'lab', lines: unacknowledged });
      await until(() => received >= WRITTEN);
      expect(received).toBe(WRITTEN);
    } finally {
      stop();
    }
  });

  it('saves the lines as a bundle: merged.log by time and a file per node and component, masked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harbor-logs-bundle-'));
    const path = join(dir, 'logs.tar.gz');
    const r = await call<{ lines: number; bytes: number }>('logs.bundle', {
      profileId: 'lab',
      nodeIds: ['n1', 'n2'],
      filter: { components: ['core', 'proxy'], from: T0 },
      path,
    });
    execFileSync('tar', ['-xzf', path, '-C', dir]);
    const merged = readFileSync(join(dir, 'merged.log'), 'utf8').trim().split('\n');
    expect(merged).toHaveLength(r.lines);
    expect(merged.map((x) => x.split(' ').slice(1, 3).join(' '))).toEqual(
      [
        'n1 core:',
        'n1 core:',
        'n1 proxy:',
        'n2 core:',
        'n2 core:',
        'n2 core:',
        'n2 core:',
        'n2 proxy:',
        'n2 proxy:',
        'n1 core:',
        'n1 proxy:',
      ].concat(merged.slice(11).map((x) => x.split(' ').slice(1, 3).join(' '))),
    );
    expect(readFileSync(join(dir, 'n2', 'proxy.log'), 'utf8')).toContain(`"GET ${PATH_A} HTTP/1.1" 500`);
    // A boolean, so that a failure does not print the password.
    expect(readFileSync(join(dir, 'n1', 'core.log'), 'utf8').includes(l.node(1).password)).toBe(false);
    expect(readFileSync(join(dir, 'n1', 'core.log'), 'utf8')).toContain('password ****** was wrong');
    // Never over an existing file.
    const before = readFileSync(path);
    await expect(call('logs.bundle', { profileId: 'lab', nodeIds: ['n1'], path })).rejects.toMatchObject({ reason: 'bundle_exists' });
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
