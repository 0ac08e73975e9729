/**
 * The host-key decision every SSH connection makes before any credential is sent: real known_hosts
 * text, real key blobs and fingerprints, through the same verdict and decision connect.ts uses.
 */
import { describe, expect, it } from 'vitest';
import { decideHostKey } from '../../electron/core/ssh/host-key-decision';
import { fingerprint, parseKnownHosts, verifyHostKey } from '../../electron/core/ssh/known-hosts';

/** An SSH wire-format ed25519 public key blob filled with `fill`. */
const ed25519 = (fill: number) =>
  Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, fill)]);

const presented = ed25519(1);
const previous = ed25519(2);
const pinPresented = fingerprint(presented);
const pinOther = fingerprint(ed25519(3));

/** What the app decides when `presented` arrives from 10.0.0.1:22 with this known_hosts text and pin. */
function decide(knownHostsText: string, pin?: string) {
  const verdict = verifyHostKey(parseKnownHosts(knownHostsText, 'known_hosts'), '10.0.0.1', 22, presented);
  return decideHostKey(verdict, pin, pinPresented);
}

const knowsPresented = `10.0.0.1 ssh-ed25519 ${presented.toString('base64')}\n`;
const knowsPrevious = `# the key the host had before\n10.0.0.1 ssh-ed25519 ${previous.toString('base64')}\n`;
const revokesPresented = `@revoked * ssh-ed25519 ${presented.toString('base64')}\n${knowsPresented}`;

describe('host-key decision', () => {
  it('a changed known_hosts entry refuses even when the profile pins the presented key', () => {
    const d = decide(knowsPrevious, pinPresented);
    expect(d.kind).toBe('refuse');
    expect(d.kind === 'refuse' && d.code).toBe('host_key_changed');
    // The refusal names the line that disagrees, so the operator can inspect it.
    expect(d.kind === 'refuse' && d.code === 'host_key_changed' && d.entries.map((l) => l.line)).toEqual([2]);
  });

  it('a changed entry refuses without a pin too, and with a pin of yet another key', () => {
    expect(decide(knowsPrevious)).toMatchObject({ kind: 'refuse', code: 'host_key_changed' });
    expect(decide(knowsPrevious, pinOther)).toMatchObject({ kind: 'refuse', code: 'host_key_changed' });
  });

  it('a revoked key refuses whatever the pin and the other lines say', () => {
    expect(decide(revokesPresented, pinPresented)).toEqual({ kind: 'refuse', code: 'host_key_revoked' });
    expect(decide(revokesPresented)).toEqual({ kind: 'refuse', code: 'host_key_revoked' });
  });

  it('a pin of another key refuses a host known_hosts knows, and an unknown one', () => {
    expect(decide(knowsPresented, pinOther)).toEqual({ kind: 'refuse', code: 'host_key_profile_mismatch' });
    expect(decide('', pinOther)).toEqual({ kind: 'refuse', code: 'host_key_profile_mismatch' });
  });

  it('a known key is trusted, with or without the same pin, and not recorded again', () => {
    expect(decide(knowsPresented)).toEqual({ kind: 'trust' });
    expect(decide(knowsPresented, pinPresented)).toEqual({ kind: 'trust' });
  });

  it('an unknown host is trusted and recorded only when the profile pins its key; otherwise the operator decides', () => {
    expect(decide('', pinPresented)).toEqual({ kind: 'trust_and_record' });
    expect(decide('')).toEqual({ kind: 'ask' });
    // An empty pin is no pin: it asks rather than trusting or refusing.
    expect(decide('', '')).toEqual({ kind: 'ask' });
  });
});
