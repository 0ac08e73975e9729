/** Which terminals the page shows side by side, and in what grid. */

export const PANE_COUNTS = [1, 2, 3, 4] as const;
export type PaneCount = (typeof PANE_COUNTS)[number];

/**
 * The tabs shown for `count` panes: the most recently used ones (the active one first), filled up in tab order, and
 * laid out in tab order. Clicking a pane that is already shown keeps every pane where it is; choosing a hidden tab
 * replaces the pane used least recently.
 */
export function shownTabs(keys: readonly string[], recent: readonly string[], count: PaneCount): string[] {
  const want = Math.min(count, keys.length);
  const shown = new Set<string>();
  for (const key of [...recent, ...keys]) {
    if (shown.size >= want) break;
    if (keys.includes(key)) shown.add(key);
  }
  return keys.filter((k) => shown.has(k));
}

/** `key` first, then the others as they were, without the tabs that are gone. */
export function touch(recent: readonly string[], key: string, keys: readonly string[]): string[] {
  return [key, ...recent.filter((k) => k !== key && keys.includes(k))];
}

/** Two and three terminals side by side, four in a 2×2 grid. */
export function gridColumns(shown: number): number {
  return shown === 4 ? 2 : Math.max(1, shown);
}
