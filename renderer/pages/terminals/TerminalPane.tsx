/** One terminal tab's body: its state, reconnect button, error and the xterm.js host element. */
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import type { TabStatus, TerminalController } from './controller';
import { BADGE, type Tab } from './tab';

export function TerminalPane(props: {
  tab: Tab;
  visible: boolean;
  controller: TerminalController;
  status: TabStatus | undefined;
  statusText: string;
  error: string | undefined;
  exitText: string | undefined;
  reconnectText: string;
  connectText: string;
  pickMessage: (m: NonNullable<TabStatus['message']>) => string;
}) {
  const { tab, visible, controller, status } = props;
  const host = useRef<HTMLDivElement>(null);
  const started = useRef(false);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    controller.mount(el);
    // A hook for tests and diagnostics: the terminal's text whatever the renderer.
    (el as HTMLDivElement & { readTerminal?: () => string }).readTerminal = () => controller.text();
  }, [controller]);

  useEffect(() => {
    controller.setVisible(visible);
    // Tabs connect when first shown.
    if (visible && !started.current) {
      started.current = true;
      void controller.open(tab.existing);
    }
  }, [visible, controller, tab.existing]);

  const state = status?.state ?? 'idle';
  const canReconnect = state === 'closed' || state === 'reconnecting' || state === 'failed' || state === 'connected';
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', gap: 8 }}>
      <Space>
        <Badge
          status={BADGE[state]}
          text={
            <span data-testid="terminal-state" data-state={state}>
              {props.statusText}
            </span>
          }
        />
        {status?.message && state !== 'connected' && (
          <Typography.Text type="secondary">{props.pickMessage(status.message)}</Typography.Text>
        )}
        {props.exitText && state === 'closed' && <Typography.Text type="secondary">{props.exitText}</Typography.Text>}
        <Button
          size="small"
          icon={<ReloadOutlined />}
          disabled={!canReconnect}
          onClick={() => void (state === 'failed' ? controller.open() : controller.reconnect())}
          data-testid="terminal-reconnect"
        >
          {state === 'failed' ? props.connectText : props.reconnectText}
        </Button>
      </Space>
      {props.error && <Alert type="error" showIcon title={props.error} data-testid="terminal-error" />}
      <div
        ref={host}
        data-testid="terminal-pane"
        data-node={tab.node.id}
        data-tab={tab.key}
        data-state={state}
        style={{ flex: 1, minHeight: 240, background: '#141414', padding: 4, borderRadius: 6, overflow: 'hidden' }}
      />
    </div>
  );
}
