/** The deployment runner with steps over an in-memory "cluster": order, scopes, failures, resume, idempotency. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLUSTER, JournalStore, type Journal } from '../../electron/core/deploy/journal';
import { markInterrupted, newJournal, Runner } from '../../electron/core/deploy/runner';
import { EMPTY_PREVIEW, type NodeRef, type Step } from '../../electron/core/deploy/step';

interface World {
  done: Map<string, Set<string>>;
  order: string[];
  failOnce: Set<string>;
  running: number;
  maxRunning: number;
}
type Ctx = { world: World };

const L = (s: string) => ({ en: s, 'zh-CN': s });

function marker(id: string, scope: Step<Ctx>['scope'], extra: Partial<Step<Ctx>> = {}): Step<Ctx> {
  const key = (n?: NodeRef) => n?.id ?? CLUSTER;
  return {
    id,
    title: L(id),
    explain: L(`sets ${id}`),
    scope,
    async check({ world, node }) {
      return { done: world.done.get(key(node))?.has(id) ?? false, reason: L(`${id} missing`) };
    },
    async preview() {
      return EMPTY_PREVIEW;
    },
    async apply({ world, node }) {
      world.running++;
      world.maxRunning = Math.max(world.maxRunning, world.running);
      await new Promise((r) => setTimeout(r, 20));
      world.running--;
      const k = `${id}@${key(node)}`;
      world.order.push(k);
      if (world.failOnce.delete(k)) throw new Error(`${k} broke`);
      if (!world.done.has(key(node))) world.done.set(key(node), new Set());
      world.done.get(key(node))!.add(id);
    },
    ...extra,
  };
}

/**
 * The step with each apply held until `want` applies run at once (or all `total` cells have started),
 * so a slow machine that staggers the starts still shows how many the runner lets run together.
 */
