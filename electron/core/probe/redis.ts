/** A minimal RESP client for probes: AUTH (both forms), SELECT, PING over any duplex stream. */
import type { Duplex } from 'node:stream';

function encode(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
  return Buffer.from(parts.join(''));
}

/** Sends commands one by one and returns each simple reply (`+OK`, `-ERR …`, `:1`, bulk strings). */
export async function redisCommands(stream: Duplex, commands: readonly (readonly string[])[], timeoutMs = 5000): Promise<string[]> {
  const replies: string[] = [];
  let buffer = '';
  let waiting: ((line: string) => void) | null = null;
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    while (waiting) {
      const eol = buffer.indexOf('\r\n');
      if (eol < 0) return;
      let line = buffer.slice(0, eol);
      let consumed = eol + 2;
      if (line.startsWith('$')) {
        const len = Number(line.slice(1));
        if (len >= 0) {
          if (buffer.length < consumed + len + 2) return;
          line = buffer.slice(consumed, consumed + len);
          consumed += len + 2;
        }
      }
      buffer = buffer.slice(consumed);
      const w = waiting;
      waiting = null;
      w(line);
    }
  };
  stream.on('data', onData);
  try {
    for (const command of commands) {
      const reply = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${command[0]} within ${timeoutMs} ms`)), timeoutMs);
        waiting = (line) => {
          clearTimeout(timer);
          resolve(line);
        };
        stream.once('close', () => reject(new Error('connection closed')));
      });
      stream.write(encode(command));
      onData(Buffer.alloc(0));
      replies.push(await reply);
    }
    return replies;
  } finally {
    stream.off('data', onData);
  }
}
