/** The saved profiles in a table, each with its actions. */
import { Button, Space, Table, Tag, Tooltip } from 'antd';
import type { ProfileSummary } from '../../../shared/api/types';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

export type RowAction = 'open' | 'walkthrough' | 'topology' | 'clone' | 'rename' | 'export' | 'delete';

const DEPLOY_COLOR: Record<string, string> = { succeeded: 'green', failed: 'red', running: 'blue', cancelled: 'default' };

export function ProfileList({
  profiles,
  onAction,
}: {
  profiles: readonly ProfileSummary[];
  onAction: (action: RowAction, p: ProfileSummary) => void;
}) {
  const { t, locale } = useI18n();
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Table<ProfileSummary>
      data-testid="profile-list"
      rowKey="id"
      dataSource={[...profiles]}
      pagination={false}
      onRow={(p) => ({ 'data-testid': 'profile-row', 'data-name': p.name, 'data-id': p.id }) as object}
      columns={[
        {
          title: t('profiles.col.name'),
          dataIndex: 'name',
          render: (_, p) => (
            <Button type="link" style={{ padding: 0 }} onClick={() => onAction('open', p)} data-testid="row-name">
              {p.name}
            </Button>
          ),
        },
        { title: t('profiles.col.harbor'), render: (_, p) => <Tag color={p.generation === 'v2' ? 'geekblue' : 'gold'}>{p.version}</Tag> },
        { title: t('profiles.col.domain'), dataIndex: 'domain' },
        { title: t('profiles.col.nodes'), dataIndex: 'nodeCount', align: 'right' },
        {
          title: t('profiles.col.deploy'),
          render: (_, p) => {
            const status = p.lastDeploy?.status ?? 'never';
            const tag = (
              <Tag color={DEPLOY_COLOR[status]} data-testid="row-deploy" data-status={status}>
                {t(`profiles.deploy.${status}` as MessageKey)}
              </Tag>
            );
            return p.lastDeploy ? <Tooltip title={time.format(new Date(p.lastDeploy.at))}>{tag}</Tooltip> : tag;
          },
        },
        { title: t('profiles.col.updated'), render: (_, p) => time.format(new Date(p.updatedAt)) },
        {
          title: t('profiles.col.actions'),
          render: (_, p) => (
            <Space size={0} wrap>
              {(['open', 'walkthrough', 'topology', 'clone', 'rename', 'export', 'delete'] as const).map((a) => (
                <Button key={a} type="link" size="small" danger={a === 'delete'} onClick={() => onAction(a, p)} data-testid={`row-${a}`}>
                  {t(`profiles.action.${a}`)}
                </Button>
              ))}
            </Space>
          ),
        },
      ]}
    />
  );
}
