import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': [
        'error',
        { restrictDefaultExports: { direct: true, named: true, defaultFrom: true } },
      ],
    },
  },
  {
    // Subgraphs reach Kafka through @mash/kafka; the connector runtime is not theirs to import.
    files: ['subgraphs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@mash/connectors',
              message: 'Subgraphs use @mash/kafka; @mash/connectors is the connector runtime.',
            },
          ],
          patterns: [
            { group: ['**/connectors/**'], message: 'Subgraphs use @mash/kafka, not connector sources.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        __dirname: 'readonly',
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: [
      'scripts/**/*.ts',
      'scripts/**/*.js',
      'test/**/*.ts',
      '**/*.test.ts',
      'eslint.config.mjs',
      'jest.config.js',
    ],
    rules: { 'no-console': 'off', 'no-restricted-exports': 'off' },
  },
);
