/** How harbor-ha prints: a message in the language asked for, and a run's events as they come. */
import type { RunEvent } from '../../../shared/api/contracts/deploy';
import type { Localized } from '../../../shared/i18n/localized';
import type { Core } from '../core';
import type { CliArgs } from './command-line';

/** A message in the language of the command line (--lang, else the environment's). */
export function say(args: CliArgs, l: Localized): string {
  return l[args.lang];
}

/** Prints a run's events until it ends; the exit status is whether it finished. */
export async function follow(core: Core, runId: string, args: CliArgs): Promise<number> {
  const run = core.deploy.run(runId).run;
  const labels = new Map(core.deploy.plan(run.profileId, run.operation).nodes.map((n) => [n.id, n.label]));
  const where = (nodeId: string) => (nodeId === '*' ? 'cluster' : (labels.get(nodeId) ?? nodeId));
  const print = (e: RunEvent) => {
    if (args.json) return process.stdout.write(`${JSON.stringify(e)}\n`);
    if (e.kind === 'snapshot') return process.stdout.write(`run ${e.run.runId}\n`);
    if (e.kind === 'log') return process.stdout.write(`[${e.entry.stepId} ${where(e.entry.nodeId)}] ${say(args, e.entry.line)}\n`);
    if (e.kind === 'cell' && e.cell.status !== 'running') {
      const why = e.cell.error ?? e.cell.reason;
      return process.stdout.write(`${e.stepId} ${where(e.nodeId)}: ${e.cell.status}${why ? `: ${say(args, why)}` : ''}\n`);
    }
    if (e.kind === 'state' && !e.active) return process.stdout.write(`run ${runId}: ${e.state}\n`);
    return true;
  };
  const stop = core.deploy.subscribe(runId, print);
  const journal = await core.deploy.wait(runId);
  stop();
  return journal.state === 'finished' ? 0 : 1;
}
