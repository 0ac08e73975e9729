import type { ClockTick } from '../../../shared/api';

/** Emits the core's time every `intervalMs`, the first tick at once. Returns the stop function. */
export function startClock(intervalMs: number, next: (tick: ClockTick) => void, now: () => Date = () => new Date()): () => void {
  let seq = 0;
  const tick = () => next({ seq: seq++, now: now().toISOString() });
  tick();
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
