/**
 * What the lab's stand-ins cost per call (CPU), for the calls a sweep and a deploy make most,
 * against the floor of the same call path: `/bin/true` started the same way. Each command runs
 * CALLS times in a shell loop on the node, and the shell's `times` reports the CPU its children
 * used (every process a call started, reaped by the loop): exact, and blind to whatever else runs
 * on the machine.
 */
import type { Benchmark } from './harness';
import * as lab from '../test/lab';

const CALLS = Number(process.env.BENCH_ROUNDS ?? 40);

const HOT: Record<string, string> = {
  'docker ps -a --format (the sweep)': `docker ps -a --format '{{.Names}}\t{{.Image}}\t{{.Status}}'`,
  'systemctl is-active docker': 'systemctl is-active docker',
  'docker --version': 'docker --version',
  'node -e 0 (a bare Node start, context)': `${process.execPath} -e 0`,
};

export default {
  name: 'lab-standin',
  description: `CPU per stand-in call on a lab node, ${CALLS} calls each, against /bin/true started the same way`,
  async run() {
    const l = await lab.up({ nodes: 1, services: [] });
    try {
      const n = l.node(1);
      /** CPU in ms per call of `command`, run CALLS times in one shell loop. */
      const perCall = async (command: string) => {
        await n.execOk(command); // warm: the page cache, the first-call work of the stand-in
        const out = await n.execOk(`i=0; while [ $i -lt ${CALLS} ]; do ${command} >/dev/null 2>&1; i=$((i+1)); done; times`);
        // `times`: the shell's user and system time, then its children's, as 0m1.230s.
        const children = out.trim().split('\n').at(-1)!.split(/\s+/);
        const seconds = children.map((t) => {
          const m = /^(\d+)m([\d.]+)s$/.exec(t);
          if (!m) throw new Error(`unexpected output of times: ${out}`);
          return Number(m[1]) * 60 + Number(m[2]);
        });
        return ((seconds[0]! + seconds[1]!) * 1000) / CALLS;
      };
      const floor = await perCall('/bin/true');
      const figures = [];
      let sweepCall = 0;
      for (const [label, command] of Object.entries(HOT)) {
        const ms = await perCall(command);
        if (label.startsWith('docker ps')) sweepCall = ms;
        figures.push({ label, value: ms, unit: 'ms CPU per call' });
      }
      figures.push({ label: '/bin/true, the same way (floor)', value: floor, unit: 'ms CPU per call' });
      return {
        figures,
        ratio: sweepCall / floor,
        ratioLabel: "the sweep's docker ps / /bin/true",
        goal: '(context: what a stand-in call costs the lab)',
        met: true,
        notes: [`user + system time of the processes each call starts (the wrapper's shell, Node), from the loop shell's \`times\``],
      };
    } finally {
      await l.down();
    }
  },
} satisfies Benchmark;
