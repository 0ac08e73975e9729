/** Schemas for what clients send over the transports; the server side validates with them. */
import { z } from 'zod';

/** Subscription ids are chosen by the client; they only need to be unique per connection. */
export const subscriptionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Client → server over the WebSocket. */
export const clientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), name: z.string().max(128), input: z.unknown() }).strict(),
  z.object({ t: z.literal('sub'), id: subscriptionId, name: z.string().max(128), input: z.unknown() }).strict(),
  z.object({ t: z.literal('unsub'), id: subscriptionId }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessage>;
