// The book's global data (site/plugin.ts): the woven blocks and the chapters' snapshots.

import { usePluginData } from '@docusaurus/useGlobalData';
import type { BookData } from '@site/site/plugin';

export default function useBook(): BookData {
  return usePluginData('obb-book') as BookData;
}
