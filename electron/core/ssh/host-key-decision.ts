/**
 * What to do with the host key a server presents, from the known_hosts verdict and the fingerprint
 * the profile pins. Kept apart from the connection so the order of the rules — the security of every
 * connection — is tested directly: known_hosts refusals come first, so a pinned fingerprint can
 * never override a revoked or changed entry; a pin that differs refuses even a known key.
 */
import type { HostKeyVerdict, KnownHostLine } from './known-hosts';

export type HostKeyDecision =
  | { readonly kind: 'refuse'; readonly code: 'host_key_revoked' | 'host_key_profile_mismatch' }
  /** known_hosts has another key for this host: `entries` are its lines, for the operator to inspect. */
  | { readonly kind: 'refuse'; readonly code: 'host_key_changed'; readonly entries: readonly KnownHostLine[] }
  /** known_hosts has this very key. */
  | { readonly kind: 'trust' }
  /** Unknown host whose key the profile pins: trust it and record it in the app's known_hosts. */
  | { readonly kind: 'trust_and_record' }
  /** Unknown host, nothing pinned: only the operator can decide. */
  | { readonly kind: 'ask' };

export function decideHostKey(verdict: HostKeyVerdict, expectedFingerprint: string | undefined, presented: string): HostKeyDecision {
  if (verdict.kind === 'revoked') return { kind: 'refuse', code: 'host_key_revoked' };
  if (verdict.kind === 'mismatch') return { kind: 'refuse', code: 'host_key_changed', entries: verdict.entries };
  if (expectedFingerprint && expectedFingerprint !== presented) return { kind: 'refuse', code: 'host_key_profile_mismatch' };
  if (verdict.kind === 'match') return { kind: 'trust' };
  if (expectedFingerprint === presented) return { kind: 'trust_and_record' };
  return { kind: 'ask' };
}
