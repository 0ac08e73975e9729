/**
 * A write-only secret. Stored values show as a "set" tag, values staged in the core (an import, a key file, a generated
 * key) as "ready to save"; either can be replaced. The typed value lives only in the draft and the input's value
 * property: never in the page's markup (scrub-markup.ts), and nothing is logged. A multi-line secret (a PEM key) is a textarea drawn
 * masked, so pasted line breaks survive.
 */
import { FolderOpenOutlined } from '@ant-design/icons';
import { Button, Input, Space, Tag, Typography } from 'antd';
import { ApiError } from '../../shared/errors';
import { useState, type CSSProperties } from 'react';
import type { SecretInput } from '../../shared/profile/fields';
import { useI18n } from '../i18n';
import { useScrubbedMarkup } from './scrub-markup';

export function SecretField({
  id,
  value,
  onChange,
  testId,
  status,
  multiline,
  onChooseFile,
}: {
  id?: string;
  value: SecretInput;
  onChange: (next: SecretInput) => void;
  testId: string;
  status?: 'error' | undefined;
  multiline?: boolean;
  /** "Choose file…": the core reads the file and answers a staged token, or null when the operator cancelled. */
  onChooseFile?: () => Promise<SecretInput | null>;
}) {
  const { t, pick } = useI18n();
  const scrubbed = useScrubbedMarkup();
  // What the field held before Replace, to return to on Cancel.
  const [origin, setOrigin] = useState<SecretInput | null>(null);
  const [choosing, setChoosing] = useState(false);
  // Why the chosen file was refused (the core names it and says what to do).
  const [fileError, setFileError] = useState<string | null>(null);
  const refusal = fileError && (
    <Typography.Text type="danger" data-testid={`${testId}-file-error`}>
      {fileError}
    </Typography.Text>
  );
  const kept = 'set' in value && value.set;
  const staged = 'staged' in value;

  const choose = onChooseFile && (
    <Button
      icon={<FolderOpenOutlined />}
      loading={choosing}
      data-testid={`${testId}-file`}
      onClick={() => {
        setChoosing(true);
        setFileError(null);
        onChooseFile()
          .then(
            (picked) => {
              if (!picked) return;
              if (origin === null && (kept || staged)) setOrigin(value);
              onChange(picked);
            },
            (e: unknown) => setFileError(e instanceof ApiError ? pick(e.localized) : String(e)),
          )
          .finally(() => setChoosing(false));
      }}
    >
      {t('secret.chooseFile')}
    </Button>
  );

  if (kept || staged) {
    return (
      <Space data-testid={testId} data-state={staged ? 'staged' : 'set'} wrap>
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
        {choose}
        {refusal}
      </Space>
    );
  }

  const replacing = origin !== null && 'value' in value;
  const onText = (v: string) => onChange(v === '' && !replacing ? { set: false } : { value: v });
  const cancel = replacing && (
    <Button
      data-testid={`${testId}-cancel`}
      onClick={() => {
        onChange(origin);
        setOrigin(null);
      }}
    >
      {t('secret.cancel')}
    </Button>
  );
  if (multiline) {
    return (
      <Space
        ref={scrubbed}
        orientation="vertical"
        style={{ width: '100%' }}
        data-testid={testId}
        data-state={replacing ? 'replacing' : 'empty'}
      >
        <Input.TextArea
          id={id}
          rows={5}
          status={status}
          spellCheck={false}
          autoComplete="off"
          placeholder={t('secret.pemPlaceholder')}
          // Drawn as dots like a password; the text itself (line breaks included) is what the draft holds.
          style={{ WebkitTextSecurity: 'disc', fontFamily: 'monospace' } as CSSProperties}
          data-testid={`${testId}-input`}
          onChange={(e) => onText(e.target.value)}
        />
        <Space wrap>
          {choose}
          {cancel}
          {refusal}
        </Space>
      </Space>
    );
  }
  return (
    <div ref={scrubbed} style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%' }} data-testid={testId} data-state={replacing ? 'replacing' : 'empty'}>
        <Input.Password
          id={id}
          autoComplete="new-password"
          status={status}
          placeholder={t('secret.placeholder')}
          visibilityToggle={false}
          data-testid={`${testId}-input`}
          onChange={(e) => onText(e.target.value)}
        />
        {choose}
        {cancel}
      </Space.Compact>
    </div>
  );
}
