/**
 * (d) A 10 s `yes` flood through the whole pipeline (client process parsing with @xterm/headless
 * and acknowledging): growth of the core process's memory (the app's main process) must stay
 * under 50 MB, Ctrl-C must quiet the screen within 300 ms, and every character the core received
 * before that must reach the client (none dropped).
 */
import type { Benchmark } from './harness';
import { terminalBench } from './terminal-setup';

const FLOOD_MS = 10_000;
const LIMIT_MB = 50;
const QUIET_MS = 300;

export default {
  name: 'terminal-flood',
  description: `${FLOOD_MS / 1000} s yes flood: core memory growth, Ctrl-C to quiet screen, nothing dropped`,
  async run() {
    const b = await terminalBench();
    try {
      let session: ReturnType<typeof b.core.terminals.get> | undefined;
      let baseline = 0;
      let peak = 0;
      let heap0 = 0;
      let heapPeak = 0;
      let ext0 = 0;
      let extPeak = 0;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        if (!baseline) return;
        peak = Math.max(peak, m.rss);
        heapPeak = Math.max(heapPeak, m.heapUsed);
        extPeak = Math.max(extPeak, m.external + m.arrayBuffers);
      }, 50);
      const events = await b.client({ mode: 'flood', floodMs: FLOOD_MS }, (e) => {
        if (e.event === 'open') {
          session = b.core.terminals.get(e.sessionId as string);
          const m = process.memoryUsage();
          baseline = m.rss;
          peak = baseline;
          heap0 = heapPeak = m.heapUsed;
          ext0 = extPeak = m.external + m.arrayBuffers;
        }
      });
      clearInterval(sampler);
      const r = events.find((e) => e.event === 'result') as { quietMs: number; chars: number; charsBeforeInterrupt: number };
      const stats = session!.stats;
      const growthMb = (peak - baseline) / 1024 / 1024;
      const dropped = stats.emittedChars - r.chars;
      const met = growthMb < LIMIT_MB && r.quietMs <= QUIET_MS && dropped === 0 && stats.receivedBytes === stats.emittedChars;
      return {
        figures: [
          { label: 'core RSS growth during the flood', value: growthMb, unit: 'MB' },
          { label: `limit (reference)`, value: LIMIT_MB, unit: 'MB' },
          { label: 'Ctrl-C to last output (quiet screen)', value: r.quietMs, unit: 'ms' },
          { label: 'limit (reference)', value: QUIET_MS, unit: 'ms' },
          { label: 'characters parsed by the client', value: r.chars, unit: 'chars' },
          { label: 'bytes the core received from ssh2', value: stats.receivedBytes, unit: 'bytes' },
          { label: 'characters dropped (core emitted − client parsed)', value: dropped, unit: 'chars' },
        ],
        ratio: Math.max(growthMb / LIMIT_MB, r.quietMs / QUIET_MS),
        ratioLabel: 'worst of memory growth / 50 MB and quiet time / 300 ms',
        goal: '< 1.0, none dropped',
        met,
        notes: [
          `of which: JS heap in use +${((heapPeak - heap0) / 1048576).toFixed(1)} MB at most, buffers +${((extPeak - ext0) / 1048576).toFixed(1)} MB at most (the rest is heap the GC has not returned)`,
          `flow control: ${stats.pauses} pauses, ${stats.resumes} resumes, at most ${stats.maxUnacked} characters unacknowledged`,
          `throughput during the flood: ${(r.charsBeforeInterrupt / 1e6 / (FLOOD_MS / 1000)).toFixed(1)} M chars/s`,
        ],
      };
    } finally {
      await b.down();
    }
  },
} satisfies Benchmark;
