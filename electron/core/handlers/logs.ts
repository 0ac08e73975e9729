import type { CallsOf, StreamsOf } from '../api/dispatcher';
import type { LogsService } from '../logs/service';

export function logsHandlers(logs: LogsService): { calls: CallsOf<'logs'>; streams: StreamsOf<'logs'> } {
  return {
    calls: {
      'logs.read': (input) => logs.read(input),
      'logs.trace': (input) => logs.trace(input),
      'logs.ack': ({ profileId, lines }) => {
        logs.ack(profileId, lines);
        return null;
      },
      'logs.bundle': (input) => logs.bundle(input),
    },
    streams: {
      'logs.follow': ({ profileId, nodeIds, filter }, sink) => logs.follow(profileId, nodeIds, filter, sink),
    },
  };
}
