/** How a cell or run status looks: one tag with an icon, the same in the grid, the details and the history. */
import {
  CheckCircleOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  MinusOutlined,
  PauseCircleOutlined,
  StepForwardOutlined,
  StopOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import type { CellStatus, RunState } from '../../../shared/api/contracts/deploy';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

export type ShownStatus = CellStatus | 'none';

const LOOK: Record<ShownStatus, { color: string; icon: ReactNode; label: MessageKey }> = {
  none: { color: 'default', icon: <MinusOutlined />, label: 'walk.status.none' },
  pending: { color: 'default', icon: <ClockCircleOutlined />, label: 'walk.status.pending' },
  running: { color: 'processing', icon: <SyncOutlined spin />, label: 'walk.status.running' },
  succeeded: { color: 'success', icon: <CheckCircleOutlined />, label: 'walk.status.succeeded' },
  unchanged: { color: 'cyan', icon: <CheckOutlined />, label: 'walk.status.unchanged' },
  passed: { color: 'success', icon: <CheckOutlined />, label: 'walk.status.passed' },
  failed: { color: 'error', icon: <CloseCircleOutlined />, label: 'walk.status.failed' },
  skipped: { color: 'default', icon: <StepForwardOutlined />, label: 'walk.status.skipped' },
  blocked: { color: 'warning', icon: <StopOutlined />, label: 'walk.status.blocked' },
  interrupted: { color: 'warning', icon: <PauseCircleOutlined />, label: 'walk.status.interrupted' },
};

export function StatusTag({ status, compact, extra }: { status: ShownStatus; compact?: boolean; extra?: ReactNode }) {
  const { t } = useI18n();
  const look = LOOK[status];
  return (
    <Tag color={look.color} icon={look.icon} style={compact ? { marginInlineEnd: 0 } : undefined}>
      {t(look.label)}
      {extra}
    </Tag>
  );
}

const RUN_LOOK: Record<RunState, { color: string; icon: ReactNode; label: MessageKey }> = {
  running: { color: 'processing', icon: <SyncOutlined spin />, label: 'walk.run.state.running' },
  finished: { color: 'success', icon: <CheckCircleOutlined />, label: 'walk.run.state.finished' },
  failed: { color: 'error', icon: <CloseCircleOutlined />, label: 'walk.run.state.failed' },
  interrupted: { color: 'warning', icon: <PauseCircleOutlined />, label: 'walk.run.state.interrupted' },
};

export function RunStateTag({ state, testId }: { state: RunState; testId?: string }) {
  const { t } = useI18n();
  const look = RUN_LOOK[state];
  return (
    <Tag color={look.color} icon={look.icon} data-testid={testId} data-state={state}>
      {t(look.label)}
    </Tag>
  );
}
