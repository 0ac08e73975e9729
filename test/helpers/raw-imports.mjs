/**
 * `node --import tsx --import ./test/helpers/raw-imports.mjs child.ts`: lets a child process load
 * the whole core from source. The core imports the app's own text files as strings
 * (`import script from '…/facts.sh?raw'`, which esbuild and Vite do for the app and vitest);
 * plain Node under tsx would try to run them as code. Registered after tsx, so it is asked first.
 */
import { register } from 'node:module';

const hooks = `
import { readFile } from 'node:fs/promises';
export async function resolve(specifier, context, next) {
  if (!specifier.endsWith('?raw')) return next(specifier, context);
  return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
}
export async function load(url, context, next) {
  if (!url.endsWith('?raw')) return next(url, context);
  const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
