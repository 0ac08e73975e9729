import type { z } from 'zod';

/** A request/response call: input validated with `input`, answered with `O`. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly kind: 'call';
  readonly input: I;
  readonly doc: string;
  /** Type-level only: the output type. Never set at run time. */
  readonly __output?: O;
}

/** An event stream: subscribed with `input`, delivers events of type `E` until unsubscribed. */
export interface StreamSpec<I extends z.ZodType = z.ZodType, E = unknown> {
  readonly kind: 'stream';
  readonly input: I;
  readonly doc: string;
  /** Type-level only: the event type. Never set at run time. */
  readonly __event?: E;
}

export type Spec = CallSpec | StreamSpec;

export function call<I extends z.ZodType>(input: I, doc: string) {
  return { returns: <O>(): CallSpec<I, O> => ({ kind: 'call', input, doc }) };
}

export function stream<I extends z.ZodType>(input: I, doc: string) {
  return { emits: <E>(): StreamSpec<I, E> => ({ kind: 'stream', input, doc }) };
}
