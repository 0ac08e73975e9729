/**
 * Harbor's scripts run under a UTF-8 locale (templates/node/utf8.sh picks one the node has): Harbor 1.5's prepare is
 * Python 2 and dies on any non-ASCII value under the C locale a non-interactive SSH command usually gets.
 */
import utf8Runner from '../../../../templates/node/utf8.sh?raw';

/** `argv` as it runs on a node under a UTF-8 locale. */
export function underUtf8(argv: readonly string[]): string[] {
  return ['sh', '-c', utf8Runner, 'harbor-ha-utf8', ...argv];
}

/** Whether a locale name (LC_ALL or LANG) is a UTF-8 one. */
export const isUtf8Locale = (name: string): boolean => /\.utf-?8$/i.test(name);

/** The first character outside ASCII in a text, or null. */
export function firstNonAscii(text: string): string | null {
  for (const ch of text) if (ch.codePointAt(0)! > 0x7f) return ch;
  return null;
}
