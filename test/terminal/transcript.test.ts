/**
 * The transcript masks a secret wherever the shell's output cuts it: between two chunks of one
 * line, and in a line too long to be held whole (written early, up to where no secret can be cut).
 * Real files, read back after close.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../electron/core/log';
import { Transcript } from '../../electron/core/terminal/transcript';

const MASK = '******';
const SECRET = 'Tr4nscript-Secret-9';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** One I/O turn: the transcript processes what was written in the previous one. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

let open: Transcript[] = [];
afterEach(async () => {
  await Promise.all(open.map((t) => t.close()));
  open = [];
});

function transcript(...secrets: string[]): Transcript {
  const dir = mkdtempSync(join(tmpdir(), 'harbor-transcript-'));
  const redactor = new Redactor();
  for (const s of secrets) redactor.add(s);
  const t = new Transcript(join(dir, 'session.log'), dir, redactor);
  open.push(t);
  return t;
}

/** Writes the chunks one I/O turn apart (as separate socket reads arrive), closes, returns the file. */
async function written(t: Transcript, chunks: readonly string[]): Promise<string> {
  for (const chunk of chunks) {
    t.write(chunk);
    await turn();
  }
  await t.close();
  return readFileSync(t.path, 'utf8');
}

/** `text` cut in two at every position inside `secret`'s occurrence. */
function cutsInside(text: string, secret: string): [string, string][] {
  const at = text.indexOf(secret);
  return Array.from({ length: secret.length - 1 }, (_, i) => [text.slice(0, at + i + 1), text.slice(at + i + 1)]);
}

describe('terminal transcript', () => {
  it('masks a secret split across two chunks of a line, at every cut', async () => {
    const line = `\x1b[32mpassword=${SECRET}\x1b[0m done\r\n`;
    for (const chunks of cutsInside(line, SECRET)) {
      const text = await written(transcript(SECRET), chunks);
      expect(text).toBe(`password=${MASK} done\n`);
    }
  });

  it('masks a secret split across two chunks of a line longer than it holds back (8 KiB), in every form', async () => {
    for (const form of [SECRET, b64(SECRET), JSON.stringify(SECRET).slice(1, -1)]) {
      const head = 'x'.repeat(9000);
      const line = `${head}${form}${'y'.repeat(20_000)}\n`;
      for (const chunks of cutsInside(line, form)) {
        const text = await written(transcript(SECRET), chunks);
        expect(text).not.toContain(form);
        expect(text).toBe(`${head}${MASK}${'y'.repeat(20_000)}\n`);
      }
    }
  });

  it('writes a long line without its end early, holding back only what a secret could need', async () => {
    const t = transcript(SECRET);
    t.write('z'.repeat(50_000));
    await turn();
    await new Promise<void>((resolve) => t.onceDrained(resolve));
    const early = readFileSync(t.path, 'utf8');
    expect(early.length).toBeGreaterThan(50_000 - 2 * b64(SECRET).length);
    expect(early.length).toBeLessThan(50_000);
    t.write(`${SECRET.slice(0, 4)}`);
    await turn();
    expect(await written(t, [`${SECRET.slice(4)}!\n`])).toBe(`${'z'.repeat(50_000)}${MASK}!\n`);
  });
});
