import type { z } from 'zod';
import { contract, type Contract } from './contract';
import type { CallSpec, StreamSpec } from './define';

export { contract, type Contract };
export * from './types';
export type { CallSpec, StreamSpec } from './define';

export type CallName = { [K in keyof Contract]: Contract[K] extends CallSpec ? K : never }[keyof Contract];
export type StreamName = { [K in keyof Contract]: Contract[K] extends StreamSpec ? K : never }[keyof Contract];

export type CallInput<K extends CallName> = z.input<Contract[K]['input']>;
/** The input after validation (defaults filled in): what handlers receive. */
export type CallParsed<K extends CallName> = z.output<Contract[K]['input']>;
export type CallOutput<K extends CallName> = Contract[K] extends CallSpec<z.ZodType, infer O> ? O : never;

export type StreamInput<K extends StreamName> = z.input<Contract[K]['input']>;
export type StreamParsed<K extends StreamName> = z.output<Contract[K]['input']>;
export type StreamEvent<K extends StreamName> = Contract[K] extends StreamSpec<z.ZodType, infer E> ? E : never;

export const callNames = Object.keys(contract).filter((k) => contract[k as keyof Contract].kind === 'call') as CallName[];
export const streamNames = Object.keys(contract).filter((k) => contract[k as keyof Contract].kind === 'stream') as StreamName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(contract, name) && contract[name as keyof Contract].kind === 'call';
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.hasOwn(contract, name) && contract[name as keyof Contract].kind === 'stream';
}
