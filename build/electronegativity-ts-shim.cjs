// Loaded with `node -r` by build/electronegativity.mjs: makes typescript-estree 4 load the
// TypeScript 4 that electronegativity ships instead of the project's TypeScript 7.
const Module = require('node:module');
const path = require('node:path');

const bundled = path.join(__dirname, '..', 'node_modules', '@doyensec', 'electronegativity', 'node_modules', 'typescript');
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  if (request === 'typescript' && parent && /[\\/]@typescript-eslint[\\/]/.test(parent.filename ?? '')) {
    return original.call(this, bundled, parent, ...rest);
  }
  return original.call(this, request, parent, ...rest);
};
