/**
 * The one way the app builds a shell command line: every argument passes through `quote`, so no
 * user input is ever pasted into a shell string. POSIX sh single quotes keep every byte literal
 * except the quote itself, which is written as '\'' .
 */

/** Quotes one argument for a POSIX shell. Plain words stay readable; everything else is single-quoted. */
export function quote(arg: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, the single-quoting below also writes '' for ''
  if (arg === '') return "''";
  // "=" is left out: a first word like A=B would be an assignment, not a command.
  if (/^[A-Za-z0-9_@%+:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command line from an argument vector. Quoting keeps every byte, but a program still reads an
 * argument that starts with "-" as an option: pass "--" before such operands where that matters.
 */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('commandLine: empty argument vector');
  return argv.map(quote).join(' ');
}

/** Joins command lines so the second runs only if the first succeeded. */
export function and(...lines: readonly string[]): string {
  return lines.join(' && ');
}

/** Runs a command line with sh -c, e.g. for a redirect: the script is ours, its arguments are quoted. */
export function shScript(script: string, args: readonly string[] = []): string {
  return commandLine(['sh', '-c', script, 'sh', ...args]);
}
