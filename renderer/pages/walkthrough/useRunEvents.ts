/**
 * Follows one run through deploy.events: the snapshot, then every cell, log line, progress report
 * and state change, handed on in batches (at most every 80 ms; snapshots and state changes at once),
 * so a flood of log lines costs one render, not one per line. What the events do to the page is
 * the reducer's (state.ts); each batch names its run, so a late batch of a run no longer shown is
 * dropped there.
 */
import { useEffect, useRef } from 'react';
import type { RunEvent } from '../../../shared/api/contracts/deploy';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';

const BATCH_MS = 80;

export function useRunEvents(
  runId: string | null,
  onEvents: (runId: string, events: readonly RunEvent[]) => void,
  onError: (e: ApiError) => void,
): void {
  const api = useApi();
  const handlers = useRef({ onEvents, onError });
  handlers.current = { onEvents, onError };

  useEffect(() => {
    if (!runId) return;
    let cancelled = false;
    let stop: (() => void) | undefined;
    let queue: RunEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      const batch = queue;
      queue = [];
      if (!cancelled && batch.length) handlers.current.onEvents(runId, batch);
    };
    api
      .subscribe(
        'deploy.events',
        { runId },
        {
          next: (e) => {
            queue.push(e);
            if (e.kind === 'snapshot' || e.kind === 'state') flush();
            else timer ??= setTimeout(flush, BATCH_MS);
          },
          error: (e) => {
            if (!cancelled) handlers.current.onError(e);
          },
        },
      )
      .then(
        (unsubscribe) => {
          if (cancelled) unsubscribe();
          else stop = unsubscribe;
        },
        (e: unknown) => {
          if (!cancelled && e instanceof ApiError) handlers.current.onError(e);
        },
      );
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
      stop?.();
    };
  }, [api, runId]);
}
