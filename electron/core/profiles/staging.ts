/**
 * Secret values the core read from an imported file, held in memory under a random token until the
 * operator saves the profile (or for an hour). The UI only ever sees the token, so an import never
 * sends a secret to the renderer.
 */
import { randomBytes } from 'node:crypto';

const TTL_MS = 60 * 60 * 1000;

export class SecretStaging {
  readonly #values = new Map<string, { value: string; expires: number }>();
  readonly #onSecret: (value: string) => void;

  constructor(onSecret: (value: string) => void = () => undefined) {
    this.#onSecret = onSecret;
  }

  stage(value: string): { staged: string } {
    this.#sweep();
    this.#onSecret(value);
    const token = `stg_${randomBytes(18).toString('base64url')}`;
    this.#values.set(token, { value, expires: Date.now() + TTL_MS });
    return { staged: token };
  }

  /** The value, or undefined when unknown or expired. Does not consume it (a save may fail and be retried). */
  peek(token: string): string | undefined {
    this.#sweep();
    return this.#values.get(token)?.value;
  }

  discard(token: string): void {
    this.#values.delete(token);
  }

  #sweep() {
    const now = Date.now();
    for (const [k, v] of this.#values) if (v.expires < now) this.#values.delete(k);
  }
}
