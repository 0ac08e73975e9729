import { Badge, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ClockTick } from '../../shared/api';
import { useApi } from '../api/context';
import { useI18n } from '../i18n';

type State = { kind: 'connecting' } | { kind: 'live'; tick: ClockTick } | { kind: 'lost' };

/** Shows that the core is reachable and streaming, from the `app.clock` event stream. */
export function CoreStatus() {
  const api = useApi();
  const { t, locale } = useI18n();
  const [state, setState] = useState<State>({ kind: 'connecting' });

  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    api
      .subscribe(
        'app.clock',
        { intervalMs: 1000 },
        {
          next: (tick) => live && setState({ kind: 'live', tick }),
          error: () => live && setState({ kind: 'lost' }),
          complete: () => live && setState({ kind: 'lost' }),
        },
      )
      .then(
        (unsubscribe) => {
          if (live) stop = unsubscribe;
          else unsubscribe();
        },
        () => live && setState({ kind: 'lost' }),
      );
    return () => {
      live = false;
      stop?.();
    };
  }, [api]);

  if (state.kind === 'connecting') return <Badge status="processing" text={t('status.connecting')} />;
  if (state.kind === 'lost') return <Badge status="error" text={t('status.lost')} data-testid="core-status" data-state="lost" />;
  const time = new Date(state.tick.now).toLocaleTimeString(locale);
  return (
    <span data-testid="core-status" data-state="live" data-seq={state.tick.seq}>
      <Badge status="success" text={t('status.connected', { transport: api.transport })} />
      <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
        {t('status.coreTime', { time })}
      </Typography.Text>
    </span>
  );
}
