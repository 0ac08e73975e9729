/**
 * Benchmarks report ratios against a reference measured in the same run, never absolute timings
 * in assertions. Each benchmark module under bench/ default-exports a `Benchmark`.
 */
export interface Figure {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

export interface BenchResult {
  /** What was measured and against which reference. */
  readonly figures: readonly Figure[];
  /** Our figure divided by the reference's (or the reverse, as `ratioLabel` says). */
  readonly ratio: number;
  readonly ratioLabel: string;
  /** The goal the issue sets, e.g. ">= 1.2". */
  readonly goal: string;
  readonly met: boolean;
  readonly notes?: readonly string[];
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(): Promise<BenchResult>;
}

export function formatResult(name: string, r: BenchResult): string {
  const lines = [
    `## ${name}`,
    ...r.figures.map((f) => `  ${f.label}: ${Number.isInteger(f.value) ? f.value : f.value.toFixed(2)} ${f.unit}`),
  ];
  lines.push(`  ${r.ratioLabel}: ${r.ratio.toFixed(3)} (goal ${r.goal}) ${r.met ? 'MET' : 'NOT MET'}`);
  for (const n of r.notes ?? []) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
