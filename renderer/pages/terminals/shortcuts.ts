/**
 * The Terminals page's keyboard shortcuts: which keys do what, read by the terminals' key handler, the page's key
 * listener and the help popover alike, so the help lists exactly what the keys do.
 */
import type { terminalMessages } from './messages';

export type KeyCommand = 'copy' | 'paste' | 'search' | 'nextTerminal' | 'previousTerminal';

/** Ctrl+Shift with these keys: Ctrl alone stays the shell's (Ctrl+C interrupts, Ctrl+F moves the cursor). */
const CTRL_SHIFT: readonly { readonly code: string; readonly key: string; readonly command: KeyCommand }[] = [
  { code: 'KeyC', key: 'C', command: 'copy' },
  { code: 'KeyV', key: 'V', command: 'paste' },
  { code: 'KeyF', key: 'F', command: 'search' },
  { code: 'ArrowRight', key: '→', command: 'nextTerminal' },
  { code: 'ArrowLeft', key: '←', command: 'previousTerminal' },
];

/** The page's command for a key press, if it is one of ours. */
export function keyCommand(e: KeyboardEvent): KeyCommand | null {
  if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey || e.altKey || e.metaKey) return null;
  return CTRL_SHIFT.find((k) => k.code === e.code)?.command ?? null;
}

type TermKey = keyof typeof terminalMessages;

const HELP_TEXT: Record<KeyCommand, TermKey> = {
  copy: 'term.keys.copy',
  paste: 'term.keys.paste',
  search: 'term.keys.search',
  nextTerminal: 'term.keys.next',
  previousTerminal: 'term.keys.previous',
};

/** Keys the help popover lists: ours first, then those xterm.js and the shell give every terminal. */
export const SHORTCUT_HELP: readonly { readonly keys: readonly string[]; readonly text: TermKey }[] = [
  ...CTRL_SHIFT.map((k) => ({ keys: ['Ctrl', 'Shift', k.key], text: HELP_TEXT[k.command] })),
  { keys: ['Enter'], text: 'term.keys.findNext' },
  { keys: ['Shift', 'Enter'], text: 'term.keys.findPrevious' },
  { keys: ['Esc'], text: 'term.keys.backToTerminal' },
  { keys: ['Shift', 'PageUp'], text: 'term.keys.scrollUp' },
  { keys: ['Shift', 'PageDown'], text: 'term.keys.scrollDown' },
  { keys: ['Ctrl', 'C'], text: 'term.keys.interrupt' },
];
