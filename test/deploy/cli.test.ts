/**
 * The harbor-ha command line (the built bundle, as a pipeline runs it) against the lab: render,
 * plan, deploy, a second deploy that changes nothing, verify; usage errors exit 2; secrets never
 * appear in its output.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileInput } from '../../shared/profile';
import { CLI as cli, runCli } from '../helpers/cli';
import { labMysql, labOss, labRedis } from '../helpers/lab-profile';
import { v1Profile } from '../helpers/profiles';
import * as lab from '../lab';

let l: lab.Lab;
const dir = mkdtempSync(join(tmpdir(), 'harbor-ha-cli-'));
const profileFile = join(dir, 'lab.json');
const env = { ...process.env, HARBOR_HA_VAULT_PASSPHRASE: 'cli vault passphrase', LANG: 'en_US.UTF-8' };

const run = (args: string[]) => runCli(args, env);

const common = () => ['--profile', profileFile, '--data-dir', join(dir, 'data')];

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v1', services: ['mariadb', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  const p: ProfileInput = v1Profile((q) => {
    q.id = 'cli-lab';
    q.name = 'CLI lab';
    q.harbor = {
      generation: 'v1',
      version: '1.5.4',
      installer: { kind: 'local', path: l.installers.v1! },
      adminPassword: { value: 'Cli-Admin-Pw-77' },
    };
    q.access = { domain: l.registryName, protocol: 'http', privateKey: { set: false } };
    q.nodes = l.nodes.map((n) => ({
      id: `n${n.index}`,
      name: n.name,
      host: n.address,
      hostKeyFingerprint: n.hostKeyFingerprint,
      auth: { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
    }));
    q.loadBalancer = { kind: 'self-hosted', address: l.lb.address, software: 'haproxy' };
    q.database = labMysql(l);
    delete q.clair;
    q.redis = labRedis(l);
    q.oss = labOss(l);
    q.options = { scanner: 'none', jobWorkers: 4 };
  });
  writeFileSync(profileFile, JSON.stringify(p, null, 2));
  chmodSync(profileFile, 0o600);
}, 180_000);

afterAll(async () => {
  await l?.down();
});

describe('harbor-ha', () => {
  it('explains its usage and exits 2 on bad usage', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: harbor-ha <render\|plan\|deploy\|verify\|backup\|restore\|upgrade\|rollback\|rotate-cert> --profile FILE/,
    );
    const noFolder = await run(['backup', ...common()]);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('backup needs --to DIR');
    const bad = await run(['deploy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--profile FILE is required');
    const unknown = await run(['launch']);
    expect(unknown.code).toBe(2);
    const noPass = await new Promise<number>((resolve) =>
      spawn(process.execPath, [cli, 'plan', ...common()], { env: { ...process.env, HARBOR_HA_VAULT_PASSPHRASE: '' } }).on('close', (c) =>
        resolve(c ?? -1),
      ),
    );
    expect(noPass).toBe(2);
  });

  it('renders harbor.cfg from the installer with secrets masked', async () => {
    const r = await run(['render', ...common()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`hostname = ${l.registryName}`);
    expect(r.stdout).toContain('registry_storage_provider_name = oss');
    expect(r.stdout).toMatch(/^db_password = \*{6}$/m);
    expect(r.stdout).toContain('dialtimeout: 10s');
    for (const secret of [l.mariadb.password, l.redis.password, l.oss.accessKeySecret, 'Cli-Admin-Pw-77'])
      expect(r.stdout).not.toContain(secret);
  });

  it('plans, deploys, deploys again without changes, and verifies', async () => {
    const plan = await run(['plan', ...common()]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^1\. Preflight checks \[preflight, each-node\]/m);
    // 9 steps: this profile's load balancer is no Aliyun SLB, so the plan has no NAT step
    expect(plan.stdout).toMatch(/^9\. Verify \[verify, cluster\]/m);
    const first = await run(['deploy', ...common()]);
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(first.stdout).toMatch(/^install node-2 \(127\.0\.\d+\.12\): succeeded$/m);
    expect(first.stdout).toMatch(/: finished$/m);
    const second = await run(['deploy', ...common()]);
    expect(second.code).toBe(0);
    const results = second.stdout.split('\n').filter((x) => /^[a-z-]+ (cluster|node-\d \([\d.]+\)): /.test(x));
    expect(results.length).toBeGreaterThan(10);
    for (const x of results) expect(x).toMatch(/^(preflight|keys-verify|verify) .*: passed(: |$)|: unchanged(: |$)/);
    const verify = await run(['verify', ...common(), '--json']);
    expect(verify.code).toBe(0);
    const events = verify.stdout
      .trim()
      .split('\n')
      .map((x) => JSON.parse(x) as { kind: string; stepId?: string; cell?: { status: string } });
    expect(events.filter((e) => e.kind === 'cell' && e.cell!.status !== 'running').map((e) => `${e.stepId} ${e.cell!.status}`)).toEqual([
      'verify passed',
    ]);
    for (const out of [plan.stdout, first.stdout, second.stdout, verify.stdout])
      for (const secret of [l.mariadb.password, l.redis.password, l.oss.accessKeySecret, 'Cli-Admin-Pw-77'])
        expect(out).not.toContain(secret);
  }, 300_000);

  it('backs up the 1.5 cluster with mysqldump into an archive that age and tar open, and restores it', async () => {
    const to = mkdtempSync(join(tmpdir(), 'harbor-ha-cli-backups-'));
    const passphrase = 'cli backup passphrase 9c1e';
    const noPass = await run(['backup', ...common(), '--to', to]);
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toContain('HARBOR_HA_BACKUP_PASSPHRASE');
    const r = await runCli(['backup', ...common(), '--to', to, '--keep', '3'], { ...env, HARBOR_HA_BACKUP_PASSPHRASE: passphrase });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^backup-archive cluster: succeeded$/m);
    const [archive] = readdirSync(to);
    // Debian's age reads a passphrase only from a terminal: `script` gives it one.
    const opened = spawnSync('script', ['-qec', `age -d -o '${to}/b.tar' '${to}/${archive}'`, '/dev/null'], { input: `${passphrase}\n` });
    expect(opened.status).toBe(0);
    execFileSync('tar', ['-xf', `${to}/b.tar`, '-C', to]);
    const sqlText = readFileSync(join(to, 'harbor-backup/database/registry.sql'), 'utf8');
    expect(sqlText).toMatch(/^CREATE DATABASE .*`registry`/m);
    expect(sqlText).toMatch(/CREATE TABLE `alembic_version`/);
    expect(readFileSync(join(to, 'harbor-backup/keys/data/secretkey'))).toEqual(await l.node(1).readFile('/data/secretkey'));
    expect(readFileSync(join(to, 'harbor-backup/config/opt/harbor/harbor.cfg'), 'utf8')).toContain(`hostname = ${l.registryName}`);
    for (const out of [r.stdout, r.stderr]) for (const secret of [passphrase, l.mariadb.password]) expect(out).not.toContain(secret);

    // Restored: what was written after the backup is gone, node 1's keys are every node's, Harbor serves again.
    const mysql = (sql: string) =>
      execFileSync('mysql', ['-h', l.mariadb.address, '-P', String(l.mariadb.port), '-uroot', `-p${l.mariadb.password}`, '-N', '-e', sql], {
        encoding: 'utf8',
      }).trim();
    mysql("INSERT INTO registry.properties (k, v) VALUES ('lab_after_backup', 'gone after the restore')");
    await l.node(2).writeFile('/opt/harbor/ha/secretkey', 'replaced-on-node2', 0o600);
    const archivePath = join(to, archive!);
    const refused = await runCli(['restore', ...common(), '--from', archivePath], { ...env, HARBOR_HA_BACKUP_PASSPHRASE: passphrase });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`type the database host ${l.mariadb.address}`);
    const restored = await runCli(['restore', ...common(), '--from', archivePath, '--confirm-restore', l.mariadb.address], {
      ...env,
      HARBOR_HA_BACKUP_PASSPHRASE: passphrase,
    });
    expect(restored.code, `${restored.stdout}\n${restored.stderr}`).toBe(0);
    expect(restored.stdout).toMatch(/^restore-database cluster: succeeded$/m);
    expect(restored.stdout).toMatch(/^verify cluster: passed: /m);
    expect(mysql("SELECT COUNT(*) FROM registry.properties WHERE k = 'lab_after_backup'")).toBe('0');
    for (const n of [1, 2])
      expect(await l.node(n).readFile('/opt/harbor/ha/secretkey')).toEqual(readFileSync(join(to, 'harbor-backup/keys/data/secretkey')));
    for (const out of [restored.stdout, restored.stderr])
      for (const secret of [passphrase, l.mariadb.password]) expect(out).not.toContain(secret);
    rmSync(to, { recursive: true, force: true });
  }, 400_000);
});
