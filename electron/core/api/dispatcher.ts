/**
 * Turns the contract plus core's handlers into the two operations every transport needs:
 * `call` and `subscribe`. Inputs are validated with the contract's zod schema here, before any
 * handler sees them, so the IPC binding and the WebSocket server cannot forget to. What handlers
 * throw is answered in the API's terms here too (./errors.ts), for both transports alike.
 */
import {
  contract,
  isCallName,
  isStreamName,
  type CallName,
  type CallOutput,
  type CallParsed,
  type StreamEvent,
  type StreamName,
  type StreamParsed,
  type TransportKind,
} from '../../../shared/api';
import { inputSizeIssue } from '../../../shared/api/limits';
import type { Envelope, StreamMessage } from '../../../shared/api/wire';
import { ApiError, errors } from '../../../shared/errors';
import { toFieldIssues } from '../../../shared/validation';
import { toClientError } from './errors';

export interface CallContext {
  readonly transport: TransportKind;
}

export type CallHandlers = {
  [K in CallName]: (input: CallParsed<K>, ctx: CallContext) => Promise<CallOutput<K>> | CallOutput<K>;
};

/** Starts a stream; returns the function that stops it. `end` finishes it from the core's side. */
export type StreamHandlers = {
  [K in StreamName]: (
    input: StreamParsed<K>,
    sink: { next(event: StreamEvent<K>): void; end(): void; fail(error: ApiError): void },
    ctx: CallContext,
  ) => () => void;
};

/** The call handlers of one feature: every call whose name starts with one of the prefixes. */
export type CallsOf<P extends string> = { [K in CallName as K extends `${P}.${string}` ? K : never]: CallHandlers[K] };
/** The stream handlers of one feature. */
export type StreamsOf<P extends string> = { [K in StreamName as K extends `${P}.${string}` ? K : never]: StreamHandlers[K] };

export interface Handlers {
  readonly calls: CallHandlers;
  readonly streams: StreamHandlers;
}

export interface Logger {
  error(message: string, detail?: unknown): void;
}

export interface Dispatcher {
  call(name: unknown, input: unknown, ctx: CallContext): Promise<Envelope>;
  /**
   * Validates and starts a stream. On success `emit` receives its messages until the returned
   * `stop` is called or the stream ends; on failure nothing is emitted. Nothing is emitted before
   * this returns (early events wait for a microtask), so a transport can acknowledge the
   * subscription first and the client never sees an event for a subscription it does not know.
   */
  subscribe(
    id: string,
    name: unknown,
    input: unknown,
    emit: (message: StreamMessage) => void,
    ctx: CallContext,
  ): { envelope: Envelope<null>; stop: () => void };
}

function validate(name: string, schema: (typeof contract)[keyof typeof contract]['input'], input: unknown): unknown {
  // Size first, for every transport alike: zod never walks an input larger than the largest legal one.
  const tooLarge = inputSizeIssue(input);
  if (tooLarge) throw errors.invalidInput(name, [tooLarge]);
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw errors.invalidInput(name, toFieldIssues(parsed.error));
  return parsed.data;
}

export function createDispatcher(handlers: Handlers, log: Logger): Dispatcher {
  function fail(error: unknown): Envelope<never> {
    return { ok: false, error: toClientError(error, log).toData() };
  }

  return {
    async call(name, input, ctx) {
      try {
        if (!isCallName(name)) throw errors.unknownCall(String(name).slice(0, 128));
        const parsed = validate(name, contract[name].input, input);
        const handler = handlers.calls[name] as (i: unknown, c: CallContext) => unknown;
        return { ok: true, value: await handler(parsed, ctx) };
      } catch (error) {
        return fail(error);
      }
    },

    subscribe(id, name, input, rawEmit, ctx) {
      let active = true;
      let held: StreamMessage[] | null = [];
      const emit = (message: StreamMessage) => (held ? held.push(message) : rawEmit(message));
      queueMicrotask(() => {
        const early = held ?? [];
        held = null;
        for (const message of early) rawEmit(message);
      });
      let stopHandler: (() => void) | undefined;
      const finish = (message: StreamMessage) => {
        if (!active) return;
        active = false;
        emit(message);
        stopHandler?.();
      };
      try {
        if (!isStreamName(name)) throw errors.unknownCall(String(name).slice(0, 128));
        const parsed = validate(name, contract[name].input, input);
        const handler = handlers.streams[name] as (i: unknown, s: unknown, c: CallContext) => () => void;
        stopHandler = handler(
          parsed,
          {
            next: (payload: unknown) => {
              if (active) emit({ id, kind: 'data', payload });
            },
            end: () => finish({ id, kind: 'end' }),
            fail: (error: ApiError) => finish({ id, kind: 'error', error: error.toData() }),
          },
          ctx,
        );
        if (!active) stopHandler();
        return {
          envelope: { ok: true, value: null },
          stop: () => {
            if (!active) return;
            active = false;
            stopHandler?.();
          },
        };
      } catch (error) {
        active = false;
        held = null;
        return { envelope: fail(error), stop: () => undefined };
      }
    },
  };
}
