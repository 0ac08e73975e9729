/**
 * The cluster drawn with React Flow: load balancer → Harbor nodes → services. Boxes are coloured by
 * status and edges by reachability; every box and edge carries its state in data-* attributes
 * (what the browser tests read). Clicking a node opens its terminal; clicking anything else opens
 * its details.
 */
import {
  Background,
  BaseEdge,
  Controls,
  getBezierPath,
  Handle,
  Position,
  ReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { CloudServerOutlined, DatabaseOutlined, GlobalOutlined, InfoCircleOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Button, Tooltip, theme as antdTheme } from 'antd';
import { memo, useMemo, type ReactNode } from 'react';
import type { Check, Health, NodeHealth, ServiceHealth, TopologyGraph, TopologySnapshot } from '../../../shared/api/contracts/topology';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { flowId, layoutTopology } from './layout';

export const STATUS_TEXT: Record<Health, MessageKey> = {
  ok: 'topo.legend.ok',
  warn: 'topo.legend.warn',
  fail: 'topo.legend.fail',
  unknown: 'topo.legend.unknown',
};

export type Selection = { kind: 'lb' } | { kind: 'node'; id: string } | { kind: 'service'; id: string };

export interface StatusColors {
  readonly ok: string;
  readonly warn: string;
  readonly fail: string;
  readonly unknown: string;
}

export function useStatusColors(): StatusColors {
  const { token } = antdTheme.useToken();
  return { ok: token.colorSuccess, warn: token.colorWarning, fail: token.colorError, unknown: token.colorTextQuaternary };
}

/** Dark when the container background is dark: React Flow follows antd's algorithm. */
export function useIsDark(): boolean {
  const { token } = antdTheme.useToken();
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(token.colorBgContainer);
  if (!m) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h!, 16));
  return 0.299 * r! + 0.587 * g! + 0.114 * b! < 128;
}

interface BoxData extends Record<string, unknown> {
  readonly title: string;
  readonly subtitle: string;
  readonly lines: readonly string[];
  readonly status: Health;
  readonly checking: boolean;
  readonly checkedAt?: string;
  readonly testId: string;
  readonly attrs: Record<string, string>;
  readonly icon: 'lb' | 'node' | 'db' | 'redis' | 'oss';
  readonly hint: string;
  readonly colors: StatusColors;
  readonly timeText?: string;
  readonly onDetails?: () => void;
  readonly detailsLabel?: string;
  readonly hasTarget: boolean;
  readonly hasSource: boolean;
}

type BoxNode = Node<BoxData, 'box'>;

const ICON: Record<BoxData['icon'], ReactNode> = {
  lb: <GlobalOutlined />,
  node: <CloudServerOutlined />,
  db: <DatabaseOutlined />,
  redis: <ThunderboltOutlined />,
  oss: <DatabaseOutlined />,
};

const HIDDEN_HANDLE = { opacity: 0, pointerEvents: 'none' as const, width: 1, height: 1, minWidth: 0, minHeight: 0, border: 0 };

const BoxView = memo(function BoxView({ data, width, height }: NodeProps<BoxNode>) {
  const { token } = antdTheme.useToken();
  const color = data.colors[data.status];
  return (
    <Tooltip title={data.hint} mouseEnterDelay={0.6}>
      <div
        data-testid={data.testId}
        data-status={data.status}
        data-checking={data.checking ? 'true' : 'false'}
        data-checked-at={data.checkedAt ?? ''}
        {...data.attrs}
        style={{
          width,
          height,
          boxSizing: 'border-box',
          background: token.colorBgContainer,
          color: token.colorText,
          border: `2px solid ${color}`,
          borderRadius: 8,
          padding: '8px 10px',
          cursor: 'pointer',
          boxShadow: token.boxShadowTertiary,
          overflow: 'hidden',
          display: 'flex',
          flexDirection: 'column',
          gap: 2,
          fontSize: 12,
          lineHeight: '16px',
        }}
      >
        {data.hasTarget && <Handle type="target" position={Position.Top} style={HIDDEN_HANDLE} isConnectable={false} />}
        <div style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 13, fontWeight: 600, flex: 'none' }}>
          <span style={{ color }}>{ICON[data.icon]}</span>
          <span style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{data.title}</span>
          <span
            aria-hidden
            style={{
              width: 10,
              height: 10,
              borderRadius: 5,
              background: color,
              flex: 'none',
              animation: data.checking ? 'topo-pulse 1s ease-in-out infinite' : undefined,
            }}
          />
          {data.onDetails && (
            <Button
              size="small"
              type="text"
              icon={<InfoCircleOutlined />}
              aria-label={data.detailsLabel}
              data-testid="topology-node-details"
              onClick={(e) => {
                e.stopPropagation();
                data.onDetails?.();
              }}
              style={{ width: 20, height: 20, minWidth: 20 }}
            />
          )}
        </div>
        <div style={{ color: token.colorTextSecondary, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', flex: 'none' }}>
          {data.subtitle}
        </div>
        {data.lines.filter(Boolean).map((l, i) => (
          <div key={i} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', flex: 'none' }}>
            {l}
          </div>
        ))}
        {data.timeText && (
          <div style={{ marginTop: 'auto', color: token.colorTextTertiary, fontSize: 11, flex: 'none' }}>{data.timeText}</div>
        )}
        {data.hasSource && <Handle type="source" position={Position.Bottom} style={HIDDEN_HANDLE} isConnectable={false} />}
      </div>
    </Tooltip>
  );
});

