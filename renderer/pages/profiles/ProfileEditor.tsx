/** The profile form: one draft in state, sections bound to it, the core's issues under each field. */
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Form, Modal, Row, Space, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ProfileView } from '../../../shared/api/types';
import { ApiError, STALE_REVISION, type FieldIssue } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import type { Advice } from '../../../shared/profile/rules';
import { useApi } from '../../api/context';
import { useLeaveGuard } from '../../components/NavigationGuard';
import { useI18n } from '../../i18n';
import { editorPaths, sameDraft, sectionOfAdvice, visibleSections, type Draft, type SectionId } from './draft';
import { createDraftStore, EditorContext, type EditorState } from './EditorContext';
import { AccessSection } from './sections/AccessSection';
import { ClairSection } from './sections/ClairSection';
import { CloudSection } from './sections/CloudSection';
import { DatabaseSection } from './sections/DatabaseSection';
import { GeneralSection } from './sections/GeneralSection';
import { HarborSection } from './sections/HarborSection';
import { LoadBalancerSection } from './sections/LoadBalancerSection';
import { NodesSection } from './sections/NodesSection';
import { OptionsSection } from './sections/OptionsSection';
import { OssSection } from './sections/OssSection';
import { RedisSection } from './sections/RedisSection';
import { focusField, inFormOrder, IssueSummary, SectionOutline } from './Guidance';
import { useValidation } from './useValidation';

const NO_ADVICE: readonly Advice[] = [];
const NO_ISSUES: readonly FieldIssue[] = [];

export interface EditorInput {
  readonly draft: Draft;
  /** Set when editing a saved profile. */
  readonly revision?: number;
  readonly notes?: readonly Localized[];
  /** A field to show and focus on opening (a failure elsewhere pointed at it: `#/profiles?edit=ID&field=PATH`). */
  readonly focus?: string;
}

