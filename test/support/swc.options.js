/**
 * tsconfig.json's compiler options in swc's words, for the jest transform and for the build the
 * process-level specs run (process-build.mjs): CommonJS, ES2022 with define semantics for class
 * fields, and legacy decorators with their design-type metadata, which Nest's injection and
 * class-validator read.
 */
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
