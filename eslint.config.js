import js from '@eslint/js';
import redos from 'eslint-plugin-redos';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/api/schema.gen.ts', 'vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Every regular expression in src/ may meet text a pull request wrote (configuration, file names)
    // or the API sent: recheck (via eslint-plugin-redos) refuses one that can backtrack
    // super-linearly. Patterns in config.schema.json are audited by test/reliability/pattern-audit.test.ts.
    files: ['src/**/*.ts'],
    plugins: { redos },
    rules: { 'redos/no-vulnerable': ['error', { ignoreErrors: false, permittableComplexities: [] }] },
  },
  {
    // The CLI boundary, scripts, benchmarks and tests may print directly.
    files: ['src/cli.ts', 'scripts/**', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
