import tseslint from 'typescript-eslint';

/**
 * `src/common` is what every feature shares, so it imports no feature: only itself, config and
 * database. Relative paths climb out of src/common by one more `../` per folder level, hence one
 * pattern per depth.
 */
const COMMON_MAY_IMPORT = '(?:common|config|database)(?:/|$)';
const commonImportsNoFeature = [1, 2, 3].map((depth) => ({
  files: [`src/common/${'*/'.repeat(depth - 1)}*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(?:\\.\\./){${depth}}(?!${COMMON_MAY_IMPORT})`,
            message:
              'src/common imports no feature folder: let the feature provide it (an interface and a token in common).',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'bench/results/**',
      // Generated from openapi.json by openapi-typescript (npm run contracts).
      'test/clients/dateline-api.ts',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './test/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    // Tests read loosely typed JSON answers; the product code may not.
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...commonImportsNoFeature,
);
