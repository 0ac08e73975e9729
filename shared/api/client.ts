/** The typed client over any transport. Used by the renderer, and by tests through the WebSocket. */
import { ApiError } from '../errors';
import type { CallInput, CallName, CallOutput, StreamEvent, StreamInput, StreamName } from './index';
import type { Transport } from './wire';

export interface StreamObserver<E> {
  next(event: E): void;
  error?(error: ApiError): void;
  complete?(): void;
}

export interface ApiClient {
  readonly transport: Transport['kind'];
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
  /** Resolves once the core accepted the subscription; the returned function ends it. */
  subscribe<K extends StreamName>(name: K, input: StreamInput<K>, observer: StreamObserver<StreamEvent<K>>): Promise<() => void>;
}

let counter = 0;
function nextId(): string {
  counter += 1;
  return `s${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function createClient(transport: Transport): ApiClient {
  return {
    transport: transport.kind,
    async call(name, input) {
      const envelope = await transport.call(name, input);
      if (!envelope.ok) throw ApiError.from(envelope.error);
      return envelope.value as never;
    },
    async subscribe(name, input, observer) {
      const id = nextId();
      let open = true;
      const envelope = await transport.subscribe(id, name, input, (message) => {
        if (!open) return;
        if (message.kind === 'data') observer.next(message.payload as never);
        else if (message.kind === 'end') {
          open = false;
          observer.complete?.();
        } else {
          open = false;
          observer.error?.(ApiError.from(message.error));
        }
      });
      if (!envelope.ok) {
        open = false;
        throw ApiError.from(envelope.error);
      }
      return () => {
        if (!open) return;
        open = false;
        void transport.unsubscribe(id);
      };
    },
  };
}
