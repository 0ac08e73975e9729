/**
 * Acknowledgements gathered as the page sends them (shared/api/terminal-acks.ts): the callbacks
 * xterm.js calls in one slice of its work become one call, or one per ACK_STEP characters; every
 * character is acknowledged exactly once; a lone echo right after its parse.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ACK_STEP, gatherAcks } from '../../shared/api/terminal-acks';

const { Terminal } = createRequire(import.meta.url)('@xterm/headless') as typeof import('@xterm/headless');

describe('gathered acknowledgements', () => {
  it('send the acknowledgements of one task together, and one at once whenever ACK_STEP characters wait', async () => {
    const sent: number[] = [];
    const ack = gatherAcks((chars) => sent.push(chars));
    // Forty batches parsed in one slice, as xterm calls their callbacks one after the other.
    for (let i = 0; i < 40; i++) ack(32_000);
    const atStep = Math.ceil(ACK_STEP / 32_000) * 32_000;
    expect(sent).toEqual(Array.from({ length: Math.floor(1_280_000 / atStep) }, () => atStep));
    await Promise.resolve();
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1_280_000);
    expect(sent.length).toBe(Math.ceil(1_280_000 / atStep));
  });

  it('acknowledge every character xterm parsed exactly once, an echo right after its parse', async () => {
    const term = new Terminal({ cols: 120, rows: 40, scrollback: 100, allowProposedApi: true });
    const sent: number[] = [];
    const ack = gatherAcks((chars) => sent.push(chars));
    const batch = `${'x'.repeat(78)}\r\n`.repeat(400);
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 40; i++) term.write(batch, () => ack(batch.length));
      term.write('', () => queueMicrotask(resolve));
    });
    expect(sent.reduce((a, b) => a + b, 0)).toBe(40 * batch.length);
    expect(Math.max(...sent)).toBeLessThan(ACK_STEP + batch.length);

    sent.length = 0;
    await new Promise<void>((resolve) =>
      term.write('a', () => {
        ack(1);
        queueMicrotask(resolve);
      }),
    );
    expect(sent).toEqual([1]);
    term.dispose();
  });
});
