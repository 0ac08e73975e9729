import type { CallsOf, StreamsOf } from '../api/dispatcher';
import { fromVaultError } from '../profiles/service';
import { SshError } from '../ssh/errors';
import type { TerminalManager } from '../terminal/manager';

function apiError(error: unknown): unknown {
  if (error instanceof SshError) return error.toApiError();
  return fromVaultError(error);
}

async function mapped<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (error) {
    throw apiError(error);
  }
}

export function terminalHandlers(terminals: TerminalManager): { calls: CallsOf<'terminal'>; streams: StreamsOf<'terminal'> } {
  return {
    calls: {
      'terminal.open': (input) => mapped(async () => (await terminals.open(input)).info()),
      'terminal.input': ({ sessionIds, data }) => ({ delivered: terminals.input(sessionIds, data) }),
      'terminal.ack': ({ sessionId, chars }) => {
        terminals.get(sessionId).ack(chars);
        return null;
      },
      'terminal.resize': ({ sessionId, cols, rows }) => {
        terminals.get(sessionId).resize(cols, rows);
        return null;
      },
      'terminal.reconnect': ({ sessionId }) =>
        mapped(async () => {
          await terminals.get(sessionId).reconnect();
          return null;
        }),
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
