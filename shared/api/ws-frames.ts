/**
 * Binary frames of serve mode's WebSocket, for the one kind of message that carries bulk text: a
 * stream event whose payload has a string `data` (terminal output, tens of MB/s in a flood).
 * As JSON, that text was escaped by the core (every ESC of a colour sequence six bytes, every
 * CR LF four), scanned again by the browser's JSON parser and, as a text frame, its UTF-8 checked
 * once more. As a binary frame it is copied out as UTF-8 once and decoded natively once:
 *
 *   [header length: uint32, big-endian][header: the message without payload.data, as JSON][payload.data as UTF-8]
 *
 * Every other message stays a JSON text frame; the client puts `data` back, so what subscribers
 * receive does not change. Messages from the client are always text.
 */
import type { ServerMessage } from './wire';

export const HEADER_LENGTH_BYTES = 4;

/** The message split into its JSON header and its bulk text, or null when it has no text to carry in binary. */
export function splitBulkText(message: ServerMessage): { readonly header: string; readonly text: string } | null {
  if (message.t !== 'stream' || message.kind !== 'data') return null;
  const payload = message.payload;
  if (typeof payload !== 'object' || payload === null || typeof (payload as { data?: unknown }).data !== 'string') return null;
  const { data, ...rest } = payload as { data: string };
  return { header: JSON.stringify({ ...message, payload: rest }), text: data };
}

// Browsers and Node both have it; shared/ compiles without either's types.
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };
const utf8 = new TextDecoder();

/** The message a binary frame carries (see the layout above). */
export function decodeBinaryFrame(frame: ArrayBuffer | ArrayBufferView): ServerMessage {
  const bytes = frame instanceof ArrayBuffer ? new Uint8Array(frame) : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const headerEnd = HEADER_LENGTH_BYTES + headerBytes;
  const message = JSON.parse(utf8.decode(bytes.subarray(HEADER_LENGTH_BYTES, headerEnd))) as { payload: Record<string, unknown> };
  message.payload.data = utf8.decode(bytes.subarray(headerEnd));
  return message as unknown as ServerMessage;
}
