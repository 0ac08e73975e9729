/** Form fields bound to a path of the draft, each with its label, one-line help and issues. */
import { Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import type { ReactNode } from 'react';
import type { FilePurpose } from '../../../shared/api/contracts/files';
import type { SecretInput as Secret } from '../../../shared/profile/fields';
import { SecretField } from '../../components/SecretField';
import { useI18n } from '../../i18n';
import { messages, type MessageKey } from '../../i18n/messages';
import { getAt, optionalText, pathKey, setAt, type Path } from './draft';
import { fieldDomId, useDraft, useEditor } from './EditorContext';
import { BrowseButton, PathInput } from './LocalFiles';

/** `nodes.2.host` → `f.node.host`; `nodes.2.jumpHosts.0.host` → `f.jump.host`. */
function labelKey(path: string): string {
  return `f.${path.replace(/^nodes\.\d+\.jumpHosts\.\d+\./, 'jump.').replace(/^nodes\.\d+\./, 'node.')}`;
}

function message(key: string): MessageKey | null {
  return key in messages ? (key as MessageKey) : null;
}

export function Field({
  path,
  also = [],
  children,
  label,
}: {
  path: string;
  also?: readonly string[];
  children: ReactNode;
  label?: MessageKey;
}) {
  const { t, pick } = useI18n();
  const { issues, shows, touch } = useEditor();
  // One message: the first the core found for the field (or for the paths it also stands for).
  const found = shows(path) ? [path, ...also].flatMap((p) => issues.get(p) ?? []).slice(0, 1) : [];
  const labelMsg = label ?? fieldLabel(path);
  const help = message(`${labelKey(path)}.help`);
  return (
    <Form.Item
      label={labelMsg ? t(labelMsg) : path}
      htmlFor={fieldDomId(path)}
      validateStatus={found.length ? 'error' : undefined}
      help={found.length ? <div data-testid={`error-${path}`}>{pick(found[0]!)}</div> : undefined}
      extra={help ? t(help) : undefined}
      data-testid={`field-${path}`}
    >
      <div onBlur={() => touch(path)}>{children}</div>
    </Form.Item>
  );
}

/** The label of a field's path, if it has one (`nodes.2.host` → "SSH host"). */
export function fieldLabel(path: string): MessageKey | null {
  return message(labelKey(path));
}

function useBinding<T>(path: Path) {
  const { update, issues, shows } = useEditor();
  const key = pathKey(path);
  const value = useDraft((d) => getAt(d, path)) as T | undefined;
  return {
    key,
    id: fieldDomId(key),
    value,
    set: (v: unknown) => update((d) => setAt(d, path, v)),
    status: issues.has(key) && shows(key) ? ('error' as const) : undefined,
  };
}

export function TextField({
  path,
  optional,
  placeholder,
  multiline,
}: {
  path: Path;
  optional?: boolean;
  placeholder?: string;
  multiline?: boolean;
}) {
  const b = useBinding<string>(path);
  const onChange = (v: string) => b.set(optional ? optionalText(v) : v);
  return (
    <Field path={b.key}>
      {multiline ? (
        <Input.TextArea
          id={b.id}
          rows={4}
          value={b.value ?? ''}
          status={b.status}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`input-${b.key}`}
        />
      ) : (
        <Input
          id={b.id}
          value={b.value ?? ''}
          status={b.status}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`input-${b.key}`}
        />
      )}
    </Field>
  );
}

export function NumberField({ path, min, max }: { path: Path; min?: number; max?: number }) {
  const b = useBinding<number>(path);
  return (
    <Field path={b.key}>
      <InputNumber
        id={b.id}
        value={b.value ?? null}
        min={min}
        max={max}
        status={b.status}
        style={{ width: 160 }}
        onChange={(v) => b.set(typeof v === 'number' ? v : undefined)}
        data-testid={`input-${b.key}`}
      />
    </Field>
  );
}

export function SelectField<T extends string>({
  path,
  options,
  onSelect,
  also,
}: {
  path: Path;
  also?: readonly string[];
  options: readonly { value: T; label: string }[];
  onSelect?: (v: T) => void;
}) {
  const b = useBinding<T>(path);
  return (
    <Field path={b.key} also={also}>
      <Select
        id={b.id}
        value={b.value}
        status={b.status}
        options={options.map((o) => ({ ...o }))}
        onChange={(v: T) => (onSelect ? onSelect(v) : b.set(v))}
        style={{ maxWidth: 360 }}
        data-testid={`input-${b.key}`}
      />
    </Field>
  );
}

export function SwitchField({ path }: { path: Path }) {
  const b = useBinding<boolean>(path);
  return (
    <Field path={b.key}>
      <Switch id={b.id} checked={b.value ?? false} onChange={(v) => b.set(v)} data-testid={`input-${b.key}`} />
    </Field>
  );
}

export function SecretPathField({
  path,
  multiline,
  onChooseFile,
}: {
  path: Path;
  /** A PEM key: several lines, pasted or typed. */
  multiline?: boolean;
  /** Reads the secret from a file in the core and answers the staged token (never the value). */
  onChooseFile?: () => Promise<Secret | null>;
}) {
  const b = useBinding<Secret>(path);
  return (
    <Field path={b.key}>
      <SecretField
        id={b.id}
        value={b.value ?? { set: false }}
        onChange={(v) => b.set(v)}
        status={b.status}
        testId={`secret-${b.key}`}
        multiline={multiline}
        onChooseFile={onChooseFile}
      />
    </Field>
  );
}

/** A path on the computer running the app: typed with completion, or chosen with the desktop's file dialog. */
export function PathField({ path, purpose, placeholder }: { path: Path; purpose: FilePurpose; placeholder?: string }) {
  const b = useBinding<string>(path);
  return (
    <Field path={b.key}>
      <Space.Compact style={{ width: '100%' }}>
        <PathInput
          id={b.id}
          value={b.value ?? ''}
          onChange={(v) => b.set(v)}
          status={b.status}
          placeholder={placeholder}
          testId={`input-${b.key}`}
        />
        <BrowseButton purpose={purpose} onPicked={(p) => b.set(p)} testId={`browse-${b.key}`} />
      </Space.Compact>
    </Field>
  );
}
