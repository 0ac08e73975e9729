/**
 * The SSH channel window of a terminal, kept small and tied to flow control.
 *
 * ssh2 grants each channel a 2 MiB window and tops it up on its own, and keeps doing so while the
 * stream is paused until 2 MiB more are buffered; so pausing alone still lets megabytes pile up
 * between the server and the app, which must all be shown (nothing may be dropped) before a
 * Ctrl-C can quiet the screen. Here the window re-granted to the server is only what the session
 * has consumed while not paused, and the outstanding window is cut to WINDOW bytes: what is in
 * flight when the operator interrupts stays small.
 *
 * This uses three ssh2 internals (the channel's `incoming.window`, `outgoing.id` and the
 * protocol's `channelWindowAdjust`); when they are missing (another ssh2 version) it does nothing
 * and ssh2's own window handling applies.
 */
import type { ClientChannel } from 'ssh2';

export const WINDOW = 256 * 1024;
/**
 * Window adjustments are sent in steps of at least this much. Each is an SSH packet of its own
 * (encrypted, one socket write): at an eighth of the window they were a tenth of the core's CPU in
 * a 100 MB `cat`; at a quarter the server still always has three quarters of the window to send into.
 */
const STEP = WINDOW / 4;

interface ChannelInternals {
  incoming?: { window: number };
  outgoing?: { id: number; state: string };
  _client?: { _protocol?: { channelWindowAdjust?: (id: number, amount: number) => void } };
}

export interface WindowControl {
  /** Bytes the session took from the channel. */
  consumed(bytes: number): void;
  /** Paused: nothing is re-granted until `resume`. */
  pause(): void;
  resume(): void;
  /** Whether the window is under our control (false: ssh2's default handling). */
  readonly active: boolean;
}

export function controlWindow(channel: ClientChannel, size = WINDOW): WindowControl {
  const c = channel as unknown as ChannelInternals;
  const adjust = c._client?._protocol?.channelWindowAdjust;
  if (!c.incoming || typeof c.incoming.window !== 'number' || !c.outgoing || typeof adjust !== 'function') {
    return { consumed: () => undefined, pause: () => undefined, resume: () => undefined, active: false };
  }
  const granted = c.incoming.window;
  // ssh2 never reaches its own threshold now, so it never adjusts by itself.
  c.incoming.window = Number.MAX_SAFE_INTEGER;
  let debt = Math.max(0, granted - size);
  let owed = 0;
  let paused = false;
  const grant = () => {
    if (owed === 0 || c.outgoing!.state !== 'open') return;
    const amount = owed;
    owed = 0;
    adjust.call(c._client!._protocol, c.outgoing!.id, amount);
  };
  return {
    active: true,
    consumed(bytes) {
      const pay = Math.min(debt, bytes);
      debt -= pay;
      owed += bytes - pay;
      if (!paused && owed >= STEP) grant();
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      grant();
    },
  };
}
