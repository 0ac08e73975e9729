import { createContext, useContext } from 'react';
import type { Localized } from '../../../shared/i18n/localized';
import type { Draft } from './draft';

/** What every field of the editor reads: the draft, a way to change it, and the issues by path. */
export interface EditorState {
  readonly draft: Draft;
  readonly update: (change: (d: Draft) => Draft) => void;
  readonly issues: ReadonlyMap<string, readonly Localized[]>;
}

export const EditorContext = createContext<EditorState | null>(null);

export function useEditor(): EditorState {
  const state = useContext(EditorContext);
  if (!state) throw new Error('useEditor outside the profile editor');
  return state;
}
