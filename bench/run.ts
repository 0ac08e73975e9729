/**
 * `npm run bench [-- name ...]`: runs the benchmarks under bench/ (files named *.bench.ts), one
 * after the other, and prints each result with its ratio against the reference of the same run.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatResult, type Benchmark } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
if (files.length === 0) {
  console.error(
    `no benchmark matches ${wanted.join(', ')}; available: ${readdirSync(here)
      .filter((f) => f.endsWith('.bench.ts'))
      .join(', ')}`,
  );
  process.exit(2);
}
let unmet = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Benchmark };
  const bench = mod.default;
  console.log(`\n# ${bench.name}: ${bench.description}`);
  const result = await bench.run();
  console.log(formatResult(bench.name, result));
  if (!result.met) unmet++;
}
console.log(`\n${files.length} benchmark(s), ${unmet} goal(s) not met`);
process.exit(0);
