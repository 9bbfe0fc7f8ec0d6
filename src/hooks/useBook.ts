// The book's global data (plugins/book): the woven blocks and the chapters' snapshots.

import { usePluginData } from '@docusaurus/useGlobalData';
import type { BookData } from '@site/plugins/book';

export default function useBook(): BookData {
  return usePluginData('obb-book') as BookData;
}
