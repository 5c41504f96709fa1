/**
 * A small unified diff (`diff -u` format) of two texts, for `--what-if`. Line based: common
 * prefix and suffix are trimmed, the middle is aligned by a longest common subsequence.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.replace(/\r$/, ''));
  return { lines, finalNewline };
}

function align(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n * m > 4_000_000) {
    // too large to align cheaply: show the middle as replaced
    ops.push(...midA.map((line) => ({ kind: '-' as const, line })), ...midB.map((line) => ({ kind: '+' as const, line })));
  } else {
    // lcs[i][j] = LCS length of midA[i..] and midB[j..]
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: ' ', line: midA[i]! });
        i++;
        j++;
      } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
        // deletions first within a change, as diff -u prints them
        if (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
          ops.push({ kind: '-', line: midA[i]! });
          i++;
        } else {
          ops.push({ kind: '+', line: midB[j]! });
          j++;
        }
      } else {
        ops.push({ kind: '-', line: midA[i]! });
        i++;
      }
    }
  }
  ops.push(...a.slice(endA).map((line) => ({ kind: ' ' as const, line })));
  return ops;
}

/**
 * Unified diff of `before` → `after`; '' when they are equal. `before === undefined` means the
 * file does not exist yet (shown against /dev/null).
 */
export function unifiedDiff(before: string | undefined, after: string, name: string, context = 3): string {
  if (before === after) return '';
  const A = splitLines(before ?? '');
  const B = splitLines(after);
  // a last line without a final newline differs from the same line with one
  const lastA = A.lines.length - 1;
  const lastB = B.lines.length - 1;
  if (!A.finalNewline) A.lines[lastA] += '\0';
  if (!B.finalNewline) B.lines[lastB] += '\0';
  const ops = align(A.lines, B.lines);
  const out: string[] = [`--- ${before === undefined ? '/dev/null' : `a/${name}`}`, `+++ b/${name}`];
  let ia = 0;
  let ib = 0;
  const pos = ops.map((op) => {
    const p = { a: ia, b: ib };
    if (op.kind !== '+') ia++;
    if (op.kind !== '-') ib++;
    return p;
  });
  const changed = ops.map((op, k) => (op.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    let from = Math.max(0, changed[k]! - context);
    let to = Math.min(ops.length - 1, changed[k]! + context);
    while (k + 1 < changed.length && changed[k + 1]! - context <= to + 1) {
      k++;
      to = Math.min(ops.length - 1, changed[k]! + context);
    }
    k++;
    from = Math.max(0, from);
    const slice = ops.slice(from, to + 1);
    const aCount = slice.filter((o) => o.kind !== '+').length;
    const bCount = slice.filter((o) => o.kind !== '-').length;
    const aStart = aCount === 0 ? pos[from]!.a : pos[from]!.a + 1;
    const bStart = bCount === 0 ? pos[from]!.b : pos[from]!.b + 1;
    out.push(`@@ -${aStart}${aCount === 1 ? '' : `,${aCount}`} +${bStart}${bCount === 1 ? '' : `,${bCount}`} @@`);
    for (let x = from; x <= to; x++) {
      const op = ops[x]!;
      out.push(`${op.kind}${op.line.replace(/\0$/, '')}`);
      if (op.line.endsWith('\0')) out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}
