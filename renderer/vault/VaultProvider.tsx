/**
 * The vault prompt for every page: the client it provides retries a call that failed with
 * `vault_locked` once the operator has set up or unlocked the vault in a dialog. Cancelling the
 * dialog makes the call fail with the original error.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../shared/api/client';
import { ApiError } from '../../shared/errors';
import { ApiProvider, useApi } from '../api/context';
import { VaultDialog, type VaultDialogMode } from './VaultDialog';

interface VaultApi {
  /** Opens the dialog that changes the master passphrase. */
  changePassphrase(): void;
}

const VaultContext = createContext<VaultApi | null>(null);

interface Pending {
  readonly mode: VaultDialogMode;
  readonly resolve: () => void;
  readonly reject: () => void;
}

export function VaultProvider({ children }: { children: ReactNode }) {
  const raw = useApi();
  const [pending, setPending] = useState<Pending | null>(null);
  const prompt = useRef<Promise<void> | null>(null);

  const ask = useCallback((mode: VaultDialogMode): Promise<void> => {
    prompt.current ??= new Promise<void>((resolve, reject) => {
      const done = (ok: boolean) => {
        prompt.current = null;
        setPending(null);
        if (ok) resolve();
        else reject(new Error('cancelled'));
      };
      setPending({ mode, resolve: () => done(true), reject: () => done(false) });
    });
    return prompt.current;
  }, []);

  const guarded = useMemo<ApiClient>(
    () => ({
      transport: raw.transport,
      async call(name, input) {
        for (;;) {
          try {
            return await raw.call(name, input);
          } catch (error) {
            if (!(error instanceof ApiError) || error.code !== 'vault_locked') throw error;
            try {
              await ask(error.reason === 'uninitialized' ? 'setup' : 'unlock');
            } catch {
              throw error;
            }
          }
        }
      },
      subscribe: (name, input, observer) => raw.subscribe(name, input, observer),
    }),
    [raw, ask],
  );

  const api = useMemo<VaultApi>(() => ({ changePassphrase: () => void ask('change').catch(() => undefined) }), [ask]);

  return (
    <VaultContext.Provider value={api}>
      <ApiProvider client={guarded}>{children}</ApiProvider>
      {pending && <VaultDialog client={raw} mode={pending.mode} onDone={pending.resolve} onCancel={pending.reject} />}
    </VaultContext.Provider>
  );
}

export function useVault(): VaultApi {
  const api = useContext(VaultContext);
  if (!api) throw new Error('useVault outside VaultProvider');
  return api;
}
