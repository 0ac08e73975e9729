/**
 * Line diffs for previews: what a file on a node looks like now and after the step, as a unified
 * diff. Myers' O(ND) algorithm; pure, so the UI can render hunks too.
 */
export type DiffLine = { readonly kind: ' ' | '-' | '+'; readonly text: string };

/** The shortest edit script from `a` to `b`, as lines kept, removed and added. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the trace to recover the script.
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ kind: ' ', text: a[x - 1]! });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) out.push({ kind: '+', text: b[y - 1]! });
    else out.push({ kind: '-', text: a[x - 1]! });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    out.push({ kind: ' ', text: a[x - 1]! });
    x--;
    y--;
  }
  return out.reverse();
}

const splitLines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** A unified diff with `context` lines around each change; empty when the texts are equal. */
export function unifiedDiff(before: string | null, after: string, path: string, context = 3): string {
  if (before === after) return '';
  const a = before === null ? [] : splitLines(before);
  const b = splitLines(after);
  const lines = diffLines(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.kind === ' ') i++;
    if (i >= lines.length) break;
    let start = Math.max(0, i - context);
    let end = i;
    // Extend while changes are within 2*context of each other.
    for (let j = i; j < lines.length; j++) {
      if (lines[j]!.kind !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    end = Math.min(lines.length - 1, end + context);
    let aStart = 0;
    let bStart = 0;
    for (let j = 0; j < start; j++) {
      if (lines[j]!.kind !== '+') aStart++;
      if (lines[j]!.kind !== '-') bStart++;
    }
    const chunk = lines.slice(start, end + 1);
    const aLen = chunk.filter((l) => l.kind !== '+').length;
    const bLen = chunk.filter((l) => l.kind !== '-').length;
    hunks.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const l of chunk) hunks.push(`${l.kind}${l.text}`);
    i = end + 1;
    start = i;
  }
  return [`--- ${before === null ? '/dev/null' : `a${path}`}`, `+++ b${path}`, ...hunks].join('\n') + '\n';
}
