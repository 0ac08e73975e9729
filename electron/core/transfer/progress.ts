/** Transfer rate and ETA: an exponential moving average of the byte rate, sampled as bytes arrive. */
export interface RateSample {
  /** Bytes of the file that are on the node (including a resumed prefix). */
  readonly bytes: number;
  readonly total: number;
  /** Bytes per second, smoothed. */
  readonly rateBps: number;
  /** Seconds left at the current rate; null until a rate is known. */
  readonly etaSeconds: number | null;
}

export class RateMeter {
  #rate = 0;
  #lastBytes: number;
  #lastTime: number;
  readonly #started: number;
  readonly #startBytes: number;

  constructor(
    readonly total: number,
    startBytes = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#lastBytes = startBytes;
    this.#startBytes = startBytes;
    this.#lastTime = this.#started = now();
  }

  /** Records that `bytes` of the file are done and returns the current figures. */
  sample(bytes: number): RateSample {
    const t = this.now();
    const dt = (t - this.#lastTime) / 1000;
    if (dt >= 0.2) {
      const instant = (bytes - this.#lastBytes) / dt;
      // About a 2-second window: quick to follow a change, calm enough to read.
      const alpha = Math.min(1, dt / 2);
      this.#rate = this.#rate === 0 ? instant : this.#rate + alpha * (instant - this.#rate);
      this.#lastBytes = bytes;
      this.#lastTime = t;
    } else if (this.#rate === 0 && t > this.#started) {
      this.#rate = (bytes - this.#startBytes) / ((t - this.#started) / 1000);
    }
    const rate = this.#rate;
    return { bytes, total: this.total, rateBps: Math.round(rate), etaSeconds: rate > 0 ? Math.max(0, (this.total - bytes) / rate) : null };
  }

  /** Average rate since the meter started, over the bytes sent (not the resumed prefix). */
  average(bytes: number): number {
    const s = (this.now() - this.#started) / 1000;
    return s > 0 ? (bytes - this.#startBytes) / s : 0;
  }
}
