// Vite builds the Svelte renderer; Vitest runs the unit, component and end-to-end projects.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    reportCompressedSize: false,
  },
  test: {
    root: '.',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root: '.',
          include: ['test/unit/**/*.test.ts', 'test/peers/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        // The renderer's screens in jsdom, against a fake API typed from the contract
        // (test/component/support): Svelte's browser build, cleaned up after each test.
        extends: true,
        plugins: [svelteTesting()],
        test: {
          name: 'component',
          root: '.',
          include: ['test/component/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['test/component/support/setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: '.',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
