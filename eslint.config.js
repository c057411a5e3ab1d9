// Lint, including the dependency direction from ARCHITECTURE.md:
// common <- contract <- protocols/crypto/system <- devices/host/store <- sim <- core <- shells/cli,
// where common (shared vocabulary: pure TypeScript, no Node, no DOM, no I/O) imports nothing of
// ours and may be imported by every layer and by the renderer, values included, and system
// (Node-only utilities: atomic file writes, file modes) imports only common;
// `electron` only in shells/electron, and the renderer importing only types from the contract.
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

/** A layer may not import these folders (matched as path segments of the import source). */
const forbiddenByLayer = {
  common: [
    'contract',
    'protocols',
    'crypto',
    'system',
    'devices',
    'host',
    'store',
    'sim',
    'core',
    'shells',
    'cli',
    'src-renderer',
  ],
  contract: [
    'protocols',
    'crypto',
    'system',
    'devices',
    'host',
    'store',
    'sim',
    'core',
    'shells',
    'cli',
  ],
  protocols: ['system', 'devices', 'host', 'store', 'sim', 'core', 'shells', 'cli'],
  crypto: ['system', 'devices', 'host', 'store', 'sim', 'core', 'shells', 'cli'],
  system: [
    'contract',
    'protocols',
    'crypto',
    'devices',
    'host',
    'store',
    'sim',
    'core',
    'shells',
    'cli',
  ],
  devices: ['sim', 'core', 'shells', 'cli'],
  host: ['sim', 'core', 'shells', 'cli'],
  store: ['sim', 'core', 'shells', 'cli'],
  sim: ['core', 'shells', 'cli'],
  core: ['shells', 'cli'],
  shells: ['cli'],
  cli: [],
};

const noElectron = {
  name: 'electron',
  message:
    'Only src-main/shells/electron may import electron: keep behaviour in plain Node modules.',
};

/** More import patterns a layer refuses, on top of the folders above. */
const extraPatternsByLayer = {
  // Runtime-neutral: only its own files, so no `node:` module, package or DOM library gets in.
  common: [
    {
      regex: '^(?!\\.{1,2}/)',
      message:
        'src-main/common imports only its own files: no node: modules or packages (see src-main/common/README.md).',
    },
  ],
};

/** Node and browser globals src-main/common may not use (it runs on both sides, with no I/O). */
const notInCommon = [
  'Buffer',
  'process',
  'global',
  'require',
  'module',
  '__dirname',
  '__filename',
  'setImmediate',
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
].map((name) => ({
  name,
  message: 'src-main/common runs in Node and in the renderer: no Node or browser globals, no I/O.',
}));

const layerRules = Object.entries(forbiddenByLayer).map(([layer, forbidden]) => ({
  files: [`src-main/${layer}/**/*.ts`],
  ignores: layer === 'shells' ? ['src-main/shells/electron/**'] : [],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [noElectron],
        patterns: [
          ...(forbidden.length
            ? [
                {
                  regex: `(^|/)(${forbidden.join('|')})(/|$)`,
                  message: `src-main/${layer} may not import ${forbidden.join(', ')} (see ARCHITECTURE.md, dependency direction).`,
                },
              ]
            : []),
          ...(extraPatternsByLayer[layer] ?? []),
        ],
      },
    ],
    ...(layer === 'common' ? { 'no-restricted-globals': ['error', ...notInCommon] } : {}),
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  ...layerRules,
  {
    // The shells folder other than electron/ must not import electron either.
    files: ['src-main/shells/electron/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)cli(/|$)', message: 'shells may not import cli.' }] },
      ],
    },
  },
  {
    // Clean-room peers (test/peers/README.md): written from the specification, never from our code.
    files: ['test/peers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src-main(/|$)',
              message: 'A clean-room peer may not import from src-main (see test/peers/README.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte', 'src-renderer/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { ...noElectron, message: 'The renderer talks to the core only through the API.' },
          ],
          patterns: [
            {
              regex: '(^|/)src-main/(?!contract(/|$)|common(/|$))',
              message:
                'The renderer may import only from src-main/common, and only types from src-main/contract.',
            },
            {
              regex: '(^|/)src-main/contract(/|$)',
              allowTypeImports: true,
              message:
                'The renderer may import only types from src-main/contract (use import type).',
            },
          ],
        },
      ],
    },
  },
);
