/**
 * The deploy service running steps of the test's own (no node is contacted): the files of a run are
 * the operator's alone (0700 folders, 0600 journal and log, also when an older version left them
 * open), and a selection naming steps or nodes the plan does not have is refused before a run exists.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployEnv } from '../../electron/core/deploy/context';
import { DeployService } from '../../electron/core/deploy/service';
import { EMPTY_PREVIEW, type Step } from '../../electron/core/deploy/step';
import { Redactor } from '../../electron/core/log';
import { KnownHosts } from '../../electron/core/ssh/known-hosts';
import { ApiError } from '../../shared/errors';
import { profileSchema } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { statuses } from '../helpers/deploy';
import { v2Profile } from '../helpers/profiles';

const L = (s: string) => ({ en: s, 'zh-CN': s });
const core = testCore();

/** A cluster step and a node step that log a line each and are done once applied. */
function steps(): Step<DeployEnv>[] {
  const done = new Set<string>();
  const step = (id: string, scope: Step<DeployEnv>['scope']): Step<DeployEnv> => ({
    id,
    title: L(id),
    explain: L(`sets ${id}`),
    scope,
    check: async ({ node }) => ({ done: done.has(`${id}@${node?.id}`), reason: L(`${id} missing`) }),
    preview: async () => EMPTY_PREVIEW,
    apply: async ({ node, log }) => {
      log.line(`${id} on ${node?.id ?? 'the cluster'}`);
      done.add(`${id}@${node?.id}`);
    },
  });
  return [step('hello', 'cluster'), step('greet', 'each-node')];
}

function service(dataDir: string): DeployService {
  return new DeployService({
    dataDir,
    profiles: core.profiles,
    vault: core.vault,
    pool: core.ssh,
    transfers: core.transfers,
    knownHosts: new KnownHosts(join(dataDir, 'known_hosts')),
    redactor: new Redactor(),
    kind: { steps, env: (base) => base },
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;

beforeAll(async () => {
  await core.vault.initialize('deploy service test passphrase');
  await core.profiles.save(profileSchema.parse(v2Profile())); // prod-1 with nodes n1, n2
});

afterAll(() => core.close());

describe('the files of a run', () => {
  it.skipIf(process.platform === 'win32')(
    'are 0700 folders and 0600 files after a real run, also where an older version left them open',
    async () => {
      const fresh = mkdtempSync(join(tmpdir(), 'deploy-modes-'));
      const old = mkdtempSync(join(tmpdir(), 'deploy-modes-old-'));
      mkdirSync(join(old, 'deploy', 'runs'), { recursive: true });
      writeFileSync(join(old, 'deploy', 'runs', 'older-run.log'), '{"line":"from an older version"}\n');
      chmodSync(join(old, 'deploy'), 0o755);
      chmodSync(join(old, 'deploy', 'runs'), 0o755);
      chmodSync(join(old, 'deploy', 'runs', 'older-run.log'), 0o644);

      for (const dataDir of [fresh, old]) {
        const deploy = service(dataDir);
        const { runId } = await deploy.start('prod-1');
        const journal = await deploy.wait(runId);
        expect(journal.state).toBe('finished');
        expect(statuses(journal)).toEqual({ hello: { '*': 'succeeded' }, greet: { n1: 'succeeded', n2: 'succeeded' } });
        expect(deploy.log(runId).map((l) => l.line.en)).toContain('hello on the cluster');

        const runs = join(dataDir, 'deploy', 'runs');
        expect(mode(join(dataDir, 'deploy')), dataDir).toBe(0o700);
        expect(mode(runs), dataDir).toBe(0o700);
        expect(mode(join(runs, `${runId}.log`)), dataDir).toBe(0o600);
        expect(mode(join(runs, `${runId}.json`)), dataDir).toBe(0o600);
      }
      expect(mode(join(old, 'deploy', 'runs', 'older-run.log'))).toBe(0o600);
    },
  );
});

describe('a selection the plan cannot run', () => {
  const journals = (dataDir: string) => readdirSync(join(dataDir, 'deploy', 'runs')).filter((f) => f.endsWith('.json')).length;

  async function refusal(p: Promise<unknown>): Promise<ApiError> {
    const e = await p.then(
      () => null,
      (error: unknown) => error,
    );
    expect(e, 'expected a refusal').toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('invalid_input');
    return e as ApiError;
  }

  it('is refused as invalid_input naming the unknown ids and the valid ones, before any run is created', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deploy-selection-'));
    const deploy = service(dataDir);

    const step = await refusal(deploy.start('prod-1', { only: ['greet', 'nope'] }));
    expect(step.issues?.map((i) => i.path)).toEqual(['only']);
    for (const text of [step.localized.en, step.localized['zh-CN']]) expect(text).toMatch(/"nope".*"hello", "greet"/);
    expect(step.localized.en).not.toMatch(/"greet".*"hello", "greet"/);

    const node = await refusal(deploy.start('prod-1', { nodes: ['n1', 'n9'] }));
    expect(node.issues?.map((i) => i.path)).toEqual(['nodes']);
    for (const text of [node.localized.en, node.localized['zh-CN']]) expect(text).toMatch(/"n9".*"n1", "n2"/);

    const skip = await refusal(deploy.start('prod-1', { skip: { later: L('not now') } }));
    expect(skip.localized.en).toMatch(/skip: no step "later"/);

    const none = await refusal(deploy.start('prod-1', { only: [] }));
    expect(none.localized.en).toMatch(/choose at least one step/);

    expect(journals(dataDir)).toBe(0);
    expect(deploy.runs('prod-1')).toEqual([]);

    // Resuming (retrying nodes or steps) checks the same way, and leaves the journal as it was.
    const { runId } = await deploy.start('prod-1', { only: ['hello'] });
    const before = await deploy.wait(runId);
    await refusal(deploy.resume(runId, { nodes: ['n7'] }));
    await refusal(deploy.resume(runId, { only: ['greet', 'nope'] }));
    expect(journals(dataDir)).toBe(1);
    expect(deploy.run(runId).run.updatedAt).toBe(before.updatedAt);
  });
});
