/** A tab's label in the Terminals page's strip: its state as a badge, its name, and a mark while it receives a broadcast. */
import { WifiOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { useI18n } from '../../i18n';
import type { TabStatus } from './controller';
import { BADGE, tabTitle, type Tab } from './tab';

export function TabLabel(props: { readonly tab: Tab; readonly status: TabStatus | undefined; readonly receiving: boolean }) {
  const { t } = useI18n();
  const state = props.status?.state ?? 'idle';
  return (
    <span data-testid={`terminal-tab-${props.tab.key}`} data-state={state}>
      <Badge status={BADGE[state]} style={{ marginRight: 6 }} />
      {tabTitle(props.tab)}
      {props.receiving && (
        <WifiOutlined data-testid="terminal-tab-receiving" aria-label={t('term.broadcast.receiving')} style={{ marginLeft: 6 }} />
      )}
    </span>
  );
}
