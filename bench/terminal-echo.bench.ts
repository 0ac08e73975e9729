/**
 * (e) Keystroke echo on loopback: a character sent through the whole pipeline (client process →
 * WebSocket → core → ssh2 → the node's tty, echoed by `cat` in canonical mode → back, parsed by
 * @xterm/headless), 1000 samples; the reference is the same measure over a bare ssh2 PTY.
 */
import { Client, type ClientChannel } from 'ssh2';
import type { Benchmark } from './harness';
import { percentile, terminalBench } from './terminal-setup';

const SAMPLES = 1000;
const GOAL_P99_MS = 5;

function bareEcho(config: object): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('error', reject);
    c.on('ready', () => {
      c.exec('cat', { pty: { term: 'xterm-256color', cols: 160, rows: 48 } }, (err, ch) => {
        if (err) return reject(err);
        echoSamples(ch).then((samples) => {
          c.end();
          resolve(samples);
        }, reject);
      });
    });
    c.connect(config);
  });
}

/** Round-trip times of SAMPLES keystrokes echoed by `cat` on a pty. */
async function echoSamples(ch: ClientChannel): Promise<number[]> {
  let waiting: ((s: string) => void) | null = null;
  ch.on('data', (d: Buffer) => waiting?.(d.toString()));
  await new Promise((r) => setTimeout(r, 300));
  const samples: number[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < SAMPLES; i++) {
    const chr = letters[i % letters.length]!;
    const started = performance.now();
    await new Promise<void>((r) => {
      waiting = (s) => {
        if (s.includes(chr)) {
          waiting = null;
          samples.push(performance.now() - started);
          r();
        }
      };
      ch.write(chr);
    });
    if (i % 50 === 49) {
      ch.write('\r');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return samples;
}

export default {
  name: 'terminal-echo',
  description: `keystroke echo, ${SAMPLES} samples: app pipeline vs bare ssh2 PTY`,
  async run() {
    const b = await terminalBench();
    try {
      const bare = await bareEcho(b.lab.node(1).connectConfig('key'));
      const events = await b.client({ mode: 'echo', samples: SAMPLES });
      const result = events.find((e) => e.event === 'result') as { samples: number[]; arrivals: number[] };
      const ours = result.arrivals;
      const parsed = result.samples;
      const p99 = percentile(ours, 99);
      const bareP99 = percentile(bare, 99);
      return {
        figures: [
          { label: 'app pipeline echo p50 (arrived in the client)', value: percentile(ours, 50), unit: 'ms' },
          { label: 'app pipeline echo p99 (arrived in the client)', value: p99, unit: 'ms' },
          { label: 'app pipeline echo p99 (parsed by xterm, write callback)', value: percentile(parsed, 99), unit: 'ms' },
          { label: 'bare ssh2 PTY echo p50 (reference)', value: percentile(bare, 50), unit: 'ms' },
          { label: 'bare ssh2 PTY echo p99 (reference)', value: bareP99, unit: 'ms' },
        ],
        ratio: p99 / GOAL_P99_MS,
        ratioLabel: 'app p99 / 5 ms',
        goal: '<= 1.0',
        met: p99 <= GOAL_P99_MS,
        notes: [`app p99 / bare ssh2 p99: ${(p99 / bareP99).toFixed(2)}`, `samples: ${ours.length} (app), ${bare.length} (bare)`],
      };
    } finally {
      await b.down();
    }
  },
} satisfies Benchmark;
