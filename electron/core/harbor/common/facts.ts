/**
 * What a node has (OS, docker, compose, Python, openssl, package manager, free space), read in one
 * command by templates/node/facts.sh, and the version comparisons the preflight needs.
 */
import { TIMEOUTS } from './timeouts';
import script from '../../../../templates/node/facts.sh?raw';
import type { NodeShell } from '../../deploy/remote';
import { isUtf8Locale, underUtf8 } from './locale';

export interface NodeFacts {
  readonly os: string;
  readonly osFamily: 'rhel' | 'debian' | 'other';
  readonly addresses: readonly string[];
  /** Parsed versions; null when absent. */
  readonly docker: string | null;
  /** The standalone docker-compose binary. */
  readonly compose: string | null;
  /** The raw output of `docker-compose --version` (to spot the seed's ImportError). */
  readonly composeOutput: string;
  /** The `docker compose` plugin. */
  readonly composePlugin: string | null;
  /** `/usr/bin/python --version`, e.g. "Python 2.7.5"; empty when absent. */
  readonly python: string;
  readonly openssl: boolean;
  readonly packageManager: 'yum' | 'apt' | null;
  readonly iptables: boolean;
  /** The UTF-8 locale Harbor's scripts run under (templates/node/utf8.sh), or null when the node has none. */
  readonly utf8Locale: string | null;
  /** Free kilobytes per directory asked about. */
  readonly freeKb: Readonly<Record<string, number | null>>;
}

/** The first dotted version in a text ("Docker version 1.13.1, build 092cba3" → 1.13.1). */
export function versionIn(text: string): string | null {
  return /(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? null;
}

/** a >= b for dotted versions. */
export function versionAtLeast(a: string, b: string): boolean {
  const x = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const y = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

export function parseFacts(text: string, dirs: readonly string[]): NodeFacts {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const get = (k: string) => kv.get(k) ?? '';
  const osId = get('os_id').toLowerCase();
  const composeOutput = get('compose');
  const freeKb: Record<string, number | null> = {};
  for (const d of dirs) {
    const v = get(`disk:${d}`);
    freeKb[d] = /^\d+$/.test(v) ? Number(v) : null;
  }
  return {
    os: get('os') || 'unknown',
    osFamily: /rhel|centos|fedora|rocky|alma|anolis|alinux|ol\b/.test(osId) ? 'rhel' : /debian|ubuntu/.test(osId) ? 'debian' : 'other',
    addresses: get('addresses').split(/\s+/).filter(Boolean),
    docker: get('docker') ? versionIn(get('docker')) : null,
    compose: composeOutput && /version/i.test(composeOutput) && !/Error/.test(composeOutput) ? versionIn(composeOutput) : null,
    composeOutput,
    composePlugin: get('compose_plugin') ? versionIn(get('compose_plugin')) : null,
    python: get('python'),
    openssl: get('openssl') !== '',
    packageManager: get('yum') ? 'yum' : get('apt') ? 'apt' : null,
    iptables: get('iptables') !== '',
    utf8Locale: isUtf8Locale(get('locale')) ? get('locale') : null,
    freeKb,
  };
}

export async function readFacts(shell: NodeShell, dirs: readonly string[]): Promise<NodeFacts> {
  return parseFacts(await shell.ok(underUtf8(['sh', '-c', script, 'facts', ...dirs]), { timeoutMs: TIMEOUTS.facts }), dirs);
}
