/**
 * A new archive passphrase typed twice (a backup's, an upgrade's backup): the two fields with their problems, which the
 * panel that holds the values decides (at least 8 characters, the same twice). The values live in that panel's state.
 */
import { Form, Input } from 'antd';
import { useI18n } from '../../i18n';

export function NewPassphrase({
  idPrefix,
  passphrase,
  repeat,
  onPassphrase,
  onRepeat,
  problem,
  help,
}: {
  /** The fields' ids and test ids: `<idPrefix>-passphrase`, `<idPrefix>-repeat`. */
  idPrefix: string;
  passphrase: string;
  repeat: string;
  onPassphrase: (value: string) => void;
  onRepeat: (value: string) => void;
  /** The problem to show under each field now, or null. */
  problem: (field: 'passphrase' | 'repeat') => string | null;
  /** Shown under the first field when it has no problem. */
  help?: string;
}) {
  const { t } = useI18n();
  const field = (which: 'passphrase' | 'repeat', label: string, value: string, onChange: (v: string) => void, extra?: string) => (
    <Form.Item label={label} htmlFor={`${idPrefix}-${which}`} help={problem(which) ?? extra} validateStatus={problem(which) ? 'error' : ''}>
      <Input.Password
        id={`${idPrefix}-${which}`}
        data-testid={`${idPrefix}-${which}`}
        autoComplete="new-password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Form.Item>
  );
  return (
    <>
      {field('passphrase', t('maint.backup.passphrase'), passphrase, onPassphrase, help)}
      {field('repeat', t('maint.backup.repeat'), repeat, onRepeat)}
    </>
  );
}
