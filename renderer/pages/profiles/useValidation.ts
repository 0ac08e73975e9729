import { useEffect, useRef, useState } from 'react';
import type { ProfileValidation } from '../../../shared/api/types';
import { useApi } from '../../api/context';
import type { Draft } from './draft';

/** Asks the core what is wrong with the draft, ~300 ms after the operator stops typing. */
export function useValidation(draft: Draft, revision: number | undefined): { result: ProfileValidation | null; checking: boolean } {
  const api = useApi();
  const [result, setResult] = useState<ProfileValidation | null>(null);
  const [checking, setChecking] = useState(true);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setChecking(true);
    const timer = setTimeout(() => {
      api.call('profiles.validate', revision === undefined ? { profile: draft } : { profile: draft, revision }).then(
        (r) => {
          if (seq.current !== mine) return;
          setResult(r);
          setChecking(false);
        },
        () => {
          if (seq.current === mine) setChecking(false);
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [api, draft, revision]);
  return { result, checking };
}
