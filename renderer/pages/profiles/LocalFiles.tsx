/**
 * Files on the machine running the core, chosen the way each host can: the desktop's own file dialog, or in serve mode
 * (a browser cannot hand a path over) a path typed with completion from the core. Only the path travels; the core
 * reads the file itself.
 */
import { FolderOpenOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Input, Modal, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { FilePurpose } from '../../../shared/api/contracts/files';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';

/** A path input that completes from the core's file system as the operator types (Tab or a click accepts). */
export function PathInput({
  id,
  value,
  onChange,
  placeholder,
  status,
  testId,
  onEnter,
}: {
  id?: string;
  value: string;
  onChange: (path: string) => void;
  placeholder?: string;
  status?: 'error' | undefined;
  testId: string;
  onEnter?: () => void;
}) {
  const api = useApi();
  const [options, setOptions] = useState<{ value: string; label: ReactNode }[]>([]);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      api.call('files.complete', { prefix: value }).then(
        (r) => {
          if (seq.current !== mine) return;
          setOptions(
            r.entries.map((e) => ({
              value: e.path,
              label: (
                <span data-testid="path-option" data-path={e.path}>
                  {e.directory ? '📁 ' : ''}
                  {e.path}
                </span>
              ),
            })),
          );
        },
        () => undefined,
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [api, value]);
  return (
    <AutoComplete value={value} options={options} onChange={(v: string) => onChange(v)} style={{ width: '100%' }}>
      {/* The input itself carries the id and test id, so its label and a person's typing reach it. */}
      <Input
        id={id}
        status={status}
        placeholder={placeholder}
        spellCheck={false}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && onEnter) onEnter();
        }}
      />
    </AutoComplete>
  );
}

/**
 * `pick(purpose)`: the desktop's file dialog, or a dialog with a completing path input where there is none. The
 * returned element must be rendered (it holds that dialog).
 */
export function usePickFile(): [(purpose: FilePurpose) => Promise<string | null>, ReactNode] {
  const api = useApi();
  const { t } = useI18n();
  const [asking, setAsking] = useState<{ purpose: FilePurpose; resolve: (p: string | null) => void } | null>(null);
  const [typed, setTyped] = useState('~/');
  const pick = useCallback(
    async (purpose: FilePurpose): Promise<string | null> => {
      try {
        return (await api.call('files.choose', { purpose })).path;
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === 'no_desktop')) throw e;
      }
      return new Promise((resolve) => setAsking({ purpose, resolve }));
    },
    [api],
  );
  const finish = (path: string | null) => {
    asking?.resolve(path);
    setAsking(null);
  };
  const dialog = (
    <Modal
      open={asking !== null}
      title={t('files.pick.title')}
      okText={t('files.pick.ok')}
      cancelText={t('common.cancel')}
      onOk={() => finish(typed.trim() || null)}
      onCancel={() => finish(null)}
      okButtonProps={{ disabled: !typed.trim() || typed.endsWith('/'), 'data-testid': 'path-pick-ok' }}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('files.pick.body')}</Typography.Text>
        <PathInput
          value={typed}
          onChange={setTyped}
          testId="path-pick-input"
          onEnter={() => {
            if (typed.trim() && !typed.endsWith('/')) finish(typed.trim());
          }}
        />
      </Space>
    </Modal>
  );
  return [pick, dialog];
}

/** A "Choose file…" button that puts the chosen path somewhere. */
export function BrowseButton({ purpose, onPicked, testId }: { purpose: FilePurpose; onPicked: (path: string) => void; testId: string }) {
  const { t } = useI18n();
  const [pick, dialog] = usePickFile();
  return (
    <>
      <Button icon={<FolderOpenOutlined />} onClick={() => void pick(purpose).then((p) => p && onPicked(p))} data-testid={testId}>
        {t('secret.chooseFile')}
      </Button>
      {dialog}
    </>
  );
}
