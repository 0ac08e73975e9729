/**
 * YAML that ended the process (#12): in one Node process, profiles.importHarborConfig with
 * `'['.repeat(20000)` and then `'- '.repeat(1000) + 'x'` died with "FATAL ERROR: RegExpCompiler
 * Allocation failed", which no catch sees, taking deployments and terminals with it. So the calls
 * run in a process of their own (yaml-import-child.ts: a core as serve mode builds it, called
 * through its dispatcher as IPC and the WebSocket call it). Each must be answered with a clean
 * invalid_input naming the limit and the line, and the process must go on answering, a real
 * harbor.yml included. harbor-ha (the built bundle) refuses such a profile file the same way.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorData } from '../../shared/errors';
import { projectRoot } from '../helpers/serve';
import { releaseDir } from '../lab/harbor-release';

const CHILD = fileURLToPath(new URL('./yaml-import-child.ts', import.meta.url));
const RAW_IMPORTS = fileURLToPath(new URL('../helpers/raw-imports.mjs', import.meta.url));
const template = readFileSync(join(releaseDir('v2.15.2'), 'make', 'harbor.yml.tmpl'), 'utf8');

type Envelope = { ok: true; value: unknown } | { ok: false; error: ApiErrorData };

/** The child core: one call at a time, each answered on a line of its own, or the reason it died. */
class CoreProcess {
  private readonly proc: ChildProcessWithoutNullStreams;
  private out = '';
  private stderr = '';
  private exit: string | undefined;
  private waiting: { resolve: (line: string) => void; reject: (e: Error) => void } | undefined;
  readonly ready: Promise<void>;

  constructor() {
    this.proc = spawn(process.execPath, ['--import', 'tsx', '--import', RAW_IMPORTS, CHILD]);
    this.proc.stderr.setEncoding('utf8').on('data', (c: string) => (this.stderr += c));
    this.proc.stdout.setEncoding('utf8').on('data', (c: string) => {
      this.out += c;
      this.deliver();
    });
    this.proc.on('exit', (code, signal) => {
      this.exit = `the core process ended (${signal ?? code}):\n${this.stderr.slice(-2000)}`;
      this.waiting?.reject(new Error(this.exit));
    });
    this.ready = this.next().then((line) => expect(line).toBe('ready'));
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  async call(name: string, input: unknown): Promise<Envelope> {
    this.proc.stdin.write(`${JSON.stringify({ name, input })}\n`);
    return JSON.parse(await this.next()) as Envelope;
  }

  importHarborConfig(content: string): Promise<Envelope> {
    return this.call('profiles.importHarborConfig', { fileName: 'harbor.yml', content });
  }

  stop(): void {
    this.proc.kill('SIGTERM');
  }

  private next(): Promise<string> {
    if (this.exit) return Promise.reject(new Error(this.exit));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.deliver();
    });
  }

  private deliver(): void {
    const end = this.out.indexOf('\n');
    if (end === -1 || !this.waiting) return;
    const line = this.out.slice(0, end);
    this.out = this.out.slice(end + 1);
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve(line);
  }
}

function expectRefused(envelope: Envelope, en: RegExp, zh: RegExp): void {
  expect(envelope.ok, JSON.stringify(envelope).slice(0, 500)).toBe(false);
  if (envelope.ok) return;
  expect(envelope.error.code).toBe('invalid_input');
  expect(envelope.error.message.en).toMatch(en);
  expect(envelope.error.message['zh-CN']).toMatch(zh);
}

const DEPTH_EN =
  /^harbor\.yml line 1: collections are nested more than 64 deep there; at most 64 levels are read .*The text there is not shown: it may hold a secret\.$/;
const DEPTH_ZH = /^harbor\.yml 第 1 行：该处集合嵌套超过 64 层；最多读取 64 层/;

