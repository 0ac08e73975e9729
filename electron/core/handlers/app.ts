import { appInfo, type HostInfo } from '../app/info';
import { startClock } from '../app/clock';
import type { CallsOf, StreamsOf } from '../api/dispatcher';

export function appHandlers(host: HostInfo): { calls: CallsOf<'app'>; streams: StreamsOf<'app'> } {
  return {
    calls: { 'app.info': (_input, ctx) => appInfo(host, ctx.transport) },
    streams: { 'app.clock': (input, sink) => startClock(input.intervalMs, (tick) => sink.next(tick)) },
  };
}
