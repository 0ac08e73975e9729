/**
 * A write-only secret. Stored values show as a "set" tag, values staged by an import as "from
 * import"; either can be replaced. The typed value lives only in the draft: the input is
 * uncontrolled so no value attribute ever reaches the DOM, and nothing is logged.
 */
import { Button, Input, Space, Tag } from 'antd';
import { useState } from 'react';
import type { SecretInput } from '../../shared/profile/fields';
import { useI18n } from '../i18n';

export function SecretField({
  value,
  onChange,
  testId,
  status,
}: {
  value: SecretInput;
  onChange: (next: SecretInput) => void;
  testId: string;
  status?: 'error' | undefined;
}) {
  const { t } = useI18n();
  // What the field held before Replace, to return to on Cancel.
  const [origin, setOrigin] = useState<SecretInput | null>(null);
  const kept = 'set' in value && value.set;
  const staged = 'staged' in value;

  if (kept || staged) {
    return (
      <Space data-testid={testId} data-state={staged ? 'staged' : 'set'}>
        <Tag color={staged ? 'blue' : 'green'} data-testid={`${testId}-tag`}>
          {t(staged ? 'secret.staged' : 'secret.set')}
        </Tag>
        <Button
          size="small"
          data-testid={`${testId}-replace`}
          onClick={() => {
            setOrigin(value);
            onChange({ value: '' });
          }}
        >
          {t('secret.replace')}
        </Button>
      </Space>
    );
  }

  const replacing = origin !== null && 'value' in value;
  return (
    <Space.Compact style={{ width: '100%' }} data-testid={testId} data-state={replacing ? 'replacing' : 'empty'}>
      <Input.Password
        autoComplete="new-password"
        status={status}
        placeholder={t('secret.placeholder')}
        visibilityToggle={false}
        data-testid={`${testId}-input`}
        onChange={(e) => {
          const v = e.target.value;
          onChange(v === '' && !replacing ? { set: false } : { value: v });
        }}
      />
      {replacing && (
        <Button
          data-testid={`${testId}-cancel`}
          onClick={() => {
            onChange(origin);
            setOrigin(null);
          }}
        >
          {t('secret.cancel')}
        </Button>
      )}
    </Space.Compact>
  );
}
