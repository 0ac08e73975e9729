/** Which terminals the Terminals page shows side by side (renderer/pages/terminals/layout.ts). */
import { describe, expect, it } from 'vitest';
import { gridColumns, shownTabs, touch } from '../../renderer/pages/terminals/layout';

const tabs = ['a', 'b', 'c', 'd', 'e'];

describe('split panes', () => {
  it('show the tabs used last, in tab order, filled up in tab order', () => {
    expect(shownTabs(tabs, [], 1)).toEqual(['a']);
    expect(shownTabs(tabs, ['d'], 3)).toEqual(['a', 'b', 'd']);
    expect(shownTabs(tabs, ['e', 'a', 'c'], 2)).toEqual(['a', 'e']);
    expect(shownTabs(['a', 'b'], ['b'], 4)).toEqual(['a', 'b']);
  });

  it('keep every pane in place when a shown one is chosen, and replace the one used least recently for a hidden one', () => {
    let recent = touch([], 'a', tabs);
    recent = touch(recent, 'b', tabs);
    recent = touch(recent, 'c', tabs);
    expect(shownTabs(tabs, recent, 3)).toEqual(['a', 'b', 'c']);
    recent = touch(recent, 'a', tabs);
    expect(shownTabs(tabs, recent, 3)).toEqual(['a', 'b', 'c']);
    // b is now the least recently used of the three.
    recent = touch(recent, 'e', tabs);
    expect(shownTabs(tabs, recent, 3)).toEqual(['a', 'c', 'e']);
  });

  it('forget closed tabs', () => {
    expect(touch(['b', 'x', 'a'], 'c', tabs)).toEqual(['c', 'b', 'a']);
    expect(shownTabs(tabs, ['x', 'y'], 2)).toEqual(['a', 'b']);
  });

  it('lay two and three side by side and four in two rows', () => {
    expect([1, 2, 3, 4].map(gridColumns)).toEqual([1, 2, 3, 2]);
    expect(gridColumns(0)).toBe(1);
  });
});
