// A Mermaid diagram drawn at build time (site/mermaid-svg): both colour modes' SVG are
// in the page, and CSS shows the one that matches the mode, so switching the mode needs no
// script and a reader without JavaScript still sees the diagram (the light one).

import styles from './styles.module.css';

export default function MermaidDiagram({ light, dark }: { light: string; dark: string }) {
  return (
    <figure className={`obb-mermaid ${styles.diagram}`}>
      <div className={`obb-mermaid-light ${styles.light}`} dangerouslySetInnerHTML={{ __html: light }} />
      <div className={`obb-mermaid-dark ${styles.dark}`} dangerouslySetInnerHTML={{ __html: dark }} />
    </figure>
  );
}