describe('profiles.importHarborConfig in a core process of its own', () => {
  let core: CoreProcess;
  beforeAll(async () => {
    core = new CoreProcess();
    await core.ready;
  });
  afterAll(() => core.stop());

  it('answers the two inputs that ended the process with invalid_input, naming the limit and the line, and goes on', async () => {
    // Both calls first: the second is the one that killed the process.
    const flow = await core.importHarborConfig('['.repeat(20_000));
    const block = await core.importHarborConfig(`${'- '.repeat(1000)}x`);
    expectRefused(flow, DEPTH_EN, DEPTH_ZH);
    expectRefused(block, DEPTH_EN, DEPTH_ZH);
    expect(core.running).toBe(true);
    expect(await core.call('app.info', {})).toMatchObject({ ok: true });
  });

  it('answers deep block nesting, an alias bomb, a self-containing alias and a merge-key bomb, and goes on', async () => {
    let indented = 'hostname: reg.example.com\n';
    for (let i = 0; i < 300; i++) indented += `${'  '.repeat(i)}k${i}:\n`;
    expectRefused(
      await core.importHarborConfig(indented),
      /^harbor\.yml line 66: collections are nested more than 64 deep/,
      /^harbor\.yml 第 66 行：/,
    );

    let laughs = 'hostname: &h0 [reg, reg, reg, reg, reg, reg, reg, reg, reg, reg]\n';
    for (let i = 1; i < 12; i++)
      laughs += `k${i}: &h${i} [${Array(10)
        .fill(`*h${i - 1}`)
        .join(', ')}]\n`;
    expectRefused(
      await core.importHarborConfig(laughs),
      /^harbor\.yml line 7: the document would hold more than 2097152 values there/,
      /^harbor\.yml 第 7 行：文档到此将包含超过 2097152 个值/,
    );

    expectRefused(
      await core.importHarborConfig('hostname: reg.example.com\nexternal_redis: &r {host: *r}\n'),
      /^harbor\.yml line 2: an alias \(\*name\) stands for a collection that contains the alias itself/,
      /^harbor\.yml 第 2 行：别名/,
    );

    let merges = `base: &b {${Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join(', ')}}\n`;
    for (let i = 0; i < 500; i++) merges += `m${i}: {<<: *b}\n`;
    expectRefused(
      await core.importHarborConfig(merges),
      /^harbor\.yml line \d+: the document would hold more than 2097152 values there/,
      /^harbor\.yml 第 \d+ 行/,
    );

    expect(core.running).toBe(true);
  });

  it("still imports Harbor 2.15.2's harbor.yml.tmpl after all that", async () => {
    const envelope = await core.importHarborConfig(template);
    expect(envelope).toMatchObject({ ok: true, value: { draft: { harbor: { generation: 'v2', version: '2.15.0' } } } });
  });
});

describe('harbor-ha with such a profile file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'harbor-ha-yaml-input-'));
  const cli = join(projectRoot, 'out', 'cli', 'harbor-ha.cjs');

  function plan(name: string, text: string): Promise<{ code: number | null; stderr: string }> {
    const file = join(dir, name);
    writeFileSync(file, text);
    chmodSync(file, 0o600);
    return new Promise((resolve) => {
      const env = { ...process.env, HARBOR_HA_VAULT_PASSPHRASE: 'yaml input vault passphrase', LANG: 'en_US.UTF-8' };
      const child = spawn(process.execPath, [cli, 'plan', '--profile', file, '--data-dir', join(dir, 'data')], { env });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it('exits 2 and names the limit and the line, for deep nesting and for an alias bomb', async () => {
    const deep = await plan('deep.yaml', `name: lab\nnodes: ${'['.repeat(100_000)}\n`);
    expect(deep.stderr).toMatch(/deep\.yaml line 2: collections are nested more than 64 deep there/);
    expect(deep.code).toBe(2);

    let laughs = 'name: lab\nn0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++)
      laughs += `n${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const bomb = await plan('bomb.yaml', laughs);
    expect(bomb.stderr).toMatch(/bomb\.yaml line 8: the document would hold more than 2097152 values there/);
    expect(bomb.code).toBe(2);
  });
});
