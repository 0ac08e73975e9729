/**
 * The temporary trust a relay sets up: a short-lived ed25519 key that the targets accept only from
 * the first node's addresses, and the targets' host keys as the app knows them, for the first node's
 * known_hosts.
 */
import { randomBytes } from 'node:crypto';
import { generateEd25519KeyPair } from '../ssh/keygen';
import { hostToken, type KnownHosts, patternsMatch } from '../ssh/known-hosts';

export const RELAY_COMMENT_PREFIX = 'harbor-ha-deployer-relay-';

export interface RelayKey {
  /** Unique to this transfer: the cleanup removes the authorized_keys lines that contain it. */
  readonly comment: string;
  readonly privateKey: string;
  /** The line for each target's authorized_keys: only from the first node, no pty, no forwarding. */
  readonly authorizedKey: string;
}

export function relayKey(transferId: string, sourceAddresses: readonly string[]): RelayKey {
  const comment = `${RELAY_COMMENT_PREFIX}${transferId}-${randomBytes(4).toString('hex')}`;
  const pair = generateEd25519KeyPair(comment);
  const from = sourceAddresses.map((a) => a.replace(/"/g, '')).join(',');
  const authorizedKey = `from="${from}",no-pty,no-agent-forwarding,no-X11-forwarding,no-port-forwarding ${pair.public.trim()}`;
  return { comment, privateKey: pair.private, authorizedKey };
}

/** How the first node reaches a target, and where the app's known_hosts has it. */
export interface RelayAddress {
  /** How the first node reaches it: the address, port and user in the profile. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Where the app's known_hosts has this host, when the first node reaches it at another address. */
  readonly knownAs?: { readonly host: string; readonly port: number };
}

/** Known_hosts lines (plain host token) for a host as the app knows it; empty when unknown. */
export function knownHostsLinesFor(knownHosts: KnownHosts, host: string, port: number): string[] {
  const token = hostToken(host, port);
  return knownHosts
    .lines()
    .filter((l) => l.marker === null && patternsMatch(l.patterns, token))
    .map((l) => `${token} ${l.keyType} ${l.key}`);
}

/** The known_hosts lines the first node needs for a target, under the address it connects to. */
export function targetLines(knownHosts: KnownHosts, t: RelayAddress): string[] {
  if (!t.knownAs) return knownHostsLinesFor(knownHosts, t.host, t.port);
  const token = hostToken(t.host, t.port);
  return knownHostsLinesFor(knownHosts, t.knownAs.host, t.knownAs.port).map((l) => `${token}${l.slice(l.indexOf(' '))}`);
}
