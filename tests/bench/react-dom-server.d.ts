// The one function charts.test.tsx uses from react-dom/server, typed here
// because the repository does not install @types/react-dom.
declare module 'react-dom/server' {
  import type { ReactNode } from 'react';
  export function renderToStaticMarkup(node: ReactNode): string;
}
