/**
 * Preflight of one node, changing nothing: what the node has (docker, compose, Python 2, openssl,
 * free space) against what the Harbor generation needs, and the services as the node reaches them
 * (RDS whitelists are per node, so the desktop's view proves nothing; with an Aliyun account, the whitelists as
 * Aliyun holds them too): database logins and version, Redis AUTH, an OSS write/read/delete. Each finding says what is wrong and what to do.
 */
import type { HarborEnv } from '../env';
import type { NodeShell } from '../../deploy/remote';
import { readFacts, type NodeFacts } from './facts';
import type { Finding } from './preflight/findings';
import { diskFindings, localeFindings } from './preflight/host';
import { runtimeFindings, type RuntimeNeeds } from './preflight/runtime';
import { reachFindings, serviceFindings } from './preflight/services';
import { whitelistFindings } from './preflight/whitelists';

/** Everything about one node; `facts` is returned for the steps that follow. */
export async function nodePreflight(
  env: HarborEnv,
  shell: NodeShell,
  needs: RuntimeNeeds,
  nodeAddress: string,
  installerBytes: number,
): Promise<{ facts: NodeFacts; findings: Finding[] }> {
  const label = await shell.label();
  const facts = await readFacts(shell, ['/opt', env.profile.options.dataVolume, '/var/log/harbor', '/var/lib/docker']);
  const findings = [
    ...runtimeFindings(facts, needs, label, env.options.installRuntime === true),
    ...diskFindings(facts, label, installerBytes),
  ];
  if (needs.scriptValues) findings.push(...localeFindings(facts, label, needs.scriptValues(env)));
  // Aliyun's whitelists first: a node they refuse fails every login below for that reason alone.
  findings.push(...(await whitelistFindings(env, shell.nodeId, label)));
  const reach = await reachFindings(shell, env.profile, label);
  findings.push(...reach);
  // Logins only where the port answers (a refused port already says what to do).
  if (reach.every((f) => f.ok)) findings.push(...(await serviceFindings(env, shell, nodeAddress, label)));
  return { facts, findings };
}
