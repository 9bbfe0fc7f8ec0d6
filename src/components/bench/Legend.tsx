// The colour key shared by the charts.

import type { AllocatorInfo } from '@site/bench/types';
import type { ReactNode } from 'react';
import { colour } from './lib';
import styles from './styles.module.css';

export default function Legend({ allocators }: { allocators: AllocatorInfo[] }): ReactNode {
  return (
    <div className={styles.legend}>
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
