/** Waits inside steps end when the run is cancelled, not at the next poll. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sleep } from '../../electron/core/deploy/wait';

afterEach(() => {
  vi.useRealTimers();
});

describe('sleep', () => {
  it('resolves after its time when nothing aborts', async () => {
    vi.useFakeTimers();
    const c = new AbortController();
    let done = false;
    const p = sleep(2000, c.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it('rejects with the reason as soon as the run is cancelled, leaving no timer behind', async () => {
    vi.useFakeTimers();
    const c = new AbortController();
    const p = sleep(600_000, c.signal);
    c.abort(new Error('cancelled by the operator'));
    await expect(p).rejects.toThrow('cancelled by the operator');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once when the run was cancelled before', async () => {
    const c = new AbortController();
    c.abort(new Error('gone'));
    await expect(sleep(600_000, c.signal)).rejects.toThrow('gone');
  });
});
