/**
 * The Harbor 1.5 HA walkthrough end to end against the lab: 3 nodes with the v1 fixture installer,
 * MariaDB as RDS, PostgreSQL for Clair, Redis, OSS and a load balancer. The whole-plan check of a
 * fresh cluster waits for the unpack step where it must; node 1 failing preflight is retried with the
 * nodes it blocked, and the key check never blames a node that has not run; a full deploy passes
 * verification; a second run changes nothing; a fourth node joins without touching the first three;
 * a profile edit is checked as "will change" on exactly the steps it affects, and reinstalling the
 * serving nodes needs the operator's consent naming them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { testCore } from '../helpers/core';
import { statuses, failures } from '../helpers/deploy';
import { saveV1LabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';
import type { RunEvent } from '../../shared/api/contracts/deploy';
import { ApiError } from '../../shared/errors';
import { nodesToRetry } from '../../renderer/pages/walkthrough/model';

let l: lab.Lab;
const core = testCore();

async function deploy(request: Parameters<typeof core.deploy.start>[1] = {}): Promise<Journal> {
  const { runId } = await core.deploy.start('lab', request);
  return core.deploy.wait(runId);
}

beforeAll(async () => {
  l = await lab.up({ nodes: 4, harbor: 'v1', services: ['mariadb', 'postgres', 'redis', 'oss', 'lb'], bundleSize: 4 << 20 });
  await core.vault.initialize('vault passphrase for deploy tests');
  await saveV1LabProfile(core.profiles, l, { nodes: 3 });
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

/** What the whole-plan check says of each step on each node: `will-change`, `needs:unpack`, `passes`… */
async function checkOf(): Promise<Record<string, Record<string, string>>> {
  const c = await core.deploy.check('lab');
  return Object.fromEntries(
    Object.entries(c.cells).map(([step, byNode]) => [
      step,
      Object.fromEntries(Object.entries(byNode).map(([n, cell]) => [n, cell.status + (cell.needs ? `:${cell.needs.join('+')}` : '')])),
    ]),
  );
}

