/**
 * One terminal's pane: its node's name, state, broadcast mark, reconnect button, error and the xterm.js host element.
 * The host has no padding of its own, so the fit addon's rows and columns are exactly what the pane holds.
 */
import { ReloadOutlined, WifiOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Tag, theme, Tooltip, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { TERMINAL_BACKGROUND, type TabStatus, type TerminalController } from './controller';
import { BADGE, type Tab } from './tab';

export function TerminalPane(props: {
  tab: Tab;
  /** Shown (the active tab, or one of the split panes). */
  visible: boolean;
  /** The terminal keystrokes go to: its pane is outlined when several are shown. */
  focused: boolean;
  /** Several panes are shown side by side. */
  split: boolean;
  /** Broadcast is on and this terminal receives what is typed. */
  receiving: boolean;
  onActivate: () => void;
  controller: TerminalController;
  status: TabStatus | undefined;
  statusText: string;
  error: string | undefined;
  exitText: string | undefined;
  reconnectText: string;
  connectText: string;
  broadcastText: string;
  broadcastHelp: string;
  pickMessage: (m: NonNullable<TabStatus['message']>) => string;
}) {
  const { tab, visible, focused, controller, status } = props;
  const { token } = theme.useToken();
  const host = useRef<HTMLDivElement>(null);
  const started = useRef(false);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    controller.mount(el);
    // Hooks for tests and diagnostics: the terminal's text and selection whatever the renderer (WebGL draws no DOM text).
    Object.assign(el, { readTerminal: () => controller.text(), readSelection: () => controller.term.getSelection() });
  }, [controller]);

  useEffect(() => {
    controller.setVisible(visible);
    // Terminals connect when first shown.
    if (visible && !started.current) {
      started.current = true;
      void controller.open(tab.existing);
    }
  }, [visible, controller, tab.existing]);

  useEffect(() => {
    if (visible && focused) controller.focus();
  }, [visible, focused, controller]);

  const state = status?.state ?? 'idle';
  const reconnectLabel = state === 'failed' ? props.connectText : props.reconnectText;
  const canReconnect = state === 'closed' || state === 'reconnecting' || state === 'failed' || state === 'connected';
  // Broadcast wins over focus: which terminals receive the keystrokes matters more than which one has the caret.
  const frame = props.receiving ? token.colorWarning : props.split && focused ? token.colorPrimary : 'transparent';
  return (
    <div
      data-testid="terminal-frame"
      data-tab={tab.key}
      data-node={tab.node.id}
      data-focused={focused}
      data-receiving={props.receiving}
      // Focus follows a click: the pane clicked (or tabbed into) is where keystrokes go and what the toolbar acts on.
      onMouseDown={props.onActivate}
      onFocus={props.onActivate}
      style={{
        display: visible ? 'flex' : 'none',
        flexDirection: 'column',
        gap: 6,
        minWidth: 0,
        minHeight: 0,
        padding: 4,
        border: `2px solid ${frame}`,
        borderRadius: 8,
      }}
    >
      {/* One line whatever the width, so panes side by side keep the same height (and rows) when one gets a mark. */}
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0, whiteSpace: 'nowrap' }}>
        <Typography.Text strong data-testid="terminal-node-name">
          {tab.node.name}
          {tab.extra ? ' +' : ''}
        </Typography.Text>
        <Badge
          status={BADGE[state]}
          style={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}
          text={
            <span data-testid="terminal-state" data-state={state}>
              {props.statusText}
            </span>
          }
        />
        {props.receiving && (
          <Tooltip title={props.broadcastHelp}>
            <Tag color="warning" icon={<WifiOutlined />} data-testid="terminal-receiving" style={{ marginInlineEnd: 0 }}>
              {props.broadcastText}
            </Tag>
          </Tooltip>
        )}
        <Typography.Text type="secondary" ellipsis style={{ flex: 1, minWidth: 0 }}>
          {status?.message && state !== 'connected' ? props.pickMessage(status.message) : ''}
          {props.exitText && state === 'closed' ? ` ${props.exitText}` : ''}
        </Typography.Text>
        <Tooltip title={props.split ? reconnectLabel : undefined}>
          <Button
            size="small"
            icon={<ReloadOutlined />}
            disabled={!canReconnect}
            onClick={() => void (state === 'failed' ? controller.open() : controller.reconnect())}
            aria-label={reconnectLabel}
            data-testid="terminal-reconnect"
          >
            {/* Side by side, the icon alone (its name in the tooltip) leaves the line room for the node's name. */}
            {props.split ? null : reconnectLabel}
          </Button>
        </Tooltip>
      </div>
      {props.error && <Alert type="error" showIcon title={props.error} data-testid="terminal-error" />}
      <div
        style={{
          flex: 1,
          minHeight: 0,
          display: 'flex',
          flexDirection: 'column',
          background: TERMINAL_BACKGROUND,
          padding: 4,
          borderRadius: 6,
        }}
      >
        <div
          ref={host}
          className="terminal-host"
          data-testid="terminal-pane"
          data-node={tab.node.id}
          data-tab={tab.key}
          data-state={state}
          style={{ flex: 1, minHeight: 0, overflow: 'hidden' }}
        />
      </div>
    </div>
  );
}
