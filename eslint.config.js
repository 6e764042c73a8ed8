// ESLint over the whole tree: typescript-eslint's recommended rules without type information, so
// `npm run lint` parses each file alone and stays fast. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

export default defineConfig(
  { ignores: ['cdk.out/', 'node_modules/', '.crescendo/', 'coverage/', '.bench/', '.scratch/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore names a value taken only to be left out (`const { pk: _pk, ...item } = row`) or a parameter an interface requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // The request-text schemas and their tests match control characters on purpose: that is how they reject them.
      'no-control-regex': 'off',
    },
  },
  {
    // Not Lambda code: CDK, the dev stack and the tests walk untyped JSON (synthesized templates, ASL, API replies). shared/ and functions/ keep the rule.
    files: ['infra/**', 'dev/**', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
