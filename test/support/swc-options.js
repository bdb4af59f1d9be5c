/**
 * How the tests compile the TypeScript sources with swc: Jest's transform (jest.config.js) and
 * the worker threads the code under test starts (swc-register.js) use the same options.
 */
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
