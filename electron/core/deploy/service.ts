/**
 * Deployments as the API and the CLI see them: the plan of a profile, previews, runs started in
 * the background with a persisted journal and log, resumed after a restart or to retry, and their
 * events. Secrets are read from the vault only inside steps; every log line is masked first.
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type {
  Disruption,
  LogLine,
  OperationId,
  Plan,
  PlanCheck,
  ProgressReport,
  RunEvent,
  RunView,
  StepPreview,
} from '../../../shared/api/contracts/deploy';
import { ApiError } from '../../../shared/errors';
import { type Localized, L } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import { fromVaultError } from '../profiles/errors';
import type { ProfileService } from '../profiles/service';
import { SshError } from '../ssh/errors';
import { ensurePrivateDir, ensurePrivateFile } from '../vault/atomic';
import { RecordStore, type DeployEnv, type DeployOptions } from './context';
import { refuseSuperseded } from './history';
import { disruptionRefusal, disruptionsOf } from './disruption';
import { CLUSTER, JournalStore, operationOf, type Journal } from './journal';
import { PlanChecker } from './plan-check';
import { checkSelection, nodeRefs, type StartRequest } from './request';
import { runEnv, type RunEnvSources } from './run-env';
import { maskCell, maskText, readRunLog, runLogFile, runView } from './run-view';
import { errorText, markInterrupted, newJournal, Runner, type RunOptions } from './runner';
import { EMPTY_PREVIEW, type NodeRef, type Preview, type Step } from './step';

/** How long deploy.start and deploy.resume wait for the nodes to say whether the run would stop one that serves. */
const CONSENT_CHECK_MS = 20_000;

export interface DeployServiceOptions extends RunEnvSources {
  readonly dataDir: string;
  readonly profiles: ProfileService;
}

interface Active {
  readonly runner: Runner<DeployEnv>;
  /** The latest progress per step and node, for the snapshot of a late subscriber. */
  readonly progress: Map<string, ProgressReport>;
  readonly abort: AbortController;
  readonly done: Promise<Journal>;
}

export class DeployService {
  readonly #journals: JournalStore;
  readonly #records: RecordStore;
  readonly #logDir: string;
  readonly #active = new Map<string, Active>();
  readonly #listeners = new Map<string, Set<(e: RunEvent) => void>>();

