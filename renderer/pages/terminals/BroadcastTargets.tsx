/** Under the toolbar while broadcast is on: which open terminals also receive the keystrokes typed in the active one. */
import { Checkbox, Space, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { tabTitle, type Tab } from './tab';

export function BroadcastTargets(props: {
  /** The tabs with an open session: only those can receive. */
  readonly tabs: readonly Tab[];
  readonly targets: readonly string[];
  readonly onTargets: (keys: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <Space data-testid="terminal-broadcast-targets">
      <Typography.Text type="secondary">{t('term.broadcast.targets')}</Typography.Text>
      <Checkbox.Group
        value={[...props.targets]}
        onChange={(v) => props.onTargets(v)}
        options={props.tabs.map((x) => ({ value: x.key, label: tabTitle(x) }))}
      />
    </Space>
  );
}
