/**
 * A node's reach to each service, measured from the node: a TCP connection opened through its SSH connection plus the
 * service's first exchange, so a port that accepts but is not the service, or a MySQL that refuses the node's
 * address, shows.
 */
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { Check, GraphService } from '../../../../shared/api/contracts/topology';
import { openFromNode, ReachError } from '../../probe/tunnel';
import { splitEndpoint } from '../graph';
import { L, LIMITS, now } from './common';

function firstBytes(stream: Duplex, wanted: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const done = (error?: Error) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve(got);
    };
    const onData = (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= wanted) done();
    };
    const onClose = () => (got.length ? done() : done(new Error('the connection was closed without an answer')));
    const timer = setTimeout(() => (got.length ? done() : done(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
    stream.on('data', onData);
    stream.once('close', onClose);
  });
}

/** What the service said first, as `detail`, or why it is not the service (thrown). */
async function hello(kind: GraphService['kind'], stream: Duplex): Promise<string | undefined> {
  if (kind === 'oss') return undefined;
  if (kind === 'redis') {
    stream.write('*1\r\n$4\r\nPING\r\n');
    const line = (await firstBytes(stream, 1, LIMITS.helloMs)).toString('utf8').split('\r\n')[0] ?? '';
    if (line === '+PONG') return 'PONG';
    if (/^-(NOAUTH|WRONGPASS)/.test(line)) return 'Redis (asks for AUTH)';
    if (line.startsWith('-')) throw new Error(`Redis answered ${line.slice(1)}`);
    throw new Error(`not a Redis answer: ${JSON.stringify(line.slice(0, 40))}`);
  }
  if (kind === 'mysql') {
    // The server speaks first: a handshake (protocol 10 and its version) or an error packet.
    const b = await firstBytes(stream, 5, LIMITS.helloMs);
    const len = b.readUIntLE(0, 3);
    const packet = (b.length >= 4 + len ? b : Buffer.concat([b, await firstBytes(stream, 4 + len - b.length, LIMITS.helloMs)])).subarray(
      4,
      4 + len,
    );
    if (packet[0] === 0x0a) return `MySQL ${packet.subarray(1, packet.indexOf(0, 1)).toString('latin1')}`;
    if (packet[0] === 0xff)
      throw new Error(
        `MySQL refused the node: ${packet
          .subarray(3)
          .toString('utf8')
          .replace(/^#\w{5}/, '')}`,
      );
    throw new Error('not a MySQL handshake');
  }
  // PostgreSQL: an SSLRequest is answered with one byte, S or N.
  stream.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]));
  const b = await firstBytes(stream, 1, LIMITS.helloMs);
  if (b[0] === 0x53 || b[0] === 0x4e) return `PostgreSQL (TLS ${b[0] === 0x53 ? 'offered' : 'not offered'})`;
  throw new Error('not a PostgreSQL answer');
}

/** The node's reach to one service. */
export async function reachCheck(client: Client, from: string, service: GraphService): Promise<Check> {
  const { host, port } = splitEndpoint(service.endpoint);
  const started = performance.now();
  let stream: Duplex | undefined;
  try {
    stream = await openFromNode(client, from, host, port, LIMITS.reachMs);
    const detail = await hello(service.kind, stream);
    return {
      status: 'ok',
      checkedAt: now(),
      latencyMs: Math.round(performance.now() - started),
      detail: detail ?? `tcp ${service.endpoint}`,
    };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    if (error instanceof ReachError) return { status: 'fail', checkedAt: now(), latencyMs, detail: error.kind, error: error.localized };
    const m = (error as Error).message;
    return {
      status: 'fail',
      checkedAt: now(),
      latencyMs,
      detail: 'protocol',
      error: L(`${from} → ${service.endpoint}: ${m}`, `${from} → ${service.endpoint}：${m}`),
    };
  } finally {
    stream?.destroy();
  }
}
