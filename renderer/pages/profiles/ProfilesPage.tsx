/** Profiles: the list with its actions, or the editor of one profile (journey steps 1 and 2). */
import { DownOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Dropdown, Empty, Space, Spin, Typography, message } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { ProfileDraft, ProfileSummary } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { useVault } from '../../vault/VaultProvider';
import { DeleteDialog, ExportDialog, NameDialog, NewClusterDialog } from './dialogs';
import { completeDraft, draftGeneration } from './draft';
import type { EditorInput } from './ProfileEditor';
import { ProfileList, type RowAction } from './ProfileList';

// The editor and the import dialog (forms, selects, tabs: most of this page's code) are fetched once the list is
// shown, so the list, the page's first content, does not wait for them.
const loadEditor = () => import('./ProfileEditor');
const loadImport = () => import('./ImportDialog');
const ProfileEditor = lazy(() => loadEditor().then((m) => ({ default: m.ProfileEditor })));
const ImportDialog = lazy(() => loadImport().then((m) => ({ default: m.ImportDialog })));

type Dialog =
  | { kind: 'new' }
  | { kind: 'import' }
  | { kind: 'clone' | 'export' | 'delete'; profile: ProfileSummary }
  | { kind: 'rename'; profile: ProfileSummary; revision: number }
  | null;

