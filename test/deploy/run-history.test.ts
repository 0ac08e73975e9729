/**
 * The runs of a profile as the deploy service keeps them, with steps of the test's own (no node is contacted):
 * only the newest run may be resumed, an older failed one is refused and left as it was; the log holds every line in
 * both languages (a command's output the same in each), masked in both, and a log an older version wrote (one
 * English text a line) still reads.
 */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployEnv } from '../../electron/core/deploy/context';
import { DeployService } from '../../electron/core/deploy/service';
import { EMPTY_PREVIEW, type Step } from '../../electron/core/deploy/step';
import { Redactor } from '../../electron/core/log';
import { KnownHosts } from '../../electron/core/ssh/known-hosts';
import { ApiError } from '../../shared/errors';
import { L } from '../../shared/i18n/localized';
import { profileSchema } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';

const core = testCore();
const SECRET = 'Sekrit-In-A-Log-Line-93';

interface State {
  open: boolean;
  readonly said: Set<string>;
}

/** `say` logs prose in both languages and a command's output once per node; `gate` fails until `open` is set. */
function steps(state: State): Step<DeployEnv>[] {
  return [
    {
      id: 'say',
      title: L('Say', '说'),
      explain: L('logs', '记录'),
      scope: 'each-node',
      check: async ({ node }) => ({ done: state.said.has(node!.id) }),
      preview: async () => EMPTY_PREVIEW,
      apply: async ({ node, log }) => {
        state.said.add(node!.id);
        log.line(L(`greeted ${node!.id} with ${SECRET}`, `已问候 ${node!.id}，口令 ${SECRET}`));
        log.line(`raw output of ${node!.id}`);
      },
    },
    {
      id: 'gate',
      title: L('Gate', '关口'),
      explain: L('fails until opened', '打开前失败'),
      scope: 'cluster',
      check: async () => ({ done: state.open, reason: L('closed', '关闭') }),
      preview: async () => EMPTY_PREVIEW,
      apply: async () => undefined,
    },
  ];
}

function service(dataDir: string, state: State): DeployService {
  const redactor = new Redactor();
  redactor.add(SECRET);
  return new DeployService({
    dataDir,
    profiles: core.profiles,
    vault: core.vault,
    pool: core.ssh,
    transfers: core.transfers,
    knownHosts: new KnownHosts(join(dataDir, 'known_hosts')),
    redactor,
    kind: { steps: () => steps(state), env: (base) => base },
  });
}

beforeAll(async () => {
  await core.vault.initialize('run history test passphrase');
  await core.profiles.save(profileSchema.parse(v2Profile())); // prod-1 with nodes n1, n2
});

afterAll(() => core.close());

describe('the runs of a profile', () => {
  it('resume only the newest: an older failed run is refused and left as it was', async () => {
    const state: State = { open: false, said: new Set() };
    const deploy = service(mkdtempSync(join(tmpdir(), 'run-history-')), state);
    const old = await deploy.wait((await deploy.start('prod-1')).runId);
    expect(old.state).toBe('failed');
    state.open = true;
    const newer = await deploy.wait((await deploy.start('prod-1')).runId);
    expect(newer.state).toBe('finished');

    const refused = await deploy.resume(old.runId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('conflict');
    expect((refused as ApiError).reason).toBe('superseded');
    for (const text of [(refused as ApiError).localized.en, (refused as ApiError).localized['zh-CN']]) expect(text).toContain(newer.runId);
    expect(deploy.run(old.runId).run).toMatchObject({ state: 'failed', updatedAt: old.updatedAt });

    // The newest run resumes (here: nothing left to do but check again).
    await deploy.resume(newer.runId);
    expect((await deploy.wait(newer.runId)).state).toBe('finished');
  });

  it('keep every log line in both languages, masked in both, and read an older English-only log', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'run-log-'));
    const deploy = service(dataDir, { open: true, said: new Set() });
    const { runId } = await deploy.start('prod-1');
    await deploy.wait(runId);
    const lines = deploy.log(runId).map((l) => ({ node: l.nodeId, ...l.line }));
    expect(lines).toContainEqual({ node: 'n1', en: 'greeted n1 with ******', 'zh-CN': '已问候 n1，口令 ******' });
    expect(lines).toContainEqual({ node: 'n2', en: 'raw output of n2', 'zh-CN': 'raw output of n2' });
    const file = join(dataDir, 'deploy', 'runs', `${runId}.log`);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);

    appendFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), stepId: 'say', nodeId: 'n1', line: 'written by 0.9' })}\n`);
    expect(deploy.log(runId).at(-1)!.line).toEqual({ en: 'written by 0.9', 'zh-CN': 'written by 0.9' });
  });
});