describe('Harbor 1.5 HA deployment', () => {
  it('checks the plan of a fresh cluster: what will change, what passes, and the config step waiting for unpack', async () => {
    const c = await checkOf();
    const each = (v: string) => ({ n1: v, n2: v, n3: v });
    expect(c.preflight).toEqual(each('passes'));
    expect(c.installer).toEqual(each('will-change'));
    expect(c.unpack).toEqual(each('will-change'));
    // Not an error: the config step renders from the installer's own files, which unpack puts there.
    expect(c.config).toEqual(each('needs:unpack'));
    expect(c.database).toEqual({ '*': 'needs:unpack' });
    expect(c['keys-verify']).toEqual({ '*': 'needs:install' });
    expect(c.verify!['*']).toMatch(/^needs:/);
    // The config step's preview says the same in plain words instead of failing.
    const preview = await core.deploy.preview('lab', 'config', 'n1');
    expect(preview.needs).toEqual(['unpack']);
    expect(preview.notes.map((n) => n.en).join('\n')).toMatch(/Needs "Unpack/);
    // Nothing serves yet: no run needs consent.
    expect(await core.deploy.disruptions('lab')).toEqual([]);
  }, 600_000);

  it('retries the nodes a failed preflight blocked together with the failed one, and the key check never blames a node that has not run', async () => {
    // Node 1 alone has a docker-compose too old for 1.x: its preflight fails and the gate blocks every node.
    await l.node(1).configure({ compose: '1.5.0' });
    const first = await deploy();
    expect(first.state).toBe('failed');
    expect(statuses(first).preflight).toEqual({ n1: 'failed', n2: 'passed', n3: 'passed' });
    expect(statuses(first).install).toEqual({ n1: 'blocked', n2: 'blocked', n3: 'blocked' });
    await l.node(1).configure({ compose: '1.18.0' });

    // Node 1 alone, as the retry used to send: it deploys, and the cluster's key check waits for the others.
    const one = await core.deploy.wait((await core.deploy.resume(first.runId, { nodes: ['n1'] })).runId);
    expect(statuses(one).install).toEqual({ n1: 'succeeded', n2: 'blocked', n3: 'blocked' });
    expect(statuses(one).database).toEqual({ '*': 'succeeded' });
    const keys = one.cells['keys-verify']!['*']!;
    expect(keys.status).toBe('blocked');
    expect(keys.reason?.en).toMatch(/^waits for every node; not ready: node-2 \(.*\): ".*" blocked; node-3 \(.*\): ".*" blocked$/);
    expect(JSON.stringify(keys)).not.toMatch(/differ|missing/);

    // "Retry failed nodes" sends the nodes the failure blocked too, and every node completes.
    const retry = nodesToRetry(core.deploy.view(one));
    expect(retry.sort()).toEqual(['n2', 'n3']);
    const j = await core.deploy.wait((await core.deploy.resume(first.runId, { nodes: retry })).runId);
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    expect(s.preflight).toEqual({ n1: 'passed', n2: 'passed', n3: 'passed' });
    for (const step of ['installer', 'unpack', 'config', 'install', 'firewall'])
      expect(Object.values(s[step]!)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(s.database).toEqual({ '*': 'unchanged' });
    // Steps that only look report what they found: passed, not "unchanged".
    expect(s['keys-verify']).toEqual({ '*': 'passed' });
    expect(s.verify).toEqual({ '*': 'passed' });
    // The image the verification pushed is served through the load balancer.
    const log = core.deploy.log(j.runId).map((e) => e.line.en);
    expect(log.some((x) => /pushed and pulled library\/harbor-ha-verify/.test(x))).toBe(true);
    // registry.sql created `registry` itself; Clair got its database.
    expect(log.some((x) => /imported registry.sql: database registry/.test(x))).toBe(true);
  }, 600_000);

  it('reports every step unchanged on a second run and leaves one NAT rule per port and chain', async () => {
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    for (const [step, byNode] of Object.entries(s))
      for (const status of Object.values(byNode))
        expect(`${step}: ${status}`).toBe(`${step}: ${['preflight', 'keys-verify', 'verify'].includes(step) ? 'passed' : 'unchanged'}`);
    for (const n of l.nodes.slice(0, 3)) {
      const rules = (await n.execOk('iptables -t nat -S')).split('\n').filter((r) => r.includes('REDIRECT'));
      expect(rules.sort()).toEqual([
        `-A OUTPUT -d ${l.lb.address}/32 -p tcp -m tcp --dport 80 -j REDIRECT`,
        `-A PREROUTING -d ${l.lb.address}/32 -p tcp -m tcp --dport 80 -j REDIRECT`,
      ]);
    }
  }, 600_000);

  it('adds a fourth node, first cut off mid-install: a new run completes the half-installed node, the first three report unchanged, and it receives the keys and passes verification', async () => {
    const view = core.profiles.get('lab');
    const n4 = l.node(4);
    const p = structuredClone(view.profile);
    p.nodes.push({ ...p.nodes[1]!, id: 'n4', name: n4.name, host: n4.address, hostKeyFingerprint: n4.hostKeyFingerprint, jumpHosts: [] });
    await core.profiles.save(p, view.revision);

    // The first scale-out loses node 4 while install.sh runs there: a half-installed node (installer copied,
    // unpacked, configured, install begun), as a network outage leaves it.
    const { runId } = await core.deploy.start('lab');
    let dropped = false;
    const stop = core.deploy.subscribe(runId, (e: RunEvent) => {
      if (!dropped && e.kind === 'log' && e.entry.stepId === 'install' && e.entry.nodeId === 'n4' && /Step 1/.test(e.entry.line.en)) {
        dropped = true;
        void n4.dropConnections();
      }
    });
    const cut = await core.deploy.wait(runId);
    stop();
    expect(dropped, JSON.stringify(statuses(cut))).toBe(true);
    expect(cut.state).toBe('failed');
    expect(statuses(cut).install).toEqual({ n1: 'unchanged', n2: 'unchanged', n3: 'unchanged', n4: 'failed' });
    // The installer reached node 4 from node 1, not again from this computer.
    const copied = core.deploy
      .log(runId)
      .filter((e) => e.stepId === 'installer' && e.nodeId === 'n4')
      .map((e) => e.line.en);
    expect(copied.join('\n')).toMatch(/copied from node-1/);
    await n4.startSshd();

    // A new run, not a resume: it finds node 4 half-installed and finishes it, leaving the first three alone.
    const j = await deploy();
    expect(j.state, failures(j)).toBe('finished');
    const s = statuses(j);
    for (const [step, byNode] of Object.entries(s)) {
      for (const id of ['n1', 'n2', 'n3', '*'])
        if (byNode[id] && !['preflight', 'keys-verify', 'verify'].includes(step))
          expect(`${step}@${id}: ${byNode[id]}`).toBe(`${step}@${id}: unchanged`);
    }
    // What the cut run finished stays done; the install runs again.
    for (const step of ['installer', 'unpack', 'config']) expect(`${step}@n4: ${s[step]!.n4}`).toBe(`${step}@n4: unchanged`);
    for (const step of ['install', 'firewall']) expect(`${step}@n4: ${s[step]!.n4}`).toBe(`${step}@n4: succeeded`);
    expect(s.verify).toEqual({ '*': 'passed' });
    const sums = async (n: lab.LabNode) =>
      n.execOk(
        'sha256sum /opt/harbor/common/config/ui/private_key.pem /opt/harbor/common/config/registry/root.crt /data/secretkey | cut -c1-64',
      );
    expect(await sums(n4)).toBe(await sums(l.node(1)));
    const rules = (await n4.execOk('iptables -t nat -S')).split('\n').filter((r) => r.includes('REDIRECT'));
    expect(rules).toHaveLength(2);
  }, 600_000);

  it('fails only the node whose connection drops mid-install, and a resume completes it', async () => {
    // Something to install again everywhere: a new job worker count changes harbor.cfg.
    const view = core.profiles.get('lab');
    const p = structuredClone(view.profile);
    p.options.jobWorkers = 7;
    await core.profiles.save(p, view.revision);

    // The check names what the edit changes: harbor.cfg on every node, and so the install, which stops serving nodes.
    const check = await core.deploy.check('lab');
    const nodes = ['n1', 'n2', 'n3', 'n4'];
    for (const n of nodes) {
      const config = check.cells.config![n]!;
      expect(config.status).toBe('will-change');
      expect(config.changes).toEqual({ commands: 1, files: 1, sql: 0 });
      const diff = config.preview!.files.find((f) => f.diff)!.diff;
      expect(diff).toMatch(/^\+max_job_workers = 7$/m);
      expect(check.cells.install![n]).toMatchObject({ status: 'will-change', needs: ['config'], disruptive: true });
      for (const step of ['runtime', 'installer', 'unpack', 'firewall'])
        expect(`${step}@${n}: ${check.cells[step]![n]!.status}`).toBe(`${step}@${n}: unchanged`);
      expect(check.cells.preflight![n]!.status).toBe('passes');
    }
    expect(check.cells.database!['*']!.status).toBe('unchanged');
    expect(check.cells['keys-verify']!['*']).toMatchObject({ status: 'needs', needs: ['install'] });
    // Each serving node with how long its install took in the last run that applied it.
    expect(check.disruptions.map((d) => [d.nodeId, d.stepId, d.downtime.source])).toEqual(nodes.map((n) => [n, 'install', 'measured']));
    expect(check.disruptions.every((d) => d.downtime.seconds > 0 && d.downtime.nodeId === d.nodeId)).toBe(true);

    // Without the operator's consent naming every one of them, nothing runs.
    const runs = core.deploy.runs('lab').length;
    for (const confirmDisruption of [undefined, ['n1', 'n2', 'n4']]) {
      const refused = await core.deploy.start('lab', confirmDisruption ? { confirmDisruption } : {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ApiError);
      expect(refused).toMatchObject({ code: 'confirmation_required', reason: 'disruption' });
      expect((refused as ApiError).localized.en).toMatch(/node-3 .* for about \d+ s \(measured on node-3/);
    }
    expect(core.deploy.runs('lab')).toHaveLength(runs);

    const victim = l.node(3);
    const { runId } = await core.deploy.start('lab', { confirmDisruption: nodes });
    let dropped = false;
    const stop = core.deploy.subscribe(runId, (e: RunEvent) => {
      if (!dropped && e.kind === 'log' && e.entry.stepId === 'install' && e.entry.nodeId === 'n3' && /Step 1/.test(e.entry.line.en)) {
        dropped = true;
        void victim.dropConnections();
      }
    });
    const j = await core.deploy.wait(runId);
    stop();
    expect(dropped).toBe(true);
    expect(j.state).toBe('failed');
    const s = statuses(j);
    expect(s.install).toEqual({ n1: 'succeeded', n2: 'succeeded', n3: 'failed', n4: 'succeeded' });
    expect(s.firewall).toEqual({ n1: 'unchanged', n2: 'unchanged', n3: 'blocked', n4: 'unchanged' });
    expect(s['keys-verify']!['*']).toBe('blocked');
    expect(j.cells.install!.n3!.error!.en).toMatch(/node-3/);

    await victim.startSshd();
    // node-3 may still serve with its old configuration (cut before install.sh stopped it): consent again
    const resumed = await core.deploy.resume(runId, { confirmDisruption: ['n3'] });
    const done = await core.deploy.wait(resumed.runId);
    expect(done.state, failures(done)).toBe('finished');
    const after = statuses(done);
    expect(after.install!.n3).toBe('succeeded');
    expect(after.install!.n1).toBe('unchanged');
    expect(after.verify!['*']).toBe('passed');
  }, 600_000);

  it('never writes a secret into the journals, logs, records or audit log', () => {
    const secrets = [
      l.mariadb.password,
      l.redis.password,
      l.oss.accessKeySecret,
      'Harbor-Lab-12345',
      l.node(1).password,
      l.postgres.password,
    ];
    const files = execFileSync(
      'find',
      [core.dataDir, '-type', 'f', '(', '-path', '*/deploy/*', '-o', '-name', 'audit.log', '-o', '-name', '*.log', ')'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(files.filter((f) => f.endsWith('.json')).length).toBeGreaterThan(3);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${f} holds a secret`).toBe(false);
    }
  });
});
