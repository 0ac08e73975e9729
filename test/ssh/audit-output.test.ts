/**
 * What a command printed is kept in the audit log through a real sshd: masked in every form the redactor covers
 * (as is, percent-encoded, base64 at each alignment, inside quotes and JSON), the raw secret in no byte of any audit
 * file; a file's content read from a node is not kept; the operator's commands and the automatic checks apart.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../shared/api/contracts/ssh';
import { ApiError } from '../../shared/errors';
import { OUTPUT_GAP, OUTPUT_KEEP_CHARS } from '../../electron/core/audit';
import { createCore } from '../../electron/core/core';
import { NodeShell } from '../../electron/core/deploy/remote';
import { createLog, Redactor } from '../../electron/core/log';
import { secretForms } from '../../electron/core/secret-forms';
import { saveLabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';

/** Every character some encoding changes: + / = space, quotes, backslash, %, &, non-ASCII. */
const SECRET = `Out+/= "q'x\\y%&é9`;
/** A secret the app never learned, as a node's own generated key would be. */
const UNKNOWN_TO_THE_APP = 'node-made-key-7f3a9c';

let l: lab.Lab;
const redactor = new Redactor();
const dataDir = mkdtempSync(join(tmpdir(), 'audit-output-'));
const core = createCore({
  host: { name: 'Harbor HA Deployer', version: '0.0.0-test', electron: null, chrome: null, locale: 'en', dataDir },
  log: createLog({ file: join(dataDir, 'logs', 'test.log'), redactor }),
  redactor,
});
const call = <T>(name: string, input: unknown) =>
  core.dispatcher.call(name, input, { transport: 'websocket' }).then((env) => {
    if (!env.ok) throw ApiError.from(env.error);
    return env.value as T;
  });
const auditBytes = () =>
  core.audit.files
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: [] });
  await core.vault.initialize('vault passphrase for audit output tests');
  await saveLabProfile(core.profiles, l);
  const first = await call<{ fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId: 'n1' });
  await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
  redactor.add(SECRET);
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('the audit keeps what a command printed', () => {
  it('masked in every form the redactor covers, on stdout and stderr, and in no byte of any audit file', async () => {
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    // The forms alone, and base64 after 0, 1 and 2 bytes of something else (as in a Basic header).
    const printed = [...secretForms(SECRET), `Basic ${b64(`admin:${SECRET}`)}`, `x${b64(`a${SECRET}`)}`, `y${b64(`ab${SECRET}`)}`];
    // The secret travels on stdin, so only the output holds it.
    const r = await core.ssh.run('lab', 'n1', ['sh', '-c', 'x=$(cat); printf "%s\\n" "$x"; printf "%s\\n" "$x" >&2; exit 4'], {
      purpose: 'printing secrets',
      stdin: printed.join('\n'),
    });
    expect(r.stdout).toContain(SECRET);
    const [entry] = await call<ActivityEntry[]>('activity.list', { profileId: 'lab', limit: 1 });
    expect(entry).toMatchObject({ purpose: 'printing secrets', origin: 'operator', exitCode: 4 });
    const { stdout, stderr, truncated } = entry!.output!;
    expect(truncated).toBe(false);
    expect(stdout).toBe(stderr);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(printed.length);
    for (const line of lines) expect(line).toContain('******');
    expect(lines.at(-3)).toMatch(/^Basic YWRtaW46\*{6}/);
    const bytes = auditBytes();
    for (const form of [...secretForms(SECRET), b64(`admin:${SECRET}`)]) expect(bytes).not.toContain(form);
  });

  it('bounded: the start and the end of a long output, what lies between left out', async () => {
    await core.ssh.run('lab', 'n1', ['sh', '-c', 'printf start; head -c 100000 /dev/zero | tr "\\0" m; printf end'], {
      purpose: 'long output',
    });
    const [entry] = await call<ActivityEntry[]>('activity.list', { profileId: 'lab', limit: 1 });
    const half = OUTPUT_KEEP_CHARS / 2;
    expect(entry!.output).toEqual({
      stdout: `start${'m'.repeat(half - 5)}${OUTPUT_GAP}${'m'.repeat(half - 3)}end`,
      stderr: '',
      truncated: true,
    });
  });

  it("keeps no file's content: a node's own keys are secrets the redactor does not know", async () => {
    const shell = new NodeShell(core.ssh, 'lab', 'n1', 'deploy: reading a key');
    await shell.write('/tmp/audit-output-key', UNKNOWN_TO_THE_APP, 0o600);
    expect(await shell.read('/tmp/audit-output-key')).toBe(UNKNOWN_TO_THE_APP);
    const [entry] = await call<ActivityEntry[]>('activity.list', { profileId: 'lab', limit: 1 });
    expect(entry!.command).toMatch(/cat -- "\$1"/);
    expect(entry!.output).toBeUndefined();
    expect(auditBytes()).not.toContain(UNKNOWN_TO_THE_APP);
  });

  it('lists the operator’s commands and the automatic checks apart', async () => {
    await core.ssh.run('lab', 'n1', ['true'], { purpose: 'topology: health check', origin: 'automatic' });
    const automatic = await call<ActivityEntry[]>('activity.list', { profileId: 'lab', origin: 'automatic' });
    const operator = await call<ActivityEntry[]>('activity.list', { profileId: 'lab', origin: 'operator' });
    expect(automatic.map((e) => [e.command, e.origin])).toEqual([['true', 'automatic']]);
    expect(operator.length).toBeGreaterThan(3);
    expect(operator.every((e) => e.origin === 'operator')).toBe(true);
  });
});
