// Diagnostics in the compiler's form, so editors and terminals can jump to them:
//   docs/03-buddies.md:12:5: error: reference to undefined chunk "split a block"

export interface Position {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export interface Diagnostic extends Position {
  message: string;
}

export function diagnostic(at: Position, message: string): Diagnostic {
  return { file: at.file, line: at.line, column: at.column, message };
}

export function formatPosition(at: Position): string {
  return `${at.file}:${at.line}:${at.column}`;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${formatPosition(d)}: error: ${d.message}`;
}

/** Sorts by file, line and column and drops exact repeats (a bad reference is seen by every later snapshot). */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = list.filter((d) => {
    const key = formatDiagnostic(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}
