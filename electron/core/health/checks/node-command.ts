/**
 * The one command a sweep runs on each node (one line in the audit log): the clock, the containers, free space and
 * the digests of what every node must share. Only digests leave the node, never a key.
 */
import type { Profile } from '../../../../shared/profile';
import { commandLine } from '../../ssh/quote';
import type { NodeKind } from '../kind';

/**
 * The script is ours and fixed but for the kind's container listing, a constant quoted in. The paths are its
 * arguments: $1 the data volume, $2 the log folder, $3 the file whose CSRF key line is digested (empty: none) and $4
 * that line's prefix (matched as text, not as a pattern), then the shared files to digest.
 */
export function nodeScript(listContainers: readonly string[]): string {
  return [
    'dv=$1; logs=$2; csrf=$3; prefix=$4; shift 4',
    'printf \'@@date %s\\n\' "$(date -u +%s)"',
    "printf '@@docker\\n'",
    `${commandLine(listContainers)} 2>&1`,
    'printf \'@@rc %s\\n\' "$?"',
    'for p in "$dv" "$logs"; do',
    '  printf \'@@df %s\\n\' "$p"',
    '  df -P -k "$p" 2>&1',
    '  printf \'@@rc %s\\n\' "$?"',
    'done',
    'for f in "$@"; do',
    '  if [ ! -e "$f" ]; then printf \'@@key missing %s\\n\' "$f";',
    '  elif [ ! -r "$f" ]; then printf \'@@key unreadable %s\\n\' "$f";',
    '  else printf \'@@key %s %s\\n\' "$(sha256sum < "$f" | cut -c1-64)" "$f"; fi',
    'done',
    'if [ -n "$csrf" ]; then',
    '  if [ ! -r "$csrf" ]; then printf \'@@csrf missing %s\\n\' "$csrf";',
    '  else',
    '    l=; while IFS= read -r x || [ -n "$x" ]; do case $x in "$prefix"*) l=$x; break;; esac; done < "$csrf"',
    '    if [ -z "$l" ]; then printf \'@@csrf unset %s\\n\' "$csrf"; else printf \'@@csrf %s %s\\n\' "$(printf \'%s\' "$l" | sha256sum | cut -c1-64)" "$csrf"; fi',
    '  fi',
    'fi',
  ].join('\n');
}

export function nodeArgv(kind: NodeKind, p: Profile): string[] {
  const csrf = kind.csrfKey(p);
  const shared = kind.sharedFiles(p).map((f) => f.path);
  return [
    'sh',
    '-c',
    nodeScript(kind.containerList.argv),
    'sh',
    p.options.dataVolume,
    kind.logFolder,
    csrf?.path ?? '',
    csrf?.prefix ?? '',
    ...shared,
  ];
}

export interface NodeReport {
  readonly epochSeconds?: number;
  readonly docker: { readonly rc: number; readonly text: string };
  readonly df: readonly { readonly path: string; readonly rc: number; readonly text: string }[];
  readonly keys: readonly { readonly path: string; readonly digest?: string; readonly problem?: 'missing' | 'unreadable' }[];
  /** The digest of the CSRF key line, or why there is none, and the file it was read from (when the kind has one). */
  readonly csrf?: { readonly path: string; readonly digest?: string; readonly problem?: 'missing' | 'unset' };
}

export function parseNodeReport(stdout: string): NodeReport {
  let epochSeconds: number | undefined;
  let docker = { rc: -1, text: '' };
  const df: { path: string; rc: number; text: string }[] = [];
  const keys: { path: string; digest?: string; problem?: 'missing' | 'unreadable' }[] = [];
  let csrf: NodeReport['csrf'];
  let section: { kind: 'docker' } | { kind: 'df'; path: string } | null = null;
  let buffer: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@@date ')) {
      const n = Number(line.slice(7).trim());
      if (Number.isFinite(n) && n > 0) epochSeconds = n;
    } else if (line === '@@docker') {
      section = { kind: 'docker' };
      buffer = [];
    } else if (line.startsWith('@@df ')) {
      section = { kind: 'df', path: line.slice(5) };
      buffer = [];
    } else if (line.startsWith('@@rc ')) {
      const rc = Number(line.slice(5));
      if (section?.kind === 'docker') docker = { rc, text: buffer.join('\n') };
      else if (section?.kind === 'df') df.push({ path: section.path, rc, text: buffer.join('\n') });
      section = null;
    } else if (line.startsWith('@@key ')) {
      const m = /^@@key (missing|unreadable) (.*)$/.exec(line);
      if (m) keys.push({ path: m[2]!, problem: m[1] as 'missing' | 'unreadable' });
      else {
        const k = /^@@key ([0-9a-f]{64}) (.*)$/.exec(line);
        if (k) keys.push({ path: k[2]!, digest: k[1]! });
      }
    } else if (line.startsWith('@@csrf ')) {
      const m = /^@@csrf (missing|unset|[0-9a-f]{64}) (.*)$/.exec(line);
      if (m) csrf = m[1] === 'missing' || m[1] === 'unset' ? { path: m[2]!, problem: m[1] } : { path: m[2]!, digest: m[1]! };
    } else if (section) buffer.push(line);
  }
  return { ...(epochSeconds !== undefined ? { epochSeconds } : {}), docker, df, keys, ...(csrf ? { csrf } : {}) };
}
