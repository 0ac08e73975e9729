/** The editor's sections: each lays out fields bound to the draft; no rules live here. */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Space, Tag } from 'antd';
import { memo } from 'react';
import type { Advice } from '../../../shared/profile/rules';
import { useI18n } from '../../i18n';
import {
  addJumpHost,
  addNode,
  MAX_JUMP_HOSTS,
  moveNode,
  removeLastJumpHost,
  removeNode,
  setClair,
  setInstallerKind,
  setLoadBalancerKind,
  setJumpAuthKind,
  setNodeAuthKind,
  setRedisAuth,
} from './draft';
import { useDraft, useEditor } from './EditorContext';
import { NodeTest } from './NodeTest';
import { Field, NumberField, SecretPathField, SelectField, SwitchField, TextField } from './fields';
import { Section } from './Section';

type SectionProps = { advice: readonly Advice[] };
const half = { xs: 24, md: 12 } as const;

export const GeneralSection = memo(function GeneralSection({ advice }: SectionProps) {
  return (
    <Section id="general" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <TextField path={['name']} />
        </Col>
        <Col {...half}>
          <TextField path={['description']} />
        </Col>
      </Row>
    </Section>
  );
});

export const HarborSection = memo(function HarborSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const generation = useDraft((d) => d.harbor.generation);
  const inst = { kind: useDraft((d) => d.harbor.installer.kind) };
  return (
    <Section id="harbor" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <Field path="harbor.generation">
            <Tag data-testid="harbor-generation">{generation === 'v2' ? t('profiles.gen.v2') : t('profiles.gen.v1')}</Tag>
          </Field>
        </Col>
        <Col {...half}>
          <TextField path={['harbor', 'version']} />
        </Col>
        <Col {...half}>
          <SelectField
            path={['harbor', 'installer', 'kind']}
            also={['harbor.installer']}
            options={[
              { value: 'local', label: t('f.installer.local') },
              { value: 'url', label: t('f.installer.url') },
              { value: 'oss', label: t('f.installer.oss') },
            ]}
            onSelect={(k) => update((d) => setInstallerKind(d, k))}
          />
        </Col>
        <Col {...half}>
          {inst.kind === 'local' && (
            <TextField path={['harbor', 'installer', 'path']} placeholder="/home/me/harbor-offline-installer-v2.15.2.tgz" />
          )}
          {inst.kind === 'url' && <TextField path={['harbor', 'installer', 'url']} />}
          {inst.kind === 'oss' && <TextField path={['harbor', 'installer', 'object']} />}
        </Col>
        {inst.kind === 'oss' && (
          <Col {...half}>
            <TextField path={['harbor', 'installer', 'bucket']} optional />
          </Col>
        )}
        {inst.kind !== 'local' && (
          <Col {...half}>
            <TextField path={['harbor', 'installer', 'sha256']} optional />
          </Col>
        )}
        <Col {...half}>
          <SecretPathField path={['harbor', 'adminPassword']} />
        </Col>
      </Row>
    </Section>
  );
});

/** The hops in front of a node (ProxyJump style), first to last; added and removed at the end. */
function JumpHosts({ index }: { index: number }) {
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
            <Col {...half}>
              <SelectField
                path={p(k, 'auth', 'kind')}
                options={[
                  { value: 'password', label: t('f.auth.password') },
                  { value: 'key', label: t('f.auth.key') },
                  { value: 'agent', label: t('f.auth.agent') },
                ]}
                onSelect={(v) => update((d) => setJumpAuthKind(d, index, k, v))}
              />
            </Col>
            {kind === 'password' && (
              <Col {...half}>
                <SecretPathField path={p(k, 'auth', 'password')} />
              </Col>
            )}
            {kind === 'key' && (
              <>
                <Col {...half}>
                  <TextField path={p(k, 'auth', 'keyPath')} placeholder="~/.ssh/id_ed25519" />
                </Col>
                <Col {...half}>
                  <SecretPathField path={p(k, 'auth', 'passphrase')} />
                </Col>
              </>
            )}
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

const NodeCard = memo(function NodeCard({ index, count }: { index: number; count: number }) {
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
        <Col {...half}>
          <SelectField
            path={p('auth', 'kind')}
            options={[
              { value: 'password', label: t('f.auth.password') },
              { value: 'key', label: t('f.auth.key') },
              { value: 'agent', label: t('f.auth.agent') },
            ]}
            onSelect={(k) => update((d) => setNodeAuthKind(d, index, k))}
          />
        </Col>
        {node.auth.kind === 'password' && (
          <Col {...half}>
            <SecretPathField path={p('auth', 'password')} />
          </Col>
        )}
        {node.auth.kind === 'key' && (
          <>
            <Col {...half}>
              <TextField path={p('auth', 'keyPath')} placeholder="~/.ssh/id_ed25519" />
            </Col>
            <Col {...half}>
              <SecretPathField path={p('auth', 'passphrase')} />
            </Col>
          </>
        )}
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

export const NodesSection = memo(function NodesSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update, issues } = useEditor();
  const ids = useDraft((d) => d.nodes.map((n) => n.id).join(' '));
  const nodeIds = ids ? ids.split(' ') : [];
  const listIssue = issues.get('nodes');
  return (
    <Section
      id="nodes"
      advice={advice}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => update(addNode)} disabled={nodeIds.length >= 16} data-testid="node-add">
          {t('editor.node.add')}
        </Button>
      }
    >
      {listIssue && (
        <Field path="nodes" label="editor.section.nodes">
          <span />
        </Field>
      )}
      {nodeIds.map((id, i) => (
        <NodeCard key={id} index={i} count={nodeIds.length} />
      ))}
    </Section>
  );
});

