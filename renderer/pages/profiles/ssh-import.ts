/**
 * Turns hosts read from an OpenSSH client config (profiles.importSshConfig) into a profile draft for
 * the editor: one node per chosen host, its ProxyJump hops as jump hosts. What the config does not
 * say (sign-in method when there is no IdentityFile, user, secrets) is left to the template and
 * the operator.
 */
import type { SshConfigImport, SshHostCandidate } from '../../../shared/api/types';
import type { Localized } from '../../../shared/i18n/localized';
import { MAX_JUMP_HOSTS, type Draft } from './draft';

type Node = Draft['nodes'][number];
type Auth = Node['auth'];
/** The schema's limit on nodes in one profile. */
export const MAX_NODES = 16;
/** The schema's limit on a node's display name. */
const MAX_NAME = 64;

/** A host that cannot become a node as it is (too many hops for the profile). */
export const tooManyHops = (host: SshHostCandidate): boolean => (host.proxyJump?.length ?? 0) > MAX_JUMP_HOSTS;

function nodeFromHost(host: SshHostCandidate): Partial<Node> {
  const auth: Auth | undefined = host.identityFile ? { kind: 'key', keyPath: host.identityFile, passphrase: { set: false } } : undefined;
  // Hops sign in like the node with its key, else through the agent (as the form's "add jump host" does).
  const hopAuth: Auth = auth ?? { kind: 'agent' };
  return {
    name: host.alias.slice(0, MAX_NAME),
    host: host.host,
    port: host.port,
    ...(host.user ? { user: host.user } : {}),
    ...(auth ? { auth } : {}),
    jumpHosts: (host.proxyJump ?? []).map((hop) => ({
      host: hop.host,
      port: hop.port,
      user: hop.user ?? host.user ?? 'root',
      auth: hopAuth,
    })),
  };
}

/** The draft for the chosen hosts (in the config's order), with the parser's warnings as the editor's notes. */
export function draftFromSshHosts(
  result: SshConfigImport,
  chosen: ReadonlySet<string>,
  generation: 'v1' | 'v2',
  note: Localized,
  lineNote: (line: number, message: Localized) => Localized,
): { draft: unknown; notes: Localized[] } {
  const hosts = result.hosts.filter((h) => chosen.has(h.alias) && !tooManyHops(h)).slice(0, MAX_NODES);
  return {
    draft: { harbor: { generation }, nodes: hosts.map(nodeFromHost) },
    notes: [note, ...result.warnings.map((w) => lineNote(w.line, w.message))],
  };
}
