/**
 * What a step would do on a node, from deploy.preview: notes (where the runbook is wrong, what is
 * skipped and why), the commands, each file as a unified diff against the node (+ green, - red;
 * secrets already masked by the core) and the SQL.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Space, Spin, Typography, theme } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { StepPreview } from '../../../shared/api/contracts/deploy';
import type { RunOptions } from './state';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { classifyDiff } from './model';
import { RichText } from './RichText';

export function DiffView({ diff }: { diff: string }) {
  const { token } = theme.useToken();
  const { t } = useI18n();
  const lines = classifyDiff(diff);
  if (!lines.length)
    return (
      <Typography.Text type="secondary" data-testid="walk-diff-same">
        {t('walk.preview.noChange')}
      </Typography.Text>
    );
  const style = (kind: string) =>
    kind === 'add'
      ? { background: token.colorSuccessBg, color: token.colorSuccessText }
      : kind === 'del'
        ? { background: token.colorErrorBg, color: token.colorErrorText }
        : kind === 'hunk'
          ? { color: token.colorInfoText, background: token.colorInfoBg }
          : kind === 'file'
            ? { color: token.colorTextSecondary, fontWeight: 600 }
            : { color: token.colorText };
  return (
    <pre
      className="walk-code walk-diff"
      data-testid="walk-diff"
      style={{ borderColor: token.colorBorderSecondary, background: token.colorFillQuaternary }}
    >
      {lines.map((l, i) => (
        <div key={i} data-kind={l.kind} style={style(l.kind)}>
          {l.text || ' '}
        </div>
      ))}
    </pre>
  );
}

function Code({ lines, testId }: { lines: readonly string[]; testId: string }) {
  const { token } = theme.useToken();
  return (
    <pre
      className="walk-code"
      data-testid={testId}
      style={{ borderColor: token.colorBorderSecondary, background: token.colorFillQuaternary, color: token.colorText }}
    >
      {lines.join('\n')}
    </pre>
  );
}

type State =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly preview: StepPreview }
  | { readonly kind: 'error'; readonly error: ApiError | Error };

/** Loads the preview of a step on a node with the run's options; `version` changes (a run ended, refresh) reload it. */
export function PreviewPanel({
  profileId,
  stepId,
  nodeId,
  options,
  version,
}: {
  profileId: string;
  stepId: string;
  nodeId: string | undefined;
  options: RunOptions;
  version: number;
}) {
  const api = useApi();
  const { t, pick } = useI18n();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [reload, setReload] = useState(0);
  const cache = useRef(new Map<string, StepPreview>());
  const cacheVersion = useRef(version);

  useEffect(() => {
    if (cacheVersion.current !== version) {
      cache.current.clear();
      cacheVersion.current = version;
    }
    const key = `${profileId}\0${stepId}\0${nodeId ?? ''}\0${JSON.stringify(options)}`;
    const hit = reload === 0 ? cache.current.get(key) : undefined;
    if (hit) {
      setState({ kind: 'ready', preview: hit });
      return;
    }
    let cancelled = false;
    setState({ kind: 'loading' });
    api.call('deploy.preview', { profileId, stepId, ...(nodeId ? { nodeId } : {}), options }).then(
      (preview) => {
        cache.current.set(key, preview);
        if (!cancelled) setState({ kind: 'ready', preview });
      },
      (e: unknown) => {
        if (!cancelled) setState({ kind: 'error', error: e instanceof Error ? e : new Error(String(e)) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, profileId, stepId, nodeId, options, version, reload]);

  const p = state.kind === 'ready' ? state.preview : null;
  const empty = p && !p.commands.length && !p.files.length && !p.sql.length && !p.notes.length;
  return (
    <div
      data-testid="walk-preview"
      data-step={stepId}
      data-node={nodeId ?? '*'}
      data-state={state.kind}
      // the steps that must change the node before this preview can say more (its note explains it)
      data-needs={p?.needs?.join(',') ?? ''}
    >
      <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('walk.preview.title')}
        </Typography.Title>
        <Button
          size="small"
          icon={<ReloadOutlined />}
          onClick={() => setReload((n) => n + 1)}
          loading={state.kind === 'loading'}
          data-testid="walk-preview-refresh"
        >
          {t('walk.preview.refresh')}
        </Button>
      </Space>
      {state.kind === 'loading' && (
        <div style={{ padding: 24, textAlign: 'center' }}>
          <Spin />
          <div>
            <Typography.Text type="secondary">{t('walk.preview.loading')}</Typography.Text>
          </div>
        </div>
      )}
      {state.kind === 'error' && (
        <Alert
          type="error"
          showIcon
          data-testid="walk-preview-error"
          title={t('walk.preview.failed')}
          description={state.error instanceof ApiError ? pick(state.error.localized) : state.error.message}
        />
      )}
      {empty && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('walk.preview.empty')} />}
      {p && (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          {p.notes.map((n, i) => (
            <Alert key={i} type="info" showIcon title={<RichText text={pick(n)} />} data-testid="walk-preview-note" />
          ))}
          {p.commands.length > 0 && (
            <div>
              <Typography.Text strong>{t('walk.preview.commands', { n: p.commands.length })}</Typography.Text>
              <Code lines={p.commands} testId="walk-preview-commands" />
            </div>
          )}
          {p.files.map((f) => (
            <div key={f.path} data-testid="walk-preview-file" data-path={f.path} data-changed={f.diff ? 'true' : 'false'}>
              <Typography.Text strong>{t('walk.preview.file')} </Typography.Text>
              <Typography.Text code>{f.path}</Typography.Text>
              <DiffView diff={f.diff} />
            </div>
          ))}
          {p.sql.length > 0 && (
            <div>
              <Typography.Text strong>{t('walk.preview.sql')}</Typography.Text>
              <Code lines={p.sql} testId="walk-preview-sql" />
            </div>
          )}
        </Space>
      )}
    </div>
  );
}
