/**
 * The node-side sha256 an upload computes while it writes, against a real OpenSSH node of the lab: its command
 * is recorded when the channel closes, and a record that fails reaches result()'s caller instead of becoming an
 * unhandled rejection (which ends the process), also when nobody asks for the result.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../electron/core/ssh/connect';
import { execArgv } from '../../electron/core/ssh/exec';
import { streamingSha256, type RemoteSession } from '../../electron/core/transfer/remote';
import { connectToLabNode } from '../helpers/lab-ssh';
import * as lab from '../lab';

let l: lab.Lab;
let connection: SshConnection;
const CONTENT = 'hello, node\n';

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: [] });
  connection = await connectToLabNode(l.node(1));
  await l.node(1).writeFile('/root/hashed.txt', CONTENT);
}, 180_000);

afterAll(async () => {
  connection?.close();
  await l?.down();
});

function session(record: RemoteSession['record']): RemoteSession {
  const label = l.node(1).name;
  return { client: connection.client, label, run: (argv, o = {}) => execArgv(connection.ssh, argv, label, o), record };
}

describe('streamingSha256', () => {
  it('returns the digest of the bytes fed and records its command once the channel closes', async () => {
    const recorded: Array<{ exitCode: number | null; purpose: string }> = [];
    const hash = await streamingSha256(
      session((_argv, exitCode, _ms, purpose) => recorded.push({ exitCode, purpose })),
      '/root/hashed.txt',
    );
    hash.feed(Buffer.byteLength(CONTENT));
    expect(await hash.result()).toBe(createHash('sha256').update(CONTENT).digest('hex'));
    expect(recorded).toEqual([{ exitCode: 0, purpose: 'transfer: sha256 while uploading' }]);
  });

  it('fails result() when the command cannot be recorded (the audit log is not writable)', async () => {
    const hash = await streamingSha256(
      session(() => {
        throw new Error('audit log: ENOSPC');
      }),
      '/root/hashed.txt',
    );
    hash.feed(Buffer.byteLength(CONTENT));
    await expect(hash.result()).rejects.toThrow('audit log: ENOSPC');
  });

  it('leaves no unhandled rejection when the record fails and nobody asks for the result', async () => {
    let recordCalled!: () => void;
    const called = new Promise<void>((r) => (recordCalled = r));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const hash = await streamingSha256(
        session(() => {
          recordCalled();
          throw new Error('audit log: ENOSPC');
        }),
        '/root/hashed.txt',
      );
      hash.abort();
      await called;
      // Node reports an unhandled rejection once the microtasks after it have run: give it a full turn.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});
