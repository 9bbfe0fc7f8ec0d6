// List: a plain-text index of the book's chunks, for `tangle list`.

import { formatPosition } from './diagnostics.ts';
import type { Block } from './parse.ts';
import type { Book, Entry } from './resolve.ts';

const VERB = { define: 'defined', append: 'appended', replace: 'replaced' } as const;

function where(block: Block): string {
  return formatPosition(block.position);
}

function formatEntry(entry: Entry): string {
  const title = entry.kind === 'root' ? `file ${entry.name}` : `<<${entry.name}>>`;
  const lines = [title];
  for (const block of entry.blocks) lines.push(`  ${VERB[block.mode]} at ${where(block)}`);
  for (const use of entry.uses) {
    const at = { file: use.block.chapter.file, line: use.reference.line, column: use.reference.column };
    lines.push(`  used at ${formatPosition(at)} in ${use.block.kind === 'root' ? 'file ' : ''}${use.block.name}`);
  }
  return lines.join('\n');
}

export function formatList(book: Book): string {
  return [...book.roots.values(), ...book.chunks.values()].map(formatEntry).join('\n');
}
