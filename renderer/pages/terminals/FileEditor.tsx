/**
 * The small-file editor of the Files panel: the text as read from the node, a review of the changes against that copy
 * before anything is written, and — when the node's copy changed meanwhile — that copy against the operator's text,
 * with the choice to write over it or take it. The core writes atomically; the text never leaves the editor otherwise.
 */
import { Alert, Button, Input, Modal, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { RemoteText } from '../../../shared/api/contracts/remote-files';
import { formatSize } from '../../../shared/api/limits';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { changes, lineDiff, type DiffLine } from './line-diff';

const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';

export function DiffView({ diff }: { diff: readonly DiffLine[] }) {
  // Unchanged runs are cut to three lines of context on each side, so a one-line edit of a long file stays readable.
  const keep = diff.map((_, i) => diff.slice(Math.max(0, i - 3), i + 4).some((l) => l.op !== 'same'));
  return (
    <pre data-testid="file-diff" style={{ fontFamily: MONO, fontSize: 12, maxHeight: '55vh', overflow: 'auto', margin: 0 }}>
      {diff.map((l, i) =>
        keep[i] ? (
          <div
            key={i}
            data-op={l.op}
            style={{
              background: l.op === 'added' ? 'rgba(82,196,26,0.18)' : l.op === 'removed' ? 'rgba(255,77,79,0.18)' : undefined,
              whiteSpace: 'pre-wrap',
            }}
          >
            {l.op === 'added' ? '+ ' : l.op === 'removed' ? '- ' : '  '}
            {l.text}
          </div>
        ) : i > 0 && keep[i - 1] ? (
          <div key={i} style={{ opacity: 0.5 }}>
            ⋯
          </div>
        ) : null,
      )}
    </pre>
  );
}

type Step = { readonly kind: 'edit' } | { readonly kind: 'review' } | { readonly kind: 'changed'; readonly current: RemoteText };

export function FileEditor(props: { profileId: string; nodeId: string; file: RemoteText | null; onClose: (saved: boolean) => void }) {
  const { profileId, nodeId, file } = props;
  const { t, pick } = useI18n();
  const api = useApi();
  const [base, setBase] = useState<RemoteText | null>(file);
  const [text, setText] = useState(file?.content ?? '');
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setBase(file);
    setText(file?.content ?? '');
    setStep({ kind: 'edit' });
    setError(null);
  }, [file]);

  const diff = useMemo(
    () => (step.kind === 'changed' ? lineDiff(step.current.content, text) : lineDiff(base?.content ?? '', text)),
    [step, base, text],
  );
  if (!file || !base) return null;

  const save = async (over: RemoteText) => {
    setSaving(true);
    setError(null);
    try {
      const r = await api.call('remoteFiles.writeText', { profileId, nodeId, path: file.path, content: text, baseSha256: over.sha256 });
      if (r.status === 'changed') setStep({ kind: 'changed', current: r.current });
      else props.onClose(true);
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.localized) : String(e));
    } finally {
      setSaving(false);
    }
  };
  const close = () => {
    if (text === base.content || window.confirm(t('tfiles.editor.unsaved'))) props.onClose(false);
  };

  const footer =
    step.kind === 'edit' ? (
      <Button type="primary" data-testid="file-editor-review" onClick={() => setStep({ kind: 'review' })}>
        {t('tfiles.editor.review')}
      </Button>
    ) : step.kind === 'review' ? (
      <Space>
        <Button data-testid="file-editor-back" onClick={() => setStep({ kind: 'edit' })}>
          {t('tfiles.editor.back')}
        </Button>
        <Button type="primary" data-testid="file-editor-save" loading={saving} disabled={!changes(diff)} onClick={() => void save(base)}>
          {t('tfiles.editor.save')}
        </Button>
      </Space>
    ) : (
      <Space>
        <Button
          data-testid="file-editor-reload"
          onClick={() => {
            setBase(step.current);
            setText(step.current.content);
            setStep({ kind: 'edit' });
          }}
        >
          {t('tfiles.editor.reload')}
        </Button>
        <Button danger type="primary" data-testid="file-editor-overwrite" loading={saving} onClick={() => void save(step.current)}>
          {t('tfiles.editor.overwrite')}
        </Button>
      </Space>
    );

  return (
    <Modal
      open
      width="min(1100px, 92vw)"
      title={<span data-testid="file-editor-title">{t('tfiles.editor.title', { path: file.path })}</span>}
      onCancel={close}
      footer={footer}
      maskClosable={false}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('tfiles.editor.meta', {
            mode: base.mode.toString(8).padStart(4, '0'),
            uid: base.uid,
            gid: base.gid,
            size: formatSize(base.size),
          })}
        </Typography.Text>
        {error && <Alert type="error" showIcon title={error} data-testid="file-editor-error" />}
        {step.kind === 'edit' ? (
          <Input.TextArea
            data-testid="file-editor-text"
            aria-label={t('tfiles.editor.title', { path: file.path })}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            style={{ fontFamily: MONO, fontSize: 12, height: '55vh', resize: 'none' }}
          />
        ) : (
          <>
            {step.kind === 'changed' ? (
              <Alert type="warning" showIcon title={t('tfiles.editor.changed')} data-testid="file-editor-changed" />
            ) : (
              <Typography.Text type="secondary">
                {changes(diff) ? t('tfiles.editor.diffHelp') : t('tfiles.editor.noChanges')}
              </Typography.Text>
            )}
            <DiffView diff={diff} />
          </>
        )}
      </Space>
    </Modal>
  );
}
