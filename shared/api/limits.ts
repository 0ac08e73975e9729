/**
 * How large an input may be, in one place, so the contract, the dispatcher (both transports), the
 * WebSocket server's frame limit and the UI all agree. No zod and no Node here: the renderer and
 * the WebSocket client import this file too.
 */
import type { FieldIssue } from '../errors';
import { fill, type Localized } from '../i18n/localized';

const MIB = 1 << 20;

/** Files the operator hands over (exports, harbor.cfg / harbor.yml, ssh config), in UTF-8 bytes: far above any real one. */
export const MAX_FILE_BYTES = MIB;

/**
 * JSON may spell one byte of text as six (a control character becomes `\u0001`), so this many
 * bytes of JSON carry any text of one byte in the worst case.
 */
const JSON_BYTES_PER_TEXT_BYTE = 6;

/**
 * Any call's or subscription's input, measured as its JSON in UTF-8 (what the WebSocket carries).
 * The largest legal input is a file at its limit, spelled the worst way, plus the call's other
 * small fields (a passphrase, a file name): one MiB of room for those. 7 MiB.
 */
export const MAX_INPUT_BYTES = JSON_BYTES_PER_TEXT_BYTE * MAX_FILE_BYTES + MIB;

/**
 * A WebSocket message from a client: one input plus the envelope around it
 * (`{"t":"call","id":…,"name":…,"input":…}`, a name of at most 128 characters), so an input within
 * its limit always fits and gets an answer, never a closed socket.
 */
export const MAX_MESSAGE_BYTES = MAX_INPUT_BYTES + 4096;

/** UTF-8 length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes, as encoders write them). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Sizes for people: `1 MiB`, `7.5 MiB`, `512 KiB`. */
export function formatSize(bytes: number): string {
  if (bytes >= MIB) return `${Number((bytes / MIB).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} B`;
}

/** A size over its limit, both for people; exact bytes when rounding would show them equal. */
export function sizeOverLimit(size: number, limit: number): { size: string; limit: string } {
  const shown = { size: formatSize(size), limit: formatSize(limit) };
  return shown.size === shown.limit ? { size: `${size} B`, limit: `${shown.limit} (${limit} B)` } : shown;
}

const TEXT = {
  tooLarge: {
    en: 'the input is {size} as sent; at most {limit} is accepted',
    'zh-CN': '输入发送时为 {size}；最多接受 {limit}',
  },
  notJson: {
    en: 'the input is not plain JSON data (it holds a cycle or a BigInt, or is nested too deep)',
    'zh-CN': '输入不是纯 JSON 数据（含循环引用或 BigInt，或嵌套过深）',
  },
  fileTooLarge: {
    en: 'the file is {size}; at most {limit} can be imported',
    'zh-CN': '文件大小为 {size}；最多可导入 {limit}',
  },
} as const satisfies Record<string, Localized>;

/**
 * Why an input is refused for its size, or null when it is within `MAX_INPUT_BYTES`. The
 * dispatcher asks this of every input, whatever the transport; the WebSocket client asks it before
 * sending, so an input the core would refuse never costs the connection.
 */
export function inputSizeIssue(input: unknown): FieldIssue | null {
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch {
    // A cycle or a BigInt (only IPC's structured clone delivers those), or nesting deeper than the stack.
    return { path: '', message: TEXT.notJson };
  }
  const size = json === undefined ? 0 : utf8Bytes(json);
  if (size <= MAX_INPUT_BYTES) return null;
  return { path: '', message: fill(TEXT.tooLarge, sizeOverLimit(size, MAX_INPUT_BYTES)) };
}

/** The message for file content (or a file) over `MAX_FILE_BYTES`, naming the limit. */
export function fileTooLarge(size: number): Localized {
  return fill(TEXT.fileTooLarge, sizeOverLimit(size, MAX_FILE_BYTES));
}
