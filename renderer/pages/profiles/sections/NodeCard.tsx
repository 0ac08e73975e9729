import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Space, Tag } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../../i18n';
import { moveNode, removeNode, setNodeAuthKind } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { NodeTest } from '../NodeTest';
import { NumberField, TextField } from '../fields';
import { AuthFields } from './AuthFields';
import { JumpHosts } from './JumpHosts';
import { half } from './layout';

export const NodeCard = memo(function NodeCard({ index, count }: { index: number; count: number }) {
  const { t } = useI18n();
  const { update } = useEditor();
  const node = { id: useDraft((d) => d.nodes[index]?.id ?? ''), auth: { kind: useDraft((d) => d.nodes[index]?.auth.kind) } };
  const p = (...rest: string[]) => ['nodes', index, ...rest];
  return (
    <Card
      size="small"
      data-testid={`node-${index}`}
      data-node-id={node.id}
      title={
        <Space>
          {t('editor.node', { n: index + 1 })}
          <Tag>{node.id}</Tag>
        </Space>
      }
      style={{ marginBottom: 12 }}
      extra={
        <Space>
          <Button
            size="small"
            icon={<ArrowUpOutlined />}
            disabled={index === 0}
            onClick={() => update((d) => moveNode(d, index, -1))}
            title={t('editor.node.up')}
            data-testid={`node-${index}-up`}
          />
          <Button
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={index === count - 1}
            onClick={() => update((d) => moveNode(d, index, 1))}
            title={t('editor.node.down')}
            data-testid={`node-${index}-down`}
          />
          <Button
            size="small"
            danger
            icon={<DeleteOutlined />}
            disabled={count === 1}
            onClick={() => update((d) => removeNode(d, index))}
            data-testid={`node-${index}-remove`}
          >
            {t('editor.node.remove')}
          </Button>
        </Space>
      }
    >
      <Row gutter={16}>
        <Col {...half}>
          <TextField path={p('host')} placeholder="192.168.10.10" />
        </Col>
        <Col {...half}>
          <TextField path={p('name')} optional />
        </Col>
        <Col xs={12} md={6}>
          <NumberField path={p('port')} min={1} max={65535} />
        </Col>
        <Col xs={12} md={6}>
          <TextField path={p('user')} />
        </Col>
        <AuthFields login={p()} kind={node.auth.kind} onSelect={(k) => update((d) => setNodeAuthKind(d, index, k))} />
        <Col {...half}>
          <TextField path={p('hostKeyFingerprint')} optional placeholder="SHA256:…" />
        </Col>
        <Col {...half}>
          <TextField path={p('privateAddress')} optional />
        </Col>
        <Col span={24} style={{ marginBottom: 12 }}>
          <JumpHosts index={index} />
        </Col>
        <Col span={24}>
          <NodeTest nodeId={node.id} index={index} />
        </Col>
      </Row>
    </Card>
  );
});
