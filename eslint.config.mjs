import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'data/',
      '*.js',
      '*.mjs',
      // Generated from the served OpenAPI description; a spec checks it is current.
      'test/openapi/client/case-api.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  // The layer rule (docs/architecture.md): dependencies point inwards.
  ...layerRules(),
  {
    // Specs read JSON answers of many shapes; typing each one would only restate the assertions.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

/**
 * Which folders may not import what, and why. ESLint does not merge one rule's options across
 * config blocks, so each folder gets one block with every pattern that applies to it.
 */
function layerRules() {
  const rules = [
    [
      ['cases/domain'],
      ['../**', '@nestjs/*', 'fastify', 'better-sqlite3', '@eventstore/*'],
      'The domain is pure: it imports nothing outside src/cases/domain.',
    ],
    [
      ['identity'],
      ['**/cases/**'],
      'Identity verifies tokens and yields a principal; it knows nothing of cases.',
    ],
    [
      ['cases/access', 'cases/application'],
      ['**/http/**', '**/common/http-errors', '@nestjs/platform-fastify', 'fastify'],
      'Access rules and the application know nothing of HTTP: their errors carry codes.',
    ],
    [
      ['cases/projections', 'cases/rql', 'feed', 'cli'],
      ['**/cases/http/**', '../http/**'],
      'Projections, RQL, the feed and the CLI never import from the HTTP layer.',
    ],
    [
      [
        'cases/domain',
        'cases/access',
        'cases/application',
        'cases/projections',
        'cases/rql',
        'cases/contract',
        'cases/http',
        'feed',
        'cli',
      ],
      ['**/event-store/sqlite/**', '**/event-store/esdb/**', '**/event-store/memory/**'],
      'Only the event store module opens adapters; everything else sees the port.',
    ],
    [
      ['cases/domain', 'event-store'],
      ['**/common/problem*', '**/common/http-errors'],
      'Domain and store errors carry codes; the exception filter maps them to HTTP.',
    ],
  ];
  const folders = [...new Set(rules.flatMap(([folders]) => folders))];
  return folders.map((folder) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: rules
            .filter(([within]) => within.includes(folder))
            .map(([, group, message]) => ({ group, message })),
        },
      ],
    },
  }));
}
