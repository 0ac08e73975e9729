/**
 * The Snippets panel beside the terminals: the built-in Harbor snippets of the cluster (their parameters as selects,
 * the command the core rendered from the profile shown before anything is sent) and the operator's own, kept per
 * cluster in the core. Run types the line into the active terminal, Broadcast into it and the terminals checked
 * under "Send to"; either way it is typed like keystrokes (terminal.input), so the shell's history and the transcript
 * show it as if the operator had typed it.
 */
import { DeleteOutlined, EditOutlined, PlusOutlined, SearchOutlined, SendOutlined, WifiOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Form, Input, Modal, Popconfirm, Select, Space, Tooltip, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MAX_SNIPPET_COMMAND, type OwnSnippet, type SnippetLibrary } from '../../../shared/api/contracts/snippets';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import './snippets.css';

type Chosen = { readonly kind: 'builtIn' | 'own'; readonly id: string };

interface Draft {
  readonly id?: string;
  readonly name: string;
  readonly description: string;
  readonly command: string;
}

export function SnippetsPanel(props: {
  profileId: string;
  /** The active terminal's node, when it has a session to type into. */
  activeNode: string | undefined;
  /** How many terminals a broadcast reaches besides the active one (0: broadcast is off or nothing is checked). */
  broadcastOthers: number;
  /** Types the line (and Enter) into the active terminal, or also into the broadcast targets; answers how many got it. */
  send: (line: string, broadcast: boolean) => Promise<number>;
}) {
  const { profileId, activeNode, broadcastOthers, send } = props;
  const { t, pick } = useI18n();
  const api = useApi();
  const [toast, toastHolder] = message.useMessage();
  const [library, setLibrary] = useState<SnippetLibrary | null>(null);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [command, setCommand] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [form] = Form.useForm<Draft>();

  // Through a ref: a change of language re-renders the messages, it does not reload the library or lose the choice.
  const pickRef = useRef(pick);
  pickRef.current = pick;
  const say = useCallback((e: unknown) => (e instanceof ApiError ? pickRef.current(e.localized) : String(e)), []);

  const load = useCallback(async () => {
    try {
      setLibrary(await api.call('snippets.list', { profileId }));
      setError(null);
    } catch (e) {
      setError(say(e));
    }
  }, [api, profileId, say]);

  useEffect(() => {
    setChosen(null);
    setLibrary(null);
    void load();
  }, [load]);

  const builtIn = chosen?.kind === 'builtIn' ? library?.builtIn.find((s) => s.id === chosen.id) : undefined;
  const own = chosen?.kind === 'own' ? library?.own.find((s) => s.id === chosen.id) : undefined;

  // A built-in snippet's line comes from the core (it alone reads the profile); an own one is shown as written.
  useEffect(() => {
    if (own) return setCommand(own.command);
    if (!builtIn) return setCommand(null);
    let current = true;
    setCommand(null);
    api.call('snippets.render', { profileId, id: builtIn.id, parameters: values }).then(
      (r) => current && setCommand(r.command),
      (e: unknown) => current && setError(say(e)),
    );
    return () => {
      current = false;
    };
  }, [api, profileId, builtIn, own, values, say]);

  const choose = (next: Chosen) => {
    setChosen(next);
    const s = next.kind === 'builtIn' ? library?.builtIn.find((x) => x.id === next.id) : undefined;
    setValues(Object.fromEntries((s?.parameters ?? []).map((p) => [p.name, p.options[0] ?? ''])));
  };

  const matches = useCallback(
    (...texts: string[]) => {
      const q = query.trim().toLowerCase();
      return !q || texts.some((x) => x.toLowerCase().includes(q));
    },
    [query],
  );
  const shownBuiltIn = useMemo(
    () => (library?.builtIn ?? []).filter((s) => matches(s.id, pick(s.title), pick(s.description))),
    [library, matches, pick],
  );
  const shownOwn = useMemo(() => (library?.own ?? []).filter((s) => matches(s.name, s.description, s.command)), [library, matches]);

  const run = async (broadcast: boolean) => {
    if (!command) return;
    try {
      const count = await send(command, broadcast);
      void toast.success(t('tsnip.sent', { count }));
    } catch (e) {
      void toast.error(say(e));
    }
  };

  const openForm = (s?: OwnSnippet) => {
    const d: Draft = s
      ? { id: s.id, name: s.name, description: s.description, command: s.command }
      : { name: '', description: '', command: '' };
    setDraft(d);
    form.setFieldsValue(d);
  };

  const save = async () => {
    const v = await form.validateFields();
    try {
      const saved = await api.call('snippets.save', {
        profileId,
        ...(draft?.id ? { id: draft.id } : {}),
        name: v.name,
        description: v.description ?? '',
        command: v.command,
      });
      setDraft(null);
      await load();
      setChosen({ kind: 'own', id: saved.id });
    } catch (e) {
      const field = e instanceof ApiError ? e.issues?.[0]?.path : undefined;
      if (field === 'name' || field === 'description' || field === 'command') form.setFields([{ name: field, errors: [say(e)] }]);
      else void toast.error(say(e));
    }
  };

  const remove = async (s: OwnSnippet) => {
    try {
      await api.call('snippets.delete', { profileId, id: s.id });
      if (chosen?.id === s.id) setChosen(null);
      await load();
    } catch (e) {
      void toast.error(say(e));
    }
  };

  const row = (key: Chosen, title: string, description: string, extra?: React.ReactNode, testId = 'snippet') => {
    const selected = chosen?.kind === key.kind && chosen.id === key.id;
    return (
      <div
        key={`${key.kind}-${key.id}`}
        className={`snippet-row${selected ? ' snippet-row-selected' : ''}`}
        data-testid={testId}
        data-id={key.id}
        role="button"
        tabIndex={0}
        aria-pressed={selected}
        onClick={() => choose(key)}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), choose(key))}
      >
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
          <Typography.Text strong data-testid="snippet-title">
            {title}
          </Typography.Text>
          {extra}
        </Space>
        {description && (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }} ellipsis={{ rows: 2 }}>
            {description}
          </Typography.Paragraph>
        )}
      </div>
    );
  };

  return (
    <div className="terminal-snippets" data-testid="snippets-panel">
      {toastHolder}
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Input
          data-testid="snippets-search"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('tsnip.search')}
          aria-label={t('tsnip.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <Button icon={<PlusOutlined />} data-testid="snippets-add" onClick={() => openForm()}>
          {t('tsnip.add')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} data-testid="snippets-error" />}
      <div className="snippet-list">
        <Typography.Title level={5}>{t('tsnip.builtIn')}</Typography.Title>
        {shownBuiltIn.map((s) => row({ kind: 'builtIn', id: s.id }, pick(s.title), pick(s.description)))}
        {library && shownBuiltIn.length === 0 && <Typography.Text type="secondary">{t('tsnip.none')}</Typography.Text>}
        <Typography.Title level={5} style={{ marginTop: 12 }}>
          {t('tsnip.own')}
        </Typography.Title>
        {library && library.own.length === 0 && <Typography.Text type="secondary">{t('tsnip.own.none')}</Typography.Text>}
        {shownOwn.map((s) =>
          row(
            { kind: 'own', id: s.id },
            s.name,
            s.description,
            <Space size={0} onClick={(e) => e.stopPropagation()}>
              <Tooltip title={t('tsnip.edit')}>
                <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('tsnip.edit')} onClick={() => openForm(s)} />
              </Tooltip>
              <Popconfirm title={t('tsnip.delete.confirm', { name: s.name })} onConfirm={() => void remove(s)}>
                <Button
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('tsnip.delete')}
                  data-testid="snippet-delete"
                />
              </Popconfirm>
            </Space>,
            'own-snippet',
          ),
        )}
        {library && library.own.length > 0 && shownOwn.length === 0 && (
          <Typography.Text type="secondary">{t('tsnip.none')}</Typography.Text>
        )}
      </div>
      {chosen && (builtIn || own) && (
        <div className="snippet-detail" data-testid="snippet-detail">
          {builtIn?.parameters.map((p) => (
            <Space key={p.name} style={{ marginBottom: 8 }}>
              <span>{pick(p.label)}</span>
              <Select
                data-testid={`snippet-param-${p.name}`}
                aria-label={pick(p.label)}
                style={{ minWidth: 180 }}
                value={values[p.name]}
                onChange={(v: string) => setValues((prev) => ({ ...prev, [p.name]: v }))}
                options={p.options.map((o) => ({ value: o, label: o }))}
              />
            </Space>
          ))}
          <Typography.Text type="secondary">{t('tsnip.command')}</Typography.Text>
          <pre className="snippet-command" data-testid="snippet-command">
            {command ?? '…'}
          </pre>
          {builtIn?.changes && <Alert type="warning" showIcon title={t('tsnip.changes')} style={{ marginBottom: 8 }} />}
          {builtIn && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('tsnip.noSecrets')}
            </Typography.Paragraph>
          )}
          <Space wrap>
            <Tooltip title={activeNode ? t('tsnip.run.help', { node: activeNode }) : t('tsnip.noTerminal')}>
              <Button
                type="primary"
                icon={<SendOutlined />}
                data-testid="snippet-run"
                disabled={!command || !activeNode}
                onClick={() => void run(false)}
              >
                {t('tsnip.run')}
              </Button>
            </Tooltip>
            <Tooltip title={broadcastOthers > 0 ? t('tsnip.broadcast.help') : t('tsnip.broadcast.off')}>
              <Button
                icon={<WifiOutlined />}
                data-testid="snippet-broadcast"
                disabled={!command || !activeNode || broadcastOthers === 0}
                onClick={() => void run(true)}
              >
                {t('tsnip.broadcast')}
              </Button>
            </Tooltip>
          </Space>
        </div>
      )}
      {!library && !error && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
      <Modal
        open={!!draft}
        title={draft?.id ? t('tsnip.form.edit') : t('tsnip.form.add')}
        okText={t('tsnip.form.save')}
        cancelText={t('tsnip.form.cancel')}
        onOk={() => void save()}
        onCancel={() => setDraft(null)}
        okButtonProps={{ 'data-testid': 'snippet-form-save' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="snippet-form">
          <Form.Item
            name="name"
            label={t('tsnip.form.name')}
            rules={[{ required: true, whitespace: true, message: t('tsnip.form.required') }]}
          >
            <Input data-testid="snippet-form-name" maxLength={80} />
          </Form.Item>
          <Form.Item name="description" label={t('tsnip.form.description')}>
            <Input data-testid="snippet-form-description" maxLength={500} />
          </Form.Item>
          <Form.Item
            name="command"
            label={t('tsnip.form.command')}
            extra={t('tsnip.form.command.help')}
            rules={[{ required: true, whitespace: true, message: t('tsnip.form.required') }]}
          >
            <Input data-testid="snippet-form-command" className="snippet-mono" maxLength={MAX_SNIPPET_COMMAND} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
