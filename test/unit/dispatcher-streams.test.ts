/**
 * The dispatcher's stream lifecycle with real handlers of the contract's `app.clock` stream: a stream that ends or
 * fails before its handler returns, a stop after the end, a refused subscription that never emits, and the bound on
 * an unknown name quoted back. Whatever a handler does, the client sees one end, in order, and the handler's stop
 * runs exactly once.
 */
import { describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../../electron/core/api/dispatcher';
import type { StreamMessage } from '../../shared/api/wire';
import { ApiError } from '../../shared/errors';

type Sink = Parameters<Handlers['streams']['app.clock']>[1];

/** A dispatcher whose app.clock stream runs `body` with its sink, and counts the stops. */
function withClock(body: (sink: Sink) => void) {
  let stops = 0;
  const handlers = {
    calls: {} as Handlers['calls'],
    streams: {
      'app.clock': (_input, sink) => {
        body(sink);
        return () => void stops++;
      },
    } as Partial<Handlers['streams']> as Handlers['streams'],
  } satisfies Handlers;
  const d = createDispatcher(handlers, { error: () => undefined });
  const events: StreamMessage[] = [];
  const sub = d.subscribe('s1', 'app.clock', { intervalMs: 100 }, (m) => events.push(m), { transport: 'ipc' });
  return { sub, events, stops: () => stops };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('stream lifecycle', () => {
  it('a stream that ends before its handler returns: its data, one end, the handler stopped once; nothing after', async () => {
    const { sub, events, stops } = withClock((sink) => {
      sink.next({ seq: 0, now: 'a' });
      sink.end();
      sink.next({ seq: 1, now: 'b' });
      sink.end();
    });
    expect(sub.envelope).toEqual({ ok: true, value: null });
    await tick();
    expect(events).toEqual([
      { id: 's1', kind: 'data', payload: { seq: 0, now: 'a' } },
      { id: 's1', kind: 'end' },
    ]);
    expect(stops()).toBe(1);
    sub.stop();
    expect(stops()).toBe(1);
  });

  it('a stream that fails carries the error, ends there, and is stopped once', async () => {
    const { events, stops } = withClock((sink) => {
      sink.fail(new ApiError({ code: 'internal', message: { en: 'clock broke', 'zh-CN': '时钟故障' } }));
      sink.end();
    });
    await tick();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: 's1', kind: 'error', error: { code: 'internal', message: { en: 'clock broke' } } });
    expect(stops()).toBe(1);
  });

  it('a stop from the client stops the handler once, and later data is dropped', async () => {
    let later: Sink | undefined;
    const { sub, events, stops } = withClock((sink) => (later = sink));
    await tick();
    sub.stop();
    sub.stop();
    expect(stops()).toBe(1);
    later!.next({ seq: 5, now: 'late' });
    later!.end();
    await tick();
    expect(events).toEqual([]);
  });

  it('a refused subscription emits nothing and its stop does nothing; an unknown name is quoted to 128 characters', async () => {
    const d = createDispatcher({ calls: {} as Handlers['calls'], streams: {} as Handlers['streams'] }, { error: () => undefined });
    const events: StreamMessage[] = [];
    const name = `no.such.stream.${'x'.repeat(200)}`;
    const sub = d.subscribe('s2', name, {}, (m) => events.push(m), { transport: 'websocket' });
    expect(sub.envelope.ok).toBe(false);
    const text = JSON.stringify(sub.envelope);
    expect(text).toContain(name.slice(0, 128));
    expect(text).not.toContain(name.slice(0, 129));
    sub.stop();
    await tick();
    expect(events).toEqual([]);
    const call = await d.call(name, {}, { transport: 'websocket' });
    expect(JSON.stringify(call)).toContain(name.slice(0, 128));
    expect(JSON.stringify(call)).not.toContain(name.slice(0, 129));
  });
});
