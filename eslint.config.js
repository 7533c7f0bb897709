// ESLint flat config: typescript-eslint for .ts, eslint-plugin-svelte for .svelte, plus the project's layer
// rules (README "Layout"): components in ui/ get data through props and callbacks, never from storage or the
// model; the pure layers (review, metrics, transcripts) stay free of Svelte so Node CLIs and tests can use them.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const svelteImports = [
  { group: ['svelte', 'svelte/*'], message: 'Pure layers import no Svelte.' },
  { group: ['*.svelte', '*.svelte.ts', '*.svelte.js'], message: 'Pure layers import no Svelte components or rune modules.' },
];

export default ts.config(
  { ignores: ['dist/', 'dev-dist/', 'node_modules/', 'runs/', '.cache/', 'models/', 'public/', 'training/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Rune classes build plain Maps/Dates locally and assign them whole to $state fields; reactivity comes from
      // that assignment, and a SvelteMap would make every lookup in the hot scoring paths a tracked read.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/lib/ui/**'],
    // Type-only imports are allowed: a component may describe the shape of a score it is handed (erased at build).
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/storage/*', '**/storage', 'idb'],
              message: 'ui/ imports no storage: pass data in through props.',
              allowTypeImports: true,
            },
            {
              group: ['**/inference/*', '**/inference', '@huggingface/transformers'],
              message: 'ui/ imports no inference.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/review/**', 'src/lib/metrics/**', 'src/lib/transcripts/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: svelteImports }] },
  },
);
