/**
 * The Files panel beside the terminals: the active terminal's node over SFTP (the core's remoteFiles calls). A folder
 * is listed sortable by name, size, permissions, owner and time; entries open, download, rename, change permissions
 * or delete from their menu (a folder with entries only after its path is typed); uploads and downloads show their
 * progress below the list. With "Follow the terminal" on, the panel shows the folder the shell reports (cwd.ts).
 */
import {
  ArrowUpOutlined,
  CloudUploadOutlined,
  FileOutlined,
  FileTextOutlined,
  FolderAddOutlined,
  FolderOutlined,
  LinkOutlined,
  MoreOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import { Alert, Button, Dropdown, Input, Modal, Progress, Space, Switch, Table, Tooltip, Typography, message } from 'antd';
import type { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FilesJobState, RemoteEntry, RemoteListing, RemoteText } from '../../../shared/api/contracts/remote-files';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { PathInput } from '../profiles/LocalFiles';
import { formatBytes } from '../walkthrough/model';
import { followCwd, PROMPT_HOOK } from './cwd';
import { FileEditor } from './FileEditor';

const parentOf = (path: string) => path.replace(/\/[^/]*\/?$/, '') || '/';
const childOf = (folder: string, name: string) => `${folder.replace(/\/$/, '')}/${name}`;
/** `rwxr-x---` from permission bits. */
function rwx(mode: number): string {
  return [6, 3, 0].map((shift) => ['r', 'w', 'x'].map((c, k) => (mode & (1 << (shift + 2 - k)) ? c : '-')).join('')).join('');
}
const isFolder = (e: RemoteEntry) => e.kind === 'dir' || (e.kind === 'link' && e.targetKind === 'dir');

/** What a dialog of the panel asks about. */
type Asking =
  | { readonly kind: 'mkdir' | 'upload' }
  | { readonly kind: 'rename' | 'chmod' | 'delete' | 'deleteTree' | 'download'; readonly entry: RemoteEntry };

interface Job {
  readonly name: string;
  readonly state: FilesJobState;
}

export function FilesPanel(props: {
  profileId: string;
  nodeId: string;
  nodeName: string;
  /** The active terminal and its session, when it has one: the panel can follow its folder. */
  terminal: Terminal | undefined;
  sessionId: string | undefined;
}) {
  const { profileId, nodeId, terminal, sessionId } = props;
  const { t, pick, locale } = useI18n();
  const api = useApi();
  const [toast, toastHolder] = message.useMessage();
  const [path, setPath] = useState('~');
  const [typed, setTyped] = useState('~');
  const [listing, setListing] = useState<RemoteListing | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [follow, setFollow] = useState(false);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [answer, setAnswer] = useState('');
  const [editing, setEditing] = useState<RemoteText | null>(null);
  const [jobs, setJobs] = useState<readonly Job[]>([]);
  const hooked = useRef(new Set<string>());
  const box = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(300);

  // Through a ref: a change of language re-renders the messages, it does not reload the folder.
  const pickRef = useRef(pick);
  pickRef.current = pick;
  const say = useCallback((e: unknown) => (e instanceof ApiError ? pickRef.current(e.localized) : String(e)), []);

  const load = useCallback(
    async (folder: string) => {
      setLoading(true);
      try {
        const r = await api.call('remoteFiles.list', { profileId, nodeId, path: folder });
        setListing(r);
        setPath(r.path);
        setTyped(r.path);
        setError(null);
      } catch (e) {
        setError(say(e));
      } finally {
        setLoading(false);
      }
    },
    [api, profileId, nodeId, say],
  );

  useEffect(() => {
    setListing(null);
    void load('~');
  }, [load]);

  // The list fills what the panel leaves it (antd's virtual table needs a height in pixels).
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(Math.max(120, el.clientHeight - 40)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Following: the shell reports its folder at each prompt (once the hook is installed in this session).
  useEffect(() => {
    if (!follow || !terminal) return;
    const listener = followCwd(terminal, (folder) => void load(folder));
    if (sessionId && !hooked.current.has(sessionId)) {
      hooked.current.add(sessionId);
      void api.call('terminal.input', { sessionIds: [sessionId], data: PROMPT_HOOK }).catch(() => hooked.current.delete(sessionId));
    }
    return () => listener.dispose();
  }, [follow, terminal, sessionId, api, load]);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setAsking(null);
      await load(path);
    } catch (e) {
      if (e instanceof ApiError && e.reason === 'not_empty' && asking?.kind === 'delete') {
        setAnswer('');
        setAsking({ kind: 'deleteTree', entry: asking.entry });
        return;
      }
      void toast.error(say(e));
    }
  };

  const watch = async (name: string, jobId: string) => {
    const put = (state: FilesJobState) =>
      setJobs((prev) => [{ name, state }, ...prev.filter((j) => j.state.jobId !== state.jobId)].slice(0, 8));
    await api.subscribe(
      'remoteFiles.progress',
      { jobId },
      {
        next: (state) => {
          put(state);
          if (state.status === 'done') void load(path);
        },
        error: (e) => void toast.error(say(e)),
      },
    );
  };

  const open = async (e: RemoteEntry) => {
    const full = childOf(path, e.name);
    if (isFolder(e)) return void load(full);
    try {
      setEditing(await api.call('remoteFiles.readText', { profileId, nodeId, path: full }));
    } catch (err) {
      void toast.error(say(err));
    }
  };

  const submit = () => {
    if (!asking) return;
    const value = answer.trim();
    switch (asking.kind) {
      case 'mkdir':
        return void act(() => api.call('remoteFiles.mkdir', { profileId, nodeId, path: childOf(path, value) }));
      case 'rename':
        return void act(() =>
          api.call('remoteFiles.rename', { profileId, nodeId, from: childOf(path, asking.entry.name), to: childOf(path, value) }),
        );
      case 'chmod':
        return void act(() =>
          api.call('remoteFiles.chmod', { profileId, nodeId, path: childOf(path, asking.entry.name), mode: parseInt(value, 8) }),
        );
      case 'delete':
        return void act(() => api.call('remoteFiles.remove', { profileId, nodeId, path: childOf(path, asking.entry.name) }));
      case 'deleteTree': {
        const full = childOf(path, asking.entry.name);
        return void act(() => api.call('remoteFiles.remove', { profileId, nodeId, path: full, recursiveConfirm: value }));
      }
      case 'download':
        return void act(async () => {
          const { jobId } = await api.call('remoteFiles.download', {
            profileId,
            nodeId,
            remotePath: childOf(path, asking.entry.name),
            localFolder: value,
          });
          await watch(asking.entry.name, jobId);
        });
      case 'upload':
        return void act(async () => {
          const { jobId } = await api.call('remoteFiles.upload', { profileId, nodeId, localPath: value, remoteFolder: path });
          await watch(value.split(/[\\/]/).filter(Boolean).pop() ?? value, jobId);
        });
    }
  };

  const invalid = (): string | null => {
    if (!asking) return null;
    const value = answer.trim();
    if (asking.kind === 'chmod') return /^[0-7]{3,4}$/.test(value) ? null : t('tfiles.chmod.invalid');
    if (asking.kind === 'mkdir' || asking.kind === 'rename') return value && !value.includes('/') ? null : t('tfiles.name.invalid');
    if (asking.kind === 'deleteTree') return value === childOf(path, asking.entry.name) ? null : '';
    if (asking.kind === 'download' || asking.kind === 'upload') return value ? null : '';
    return null;
  };

  const ask = (next: Asking, initial = '') => {
    setAnswer(initial);
    setAsking(next);
  };

  const menu = (e: RemoteEntry) => ({
    items: [
      { key: 'open', label: isFolder(e) ? t('tfiles.open') : t('tfiles.edit'), disabled: e.kind === 'other' },
      { key: 'download', label: t('tfiles.download'), disabled: e.kind === 'link' || e.kind === 'other' },
      { key: 'rename', label: t('tfiles.rename') },
      { key: 'chmod', label: t('tfiles.chmod'), disabled: e.kind === 'link' },
      { type: 'divider' as const },
      { key: 'delete', label: t('tfiles.delete'), danger: true },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'open') void open(e);
      else if (key === 'download') ask({ kind: 'download', entry: e }, '~/Downloads');
      else if (key === 'rename') ask({ kind: 'rename', entry: e }, e.name);
      else if (key === 'chmod') ask({ kind: 'chmod', entry: e }, e.mode.toString(8).padStart(3, '0'));
      else if (key === 'delete') ask({ kind: 'delete', entry: e });
    },
  });

  const byFolderFirst = (a: RemoteEntry, b: RemoteEntry) => Number(isFolder(b)) - Number(isFolder(a));
  // The menu first: it stays in view whatever the table's horizontal scroll.
  const columns = [
    {
      title: '',
      key: 'menu',
      width: 44,
      render: (_: unknown, e: RemoteEntry) => (
        <Dropdown menu={menu(e)} trigger={['click']}>
          <Button
            size="small"
            type="text"
            icon={<MoreOutlined />}
            aria-label={`${t('tfiles.actions')}: ${e.name}`}
            data-testid="file-row-menu"
          />
        </Dropdown>
      ),
    },
    {
      title: t('tfiles.col.name'),
      dataIndex: 'name',
      sorter: (a: RemoteEntry, b: RemoteEntry) => byFolderFirst(a, b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      render: (_: string, e: RemoteEntry) => (
        <span
          data-testid="file-row-name"
          data-kind={e.kind}
          style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', display: 'block' }}
        >
          {isFolder(e) ? (
            <FolderOutlined />
          ) : e.kind === 'link' ? (
            <LinkOutlined />
          ) : e.size < 1 << 20 ? (
            <FileTextOutlined />
          ) : (
            <FileOutlined />
          )}{' '}
          {e.name}
          {e.kind === 'link' && (
            <Typography.Text type="secondary">
              {' → '}
              {e.target}
              {e.targetKind === 'missing' ? ` ${t('tfiles.dangling')}` : ''}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t('tfiles.col.size'),
      dataIndex: 'size',
      width: 80,
      align: 'right' as const,
      sorter: (a: RemoteEntry, b: RemoteEntry) => byFolderFirst(a, b) || a.size - b.size,
      render: (v: number, e: RemoteEntry) => (isFolder(e) ? '' : formatBytes(v)),
    },
    {
      title: t('tfiles.col.mode'),
      dataIndex: 'mode',
      width: 150,
      sorter: (a: RemoteEntry, b: RemoteEntry) => a.mode - b.mode,
      render: (v: number) => (
        <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }} data-testid="file-row-mode">
          {rwx(v)} {v.toString(8).padStart(3, '0')}
        </span>
      ),
    },
    {
      title: t('tfiles.col.owner'),
      dataIndex: 'owner',
      width: 120,
      ellipsis: true,
      sorter: (a: RemoteEntry, b: RemoteEntry) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0),
      render: (_: string, e: RemoteEntry) => `${e.owner}:${e.group}`,
    },
    {
      title: t('tfiles.col.mtime'),
      dataIndex: 'mtime',
      width: 150,
      sorter: (a: RemoteEntry, b: RemoteEntry) => a.mtime - b.mtime,
      render: (v: number) => new Date(v * 1000).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' }),
    },
  ];

  const dialogTitle = (a: Asking): string => {
    switch (a.kind) {
      case 'mkdir':
        return t('tfiles.mkdir');
      case 'upload':
        return t('tfiles.upload.title', { path });
      case 'rename':
        return `${t('tfiles.rename')}: ${a.entry.name}`;
      case 'chmod':
        return `${t('tfiles.chmod')}: ${a.entry.name}`;
      case 'download':
        return t('tfiles.download.title', { name: a.entry.name });
      default:
        return t('tfiles.delete.title', { name: a.entry.name });
    }
  };
  const problem = invalid();

  return (
    <section
      data-testid="files-panel"
      data-node={nodeId}
      aria-label={t('tfiles.title', { node: props.nodeName })}
      style={{ display: 'flex', flexDirection: 'column', gap: 6, minWidth: 0, minHeight: 0, height: '100%' }}
    >
      {toastHolder}
      <Space wrap size={4}>
        <Typography.Text strong>{t('tfiles.title', { node: props.nodeName })}</Typography.Text>
        <Tooltip title={t('tfiles.follow.help')}>
          <Space size={4}>
            <Switch
              size="small"
              data-testid="files-follow"
              checked={follow}
              onChange={setFollow}
              aria-label={t('tfiles.follow')}
              disabled={!terminal}
            />
            <span>{t('tfiles.follow')}</span>
          </Space>
        </Tooltip>
      </Space>
      <Space.Compact style={{ width: '100%' }}>
        <Tooltip title={t('tfiles.up')}>
          <Button icon={<ArrowUpOutlined />} aria-label={t('tfiles.up')} data-testid="files-up" onClick={() => void load(parentOf(path))} />
        </Tooltip>
        <Input
          data-testid="files-path"
          aria-label={t('tfiles.path')}
          value={typed}
          spellCheck={false}
          onChange={(e) => setTyped(e.target.value)}
          onPressEnter={() => typed.startsWith('/') && void load(typed)}
        />
        <Tooltip title={t('tfiles.refresh')}>
          <Button icon={<ReloadOutlined />} aria-label={t('tfiles.refresh')} loading={loading} onClick={() => void load(path)} />
        </Tooltip>
        <Tooltip title={t('tfiles.mkdir')}>
          <Button
            icon={<FolderAddOutlined />}
            aria-label={t('tfiles.mkdir')}
            data-testid="files-mkdir"
            onClick={() => ask({ kind: 'mkdir' })}
          />
        </Tooltip>
        <Tooltip title={t('tfiles.upload')}>
          <Button
            icon={<CloudUploadOutlined />}
            aria-label={t('tfiles.upload')}
            data-testid="files-upload"
            onClick={() => ask({ kind: 'upload' }, '~/')}
          />
        </Tooltip>
      </Space.Compact>
      {error && <Alert type="error" showIcon title={error} data-testid="files-error" />}
      <div ref={box} style={{ flex: 1, minHeight: 120 }}>
        <Table<RemoteEntry>
          data-testid="files-table"
          size="small"
          virtual
          rowKey="name"
          columns={columns}
          dataSource={listing?.entries ?? []}
          pagination={false}
          scroll={{ x: 784, y: height }}
          loading={loading && !listing}
          onRow={(e) =>
            ({ onDoubleClick: () => void open(e), 'data-testid': 'file-row', 'data-name': e.name }) as React.HTMLAttributes<HTMLElement>
          }
        />
      </div>
      <Typography.Text type="secondary" data-testid="files-count">
        {listing ? t('tfiles.count', { count: listing.entries.length }) : ''}
        {listing?.truncated ? ` ${t('tfiles.truncated', { count: listing.entries.length })}` : ''}
      </Typography.Text>
      {jobs.map(({ name, state: s }) => (
        <div key={s.jobId} data-testid="files-job" data-status={s.status}>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text ellipsis>
              {t(s.direction === 'download' ? 'tfiles.job.download' : 'tfiles.job.upload', { name })}
              {s.fileCount > 1 ? ` · ${t('tfiles.job.files', { files: s.files, count: s.fileCount })}` : ''}
              {s.resumed > 0 ? ` · ${t('tfiles.job.resumed', { size: formatBytes(s.resumed) })}` : ''}
              {s.status === 'running' && s.rateBps > 0 ? ` · ${formatBytes(s.rateBps)}/s` : ''}
              {s.status === 'done' ? ` · ${t('tfiles.job.done')}` : s.status === 'cancelled' ? ` · ${t('tfiles.job.cancelled')}` : ''}
            </Typography.Text>
            {s.status === 'running' && (
              <Button size="small" onClick={() => void api.call('remoteFiles.cancel', { jobId: s.jobId })}>
                {t('tfiles.job.cancel')}
              </Button>
            )}
          </Space>
          <Progress
            size="small"
            percent={s.total > 0 ? Math.floor((s.bytes / s.total) * 100) : s.status === 'done' ? 100 : 0}
            status={s.status === 'failed' ? 'exception' : s.status === 'done' ? 'success' : s.status === 'cancelled' ? 'normal' : 'active'}
          />
          {s.error && <Typography.Text type="danger">{pick(s.error.message)}</Typography.Text>}
        </div>
      ))}
      <Modal
        open={asking !== null}
        title={asking ? dialogTitle(asking) : ''}
        okText={asking?.kind === 'delete' || asking?.kind === 'deleteTree' ? t('tfiles.delete') : t('common.ok')}
        okButtonProps={{
          danger: asking?.kind === 'delete' || asking?.kind === 'deleteTree',
          disabled: problem !== null,
          'data-testid': 'files-dialog-ok',
        }}
        cancelText={t('common.cancel')}
        onOk={submit}
        onCancel={() => setAsking(null)}
        destroyOnHidden
      >
        {asking && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="files-dialog">
            {asking.kind === 'delete' && (
              <Typography.Text>{t('tfiles.delete.body', { path: childOf(path, asking.entry.name) })}</Typography.Text>
            )}
            {asking.kind === 'deleteTree' && (
              <Typography.Text>{t('tfiles.deleteTree.body', { path: childOf(path, asking.entry.name) })}</Typography.Text>
            )}
            {asking.kind === 'download' && <Typography.Text type="secondary">{t('tfiles.download.folder')}</Typography.Text>}
            {asking.kind === 'upload' && <Typography.Text type="secondary">{t('tfiles.upload.path')}</Typography.Text>}
            {asking.kind === 'mkdir' && <Typography.Text type="secondary">{t('tfiles.mkdir.name')}</Typography.Text>}
            {asking.kind === 'rename' && <Typography.Text type="secondary">{t('tfiles.rename.name')}</Typography.Text>}
            {asking.kind === 'chmod' && <Typography.Text type="secondary">{t('tfiles.chmod.mode')}</Typography.Text>}
            {asking.kind === 'download' || asking.kind === 'upload' ? (
              <PathInput value={answer} onChange={setAnswer} testId="files-dialog-input" onEnter={() => problem === null && submit()} />
            ) : asking.kind !== 'delete' ? (
              <Input
                autoFocus
                data-testid="files-dialog-input"
                value={answer}
                spellCheck={false}
                status={problem ? 'error' : undefined}
                onChange={(e) => setAnswer(e.target.value)}
                onPressEnter={() => problem === null && submit()}
              />
            ) : null}
            {problem ? <Typography.Text type="danger">{problem}</Typography.Text> : null}
          </Space>
        )}
      </Modal>
      <FileEditor
        profileId={profileId}
        nodeId={nodeId}
        file={editing}
        onClose={(saved) => {
          if (saved && editing) void toast.success(t('tfiles.editor.saved', { path: editing.path }));
          setEditing(null);
          if (saved) void load(path);
        }}
      />
    </section>
  );
}
