import type { CallsOf, StreamsOf } from '../api/dispatcher';
import type { TerminalManager } from '../terminal/manager';

export function terminalHandlers(terminals: TerminalManager): { calls: CallsOf<'terminal'>; streams: StreamsOf<'terminal'> } {
  return {
    calls: {
      'terminal.open': async (input) => (await terminals.open(input)).info(),
      'terminal.input': ({ sessionIds, data }) => ({ delivered: terminals.input(sessionIds, data) }),
      'terminal.ack': ({ sessionId, chars }) => {
        terminals.get(sessionId).ack(chars);
        return null;
      },
      'terminal.resize': ({ sessionId, cols, rows }) => {
        terminals.get(sessionId).resize(cols, rows);
        return null;
      },
      'terminal.reconnect': async ({ sessionId }) => {
        await terminals.get(sessionId).reconnect();
        return null;
      },
      'terminal.setLogging': ({ sessionId, on }) => terminals.get(sessionId).setLogging(on).info(),
      'terminal.close': async ({ sessionId }) => {
        await terminals.get(sessionId).close();
        return null;
      },
      'terminal.list': ({ profileId }) => terminals.list(profileId),
    },
    streams: {
      'terminal.output': ({ sessionId }, sink) => terminals.get(sessionId).subscribe(sink),
    },
  };
}
