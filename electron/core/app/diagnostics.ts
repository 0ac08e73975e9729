/**
 * The text an operator pastes into a bug report (About → Copy diagnostics).
 *
 * It is pasted into public issue trackers, so it holds only facts about the app and its machine
 * type: versions, OS, languages, how many profiles and nodes, and the state of the newest run. It
 * never holds a secret, a host name or IP address (of nodes, databases or this machine), a domain,
 * a profile name, a user name or a path: paths carry the OS user name, and names and addresses
 * identify the operator's infrastructure. What a maintainer needs beyond this, they ask for.
 */
import os from 'node:os';
import type { CallParsed, TransportKind } from '../../../shared/api';
import type { LastDeploy, ProfileSummary } from '../../../shared/api/types';
import type { HostInfo } from './info';

/** The newest deployment of any profile, by its time. */
function newestRun(profiles: readonly ProfileSummary[]): LastDeploy | undefined {
  let newest: LastDeploy | undefined;
  for (const p of profiles) if (p.lastDeploy && (!newest || p.lastDeploy.at > newest.at)) newest = p.lastDeploy;
  return newest;
}

export function diagnosticsText(
  host: HostInfo,
  transport: TransportKind,
  profiles: readonly ProfileSummary[],
  input: CallParsed<'app.diagnostics'>,
): string {
  const run = newestRun(profiles);
  const nodes = profiles.reduce((sum, p) => sum + p.nodeCount, 0);
  const generations = (g: 'v1' | 'v2') => profiles.filter((p) => p.generation === g).length;
  const lines = [
    `${host.name} ${host.version}`,
    `Electron: ${host.electron ?? '-'}; Chromium: ${host.chrome ?? '-'}; Node: ${process.versions.node}`,
    `OS: ${process.platform} ${os.release()} ${process.arch}`,
    `Transport: ${transport}`,
    `Locale: UI ${input.locale}; system ${host.locale}`,
    ...(input.userAgent ? [`Browser: ${input.userAgent}`] : []),
    `Profiles: ${profiles.length} (Harbor 1.x: ${generations('v1')}, 2.x: ${generations('v2')}); nodes: ${nodes}`,
    `Last run: ${run ? `${run.status} at ${run.at}` : 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}