export function ProfilesPage() {
  const { t, pick } = useI18n();
  const api = useApi();
  const vault = useVault();
  const [toast, toastHolder] = message.useMessage();
  const [profiles, setProfiles] = useState<readonly ProfileSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  // The editor, keyed so that each opening starts from its own draft.
  const [editor, setEditor] = useState<{ key: number; input: EditorInput } | null>(null);

  const load = useCallback(async () => {
    try {
      setProfiles(await api.call('profiles.list', {}));
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof ApiError ? pick(e.localized) : String(e));
    }
  }, [api, pick]);

  useEffect(() => {
    if (!editor) void load();
  }, [editor, load]);

  const listShown = profiles !== null;
  useEffect(() => {
    if (listShown) for (const chunk of [loadEditor, loadImport]) chunk().catch(() => undefined);
  }, [listShown]);

  const openEditor = (input: EditorInput) => setEditor({ key: Date.now(), input });
  const fail = (e: unknown) => void toast.error(e instanceof ApiError ? pick(e.localized) : String(e));

  // `#/profiles?edit=ID&field=PATH`: another page (a failed step, a probe) sends the operator to the setting at fault.
  useEffect(() => {
    const follow = () => {
      const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
      const id = query.get('edit');
      if (!id) return;
      const field = query.get('field');
      // Consumed once: a reload or Back shows the list, not this editor again.
      history.replaceState(null, '', '#/profiles');
      api.call('profiles.get', { id }).then(
        (view) =>
          setEditor({ key: Date.now(), input: { draft: view.profile, revision: view.revision, ...(field ? { focus: field } : {}) } }),
        (e: unknown) => void toast.error(e instanceof ApiError ? pick(e.localized) : String(e)),
      );
    };
    follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [api, pick, toast]);

  const onAction = (action: RowAction, p: ProfileSummary) => {
    if (action === 'rename') {
      // The revision as the operator starts renaming: a change made meanwhile elsewhere is a conflict.
      api.call('profiles.get', { id: p.id }).then((view) => setDialog({ kind: 'rename', profile: p, revision: view.revision }), fail);
      return;
    }
    // Deploy (the walkthrough) and Topology open those pages with this profile selected.
    if (action === 'walkthrough' || action === 'topology') {
      window.location.hash = `#/${action}?profile=${encodeURIComponent(p.id)}`;
      return;
    }
    if (action !== 'open') return setDialog({ kind: action, profile: p });
    api.call('profiles.get', { id: p.id }).then((view) => openEditor({ draft: view.profile, revision: view.revision }), fail);
  };
  const onImported = async (result: ProfileDraft) => {
    const template = await api.call('profiles.template', { generation: draftGeneration(result.draft) });
    setDialog(null);
    openEditor({ draft: completeDraft(template, result.draft), notes: result.notes });
  };
  const closeDialog = () => setDialog(null);

  if (editor)
    return (
      <Suspense fallback={<Spin />}>
        <ProfileEditor key={editor.key} input={editor.input} onClose={() => setEditor(null)} />
      </Suspense>
    );

  const buttons = (
    <Space wrap>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'new' })} data-testid="profiles-new">
        {t('profiles.new')}
      </Button>
      <Button icon={<ImportOutlined />} onClick={() => setDialog({ kind: 'import' })} data-testid="profiles-import">
        {t('profiles.import')}
      </Button>
    </Space>
  );

  return (
    <section data-testid="page-profiles" data-count={profiles?.length ?? ''}>
      {toastHolder}
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('page.profiles.title')}
        </Typography.Title>
        <Space wrap>
          {profiles && profiles.length > 0 && buttons}
          <Dropdown
            menu={{
              items: [
                { key: 'passphrase', label: <span data-testid="menu-change-passphrase">{t('profiles.menu.changePassphrase')}</span> },
                { key: 'lock', label: <span data-testid="menu-lock">{t('profiles.menu.lock')}</span> },
              ],
              onClick: ({ key }) => {
                if (key === 'passphrase') vault.changePassphrase();
                else api.call('vault.lock', {}).then(() => void toast.success(t('profiles.menu.locked')), fail);
              },
            }}
          >
            <Button data-testid="profiles-menu">
              {t('profiles.menu.more')} <DownOutlined />
            </Button>
          </Dropdown>
        </Space>
      </Space>
      {loadError && <Alert type="error" showIcon title={t('profiles.loadFailed')} description={loadError} data-testid="profiles-error" />}
      {!profiles && !loadError && <Spin />}
      {profiles && profiles.length === 0 && (
        <Empty
          style={{ marginTop: 48 }}
          data-testid="profiles-empty"
          description={
            <div style={{ maxWidth: 600, margin: '0 auto' }}>
              <Typography.Text strong>{t('profiles.empty.title')}</Typography.Text>
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="empty-description">
                {t('profiles.empty.body')}
              </Typography.Paragraph>
            </div>
          }
        >
          {buttons}
        </Empty>
      )}
      {profiles && profiles.length > 0 && <ProfileList profiles={profiles} onAction={onAction} />}

      {dialog?.kind === 'new' && (
        <NewClusterDialog
          onClose={closeDialog}
          onCreate={async (generation) => {
            const draft = await api.call('profiles.template', { generation });
            setDialog(null);
            openEditor({ draft });
          }}
        />
      )}
      {dialog?.kind === 'import' && (
        <Suspense fallback={null}>
          <ImportDialog onClose={closeDialog} onImported={onImported} />
        </Suspense>
      )}
      {dialog?.kind === 'clone' && (
        <NameDialog
          title={t('profiles.clone.title', { name: dialog.profile.name })}
          body={t('profiles.clone.body')}
          initial={t('profiles.clone.default', { name: dialog.profile.name })}
          onClose={closeDialog}
          onSubmit={async (name) => {
            await api.call('profiles.clone', { id: dialog.profile.id, name });
            setDialog(null);
            void toast.success(t('profiles.clone.done', { name }));
            await load();
          }}
        />
      )}
      {dialog?.kind === 'rename' && (
        <NameDialog
          title={t('profiles.rename.title', { name: dialog.profile.name })}
          initial={dialog.profile.name}
          onClose={closeDialog}
          onSubmit={async (name) => {
            await api.call('profiles.rename', { id: dialog.profile.id, name, expectedRevision: dialog.revision });
            setDialog(null);
            void toast.success(t('profiles.rename.done', { name }));
            await load();
          }}
        />
      )}
      {dialog?.kind === 'export' && <ExportDialog profile={dialog.profile} onClose={closeDialog} />}
      {dialog?.kind === 'delete' && (
        <DeleteDialog
          profile={dialog.profile}
          onClose={closeDialog}
          onDeleted={() => {
            void toast.success(t('profiles.delete.done', { name: dialog.profile.name }));
            setDialog(null);
            void load();
          }}
        />
      )}
    </section>
  );
}