  constructor(private readonly o: DeployServiceOptions) {
    const dir = join(o.dataDir, 'deploy');
    this.#journals = new JournalStore(join(dir, 'runs'), (text) => o.redactor.redact(text));
    this.#records = new RecordStore(dir);
    this.#logDir = join(dir, 'runs');
    // Journals, logs and records say which hosts, users and databases a cluster has: ours alone,
    // like the rest of the data folder; folders and logs of older versions are tightened too.
    ensurePrivateDir(dir);
    ensurePrivateDir(this.#logDir);
    for (const name of readdirSync(this.#logDir)) ensurePrivateFile(join(this.#logDir, name));
    // Runs that were executing when the app stopped are interrupted: resumable, not running.
    for (const id of this.#journals.list()) {
      try {
        const j = this.#journals.load(id);
        if (j.state === 'running') void this.#journals.save(markInterrupted(j));
      } catch {
        // a damaged journal is listed as missing, never fatal
      }
    }
  }

  get records(): RecordStore {
    return this.#records;
  }

  #profile(profileId: string): Profile {
    return this.o.profiles.get(profileId).profile;
  }

  #steps(p: Profile, operation: OperationId = 'deploy'): Step<DeployEnv>[] {
    return this.o.kind.steps(p, operation);
  }

  plan(profileId: string, operation: OperationId = 'deploy'): Plan {
    const p = this.#profile(profileId);
    const steps = this.#steps(p, operation);
    const last = this.#latestRunId(profileId, operation);
    return {
      profileId,
      operation,
      generation: p.harbor.generation,
      steps: steps.map((s) => ({
        id: s.id,
        title: s.title,
        explain: s.explain,
        scope: s.scope,
        ...(s.readOnly ? { readOnly: true } : {}),
      })),
      nodes: nodeRefs(p),
      lastRunId: last,
    };
  }

  /** The newest run of this operation on the profile: the only one that may be resumed. */
  #latestRunId(profileId: string, operation: OperationId): string | null {
    return (
      this.#journals.list().find((id) => {
        const j = this.#safeLoad(id);
        return j?.profileId === profileId && operationOf(j) === operation;
      }) ?? null
    );
  }

  #safeLoad(runId: string): Journal | null {
    try {
      return this.#journals.load(runId);
    } catch {
      return null;
    }
  }

  /** What the step would do in a run with these options (they change the plan: install the runtime, reset a database). */
  async preview(profileId: string, stepId: string, nodeId?: string, options: DeployOptions = {}): Promise<StepPreview> {
    const p = this.#profile(profileId);
    const steps = this.#steps(p);
    const step = steps.find((s) => s.id === stepId);
    if (!step)
      throw new ApiError({ code: 'not_found', message: L(`There is no step "${stepId}" in this plan.`, `计划中没有步骤“${stepId}”。`) });
    const nodes = nodeRefs(p);
    const node = step.scope === 'cluster' ? undefined : (nodes.find((n) => n.id === nodeId) ?? nodes[0]);
    if (nodeId && step.scope !== 'cluster' && !nodes.some((n) => n.id === nodeId))
      throw new ApiError({ code: 'not_found', message: L(`The profile has no node "${nodeId}".`, `集群配置中没有节点“${nodeId}”。`) });
    const env = runEnv(this.o, this.#records, p, 'preview', options);
    let preview;
    try {
      preview = await step.preview({
        ...env,
        node,
        nodes,
        peers: nodes,
        signal: new AbortController().signal,
        log: { line: () => undefined, progress: () => undefined },
      });
    } catch (error) {
      // Made before the steps it depends on have changed the node (config before unpack): say that, not an error.
      const waiting = step.dependsOn?.length
        ? await this.#checker(p, steps, options, {}, false)
            .checker.waiting(step, node)
            .catch(() => null)
        : null;
      if (waiting) return { ...EMPTY_PREVIEW, notes: waiting.reason ? [waiting.reason] : [], needs: waiting.needs ?? [] };
      // A preview reads the node: why the connection failed (host key, login, refused) is the answer.
      if (error instanceof SshError) throw error.toApiError();
      throw fromVaultError(error);
    }
    return this.#masked(preview);
  }

  /** Masked once more here: nothing the renderer sees may carry a secret. */
  #masked(preview: Preview): StepPreview {
    const mask = (s: string) => this.o.redactor.redact(s);
    return {
      commands: preview.commands.map(mask),
      files: preview.files.map((f) => ({ path: f.path, diff: mask(f.diff) })),
      sql: preview.sql.map(mask),
      notes: preview.notes,
    };
  }

  /**
   * The whole plan checked now, reads only (a dry run): what each step would do on each node with these options —
   * will change (with its preview), unchanged, passes or fails, or needs an earlier step first — and the serving
   * nodes a run would stop.
   */
  async check(profileId: string, options: DeployOptions = {}, selection: Pick<StartRequest, 'only' | 'nodes'> = {}): Promise<PlanCheck> {
    const p = this.#profile(profileId);
    const steps = this.#steps(p);
    checkSelection('deploy.check', p, steps, selection);
    this.#needVault();
    const { checker, chosen, nodes } = this.#checker(p, steps, options, selection, true);
    const cells = await checker.all(chosen, nodes);
    return {
      profileId,
      checkedAt: new Date().toISOString(),
      cells,
      disruptions: disruptionsOf(chosen, nodes, cells, this.#journalsOf(profileId)),
    };
  }

  /** The serving nodes a run with this selection would stop, each with its expected downtime (what a run asks consent for). */
  async disruptions(
    profileId: string,
    options: DeployOptions = {},
    selection: Pick<StartRequest, 'only' | 'nodes'> = {},
  ): Promise<Disruption[]> {
    const p = this.#profile(profileId);
    const steps = this.#steps(p);
    checkSelection('deploy.disruptions', p, steps, selection);
    this.#needVault();
    return this.#disruptions(p, steps, options, selection);
  }

  async #disruptions(
    p: Profile,
    steps: Step<DeployEnv>[],
    options: DeployOptions,
    selection: Pick<StartRequest, 'only' | 'nodes'>,
    signal?: AbortSignal,
  ) {
    const { checker, chosen, nodes } = this.#checker(p, steps, options, selection, false, signal);
    const disrupting = chosen.filter((s) => s.disrupts);
    return disruptionsOf(disrupting, nodes, await checker.all(disrupting, nodes), this.#journalsOf(p.id));
  }

  /** A run that would stop serving nodes goes on only with the operator's consent naming each of them. */
  async #needConsent(p: Profile, steps: Step<DeployEnv>[], request: StartRequest): Promise<void> {
    // A node that does not answer in time is not held against the run: the runner refuses to stop it unconsented.
    const found = await this.#disruptions(p, steps, request.options ?? {}, request, AbortSignal.timeout(CONSENT_CHECK_MS));
    const missing = found.filter((d) => !request.confirmDisruption?.includes(d.nodeId));
    const nodes = nodeRefs(p);
    if (missing.length) throw disruptionRefusal(missing, (id) => nodes.find((n) => n.id === id)?.label ?? id);
  }

  /** A checker over the chosen steps and nodes; a step outside the choice is not run, so nothing waits for it. */
  #checker(
    p: Profile,
    steps: Step<DeployEnv>[],
    options: DeployOptions,
    selection: Pick<StartRequest, 'only' | 'nodes'>,
    full: boolean,
    signal: AbortSignal = new AbortController().signal,
  ) {
    const all = nodeRefs(p);
    const chosen = steps.filter((s) => !selection.only || selection.only.includes(s.id));
    const nodes = all.filter((n) => !selection.nodes || selection.nodes.includes(n.id));
    const env = runEnv(this.o, this.#records, p, 'check', options);
    const mask = (t: Localized) => L(this.o.redactor.redact(t.en), this.o.redactor.redact(t['zh-CN']));
    const checker = new PlanChecker<DeployEnv>(
      {
        steps: chosen,
        nodes: all,
        context: (node: NodeRef | undefined) => ({
          ...env,
          node,
          nodes: all,
          peers: all,
          signal,
          log: { line: () => undefined, progress: () => undefined },
        }),
        mask: (preview) => this.#masked(preview),
        errorText: (error) => mask(error instanceof SshError ? error.toApiError().localized : errorText(error)),
      },
      full,
    );
    return { checker, chosen, nodes };
  }

  /** This profile's run journals, newest first. */
  #journalsOf(profileId: string): Journal[] {
    return this.#journals
      .list()
      .map((id) => this.#safeLoad(id))
      .filter((j): j is Journal => j?.profileId === profileId);
  }

  async start(profileId: string, request: StartRequest = {}): Promise<{ runId: string }> {
    const p = this.#profile(profileId);
    const options = request.options ?? {};
    const operation = request.operation ?? 'deploy';
    if (operation === 'deploy') this.o.kind.beforeStart?.(p, options, request.confirmReset);
    const steps = this.#steps(p, operation);
    checkSelection('deploy.start', p, steps, request);
    this.#needVault();
    this.#busy(profileId);
    await this.#needConsent(p, steps, request);
    this.#busy(profileId);
    const journal = newJournal(profileId, steps, nodeRefs(p), operation);
    await this.#journals.save(journal);
    return this.#launch(p, steps, journal, options, request);
  }

  async resume(runId: string, request: StartRequest = {}): Promise<{ runId: string }> {
    if (this.#active.has(runId)) throw new ApiError({ code: 'conflict', message: L('This run is running already.', '该运行正在进行中。') });
    const journal = this.#load(runId);
    const operation = operationOf(journal);
    refuseSuperseded(journal, this.#latestRunId(journal.profileId, operation));
    const p = this.#profile(journal.profileId);
    const options = request.options ?? {};
    if (operation === 'deploy') this.o.kind.beforeStart?.(p, options, request.confirmReset);
    const steps = this.#steps(p, operation);
    checkSelection('deploy.resume', p, steps, request);
    this.#needVault();
    this.#busy(journal.profileId);
    await this.#needConsent(p, steps, request);
    this.#busy(journal.profileId);
    const nodes = nodeRefs(p);
    // The profile may have grown (scale-out) or the plan changed: add the cells it lacks.
    const fresh = newJournal(journal.profileId, steps, nodes, operation);
    for (const [stepId, byNode] of Object.entries(fresh.cells)) {
      const have = (journal.cells[stepId] ??= {});
      for (const [nodeId, cell] of Object.entries(byNode)) have[nodeId] ??= cell;
    }
    (journal as { steps: readonly string[] }).steps = steps.map((s) => s.id);
    markInterrupted(journal);
    return this.#launch(p, steps, journal, options, request, true);
  }

  #busy(profileId: string): void {
    for (const [id, a] of this.#active) {
      if (a.runner.journal.profileId === profileId) {
        throw new ApiError({
          code: 'conflict',
          message: L(
            `A run of this profile is in progress (${id}). Wait for it or cancel it first.`,
            `该集群配置已有运行在进行（${id}）。请等待其结束或先取消。`,
          ),
        });
      }
    }
  }

  #load(runId: string): Journal {
    const j = this.#safeLoad(runId);
    if (!j) throw new ApiError({ code: 'not_found', message: L(`No run "${runId}" is recorded.`, `没有记录运行“${runId}”。`) });
    return j;
  }

  /** Steps read secrets from the vault: a locked vault is asked for before anything runs. */
  #needVault(): void {
    if (this.o.vault.status().state !== 'unlocked') {
      throw new ApiError({
        code: 'vault_locked',
        message: L(
          "Unlock the vault first: the deployment reads the profile's passwords and keys from it.",
          '请先解锁密钥库：部署需要从中读取集群配置的密码和密钥。',
        ),
      });
    }
  }

  #launch(
    p: Profile,
    steps: Step<DeployEnv>[],
    journal: Journal,
    options: DeployOptions,
    request: StartRequest,
    resumed = false,
  ): { runId: string } {
    journal.request = {
      ...(request.only ? { only: [...request.only] } : {}),
      ...(request.nodes ? { nodes: [...request.nodes] } : {}),
      ...(request.skip ? { skip: Object.keys(request.skip) } : {}),
      ...(resumed ? { resumed } : {}),
    };
    const env = runEnv(this.o, this.#records, p, journal.runId, options, request.input);
    const runner = new Runner<DeployEnv>(steps, nodeRefs(p), () => env, this.#journals, journal);
    const abort = new AbortController();
    // Every command in flight listens to it: many nodes at once are more than the default 10.
    setMaxListeners(0, abort.signal);
    const logFile = runLogFile(this.#logDir, journal.runId);
    runner.on('cell', ({ stepId, nodeId, cell }) =>
      this.#emit(journal.runId, { kind: 'cell', stepId, nodeId, cell: maskCell(this.o.redactor, cell) }),
    );
    runner.on('log', ({ stepId, nodeId, line }) => {
      const entry: LogLine = { time: new Date().toISOString(), stepId, nodeId, line: maskText(this.o.redactor, line) };
      appendFileSync(logFile, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      this.#emit(journal.runId, { kind: 'log', entry });
    });
    const progress = new Map<string, ProgressReport>();
    runner.on('progress', (e) => {
      progress.set(`${e.stepId}\0${e.nodeId}`, e);
      this.#emit(journal.runId, { kind: 'progress', ...e });
    });
    const runOptions: RunOptions = {
      signal: abort.signal,
      ...(request.only ? { only: request.only } : {}),
      ...(request.nodes ? { nodes: request.nodes } : {}),
      ...(request.skip ? { skip: request.skip } : {}),
      ...(request.concurrency ? { concurrency: request.concurrency } : {}),
      ...(request.confirmDisruption ? { confirmDisruption: request.confirmDisruption } : {}),
    };
    const done = runner.run(runOptions).then(
      (j) => j,
      async (error: unknown) => {
        // The runner records step failures itself; reaching here means the journal could not be saved.
        journal.state = 'failed';
        this.#emit(journal.runId, {
          kind: 'log',
          entry: {
            time: new Date().toISOString(),
            stepId: '',
            nodeId: CLUSTER,
            line: maskText(this.o.redactor, L(`run stopped: ${(error as Error).message}`, `运行已停止：${(error as Error).message}`)),
          },
        });
        return journal;
      },
    );
    this.#active.set(journal.runId, { runner, progress, abort, done });
    this.#emit(journal.runId, { kind: 'state', state: 'running', active: true });
    void done.then((j) => {
      this.#active.delete(journal.runId);
      if (operationOf(j) !== 'deploy') return this.#emit(journal.runId, { kind: 'state', state: j.state, active: false });
      try {
        this.o.profiles.setLastDeploy(p.id, {
          runId: j.runId,
          at: j.updatedAt,
          status: j.state === 'finished' ? 'succeeded' : j.state === 'interrupted' ? 'cancelled' : 'failed',
        });
      } catch {
        // the profile may have been deleted meanwhile
      }
      this.#emit(journal.runId, { kind: 'state', state: j.state, active: false });
    });
    return { runId: journal.runId };
  }

  /** Resolves when a run this process executes has ended (tests, CLI). */
  wait(runId: string): Promise<Journal> {
    return this.#active.get(runId)?.done ?? Promise.resolve(this.#load(runId));
  }

  cancel(runId: string): boolean {
    const a = this.#active.get(runId);
    if (!a) return false;
    a.abort.abort();
    return true;
  }

  view(journal: Journal): RunView {
    return runView(this.o.redactor, journal, this.#active.has(journal.runId));
  }

  runs(profileId: string, operation: OperationId = 'deploy'): RunView[] {
    return this.#journals
      .list()
      .map((id) => this.#active.get(id)?.runner.journal ?? this.#safeLoad(id))
      .filter((j): j is Journal => !!j && j.profileId === profileId && operationOf(j) === operation)
      .map((j) => this.view(j));
  }

  log(runId: string): LogLine[] {
    return readRunLog(this.#logDir, runId);
  }

  run(runId: string): { run: RunView; log: LogLine[] } {
    const j = this.#active.get(runId)?.runner.journal ?? this.#load(runId);
    return { run: this.view(j), log: this.log(runId) };
  }

  subscribe(runId: string, listener: (e: RunEvent) => void): () => void {
    const { run, log } = this.run(runId);
    const progress = [...(this.#active.get(runId)?.progress.values() ?? [])];
    listener({ kind: 'snapshot', run, log: log.slice(-2000), ...(progress.length ? { progress } : {}) });
    let set = this.#listeners.get(runId);
    if (!set) this.#listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.#listeners.delete(runId);
    };
  }

  #emit(runId: string, e: RunEvent): void {
    for (const l of this.#listeners.get(runId) ?? []) l(e);
  }

  async close(): Promise<void> {
    for (const a of this.#active.values()) a.abort.abort();
    await Promise.allSettled([...this.#active.values()].map((a) => a.done));
  }
}
