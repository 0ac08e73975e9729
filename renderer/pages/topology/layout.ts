/**
 * Where each box of the topology goes: the load balancer on top, the Harbor nodes in balanced rows
 * below it, the services at the bottom. Pure, so it is tested alone.
 */
import type { TopologyGraph } from '../../../shared/api/contracts/topology';

export const SIZE = {
  lb: { w: 260, h: 112 },
  node: { w: 196, h: 128 },
  service: { w: 230, h: 104 },
  gapX: 28,
  gapY: 84,
} as const;

export const MAX_PER_ROW = 5;

export interface Box {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Layout {
  readonly lb: Box;
  readonly nodes: readonly Box[];
  readonly services: readonly Box[];
  readonly width: number;
  readonly height: number;
}

/** Node ids in the graph use prefixes so a node and a service can never share one. */
export const flowId = {
  lb: 'lb',
  node: (id: string) => `node:${id}`,
  service: (id: string) => `service:${id}`,
} as const;

function row(count: number, w: number, y: number, h: number, ids: readonly string[]): Box[] {
  const width = count * w + (count - 1) * SIZE.gapX;
  return ids.map((id, i) => ({ id, x: -width / 2 + i * (w + SIZE.gapX), y, w, h }));
}

export function layoutTopology(graph: Pick<TopologyGraph, 'nodes' | 'services'>): Layout {
  const n = graph.nodes.length;
  // Rows of at most five, balanced (16 nodes: four rows of four), so the drawing stays near the
  // canvas's shape and fitting it does not shrink the text away.
  const rows = Math.max(1, Math.ceil(n / MAX_PER_ROW));
  const perRow = Math.max(1, Math.ceil(n / rows));
  const lb: Box = { id: flowId.lb, x: -SIZE.lb.w / 2, y: 0, w: SIZE.lb.w, h: SIZE.lb.h };
  const nodes: Box[] = [];
  let y = SIZE.lb.h + SIZE.gapY;
  for (let start = 0; start < n; start += perRow) {
    const ids = graph.nodes.slice(start, start + perRow).map((x) => flowId.node(x.id));
    // A shorter last row is centred like the others.
    nodes.push(...row(ids.length, SIZE.node.w, y, SIZE.node.h, ids));
    y += SIZE.node.h + SIZE.gapY / 2;
  }
  y += SIZE.gapY / 2;
  const services = row(
    graph.services.length,
    SIZE.service.w,
    y,
    SIZE.service.h,
    graph.services.map((s) => flowId.service(s.id)),
  );
  const all = [lb, ...nodes, ...services];
  const minX = Math.min(...all.map((b) => b.x));
  const maxX = Math.max(...all.map((b) => b.x + b.w));
  return { lb, nodes, services, width: maxX - minX, height: y + SIZE.service.h };
}

/** True when no two boxes overlap (what "readable" needs at the least). */
export function overlaps(layout: Layout): boolean {
  const all = [layout.lb, ...layout.nodes, ...layout.services];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return true;
    }
  }
  return false;
}
