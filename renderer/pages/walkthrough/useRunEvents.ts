/**
 * Follows one run through deploy.events: the snapshot, then every cell, log line, progress report
 * and state change. Events are applied in batches (at most every 80 ms; state changes at once), so
 * a flood of log lines costs one render, not one per line.
 */
import { useEffect, useRef, useState } from 'react';
import type { RunEvent } from '../../../shared/api/contracts/deploy';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { applyEvents, EMPTY_RUN, type RunModel } from './model';

const BATCH_MS = 80;

export function useRunEvents(runId: string | null, onError: (e: ApiError) => void): RunModel {
  const api = useApi();
  const [model, setModel] = useState<RunModel>(EMPTY_RUN);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  useEffect(() => {
    setModel(EMPTY_RUN);
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
      if (!cancelled && batch.length) setModel((m) => applyEvents(m, batch));
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
            if (!cancelled) onErrorRef.current(e);
          },
        },
      )
      .then(
        (unsubscribe) => {
          if (cancelled) unsubscribe();
          else stop = unsubscribe;
        },
        (e: unknown) => {
          if (!cancelled && e instanceof ApiError) onErrorRef.current(e);
        },
      );
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
      stop?.();
    };
  }, [api, runId]);

  return model;
}
