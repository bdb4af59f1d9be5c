/**
 * Preloaded (`--require`) into the worker threads that the code under test starts when it runs
 * from the TypeScript sources, as in Jest: those threads load modules with Node's own require,
 * which Jest's transform does not reach, so this teaches it to compile `.ts` files with swc, as
 * Jest does. The built server runs dist's JavaScript and never loads this.
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
const options = require('./swc-options');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
