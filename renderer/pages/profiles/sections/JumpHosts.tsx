import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row } from 'antd';
import { useI18n } from '../../../i18n';
import { addJumpHost, MAX_JUMP_HOSTS, removeLastJumpHost, setJumpAuthKind } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { NumberField, TextField } from '../fields';
import { AuthFields } from './AuthFields';
import { half } from './layout';

/** The hops in front of a node (ProxyJump style), first to last; added and removed at the end. */
export function JumpHosts({ index }: { index: number }) {
  const { t } = useI18n();
  const { update } = useEditor();
  const kinds = useDraft((d) => (d.nodes[index]?.jumpHosts ?? []).map((j) => j.auth.kind).join(' '));
  const hops = kinds ? kinds.split(' ') : [];
  const p = (k: number, ...rest: string[]) => ['nodes', index, 'jumpHosts', k, ...rest];
  return (
    <div data-testid={`node-${index}-jumps`}>
      {hops.map((kind, k) => (
        <Card
          key={k}
          size="small"
          type="inner"
          style={{ marginBottom: 8 }}
          title={t('editor.jump.title', { n: k + 1 })}
          data-testid={`node-${index}-jump-${k}`}
          extra={
            k === hops.length - 1 && (
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                onClick={() => update((d) => removeLastJumpHost(d, index))}
                data-testid={`node-${index}-jump-remove`}
              >
                {t('editor.node.remove')}
              </Button>
            )
          }
        >
          <Row gutter={16}>
            <Col {...half}>
              <TextField path={p(k, 'host')} placeholder="bastion.example.com" />
            </Col>
            <Col xs={12} md={6}>
              <NumberField path={p(k, 'port')} min={1} max={65535} />
            </Col>
            <Col xs={12} md={6}>
              <TextField path={p(k, 'user')} />
            </Col>
            <AuthFields login={p(k)} kind={kind} onSelect={(v) => update((d) => setJumpAuthKind(d, index, k, v))} />
            <Col {...half}>
              <TextField path={p(k, 'hostKeyFingerprint')} optional placeholder="SHA256:…" />
            </Col>
          </Row>
        </Card>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={hops.length >= MAX_JUMP_HOSTS}
        onClick={() => update((d) => addJumpHost(d, index))}
        data-testid={`node-${index}-jump-add`}
        title={t('editor.jump.help')}
      >
        {t('editor.jump.add')}
      </Button>
    </div>
  );
}
