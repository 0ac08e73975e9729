/**
 * Acknowledgements of terminal output, gathered. A client acknowledges what xterm.js has parsed,
 * from its write callback; xterm calls the callbacks of all the batches it parsed in one slice of
 * work (up to about 12 ms) one after the other, and acknowledging each batch on its own cost a
 * call per 4–64 KB of output (a message, its validation and an answer, on both sides). Gathered,
 * one call covers the slice, and one goes out at once whenever ACK_STEP characters wait, so the
 * core's count of unacknowledged output stays within a step of the truth: well inside the 250 000
 * characters between its watermarks (electron/core/terminal/output.ts).
 */
export const ACK_STEP = 131_072;

// Browsers and Node both have it; shared/ compiles without either's types.
declare function queueMicrotask(callback: () => void): void;

/** Returns `ack(chars)`: characters written; `send` is called with their sum at the end of the current task, or at ACK_STEP. */
export function gatherAcks(send: (chars: number) => void): (chars: number) => void {
  let pending = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === 0) return;
    const chars = pending;
    pending = 0;
    send(chars);
  };
  return (chars) => {
    pending += chars;
    if (pending >= ACK_STEP) flush();
    else if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  };
}
