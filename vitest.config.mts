import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The site's components, as tests render them on the server: JSX with React's automatic
  // runtime (as Docusaurus compiles it), @site/ imports, and CSS modules whose class names
  // are their own names.
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: { alias: { '@site': import.meta.dirname } },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    css: { include: /\.module\.css$/, modules: { classNameStrategy: 'non-scoped' } },
    // Chapter tests compile C and run programs under LD_PRELOAD: seconds, not milliseconds.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
