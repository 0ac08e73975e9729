/**
 * Lets a page hold the shell back while it has unsaved work: the shell asks `attempt(go)` before
 * switching pages; a page that registered a guard decides (usually after asking the operator).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';

/** Resolves true when leaving is fine. */
export type Guard = () => Promise<boolean>;

interface NavigationGuardApi {
  readonly attempt: (go: () => void) => void;
  readonly register: (guard: Guard) => () => void;
}

const Context = createContext<NavigationGuardApi | null>(null);

export function NavigationGuardProvider({ children }: { children: ReactNode }) {
  const guards = useRef(new Set<Guard>());
  const api = useMemo<NavigationGuardApi>(
    () => ({
      attempt(go) {
        const all = [...guards.current];
        if (!all.length) return go();
        void (async () => {
          for (const g of all) if (!(await g())) return;
          go();
        })();
      },
      register(guard) {
        guards.current.add(guard);
        return () => guards.current.delete(guard);
      },
    }),
    [],
  );
  return <Context.Provider value={api}>{children}</Context.Provider>;
}

export function useNavigationGuard(): NavigationGuardApi {
  const api = useContext(Context);
  if (!api) throw new Error('useNavigationGuard outside NavigationGuardProvider');
  return api;
}

/** While `active`, leaving through the shell asks `confirm`, and closing the window warns. */
export function useLeaveGuard(active: boolean, confirm: Guard): void {
  const { register } = useNavigationGuard();
  const confirmRef = useRef(confirm);
  confirmRef.current = confirm;
  const guard = useCallback(() => confirmRef.current(), []);
  useEffect(() => {
    if (!active) return;
    const unregister = register(guard);
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      unregister();
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [active, register, guard]);
}