interface EdgeData extends Record<string, unknown> {
  readonly status: Health;
  readonly color: string;
  readonly title: string;
  readonly checkedAt?: string;
}

type HealthEdgeType = Edge<EdgeData, 'health'>;

function HealthEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data }: EdgeProps<HealthEdgeType>) {
  const [path] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const status = data?.status ?? 'unknown';
  return (
    <g data-testid="topology-edge" data-edge={id} data-status={status} data-checked-at={data?.checkedAt ?? ''}>
      <title>{data?.title}</title>
      <BaseEdge
        id={id}
        path={path}
        style={{
          stroke: data?.color,
          strokeWidth: status === 'fail' ? 2.5 : 1.5,
          strokeDasharray: status === 'unknown' ? '4 4' : status === 'fail' ? '6 3' : undefined,
        }}
      />
    </g>
  );
}

const nodeTypes = { box: BoxView };
const edgeTypes = { health: HealthEdge };

const SERVICE_ICON: Record<string, BoxData['icon']> = { mysql: 'db', postgresql: 'db', redis: 'redis', oss: 'oss' };

export function TopologyCanvas({
  graph,
  snapshot,
  onOpenNode,
  onSelect,
}: {
  graph: TopologyGraph;
  snapshot: TopologySnapshot | null;
  onOpenNode: (nodeId: string) => void;
  onSelect: (s: Selection) => void;
}) {
  const { t, pick, locale } = useI18n();
  const colors = useStatusColors();
  const dark = useIsDark();
  const layout = useMemo(() => layoutTopology(graph), [graph]);

  const { nodes, edges } = useMemo(() => {
    const time = (at: string | undefined) => (at ? t('topo.checkedAt', { time: new Date(at).toLocaleTimeString(locale) }) : undefined);
    const nodeHealth = new Map<string, NodeHealth>((snapshot?.nodes ?? []).map((n) => [n.nodeId, n]));
    const serviceHealth = new Map<string, ServiceHealth>((snapshot?.services ?? []).map((s) => [s.id, s]));
    const lbStatus: Health = snapshot?.lb.status ?? 'unknown';
    const flowNodes: BoxNode[] = [];
    const flowEdges: HealthEdgeType[] = [];
    const problemText = (c: Check | undefined) => (c?.error ? pick(c.error) : (c?.detail ?? ''));

    const lbBox = layout.lb;
    flowNodes.push({
      id: lbBox.id,
      type: 'box',
      position: { x: lbBox.x, y: lbBox.y },
      width: lbBox.w,
      height: lbBox.h,
      data: {
        title: `${t('topo.lb')}: ${graph.lb.title}`,
        subtitle: graph.lb.url,
        lines: [
          graph.lb.address ?? t('topo.lb.direct', { domain: graph.domain }),
          snapshot?.lb.checkedAt ? t('topo.node.harbor', { status: t(STATUS_TEXT[snapshot.lb.harbor.status]) }) : '',
        ],
        status: lbStatus,
        checking: !!snapshot?.sweep.running && !snapshot.lb.checkedAt,
        ...(snapshot?.lb.checkedAt ? { checkedAt: snapshot.lb.checkedAt } : {}),
        testId: 'topology-lb',
        attrs: {},
        icon: 'lb',
        hint: problemText(snapshot?.lb.harbor) || t('topo.service.click'),
        colors,
        ...(time(snapshot?.lb.checkedAt) ? { timeText: time(snapshot?.lb.checkedAt)! } : {}),
        hasTarget: false,
        hasSource: true,
      },
    });

    graph.nodes.forEach((n, i) => {
      const box = layout.nodes[i]!;
      const h = nodeHealth.get(n.id);
      const status: Health = h?.status ?? 'unknown';
      const lines: string[] = [];
      if (h?.ssh.status === 'fail') lines.push(t('topo.node.unreachable'));
      else if (h && h.ssh.status === 'ok') {
        lines.push(t('topo.node.harbor', { status: t(STATUS_TEXT[h.harbor.status]) }));
        const list = h.containers.list;
        if (list) lines.push(t('topo.node.containers', { running: list.filter((c) => c.state === 'running').length, total: list.length }));
        // The fuller of the two watched file systems.
        const d = [...(h.disks.list ?? [])].sort((a, b) => b.usedPercent - a.usedPercent)[0];
        if (d) lines.push(t('topo.node.disk', { path: d.path, used: d.usedPercent }));
      } else if (h?.checking) lines.push(t('topo.node.checking'));
      flowNodes.push({
        id: box.id,
        type: 'box',
        position: { x: box.x, y: box.y },
        width: box.w,
        height: box.h,
        data: {
          title: n.name,
          subtitle: n.host,
          lines,
          status,
          checking: !!h?.checking,
          ...(h?.checkedAt ? { checkedAt: h.checkedAt } : {}),
          testId: 'topology-node',
          attrs: { 'data-node': n.id },
          icon: 'node',
          hint: `${h?.ssh.error ? `${pick(h.ssh.error)} ` : ''}${t('topo.node.open')}`,
          colors,
          ...(time(h?.checkedAt) ? { timeText: time(h?.checkedAt)! } : {}),
          onDetails: () => onSelect({ kind: 'node', id: n.id }),
          detailsLabel: t('topo.node.details'),
          hasTarget: true,
          hasSource: true,
        },
      });
      // The load balancer's edge shows whether the node serves Harbor (what the LB forwards to).
      const served: Health = h ? (h.ssh.status === 'fail' ? 'fail' : h.harbor.status) : 'unknown';
      flowEdges.push({
        id: `lb-${n.id}`,
        source: flowId.lb,
        target: box.id,
        type: 'health',
        data: {
          status: served,
          color: colors[served],
          title: `${graph.lb.title} → ${n.name}: ${problemText(h?.harbor) || served}`,
          ...(h?.harbor.checkedAt ? { checkedAt: h.harbor.checkedAt } : {}),
        },
      });
      for (const s of graph.services) {
        const c = h?.reach[s.id];
        const st: Health = c?.status ?? 'unknown';
        flowEdges.push({
          id: `${n.id}-${s.id}`,
          source: box.id,
          target: flowId.service(s.id),
          type: 'health',
          data: {
            status: st,
            color: colors[st],
            title: `${n.name} → ${s.endpoint}: ${problemText(c) || st}`,
            ...(c?.checkedAt ? { checkedAt: c.checkedAt } : {}),
          },
        });
      }
    });

    graph.services.forEach((s, i) => {
      const box = layout.services[i]!;
      const h = serviceHealth.get(s.id);
      const status: Health = h?.status ?? 'unknown';
      flowNodes.push({
        id: box.id,
        type: 'box',
        position: { x: box.x, y: box.y },
        width: box.w,
        height: box.h,
        data: {
          title: pick(s.title),
          subtitle: s.endpoint,
          lines: [h?.summary ? pick(h.summary) : ''],
          status,
          checking: !!snapshot?.sweep.running,
          ...(h?.checkedAt ? { checkedAt: h.checkedAt } : {}),
          testId: 'topology-service',
          attrs: { 'data-service': s.id },
          icon: SERVICE_ICON[s.kind] ?? 'db',
          hint: t('topo.service.click'),
          colors,
          ...(time(h?.checkedAt) ? { timeText: time(h?.checkedAt)! } : {}),
          hasTarget: true,
          hasSource: false,
        },
      });
    });
    // The handles' places are known from the layout: given up front, edges are drawn at once instead of
    // waiting for React Flow to measure every box (which a busy page may not finish before it re-renders).
    for (const n of flowNodes) {
      const w = n.width ?? 0;
      const h = n.height ?? 0;
      n.handles = [
        ...(n.data.hasTarget ? [{ type: 'target' as const, position: Position.Top, x: w / 2, y: 0, width: 1, height: 1 }] : []),
        ...(n.data.hasSource ? [{ type: 'source' as const, position: Position.Bottom, x: w / 2, y: h, width: 1, height: 1 }] : []),
      ];
    }
    return { nodes: flowNodes, edges: flowEdges };
  }, [graph, snapshot, layout, colors, t, pick, locale, onSelect]);

  return (
    <ReactFlow<BoxNode, HealthEdgeType>
      key={`${graph.profileId}:${graph.nodes.length}:${graph.services.length}`}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      colorMode={dark ? 'dark' : 'light'}
      fitView
      fitViewOptions={{ padding: 0.08 }}
      minZoom={0.2}
      maxZoom={1.6}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      proOptions={{ hideAttribution: true }}
      onNodeClick={(_e, node) => {
        if (node.id === flowId.lb) onSelect({ kind: 'lb' });
        else if (node.id.startsWith('node:')) onOpenNode(node.id.slice(5));
        else if (node.id.startsWith('service:')) onSelect({ kind: 'service', id: node.id.slice(8) });
      }}
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
