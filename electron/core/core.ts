/**
 * The core as the hosts see it: one object built from the host's facts, holding the dispatcher
 * that every transport talks to. Electron main and serve mode both create exactly this.
 */
import { appInfo, type HostInfo } from './app/info';
import { startClock } from './app/clock';
import { createDispatcher, type Dispatcher, type Handlers } from './api/dispatcher';
import type { Log, Redactor } from './log';

export interface CoreOptions {
  readonly host: HostInfo;
  readonly log: Log;
  readonly redactor: Redactor;
}

export interface Core {
  readonly dispatcher: Dispatcher;
  readonly log: Log;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const handlers: Handlers = {
    calls: {
      'app.info': (_input, ctx) => appInfo(options.host, ctx.transport),
    },
    streams: {
      'app.clock': (input, sink) => startClock(input.intervalMs, (tick) => sink.next(tick)),
    },
  };
  return {
    dispatcher: createDispatcher(handlers, options.log),
    log: options.log,
    close: async () => undefined,
  };
}
