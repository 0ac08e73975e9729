/**
 * Child process for yaml-input-process.test.ts: a core as serve mode builds it, answering API calls
 * through its dispatcher (what IPC and the WebSocket both call). One JSON line in,
 * `{ "name": …, "input": … }`, one envelope line out. A crash in yaml ends this process, not the
 * test's.
 */
import { createInterface } from 'node:readline';
import { testCore } from '../helpers/core';

const core = testCore();
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  const { name, input } = JSON.parse(line) as { name: string; input: unknown };
  const envelope = await core.dispatcher.call(name, input, { transport: 'websocket' });
  process.stdout.write(`${JSON.stringify(envelope)}\n`);
}
await core.close();
