/**
 * Following a terminal's working folder. The shell says where it is with OSC 7 (`ESC ] 7 ; file://host/path BEL`), as
 * VTE-based terminals expect; bash does not by itself, so the Files panel installs a prompt hook for the running
 * session only: one line typed into the shell (starting with a space, so bash's default HISTCONTROL keeps it out of
 * the history), never a change to the node's rc files, gone when the shell exits.
 */
import type { IDisposable, Terminal } from '@xterm/xterm';

/**
 * The hook, for bash (other shells ignore PROMPT_COMMAND, and the function is harmless there). Installed once per
 * shell: a second install finds its name in PROMPT_COMMAND and leaves it.
 */
export const PROMPT_HOOK =
  ` __hhd_cwd() { printf '\\033]7;file://%s%s\\033\\\\' "\${HOSTNAME:-}" "$PWD"; };` +
  ` case ";\${PROMPT_COMMAND:-};" in *";__hhd_cwd;"*) ;; *) PROMPT_COMMAND="__hhd_cwd\${PROMPT_COMMAND:+;$PROMPT_COMMAND}";; esac\r`;

/** The folder an OSC 7 payload names (`file://host/path`, the path percent-encoded or not), or null. */
export function parseOsc7(data: string): string | null {
  const m = /^file:\/\/[^/]*(\/.*)$/.exec(data);
  if (!m) return null;
  let path = m[1]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A raw path holding a "%" that is not an escape: taken as it is.
  }
  return path.includes('\0') || path.includes('\n') ? null : path;
}

/** Calls `onCwd` each time the terminal's shell reports its folder. */
export function followCwd(term: Terminal, onCwd: (path: string) => void): IDisposable {
  return term.parser.registerOscHandler(7, (data) => {
    const path = parseOsc7(data);
    if (path) onCwd(path);
    return true;
  });
}
