/**
 * Many files' lines → one list by time, and the filters of the Logs view. The merge is k-way over lists each already
 * in time order (a file is written in order; each is stable-sorted first in case syslog delivered a line late), and
 * stable: equal times keep the order of the lists given, and within a list their order in the file.
 */
import type { LogFilter, LogLine } from '../../../shared/api/contracts/logs';

export function mergeByTime<T extends { readonly time: number }>(lists: readonly (readonly T[])[]): T[] {
  const sorted = lists.map((l) => (isSorted(l) ? l : [...l].sort((a, b) => a.time - b.time)));
  const out: T[] = [];
  // A binary heap of [list, position], ordered by (time, list): list order breaks ties, which makes it stable.
  const heap: [number, number][] = [];
  const less = (a: [number, number], b: [number, number]) => {
    const ta = sorted[a[0]]![a[1]]!.time;
    const tb = sorted[b[0]]![b[1]]!.time;
    return ta < tb || (ta === tb && a[0] < b[0]);
  };
  const push = (e: [number, number]) => {
    heap.push(e);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  sorted.forEach((l, k) => l.length > 0 && push([k, 0]));
  while (heap.length > 0) {
    const [k, i] = pop();
    out.push(sorted[k]![i]!);
    if (i + 1 < sorted[k]!.length) push([k, i + 1]);
  }
  return out;
}

function isSorted(l: readonly { readonly time: number }[]): boolean {
  for (let i = 1; i < l.length; i++) if (l[i]!.time < l[i - 1]!.time) return false;
  return true;
}

/** The filter as one predicate (nodes, components, levels, text, time range). */
export function lineFilter(f: LogFilter): (line: LogLine) => boolean {
  const nodes = f.nodeIds?.length ? new Set(f.nodeIds) : null;
  const components = f.components?.length ? new Set(f.components) : null;
  const levels = f.levels?.length ? new Set<string | null>(f.levels) : null;
  const text = f.text?.toLowerCase() || null;
  return (l) =>
    (!nodes || nodes.has(l.node)) &&
    (!components || components.has(l.component)) &&
    (!levels || levels.has(l.level)) &&
    (f.from === undefined || l.time >= f.from) &&
    (f.to === undefined || l.time <= f.to) &&
    (!text || l.text.toLowerCase().includes(text));
}
