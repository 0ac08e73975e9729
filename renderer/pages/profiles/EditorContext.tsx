import { createContext, useContext, useSyncExternalStore } from 'react';
import type { CertificateSummary } from '../../../shared/api/types';
import type { Localized } from '../../../shared/i18n/localized';
import type { Draft } from './draft';

/** The one place the draft lives while the editor is open; fields subscribe to their own part. */
export interface DraftStore {
  readonly get: () => Draft;
  readonly set: (next: Draft) => void;
  readonly subscribe: (listener: () => void) => () => void;
}

export function createDraftStore(initial: Draft): DraftStore {
  let draft = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => draft,
    set(next) {
      if (next === draft) return;
      draft = next;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** What every field of the editor reads: the draft store, a way to change it, and the issues by path. */
export interface EditorState {
  readonly store: DraftStore;
  readonly update: (change: (d: Draft) => Draft) => void;
  readonly issues: ReadonlyMap<string, readonly Localized[]>;
  /** The profile's id, and whether what the form shows is saved. */
  readonly profileId: string;
  readonly status: 'new' | 'dirty' | 'saved';
  /**
   * Whether a field's issues are shown: once the operator has left the field, after a save was tried, or for a form
   * that came with values (a saved or imported profile). A blank form is not a wall of red.
   */
  readonly shows: (path: string) => boolean;
  /** The operator left this field. */
  readonly touch: (path: string) => void;
  /** The TLS certificate of the form as the core read it. */
  readonly certificate: CertificateSummary | undefined;
}

/** The DOM id of a field's input, so its label is bound to it (a click focuses it; screen readers read it). */
export const fieldDomId = (path: string): string => `field-input-${path.replace(/\./g, '-')}`;

export const EditorContext = createContext<EditorState | null>(null);

export function useEditor(): EditorState {
  const state = useContext(EditorContext);
  if (!state) throw new Error('useEditor outside the profile editor');
  return state;
}

/**
 * A part of the draft; re-renders only when that part changes. `select` must return a primitive
 * or a part of the draft itself (never a new object or array).
 */
export function useDraft<T>(select: (d: Draft) => T): T {
  const { store } = useEditor();
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
