import { describe, expect, it } from 'vitest';
import { contract, callNames, streamNames } from '../../shared/api';
import { createDispatcher, type Handlers } from '../../electron/core/api/dispatcher';
import type { StreamMessage } from '../../shared/api/wire';
import { ApiError } from '../../shared/errors';

function collectLog() {
  const lines: string[] = [];
  return { lines, log: { error: (m: string, d?: unknown) => lines.push(`${m} ${String(d)}`) } };
}

function dispatcher(overrides: Partial<Handlers['calls']> = {}) {
  const { lines, log } = collectLog();
  const seen: unknown[] = [];
  // Only the calls this test makes; the dispatcher never reaches the others.
  const handlers = {
    calls: {
      'app.info': (input, ctx) => {
        seen.push(input);
        return {
          name: 'x',
          version: '1',
          platform: 'linux',
          arch: 'x64',
          versions: { node: '20', electron: null, chrome: null },
          transport: ctx.transport,
          locale: 'en',
          dataDir: '/d',
        };
      },
      ...overrides,
    } as Handlers['calls'],
    streams: {
      'app.clock': (input, sink) => {
        sink.next({ seq: 0, now: new Date(0).toISOString() });
        const t = setInterval(() => sink.next({ seq: 1, now: new Date().toISOString() }), input.intervalMs);
        return () => clearInterval(t);
      },
    } as Partial<Handlers['streams']> as Handlers['streams'],
  } satisfies Handlers;
  return { d: createDispatcher(handlers, log), seen, lines };
}

describe('the API contract', () => {
  it('lists calls and streams by kind', () => {
    expect(callNames).toContain('app.info');
    expect(streamNames).toContain('app.clock');
    for (const name of Object.keys(contract)) expect(name).toMatch(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/);
  });
});

describe('dispatcher validation', () => {
  it('answers a valid call with the handler value', async () => {
    const { d } = dispatcher();
    const env = await d.call('app.info', {}, { transport: 'ipc' });
    expect(env.ok).toBe(true);
    expect(env.ok && (env.value as { transport: string }).transport).toBe('ipc');
  });

  it('rejects unknown fields before the handler sees them, naming the field in both languages', async () => {
    const { d, seen } = dispatcher();
    const env = await d.call('app.info', { sneaky: 1 }, { transport: 'ipc' });
    expect(seen).toHaveLength(0);
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.code).toBe('invalid_input');
    expect(env.error.message.en).toContain('app.info');
    expect(env.error.message.en).toContain('sneaky');
    expect(env.error.message['zh-CN']).toContain('未知字段');
  });

  it('rejects a wrongly typed input with the field path', async () => {
    const { d } = dispatcher();
    for (const input of [null, 'x', 42, []]) {
      const env = await d.call('app.info', input, { transport: 'websocket' });
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.code).toBe('invalid_input');
    }
    const events: StreamMessage[] = [];
    const sub = d.subscribe('s1', 'app.clock', { intervalMs: 5 }, (m) => events.push(m), { transport: 'ipc' });
    expect(sub.envelope.ok).toBe(false);
    if (!sub.envelope.ok) {
      expect(sub.envelope.error.issues?.[0]?.path).toBe('intervalMs');
      expect(sub.envelope.error.issues?.[0]?.message.en).toBe('must be at least 100');
      expect(sub.envelope.error.issues?.[0]?.message['zh-CN']).toBe('不能小于 100');
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toHaveLength(0);
  });

  it('refuses names that are not in the contract, including prototype keys', async () => {
    const { d } = dispatcher();
    for (const name of ['app.nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const env = await d.call(name, {}, { transport: 'ipc' });
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.code).toBe('unknown_call');
    }
    // A stream is not a call, and a call is not a stream.
    const env = await d.call('app.clock', { intervalMs: 1000 }, { transport: 'ipc' });
    expect(!env.ok && env.error.code).toBe('unknown_call');
    const sub = d.subscribe('s2', 'app.info', {}, () => undefined, { transport: 'ipc' });
    expect(!sub.envelope.ok && sub.envelope.error.code).toBe('unknown_call');
  });

  it('turns an unexpected failure into an internal error with a reference, without its message', async () => {
    const { d, lines } = dispatcher({
      'app.info': () => {
        throw new Error('password=hunter2 leaked in a driver message');
      },
    });
    const env = await d.call('app.info', {}, { transport: 'ipc' });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.code).toBe('internal');
    expect(JSON.stringify(env.error)).not.toContain('hunter2');
    const ref = /reference ([0-9a-f]{8})/.exec(env.error.message.en)?.[1];
    expect(ref).toBeDefined();
    expect(lines.join('\n')).toContain(ref);
  });

  it('passes ApiErrors thrown by handlers through unchanged', async () => {
    const { d } = dispatcher({
      'app.info': () => {
        throw new ApiError({ code: 'unauthorized', message: { en: 'no', 'zh-CN': '不' }, node: 'node-1' });
      },
    });
    const env = await d.call('app.info', {}, { transport: 'ipc' });
    expect(env).toEqual({ ok: false, error: { code: 'unauthorized', message: { en: 'no', 'zh-CN': '不' }, node: 'node-1' } });
  });

  it('holds stream events until the subscription has been acknowledged, then delivers them in order', async () => {
    const { d } = dispatcher();
    const events: StreamMessage[] = [];
    const { envelope, stop } = d.subscribe('s3', 'app.clock', { intervalMs: 100 }, (m) => events.push(m), { transport: 'ipc' });
    expect(envelope.ok).toBe(true);
    expect(events).toHaveLength(0); // the first tick was produced synchronously but is held back
    await Promise.resolve();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: 's3', kind: 'data', payload: { seq: 0 } });
    await new Promise((r) => setTimeout(r, 230));
    stop();
    const count = events.length;
    expect(count).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(events.length).toBe(count); // nothing after stop
  });
});