export const LoadBalancerSection = memo(function LoadBalancerSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const lb = { kind: useDraft((d) => d.loadBalancer.kind) };
  return (
    <Section id="loadBalancer" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <SelectField
            path={['loadBalancer', 'kind']}
            options={[
              { value: 'aliyun-slb', label: t('f.lb.aliyun') },
              { value: 'self-hosted', label: t('f.lb.self') },
            ]}
            onSelect={(k) => update((d) => setLoadBalancerKind(d, k))}
          />
        </Col>
        {lb.kind === 'aliyun-slb' ? (
          <>
            <Col {...half}>
              <SelectField
                path={['loadBalancer', 'listener']}
                options={[
                  { value: 'tcp', label: 'TCP' },
                  { value: 'http', label: 'HTTP / HTTPS' },
                ]}
              />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'slbId']} optional placeholder="lb-2zeabc123" />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'publicAddress']} optional />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'privateAddress']} optional />
            </Col>
          </>
        ) : (
          <>
            <Col {...half}>
              <TextField path={['loadBalancer', 'address']} />
            </Col>
            <Col {...half}>
              <SelectField
                path={['loadBalancer', 'software']}
                options={(['haproxy', 'nginx', 'keepalived', 'other'] as const).map((v) => ({ value: v, label: v }))}
              />
            </Col>
          </>
        )}
      </Row>
    </Section>
  );
});

export const AccessSection = memo(function AccessSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const https = useDraft((d) => d.access.protocol) === 'https';
  const onNodes = (useDraft((d) => d.access.tlsTermination) ?? 'nodes') === 'nodes';
  return (
    <Section id="access" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <TextField path={['access', 'domain']} placeholder="registry.example.com" />
        </Col>
        <Col xs={12} md={6}>
          <SelectField
            path={['access', 'protocol']}
            options={[
              { value: 'https', label: 'HTTPS' },
              { value: 'http', label: 'HTTP' },
            ]}
          />
        </Col>
        {https && (
          <Col xs={12} md={6}>
            <SelectField
              path={['access', 'tlsTermination']}
              options={[
                { value: 'nodes', label: t('f.tls.nodes') },
                { value: 'lb', label: t('f.tls.lb') },
              ]}
            />
          </Col>
        )}
        {https && (
          <Col {...half}>
            <TextField path={['access', 'certificate']} optional multiline placeholder="-----BEGIN CERTIFICATE-----" />
          </Col>
        )}
        {https && onNodes && (
          <Col {...half}>
            <SecretPathField path={['access', 'privateKey']} />
          </Col>
        )}
      </Row>
    </Section>
  );
});

export const DatabaseSection = memo(function DatabaseSection({ advice }: SectionProps) {
  const pg = useDraft((d) => d.database.engine) === 'postgresql';
  return (
    <Section id="database" advice={advice}>
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Field path="database.engine">
            <Tag data-testid="database-engine">{pg ? 'PostgreSQL' : 'MySQL'}</Tag>
          </Field>
        </Col>
        <Col xs={24} md={12}>
          <TextField path={['database', 'host']} />
        </Col>
        <Col xs={24} md={6}>
          <NumberField path={['database', 'port']} min={1} max={65535} />
        </Col>
        <Col {...half}>
          <TextField path={['database', 'admin', 'user']} />
        </Col>
        <Col {...half}>
          <SecretPathField path={['database', 'admin', 'password']} />
        </Col>
        <Col {...half}>
          <TextField path={['database', 'harbor', 'user']} />
        </Col>
        <Col {...half}>
          <SecretPathField path={['database', 'harbor', 'password']} />
        </Col>
        {pg && (
          <>
            <Col {...half}>
              <TextField path={['database', 'harbor', 'database']} />
            </Col>
            <Col {...half}>
              <SelectField
                path={['database', 'harbor', 'sslMode']}
                options={(['disable', 'require', 'verify-ca', 'verify-full'] as const).map((v) => ({ value: v, label: v }))}
              />
            </Col>
          </>
        )}
      </Row>
    </Section>
  );
});

