/** Form fields bound to a path of the draft, each with its label, one-line help and issues. */
import { Form, Input, InputNumber, Select, Switch } from 'antd';
import type { ReactNode } from 'react';
import type { SecretInput as Secret } from '../../../shared/profile/fields';
import { SecretField } from '../../components/SecretField';
import { useI18n } from '../../i18n';
import { messages, type MessageKey } from '../../i18n/messages';
import { getAt, optionalText, pathKey, setAt, type Path } from './draft';
import { useDraft, useEditor } from './EditorContext';

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
  const { issues } = useEditor();
  const found = [path, ...also].flatMap((p) => issues.get(p) ?? []);
  const key = labelKey(path);
  const labelMsg = label ?? message(key);
  const help = message(`${key}.help`);
  return (
    <Form.Item
      label={labelMsg ? t(labelMsg) : path}
      validateStatus={found.length ? 'error' : undefined}
      help={
        found.length ? (
          <div data-testid={`error-${path}`}>
            {found.map((m, i) => (
              <div key={i}>{pick(m)}</div>
            ))}
          </div>
        ) : undefined
      }
      extra={help ? t(help) : undefined}
      data-testid={`field-${path}`}
    >
      {children}
    </Form.Item>
  );
}

function useBinding<T>(path: Path) {
  const { update, issues } = useEditor();
  const key = pathKey(path);
  const value = useDraft((d) => getAt(d, path)) as T | undefined;
  return {
    key,
    value,
    set: (v: unknown) => update((d) => setAt(d, path, v)),
    status: issues.has(key) ? ('error' as const) : undefined,
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
          rows={4}
          value={b.value ?? ''}
          status={b.status}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`input-${b.key}`}
        />
      ) : (
        <Input
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
      <Switch checked={b.value ?? false} onChange={(v) => b.set(v)} data-testid={`input-${b.key}`} />
    </Field>
  );
}

export function SecretPathField({ path }: { path: Path }) {
  const b = useBinding<Secret>(path);
  return (
    <Field path={b.key}>
      <SecretField value={b.value ?? { set: false }} onChange={(v) => b.set(v)} status={b.status} testId={`secret-${b.key}`} />
    </Field>
  );
}