function held(step: Step<Ctx>, want: number, total: number): Step<Ctx> {
  let started = 0;
  return {
    ...step,
    async apply(ctx) {
      started++;
      ctx.world.running++;
      const until = Date.now() + 5_000;
      // Node 1 of a first-then-rest step runs alone by design.
      const alone = step.scope === 'first-then-rest' && ctx.node?.index === 0;
      while (!alone && ctx.world.running < want && started < total && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
      ctx.world.running--;
      return step.apply(ctx);
    },
  };
}

const nodes = (n: number): NodeRef[] => Array.from({ length: n }, (_, i) => ({ id: `n${i + 1}`, label: `node-${i + 1}`, index: i }));

function setup(steps: Step<Ctx>[], count = 3, world?: World) {
  const w: World = world ?? { done: new Map(), order: [], failOnce: new Set(), running: 0, maxRunning: 0 };
  const store = new JournalStore(mkdtempSync(join(tmpdir(), 'runs-')));
  const ns = nodes(count);
  const runner = (journal: Journal = newJournal('p', steps, ns)) => new Runner<Ctx>(steps, ns, () => ({ world: w }), store, journal);
  return { w, store, ns, runner };
}

const statuses = (j: Journal) =>
  Object.fromEntries(
    Object.entries(j.cells).map(([s, byNode]) => [s, Object.fromEntries(Object.entries(byNode).map(([n, c]) => [n, c.status]))]),
  );

describe('deployment runner', () => {
  it('runs every step and reports unchanged everywhere on a second run', async () => {
    const steps = [marker('preflight', 'cluster'), marker('install', 'each-node'), marker('verify', 'cluster', { needsAllNodes: true })];
    const { runner, store } = setup(steps);
    const first = await runner().run();
    expect(first.state).toBe('finished');
    expect(statuses(first)).toEqual({
      preflight: { '*': 'succeeded' },
      install: { n1: 'succeeded', n2: 'succeeded', n3: 'succeeded' },
      verify: { '*': 'succeeded' },
    });
    const second = await runner().run();
    expect(Object.values(statuses(second)).flatMap((o) => Object.values(o))).toEqual(Array(5).fill('unchanged'));
    expect(store.load(first.runId).state).toBe('finished');
    expect(store.list()).toEqual([second.runId, first.runId].sort().reverse());
  });

  it('stops only the failing node, blocks what waits for all nodes, and retries just that node', async () => {
    const steps = [marker('config', 'each-node'), marker('install', 'each-node'), marker('verify', 'cluster', { needsAllNodes: true })];
    const { runner, w } = setup(steps);
    w.failOnce.add('config@n2');
    const r = runner();
    const j = await r.run();
    expect(j.state).toBe('failed');
    expect(statuses(j)).toEqual({
      config: { n1: 'succeeded', n2: 'failed', n3: 'succeeded' },
      install: { n1: 'succeeded', n2: 'blocked', n3: 'succeeded' },
      verify: { '*': 'blocked' },
    });
    expect(j.cells.config!.n2!.error!.en).toBe('config@n2 broke');
    const again = await r.run({ nodes: ['n2'] });
    expect(again.state).toBe('finished');
    expect(statuses(again)).toEqual({
      config: { n1: 'succeeded', n2: 'succeeded', n3: 'succeeded' },
      install: { n1: 'succeeded', n2: 'succeeded', n3: 'succeeded' },
      verify: { '*': 'succeeded' },
    });
  });

  it('runs node 1 first for first-then-rest steps, then the rest in parallel; a failing node 1 blocks the rest', async () => {
    const steps = [marker('install', 'first-then-rest')];
    const ok = setup([held(steps[0]!, 3, 4)], 4);
    await ok.runner().run();
    expect(ok.w.order[0]).toBe('install@n1');
    expect(ok.w.maxRunning).toBe(3);
    const bad = setup(steps, 4);
    bad.w.failOnce.add('install@n1');
    const j = await bad.runner().run();
    expect(statuses(j).install).toEqual({ n1: 'failed', n2: 'blocked', n3: 'blocked', n4: 'blocked' });
    expect(bad.w.order).toEqual(['install@n1']);
  });

  it('applies disruptive cells one node at a time while the others still run in parallel', async () => {
    // Nodes 2 and 4 serve already (their check says applying would take them down); 3 and 5 are fresh.
    const serving = new Set(['n2', 'n4']);
    const base = marker('install', 'first-then-rest');
    const rolling: Step<Ctx> = {
      ...base,
      async check(ctx) {
        const r = await base.check(ctx);
        return { ...r, disruptive: !r.done && serving.has(ctx.node!.id) };
      },
    };
    let disruptiveNow = 0;
    let disruptiveMax = 0;
    const h = held(rolling, 3, 5);
    const step: Step<Ctx> = {
      ...h,
      async apply(ctx) {
        const mine = serving.has(ctx.node!.id);
        if (mine) disruptiveMax = Math.max(disruptiveMax, ++disruptiveNow);
        try {
          await h.apply(ctx);
        } finally {
          if (mine) disruptiveNow--;
        }
      },
    };
    const { runner, w } = setup([step], 5);
    const j = await runner().run();
    expect(statuses(j).install).toEqual({ n1: 'succeeded', n2: 'succeeded', n3: 'succeeded', n4: 'succeeded', n5: 'succeeded' });
    expect(disruptiveMax).toBe(1);
    // The fresh nodes did not wait for the rolling ones: three applies ran together.
    expect(w.maxRunning).toBe(3);
  });

  it('bounds parallel nodes', async () => {
    const step = held(marker('install', 'each-node'), 5, 12);
    const { runner, w } = setup([step], 12);
    await runner().run({ concurrency: 5 });
    expect(w.maxRunning).toBe(5);
  });

  it("skips a step with the operator's reason", async () => {
    const { runner } = setup([marker('firewall', 'each-node'), marker('verify', 'cluster')]);
    const j = await runner().run({ skip: { firewall: L('no SLB hairpin here') } });
    expect(statuses(j).firewall).toEqual({ n1: 'skipped', n2: 'skipped', n3: 'skipped' });
    expect(j.cells.firewall!.n1!.reason!.en).toBe('no SLB hairpin here');
  });

  it('passes a stream of progress reports on a few times a second per cell, always with its end', async () => {
    const step = marker('transfer', 'each-node', {
      async apply(ctx) {
        // Every SSH packet of a 1 GiB transfer is a report: 32 768 of them, in far less than a second here.
        for (let done = 1; done <= 32_768; done++) ctx.log.progress(done * 32_768, 32_768 * 32_768);
        return marker('transfer', 'each-node').apply(ctx);
      },
    });
    const { runner } = setup([step], 2);
    const r = runner();
    const seen: { nodeId: string; done: number }[] = [];
    r.on('progress', (e) => seen.push(e));
    await r.run();
    for (const node of ['n1', 'n2']) {
      const mine = seen.filter((e) => e.nodeId === node);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine.length).toBeLessThan(100);
      expect(mine.at(-1)!.done).toBe(32_768 * 32_768);
    }
  });

  it('fails a cell whose check still fails after apply, saying so', async () => {
    const liar = marker('liar', 'cluster', { apply: async () => undefined });
    const j = await setup([liar]).runner().run();
    expect(j.cells.liar![CLUSTER]!.status).toBe('failed');
    expect(j.cells.liar![CLUSTER]!.error!.en).toBe('the step ran, but its check still fails: liar missing');
  });

  it('resumes a run cut short: running cells become interrupted, and the same journal completes', async () => {
    const steps = [marker('a', 'each-node'), marker('b', 'each-node')];
    const { runner, store, w } = setup(steps);
    const controller = new AbortController();
    const r = runner();
    r.on('cell', ({ stepId, cell }) => {
      if (stepId === 'a' && cell.status === 'succeeded') controller.abort();
    });
    const cut = await r.run({ signal: controller.signal });
    expect(cut.state).toBe('interrupted');
    const loaded = markInterrupted(store.load(cut.runId));
    const resumed = await runner(loaded).run();
    expect(resumed.state).toBe('finished');
    expect(Object.values(resumed.cells.b!).every((c) => c.status === 'succeeded')).toBe(true);
    // Each node received each step's apply exactly once across both runs.
    expect(w.order.filter((k) => k.startsWith('a@')).length).toBe(3);
    expect(w.order.filter((k) => k.startsWith('b@')).length).toBe(3);
  });

  it('stops everything after a failed gate step (preflight) or cluster step, but not after a cluster step that only waits', async () => {
    const gate = setup([marker('preflight', 'each-node', { gate: true }), marker('install', 'each-node'), marker('verify', 'cluster')]);
    gate.w.failOnce.add('preflight@n2');
    const j = await gate.runner().run();
    expect(statuses(j)).toEqual({
      preflight: { n1: 'succeeded', n2: 'failed', n3: 'succeeded' },
      install: { n1: 'blocked', n2: 'blocked', n3: 'blocked' },
      verify: { '*': 'blocked' },
    });
    expect(j.cells.install!.n1!.reason!.en).toContain('"preflight" must pass first (node-2)');
    expect(gate.w.order).not.toContain('install@n1');

    const cluster = setup([marker('database', 'cluster'), marker('install', 'each-node')]);
    cluster.w.failOnce.add('database@*');
    expect(statuses(await cluster.runner().run()).install).toEqual({ n1: 'blocked', n2: 'blocked', n3: 'blocked' });

    const waits = setup([
      marker('install', 'each-node'),
      marker('keys', 'cluster', { needsAllNodes: true }),
      marker('firewall', 'each-node'),
    ]);
    waits.w.failOnce.add('install@n3');
    const k = await waits.runner().run();
    expect(statuses(k)).toEqual({
      install: { n1: 'succeeded', n2: 'succeeded', n3: 'failed' },
      keys: { '*': 'blocked' },
      firewall: { n1: 'succeeded', n2: 'succeeded', n3: 'blocked' },
    });
  });

  it('stops a serving node only with consent naming it, even when the check before the run could not tell', async () => {
    // A reinstall of a node that serves now: disruptive until applied.
    const install = marker('install', 'each-node', { disrupts: true });
    const serving: Step<Ctx> = {
      ...install,
      async check(ctx) {
        return { ...(await install.check(ctx)), disruptive: true };
      },
    };
    const { runner, w } = setup([serving], 2);
    const refused = await runner().run({ confirmDisruption: ['n1'] });
    expect(statuses(refused)).toEqual({ install: { n1: 'succeeded', n2: 'failed' } });
    expect(refused.cells.install!.n2!.error!.en).toMatch(
      /^node-2 serves clients now and this run has no consent to stop it; nothing was reinstalled/,
    );
    expect(w.order).toEqual(['install@n1']);
    expect(statuses(await runner().run({ confirmDisruption: ['n2'] }))).toEqual({ install: { n1: 'unchanged', n2: 'succeeded' } });
  });

  it('lets a cluster step that needs every node wait for nodes that have not run, naming them, and never compare them', async () => {
    // The key check compares every node's keys: run on a node that never installed, it would report them as differing.
    const compared: string[] = [];
    const keys = marker('keys', 'cluster', { needsAllNodes: true, readOnly: true });
    const steps = [
      marker('preflight', 'each-node', { gate: true, readOnly: true }),
      marker('install', 'first-then-rest'),
      {
        ...keys,
        async check(ctx: Ctx & Parameters<Step<Ctx>['check']>[0]) {
          compared.push(...ctx.nodes.map((n) => n.id));
          const missing = ctx.nodes.filter((n) => !ctx.world.done.get(n.id)?.has('install'));
          return missing.length ? { done: false, reason: L(`keys differ on ${missing.map((n) => n.label).join(', ')}`) } : { done: true };
        },
      },
    ];
    const { runner, w } = setup(steps);
    w.failOnce.add('preflight@n1');
    const r = runner();
    expect(statuses(await r.run()).install).toEqual({ n1: 'blocked', n2: 'blocked', n3: 'blocked' });
    // Node 1 alone: the others are still blocked by its earlier failure, so the key check waits and says why.
    const one = await r.run({ nodes: ['n1'] });
    expect(statuses(one).install).toEqual({ n1: 'succeeded', n2: 'blocked', n3: 'blocked' });
    expect(one.cells.keys!['*']!.status).toBe('blocked');
    expect(one.cells.keys!['*']!.reason!.en).toBe('waits for every node; not ready: node-2: "install" blocked; node-3: "install" blocked');
    expect(compared).toEqual([]);
    // With the nodes it blocked, every node completes; steps that only look end "passed".
    const all = await r.run({ nodes: ['n2', 'n3'] });
    expect(all.state).toBe('finished');
    expect(statuses(all)).toEqual({
      preflight: { n1: 'succeeded', n2: 'passed', n3: 'passed' },
      install: { n1: 'succeeded', n2: 'succeeded', n3: 'succeeded' },
      keys: { '*': 'passed' },
    });
    // A new run of the same plan: what only looks passed, what changes was already done.
    expect(statuses(await runner().run()).preflight).toEqual({ n1: 'passed', n2: 'passed', n3: 'passed' });
  });
});
