/**
 * The audit log's files: the operator's commands apart from the automatic checks, output masked before it is
 * bounded, and lines written before entries had an origin or an output still read. The real path through sshd is
 * test/ssh/audit-output.test.ts.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTOMATIC_FILE_BYTES, AuditLog, OUTPUT_GAP, OUTPUT_KEEP_CHARS } from '../../electron/core/audit';
import { Redactor } from '../../electron/core/log';

const SECRET = 'Audit-Secret+/= "q\'x';

function freshLog(): AuditLog {
  const redactor = new Redactor();
  redactor.add(SECRET);
  return new AuditLog(join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.log'), redactor);
}

const base = { node: 'node-1 (10.0.0.1)', command: 'true', exitCode: 0, durationMs: 5 };
const whole = (text: string) => ({ text, whole: true });

describe('AuditLog', () => {
  it('keeps the automatic checks in their own file, and reads each origin apart or both newest first', () => {
    const audit = freshLog();
    audit.record({ ...base, time: '2026-01-01T00:00:00.000Z', command: 'docker version', purpose: 'deploy: preflight' });
    audit.record({
      ...base,
      time: '2026-01-01T00:00:01.000Z',
      command: 'sh -c sweep',
      purpose: 'topology: health check',
      origin: 'automatic',
    });
    audit.record({ ...base, time: '2026-01-01T00:00:02.000Z', command: 'uname', purpose: 'test connection' });
    expect(readFileSync(audit.file, 'utf8')).not.toContain('sweep');
    expect(readFileSync(audit.automaticFile, 'utf8')).toContain('sweep');
    expect(audit.read({ origin: 'operator' }).map((e) => e.command)).toEqual(['uname', 'docker version']);
    expect(audit.read({ origin: 'automatic' }).map((e) => [e.command, e.origin])).toEqual([['sh -c sweep', 'automatic']]);
    expect(audit.read().map((e) => e.command)).toEqual(['uname', 'sh -c sweep', 'docker version']);
    expect(audit.read({ limit: 1 }).map((e) => e.command)).toEqual(['uname']);
  });

  it('applies the profile and origin before the limit, so a flood of checks does not push the operator out', () => {
    const audit = freshLog();
    audit.record({ ...base, time: '2026-01-01T00:00:00.000Z', profileId: 'a', command: 'deploy' });
    for (let i = 0; i < 20; i++)
      audit.record({ ...base, time: `2026-01-01T00:01:${String(i).padStart(2, '0')}.000Z`, profileId: 'a', origin: 'automatic' });
    audit.record({ ...base, time: '2026-01-01T00:02:00.000Z', profileId: 'b', command: 'other' });
    expect(audit.read({ origin: 'operator', profileId: 'a', limit: 5 }).map((e) => e.command)).toEqual(['deploy']);
    expect(audit.read({ profileId: 'a', limit: 5 })).toHaveLength(5);
  });

  it('reads files written before entries had an origin or an output, skipping lines it cannot read', () => {
    const audit = freshLog();
    mkdirSync(join(audit.file, '..'), { recursive: true });
    writeFileSync(
      audit.file,
      [
        JSON.stringify({
          time: '2025-06-01T10:00:00.000Z',
          profileId: 'p',
          node: 'n1',
          command: 'docker version',
          exitCode: 0,
          durationMs: 3,
          purpose: 'preflight',
        }),
        JSON.stringify({
          time: '2025-06-01T10:00:30.000Z',
          profileId: 'p',
          node: 'n1',
          command: 'sh -c x',
          exitCode: 0,
          durationMs: 9,
          purpose: 'topology: health check',
        }),
        '{"time": "cut off by a crash',
        '[1,2]',
        JSON.stringify({ time: '2025-06-01T10:01:00.000Z', node: 'n2', command: 'ls', exitCode: null, durationMs: 1 }),
        '',
      ].join('\n'),
    );
    expect(audit.read()).toEqual([
      { time: '2025-06-01T10:01:00.000Z', node: 'n2', command: 'ls', exitCode: null, durationMs: 1, origin: 'operator' },
      expect.objectContaining({ command: 'sh -c x', origin: 'automatic' }),
      expect.objectContaining({ command: 'docker version', origin: 'operator' }),
    ]);
    expect(audit.read({ origin: 'automatic' }).map((e) => e.command)).toEqual(['sh -c x']);
    expect(audit.read({ origin: 'operator' }).map((e) => e.command)).toEqual(['ls', 'docker version']);
    expect(audit.read()[0]!.output).toBeUndefined();
  });

  it('masks the output before bounding it: a secret across the bound is masked whole, and no byte of it is written', () => {
    const audit = freshLog();
    const half = OUTPUT_KEEP_CHARS / 2;
    // The secret straddles the end of the start that is kept, and the start of the end that is kept.
    const stdout = `${'a'.repeat(half - 3)}${SECRET}${'b'.repeat(20_000)}${SECRET}${'c'.repeat(half - 3)}`;
    audit.record({ ...base, time: '2026-01-01T00:00:00.000Z', output: { stdout: whole(stdout), stderr: whole(`error: ${SECRET}`) } });
    const [entry] = audit.read();
    const masked = stdout.replaceAll(SECRET, '******');
    expect(entry!.output).toEqual({
      stdout: `${masked.slice(0, half)}${OUTPUT_GAP}${masked.slice(-half)}`,
      stderr: 'error: ******',
      truncated: true,
    });
    const bytes = readFileSync(audit.file, 'utf8');
    for (const piece of [SECRET, SECRET.slice(0, 6), SECRET.slice(-6), JSON.stringify(SECRET).slice(1, -1)])
      expect(bytes).not.toContain(piece);
  });

  it('keeps a short output as it is, and only the start of one the runner cut', () => {
    const audit = freshLog();
    audit.record({ ...base, time: '2026-01-01T00:00:00.000Z', output: { stdout: whole('ok\n'), stderr: whole('') } });
    audit.record({
      ...base,
      time: '2026-01-01T00:00:01.000Z',
      output: { stdout: { text: `${'x'.repeat(OUTPUT_KEEP_CHARS)}tail`, whole: false }, stderr: { text: 'short', whole: false } },
    });
    const [cut, short] = audit.read();
    expect(short!.output).toEqual({ stdout: 'ok\n', stderr: '', truncated: false });
    expect(cut!.output).toEqual({ stdout: 'x'.repeat(OUTPUT_KEEP_CHARS), stderr: 'short', truncated: true });
  });

  it('moves the automatic file aside beyond its bound and still reads both', () => {
    const audit = freshLog();
    audit.record({ ...base, time: '2026-01-01T00:00:00.000Z', command: 'first', origin: 'automatic' });
    appendFileSync(audit.automaticFile, `${' '.repeat(AUTOMATIC_FILE_BYTES)}\n`);
    audit.record({ ...base, time: '2026-01-01T00:00:01.000Z', command: 'second', origin: 'automatic' });
    expect(existsSync(join(audit.file, '..', 'audit-automatic.1.log'))).toBe(true);
    expect(readFileSync(audit.automaticFile, 'utf8')).not.toContain('first');
    expect(audit.read({ origin: 'automatic' }).map((e) => e.command)).toEqual(['second', 'first']);
  });
});
