/**
 * A secret in its encoded forms is masked where the app writes it, on the real paths: the audit line
 * of a remote command whose argv carries it percent-encoded and in a Basic auth header, the run's
 * journal and log and the CLI's output when an OSS signed URL (its Signature percent-encoded on the
 * curl command line) fails, and a terminal transcript showing it percent-encoded and in base64.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote } from '../../electron/core/ssh/quote';
import type { LogLine, RunView } from '../../shared/api/contracts/deploy';
import { profileSchema, type ProfileInput } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';
import { caller, TerminalClient } from '../helpers/terminal';
import * as lab from '../lab';

/** A Redis password with every character some encoding changes (no line break: it is typed into a shell below). */
const SECRET = `Rd+pw/= "q'x\\y%&é9`;
const basic = (user: string) => Buffer.from(`${user}:${SECRET}`).toString('base64');
/** After "Signature=", anything but the mask: the signature, or part of it, in some form. */
const UNMASKED_SIGNATURE = /Signature=(?!\*{6})/;

let l: lab.Lab;
const core = testCore();
const call = caller(core);

/** One node (password login, host key pinned), OSS from the lab, the installer an OSS object that is not there. */
const labProfile = (): ProfileInput =>
  v2Profile((p) => {
    p.id = 'lab';
    p.name = 'Redaction lab';
    p.harbor.installer = { kind: 'oss', object: 'installers/harbor-offline-installer-v2.15.2.tgz' };
    const n = l.node(1);
    p.nodes = [
      {
        id: 'n1',
        name: n.name,
        host: n.address,
        hostKeyFingerprint: n.hostKeyFingerprint,
        auth: { kind: 'password', password: { value: n.password } },
      },
    ];
    p.redis.password = { value: SECRET };
    p.oss = {
      region: l.oss.region,
      bucket: l.oss.bucket,
      internal: true,
      secure: false,
      accessKeyId: l.oss.accessKeyId,
      accessKeySecret: { value: l.oss.accessKeySecret },
    };
  });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: ['oss'] });
  await core.vault.initialize('vault passphrase for redaction tests');
  // Saving puts the secrets in the vault, which tells the redactor.
  await core.profiles.save(profileSchema.parse(labProfile()));
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('encoded secrets are masked', () => {
  it('in the audit line of a remote command (percent-encoded in a URL, base64 in a Basic header)', async () => {
    const url = `https://registry.example.com/api?password=${encodeURIComponent(SECRET)}&again=${encodeURIComponent(SECRET)}`;
    const r = await core.ssh.run('lab', 'n1', ['echo', url, `Authorization: Basic ${basic('admin')}`], { purpose: 'encoded secrets' });
    // The node got the real values; only what is written down is masked.
    expect(r.stdout).toContain(encodeURIComponent(SECRET));
    const [entry] = await call<{ command: string; purpose?: string }[]>('activity.list', { profileId: 'lab' });
    expect(entry).toMatchObject({ purpose: 'encoded secrets' });
    expect(entry!.command).toBe(
      `echo 'https://registry.example.com/api?password=******&again=******' 'Authorization: Basic YWRtaW46******'`,
    );
    const audit = readFileSync(join(core.dataDir, 'audit.log'), 'utf8');
    for (const form of [SECRET, encodeURIComponent(SECRET), basic('admin'), Buffer.from(SECRET).toString('base64')])
      expect(audit).not.toContain(form);
  });

  it("in a run's journal, log and audit when an OSS signed URL fails: the URL goes to the node on stdin, never in a command line", async () => {
    const before = l.oss.requests.length;
    const { runId } = await core.deploy.start('lab', { only: ['installer'] });
    const journal = await core.deploy.wait(runId);
    expect(journal.state).toBe('failed');
    // The node did fetch the signed URL: the lab's OSS accepted the signature, and has no such object.
    expect(l.oss.requests.slice(before)).toContainEqual(
      expect.objectContaining({ method: 'GET', key: 'installers/harbor-offline-installer-v2.15.2.tgz', auth: 'url', status: 404 }),
    );
    // What the renderer gets: the run with its log.
    const seen = await call<{ run: RunView; log: LogLine[] }>('deploy.run', { runId });
    const error = seen.run.cells.installer!.n1!.error!;
    expect(error.en).toMatch(/the download of oss:\/\/\S+ failed \(exit 22\): curl: \(22\) The requested URL returned error: 404/);
    expect(error['zh-CN']).toMatch(/下载 oss:\/\/\S+ 失败/);
    expect(JSON.stringify(seen)).not.toMatch(UNMASKED_SIGNATURE);
    const runFiles = filesUnder(join(core.dataDir, 'deploy'));
    expect(runFiles.some((f) => f.endsWith(`${runId}.json`) || f.includes(runId))).toBe(true);
    for (const f of runFiles) expect(readFileSync(f, 'utf8'), f).not.toMatch(UNMASKED_SIGNATURE);
    const download = (await call<{ command: string; purpose?: string }[]>('activity.list', { profileId: 'lab' })).find(
      (e) => e.purpose === 'deploy: installer',
    );
    expect(download?.command).toMatch(/^sh -c /);
    expect(download?.command).not.toMatch(/Signature|Expires|OSSAccessKeyId/);
    expect(readFileSync(join(core.dataDir, 'audit.log'), 'utf8')).not.toMatch(UNMASKED_SIGNATURE);
  });

  it('in the output of harbor-ha deploy, text and --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redaction-cli-'));
    const file = join(dir, 'lab.json');
    writeFileSync(file, JSON.stringify(labProfile()));
    chmodSync(file, 0o600);
    const cli = join(import.meta.dirname, '..', '..', 'out', 'cli', 'harbor-ha.cjs');
    const run = (args: string[]) =>
      new Promise<{ code: number; output: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [cli, 'deploy', '--profile', file, '--data-dir', join(dir, 'data'), '--only', 'installer', ...args],
          {
            env: { ...process.env, HARBOR_HA_VAULT_PASSPHRASE: 'redaction cli vault', LANG: 'en_US.UTF-8' },
          },
        );
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.on('close', (code) => resolve({ code: code ?? -1, output }));
      });
    const text = await run([]);
    expect(text.code, text.output).toBe(1);
    expect(text.output).toMatch(/^installer node-1 \([\d.]+\): failed: .*the download of oss:\/\/\S+ failed/m);
    const json = await run(['--json']);
    expect(json.code).toBe(1);
    expect(json.output).toMatch(/the download of oss:\/\/\S+ failed/);
    for (const out of [text.output, json.output]) {
      expect(out).not.toMatch(UNMASKED_SIGNATURE);
      expect(out).not.toContain(l.oss.accessKeySecret);
    }
    for (const f of filesUnder(join(dir, 'data')))
      if (!f.endsWith('vault.json')) expect(readFileSync(f, 'utf8'), f).not.toMatch(UNMASKED_SIGNATURE);
  }, 120_000);

  it('in a terminal transcript (typed shell-quoted, shown percent-encoded and in base64)', async () => {
    const t = await TerminalClient.open(core, { profileId: 'lab', nodeId: 'n1', cols: 400 });
    try {
      await t.waitFor(/[#$] $/);
      expect((await t.run(`echo ${quote(encodeURIComponent(SECRET))}`)).trim()).toBe(encodeURIComponent(SECRET));
      expect((await t.run(`printf %s ${quote(`admin:${SECRET}`)} | base64 -w0; echo`)).trim()).toBe(basic('admin'));
      expect((await t.run(`printf %s ${quote(`deploy:${SECRET}`)} | base64 -w0; echo`)).trim()).toBe(basic('deploy'));
    } finally {
      await t.close();
    }
    const text = readFileSync(t.info.transcript, 'utf8');
    expect(text).toContain('admin:******');
    expect(text).toContain('YWRtaW46******');
    for (const form of [SECRET, encodeURIComponent(SECRET), quote(SECRET).slice(1, -1), basic('admin'), basic('deploy')])
      expect(text).not.toContain(form);
    // "deploy:" is 7 bytes, so the secret starts one byte into a 3-byte group: the characters of "deploy"
    // show, then at most the two that mix ":" and the secret's first bits, then the mask.
    const deploy = Buffer.from('deploy').toString('base64');
    expect(text).toMatch(new RegExp(`\\n${deploy}.{0,2}\\*{6}.{0,3}\\n`));
  });
});