export function ProfileEditor({ input, onClose }: { input: EditorInput; onClose: () => void }) {
  const { t, pick } = useI18n();
  const api = useApi();
  const [modal, modalHolder] = Modal.useModal();
  const [toast, toastHolder] = message.useMessage();
  const [store] = useState(() => createDraftStore(input.draft));
  const draft = useSyncExternalStore(store.subscribe, store.get);
  const setDraft = store.set;
  // What is saved (null: nothing yet); dirty compares against it.
  const [saved, setSaved] = useState<{ draft: Draft; revision: number } | null>(
    input.revision !== undefined ? { draft: input.draft, revision: input.revision } : null,
  );
  const [saveIssues, setSaveIssues] = useState<readonly FieldIssue[] | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { result, checking } = useValidation(draft, saved?.revision);
  // Issues show once a field is left, or everywhere after a save was tried or for a form that came with values.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set(input.focus ? [input.focus] : []));
  const [tried, setTried] = useState(false);
  const revealAll = tried || input.revision !== undefined || Boolean(input.notes?.length);
  const shows = useCallback((path: string) => revealAll || touched.has(path), [revealAll, touched]);
  const touch = useCallback((path: string) => setTouched((prev) => (prev.has(path) ? prev : new Set(prev).add(path))), []);
  // The field to bring into view once the form has rendered it.
  const [focusRequest, setFocusRequest] = useState<{ path: string } | null>(input.focus ? { path: input.focus } : null);
  useEffect(() => {
    if (!focusRequest) return;
    const timer = setTimeout(() => focusField(focusRequest.path), 0);
    return () => clearTimeout(timer);
  }, [focusRequest]);

  const dirty = saved === null || !sameDraft(draft, saved.draft);
  const update = useCallback(
    (change: (d: Draft) => Draft) => {
      store.set(change(store.get()));
      setSaveIssues(null);
    },
    [store],
  );

  const confirmDiscard = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        modal.confirm({
          title: t('guard.title'),
          content: <span data-testid="guard-dialog">{t('guard.body')}</span>,
          okText: t('guard.discard'),
          cancelText: t('guard.stay'),
          okButtonProps: { danger: true, 'data-testid': 'guard-discard' },
          cancelButtonProps: { 'data-testid': 'guard-stay' },
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      }),
    [modal, t],
  );
  const hasWork = dirty && !(saved === null && sameDraft(draft, input.draft) && !input.notes?.length);
  useLeaveGuard(hasWork, confirmDiscard);

  const sectionList = visibleSections(draft).join(' ');
  const sections = useMemo(() => sectionList.split(' ') as SectionId[], [sectionList]);
  // Stable per validation, so sections that did not change skip rendering.
  const issues = useMemo(() => inFormOrder(saveIssues ?? result?.issues ?? NO_ISSUES, sections), [saveIssues, result, sections]);
  const advice = result?.advice ?? NO_ADVICE;
  // Every issue by path (fields pick their own); those no field shows go to the summary.
  const byPath = useMemo(() => {
    const m = new Map<string, Localized[]>();
    for (const i of issues) m.set(i.path, [...(m.get(i.path) ?? []), i.message]);
    return m;
  }, [issues]);
  const known = editorPaths(draft).add('nodes');
  const unknown = issues.filter((i) => !known.has(i.path));
  // Stable per validation, so sections that did not change skip rendering.
  const adviceBySection = useMemo(() => {
    const m = new Map<SectionId | null, Advice[]>();
    for (const a of advice) {
      const s = sectionOfAdvice(a.topic);
      m.set(s, [...(m.get(s) ?? []), a]);
    }
    return m;
  }, [advice]);
  const adviceFor = (s: SectionId): readonly Advice[] => adviceBySection.get(s) ?? NO_ADVICE;
  const strayAdvice = adviceBySection.get(null) ?? NO_ADVICE;

  const back = async () => {
    if (hasWork && !(await confirmDiscard())) return;
    onClose();
  };

  const reload = async () => {
    const view = await api.call('profiles.get', { id: draft.id });
    const fresh = view.profile as Draft;
    setDraft(fresh);
    setSaved({ draft: fresh, revision: view.revision });
    setSaveIssues(null);
    setSaveError(null);
  };

  const save = async () => {
    setTried(true);
    // A stale revision is no field's problem: the core's save answers it with the conflict and its reload.
    const first = issues.find((i) => i.path !== STALE_REVISION);
    if (first && !checking) {
      // The core would refuse it: say what is wrong and where, without a round trip.
      setFocusRequest({ path: first.path });
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const view: ProfileView = await api.call(
        'profiles.save',
        saved ? { profile: draft, expectedRevision: saved.revision } : { profile: draft },
      );
      const fresh = view.profile as Draft;
      setDraft(fresh);
      setSaved({ draft: fresh, revision: view.revision });
      setSaveIssues(null);
      void toast.success(t('editor.saved'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'invalid_input' && e.issues) {
        setSaveIssues(e.issues);
        if (e.issues[0]) setFocusRequest({ path: e.issues[0].path });
      } else if (e instanceof ApiError && e.code === 'conflict' && saved) {
        setSaveError(pick(e.localized));
        modal.confirm({
          title: t('editor.conflict.title'),
          content: pick(e.localized),
          okText: t('editor.conflict.reload'),
          cancelText: t('common.cancel'),
          okButtonProps: { 'data-testid': 'conflict-reload' },
          onOk: () => reload().catch((err: unknown) => setSaveError(err instanceof ApiError ? pick(err.localized) : String(err))),
        });
      } else {
        setSaveError(e instanceof ApiError ? pick(e.localized) : String(e));
      }
    } finally {
      setSaving(false);
    }
  };

  const status = saved === null ? 'new' : dirty ? 'dirty' : 'saved';
  const state = useMemo<EditorState>(
    () => ({ store, update, issues: byPath, profileId: draft.id, status, shows, touch, certificate: result?.certificate }),
    [store, update, byPath, draft.id, status, shows, touch, result?.certificate],
  );
  const problemCount = issues.length;

  return (
    <EditorContext.Provider value={state}>
      {modalHolder}
      {toastHolder}
      <section data-testid="profile-editor" data-status={status} data-checking={checking ? 'yes' : 'no'} data-issues={problemCount}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void back()} data-testid="editor-back">
              {t('editor.back')}
            </Button>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {saved ? t('editor.title.edit', { name: saved.draft.name }) : t('editor.title.new')}
            </Typography.Title>
            <Tag color={status === 'saved' ? 'green' : 'orange'} data-testid="editor-status">
              {t(status === 'new' ? 'editor.notSaved' : status === 'dirty' ? 'editor.unsaved' : 'editor.saved')}
            </Tag>
          </Space>
          <Space>
            <Typography.Text type={problemCount ? 'danger' : 'secondary'} data-testid="editor-check">
              {checking ? t('editor.checking') : problemCount ? t('editor.issues', { count: problemCount }) : t('editor.valid')}
            </Typography.Text>
            <Button
              type="primary"
              icon={<SaveOutlined />}
              loading={saving}
              disabled={!dirty}
              onClick={() => void save()}
              data-testid="editor-save"
            >
              {t('editor.save')}
            </Button>
          </Space>
        </Space>
        {input.notes && input.notes.length > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('editor.notes')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {input.notes.map((n, i) => (
                  <li key={i}>{pick(n)}</li>
                ))}
              </ul>
            }
            data-testid="editor-notes"
          />
        )}
        {saveError && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('editor.saveFailed')}
            description={saveError}
            data-testid="editor-save-error"
          />
        )}
        {(tried || unknown.length > 0) && issues.length > 0 && (
          <IssueSummary issues={tried ? issues : unknown} known={known} onGo={(path) => setFocusRequest({ path })} />
        )}
        {strayAdvice.map((a) => (
          <Alert
            key={a.topic}
            type={a.level}
            showIcon
            title={pick(a.message)}
            style={{ marginBottom: 16 }}
            data-testid={`advice-${a.topic}`}
          />
        ))}
        <Row gutter={24} wrap={false}>
          <Col flex="200px" className="editor-outline-column">
            <SectionOutline sections={sections} issues={issues} shows={shows} />
          </Col>
          <Col flex="auto" style={{ minWidth: 0 }}>
            <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()} autoComplete="off">
              <GeneralSection advice={adviceFor('general')} />
              <HarborSection advice={adviceFor('harbor')} />
              <NodesSection advice={adviceFor('nodes')} />
              <LoadBalancerSection advice={adviceFor('loadBalancer')} />
              <AccessSection advice={adviceFor('access')} />
              <DatabaseSection advice={adviceFor('database')} />
              {sections.includes('clair') && <ClairSection advice={adviceFor('clair')} />}
              <RedisSection advice={adviceFor('redis')} />
              <OssSection advice={adviceFor('oss')} />
              <CloudSection advice={adviceFor('cloud')} />
              <OptionsSection advice={adviceFor('options')} />
            </Form>
          </Col>
        </Row>
      </section>
    </EditorContext.Provider>
  );
}
