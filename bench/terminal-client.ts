/**
 * The renderer side of the terminal benchmarks, in its own process as in the app: connects to
 * serve mode's WebSocket, opens a terminal, parses output with @xterm/headless and acknowledges
 * after each write. Argument: JSON { url, origin, token, profileId, nodeId, mode, ... }; prints
 * one JSON line per event on stdout.
 */
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { createClient } from '../shared/api/client';
import type { TerminalEvent } from '../shared/api/contracts/terminal';
import { gatherAcks } from '../shared/api/terminal-acks';
import { createWsTransport, type WebSocketLike } from '../shared/api/ws-transport';

interface Args {
  readonly wsUrl: string;
  readonly origin: string;
  readonly token: string;
  readonly profileId: string;
  readonly nodeId: string;
  readonly mode: 'cat' | 'flood' | 'echo';
  readonly file?: string;
  readonly floodMs?: number;
  readonly samples?: number;
  /** false: acknowledge on receipt without parsing (to see what the transport alone does). */
  readonly parse?: boolean;
}

// @xterm/headless is CommonJS without named exports Node can detect.
const { Terminal } = createRequire(import.meta.url)('@xterm/headless') as typeof import('@xterm/headless');

const args = JSON.parse(process.argv[2]!) as Args;
const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

const ws = new WebSocket(args.wsUrl, { headers: { Origin: args.origin, Cookie: `harbor_token=${args.token}` }, perMessageDeflate: false });
const transport = createWsTransport(ws as unknown as WebSocketLike);
await transport.ready;
const api = createClient(transport);
const term = new Terminal({ cols: 160, rows: 48, scrollback: 1000, allowProposedApi: true });

const info = await api.call('terminal.open', { profileId: args.profileId, nodeId: args.nodeId, cols: 160, rows: 48 });
out({ event: 'open', sessionId: info.sessionId });

let chars = 0;
let tail = '';
let lastDataAt = 0;
let waiters: (() => void)[] = [];
const onData: ((data: string, at: number) => void)[] = [];
/** Told of each batch as it arrives, before parsing. */
const onArrival: ((data: string, at: number) => void)[] = [];
// As the renderer's controller acknowledges.
const ack = gatherAcks((n) => void api.call('terminal.ack', { sessionId: info.sessionId, chars: n }));
await api.subscribe(
  'terminal.output',
  { sessionId: info.sessionId },
  {
    next: (e: TerminalEvent) => {
      if (e.kind !== 'data') return;
      const n = e.data.length;
      chars += n;
      lastDataAt = performance.now();
      tail = (tail + e.data.slice(-256)).slice(-256);
      for (const f of onArrival) f(e.data, lastDataAt);
      if (args.parse === false) {
        ack(n);
        for (const f of waiters.splice(0)) f();
        return;
      }
      term.write(e.data, () => {
        const at = performance.now();
        for (const f of onData) f(e.data, at);
        ack(n);
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      });
    },
  },
);

async function until(test: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timeout; tail ${JSON.stringify(tail)}`);
    await new Promise<void>((r) => {
      const t = setTimeout(r, 50);
      waiters.push(() => {
        clearTimeout(t);
        r();
      });
    });
  }
}
const send = (data: string) => api.call('terminal.input', { sessionIds: [info.sessionId], data });

await until(() => /[#$] $/.test(tail), 20_000);

if (args.mode === 'cat') {
  const mark = chars;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await send(`cat ${args.file}; echo "END""-OF-CAT"\r`);
  await until(() => tail.includes('END-OF-CAT\r\n'), 300_000);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  out({ event: 'result', ms, chars: chars - mark, cpuMs: (cpu.user + cpu.system) / 1000 });
} else if (args.mode === 'flood') {
  await send('yes\r');
  await new Promise((r) => setTimeout(r, args.floodMs ?? 10_000));
  const before = chars;
  const interruptAt = performance.now();
  await send('\x03');
  // Quiet: the prompt is back and nothing more arrives for a second.
  await until(() => /[#$] $/.test(tail), 30_000);
  await new Promise((r) => setTimeout(r, 1000));
  await until(() => performance.now() - lastDataAt > 1000, 30_000);
  out({ event: 'result', quietMs: lastDataAt - interruptAt, chars, charsBeforeInterrupt: before });
} else {
  await send('cat\r');
  await new Promise((r) => setTimeout(r, 300));
  const samples: number[] = [];
  const arrivals: number[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < (args.samples ?? 1000); i++) {
    const ch = letters[i % letters.length]!;
    let done!: () => void;
    const echoed = new Promise<void>((r) => (done = r));
    const sentAt = performance.now();
    const listener = (data: string, at: number) => {
      if (data.includes(ch)) {
        samples.push(at - sentAt);
        done();
      }
    };
    const arrival = (data: string, at: number) => {
      if (data.includes(ch) && arrivals.length === samples.length) arrivals.push(at - sentAt);
    };
    onData.push(listener);
    onArrival.push(arrival);
    await send(ch);
    await echoed;
    onData.splice(onData.indexOf(listener), 1);
    onArrival.splice(onArrival.indexOf(arrival), 1);
    if (i % 50 === 49) {
      await send('\r');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  await send('\x03');
  out({ event: 'result', samples, arrivals });
}
await api.call('terminal.close', { sessionId: info.sessionId });
transport.close();
process.exit(0);