export const ClairSection = memo(function ClairSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const on = useDraft((d) => !!d.clair);
  return (
    <Section
      id="clair"
      advice={advice}
      extra={
        <Button onClick={() => update((d) => setClair(d, !on))} data-testid="clair-toggle">
          {t(on ? 'editor.clair.remove' : 'editor.clair.add')}
        </Button>
      }
    >
      {on && (
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <TextField path={['clair', 'host']} />
          </Col>
          <Col xs={24} md={6}>
            <NumberField path={['clair', 'port']} min={1} max={65535} />
          </Col>
          <Col xs={24} md={6}>
            <TextField path={['clair', 'database']} />
          </Col>
          <Col {...half}>
            <TextField path={['clair', 'user']} />
          </Col>
          <Col {...half}>
            <SecretPathField path={['clair', 'password']} />
          </Col>
        </Row>
      )}
    </Section>
  );
});

export const RedisSection = memo(function RedisSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const auth = useDraft((d) => d.redis.auth) ?? 'password';
  const generation = useDraft((d) => d.harbor.generation);
  return (
    <Section id="redis" advice={advice}>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <TextField path={['redis', 'host']} />
        </Col>
        <Col xs={24} md={6}>
          <NumberField path={['redis', 'port']} min={1} max={65535} />
        </Col>
        <Col xs={24} md={6}>
          <SelectField
            path={['redis', 'auth']}
            options={(['none', 'password', 'account', 'acl'] as const).map((v) => ({ value: v, label: t(`f.redis.auth.${v}`) }))}
            onSelect={(v) => update((d) => setRedisAuth(d, v))}
          />
        </Col>
        {(auth === 'account' || auth === 'acl') && (
          <Col {...half}>
            <TextField path={['redis', 'username']} optional />
          </Col>
        )}
        {auth !== 'none' && (
          <Col {...half}>
            <SecretPathField path={['redis', 'password']} />
          </Col>
        )}
        <Col xs={12} md={8}>
          <NumberField path={['redis', 'dbIndexes', 'registry']} min={0} max={255} />
        </Col>
        <Col xs={12} md={8}>
          <NumberField path={['redis', 'dbIndexes', 'jobservice']} min={0} max={255} />
        </Col>
        {generation === 'v2' && (
          <Col xs={12} md={8}>
            <NumberField path={['redis', 'dbIndexes', 'trivy']} min={0} max={255} />
          </Col>
        )}
      </Row>
    </Section>
  );
});

export const OssSection = memo(function OssSection({ advice }: SectionProps) {
  return (
    <Section id="oss" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <TextField path={['oss', 'region']} placeholder="cn-beijing" />
        </Col>
        <Col {...half}>
          <TextField path={['oss', 'bucket']} />
        </Col>
        <Col {...half}>
          <TextField path={['oss', 'accessKeyId']} />
        </Col>
        <Col {...half}>
          <SecretPathField path={['oss', 'accessKeySecret']} />
        </Col>
        <Col {...half}>
          <TextField path={['oss', 'rootDirectory']} />
        </Col>
        <Col {...half}>
          <TextField path={['oss', 'endpoint']} optional />
        </Col>
        <Col xs={12} md={6}>
          <SwitchField path={['oss', 'internal']} />
        </Col>
        <Col xs={12} md={6}>
          <SwitchField path={['oss', 'redirectDisabled']} />
        </Col>
        <Col xs={12} md={6}>
          <SwitchField path={['oss', 'secure']} />
        </Col>
        <Col xs={12} md={6}>
          <SwitchField path={['oss', 'encrypt']} />
        </Col>
      </Row>
    </Section>
  );
});

export const OptionsSection = memo(function OptionsSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const scanners = useDraft((d) => d.harbor.generation) === 'v2' ? (['trivy', 'none'] as const) : (['clair', 'none'] as const);
  return (
    <Section id="options" advice={advice}>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <SelectField
            path={['options', 'scanner']}
            options={scanners.map((v) => ({ value: v, label: v === 'none' ? t('f.scanner.none') : v === 'trivy' ? 'Trivy' : 'Clair' }))}
          />
        </Col>
        <Col xs={24} md={8}>
          <NumberField path={['options', 'jobWorkers']} min={1} max={100} />
        </Col>
        <Col xs={24} md={8}>
          <TextField path={['options', 'dataVolume']} />
        </Col>
      </Row>
    </Section>
  );
});
