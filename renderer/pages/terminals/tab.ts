/** A tab of the Terminals page: which node it is a shell on, and how its state shows. */
import type { TerminalCharset, TerminalSessionInfo } from '../../../shared/api/contracts/terminal';
import type { TabStatus } from './controller';

export interface NodeRef {
  readonly id: string;
  readonly name: string;
}

export interface Tab {
  readonly key: string;
  readonly node: NodeRef;
  readonly extra: boolean;
  readonly charset: TerminalCharset;
  /** A session of the core to re-attach to instead of opening one. */
  readonly existing?: TerminalSessionInfo;
}

export const BADGE: Record<TabStatus['state'], 'success' | 'processing' | 'warning' | 'error' | 'default'> = {
  idle: 'default',
  connecting: 'processing',
  connected: 'success',
  reconnecting: 'warning',
  closed: 'default',
  failed: 'error',
};

/** How a tab is named: its node, and a "+" for an extra shell on it. */
export const tabTitle = (tab: Tab): string => `${tab.node.name}${tab.extra ? ' +' : ''}`;
