// The colour key shared by the charts (left out of the search index, like the drawing).

import type { AllocatorInfo } from '@site/bench/types';
import type { ReactNode } from 'react';
import clsx from 'clsx';
import { colour, PLOT_CLASS } from './lib';
import styles from './styles.module.css';

export default function Legend({ allocators }: { allocators: AllocatorInfo[] }): ReactNode {
  return (
    <div className={clsx(PLOT_CLASS, styles.legend)}>
      {allocators.map((a) => (
        <span key={a.id}>
          <span className={styles.swatch} style={{ background: colour(a) }} />
          {a.label}
          {a.version ? ` ${a.version}` : ''}
        </span>
      ))}
    </div>
  );
}
