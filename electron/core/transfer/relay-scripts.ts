/**
 * The shell the relay runs: on the targets (their authorized_keys), on the first node (its temporary
 * directory, its ssh to each target) and the command that receives the copy on a target. Values are
 * passed as positional parameters ("$1" …), never pasted into the script text.
 */
import { commandLine } from '../ssh/quote';

const AUTH_FILE = '"$HOME/.ssh/authorized_keys"';

/** Appends a line to authorized_keys (creating ~/.ssh 700 and the file 600 as needed). */
export const INSTALL_KEY = [
  'umask 077',
  'mkdir -p "$HOME/.ssh" || exit 1',
  `f=${AUTH_FILE}`,
  // keep the last existing line intact when the file does not end with a newline
  'if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f" || exit 1; fi',
  'printf "%s\\n" "$1" >> "$f"',
].join('\n');

/** Removes every line containing the comment, keeping the file (inode, mode) itself. */
export const REMOVE_KEY = [
  `f=${AUTH_FILE}`,
  '[ -f "$f" ] || exit 0',
  'grep -qF -- "$1" "$f" || exit 0',
  't="$f.harbor-tmp.$$"',
  '{ grep -vF -- "$1" "$f" || true; } > "$t" && cat "$t" > "$f"; s=$?; rm -f "$t"; exit $s',
].join('\n');

/** Makes the temporary directory on the first node; the private key arrives on stdin. */
export const SETUP_SOURCE = [
  'umask 077',
  'd=$(mktemp -d "${TMPDIR:-/tmp}/harbor-relay.XXXXXXXX") || exit 1',
  'cat > "$d/id_ed25519" && chmod 600 "$d/id_ed25519" && printf "%s" "$1" > "$d/known_hosts" || { rm -rf "$d"; exit 1; }',
  'printf "%s\\n" "$d"',
].join('\n');

/** On the first node: `ssh … target <remote command> < file`, first bound to the node's own address when it can be. */
export const COPY = [
  'f=$1; bind=$2; shift 2',
  'if [ -n "$bind" ]; then',
  '  out=$(ssh -o BindAddress="$bind" "$@" < "$f" 2>&1); s=$?',
  '  case "$out" in *"assign requested address"*) ;; *) [ -n "$out" ] && printf "%s\\n" "$out" >&2; exit $s ;; esac',
  'fi',
  'exec ssh "$@" < "$f"',
].join('\n');

/**
 * On the first node, follow a growing file: each line "n" on stdin lets the next n bytes through
 * (read with `head -c` from a descriptor held on the file) into `ssh … target 'cat > partial'`.
 */
export const COPY_FOLLOW = [
  'f=$1; final=$2; bind=$3; shift 3',
  // a small upload may already be complete and renamed: then read the final file
  // (`command exec`: a failed redirection must not end the shell)
  'if [ -e "$f" ] && command exec 3< "$f"; then :; else command exec 3< "$final" || exit 1; fi',
  'if [ -n "$bind" ]; then set -- -o BindAddress="$bind" "$@"; fi',
  'while read -r n; do head -c "$n" <&3 || exit 1; done | ssh "$@"',
].join('\n');

/** On the first node: can ssh connect from this address ("$1")? Prints ssh's complaint when it cannot. */
export const BIND_PROBE = 'b=$1; shift; ssh -o BindAddress="$b" "$@" true 2>&1; true';

/** The first node's ssh options for a target: the relay key and known_hosts in `dir` only, strict, never prompting. */
export function relaySshArgs(dir: string, t: { readonly host: string; readonly port: number; readonly user: string }): string[] {
  return [
    '-T',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${dir}/known_hosts`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'PasswordAuthentication=no',
    '-o',
    'KbdInteractiveAuthentication=no',
    '-o',
    'ConnectTimeout=15',
    '-o',
    'ServerAliveInterval=15',
    '-o',
    'LogLevel=ERROR',
    '-i',
    `${dir}/id_ed25519`,
    '-p',
    String(t.port),
    '-l',
    t.user,
    '--',
    t.host,
  ];
}

/** What the target runs to receive the copy into `part`. ssh joins its arguments into one line for the target's shell: quote it as such. */
export function receiveCommand(part: string, mode: number): string {
  return commandLine(['sh', '-c', 'umask 077; cat > "$1" && chmod "$2" "$1"', 'sh', part, mode.toString(8)]);
}
