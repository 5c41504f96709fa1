/**
 * `-c` patterns → config files. Node 20 has no glob of its own (fs.glob came in 22), and a shell
 * does not expand a quoted pattern, so entra-portal does: `*` and `?` within one path segment, `[…]`
 * character classes, `**` for any number of folders. Like a shell, `*` does not match a leading dot;
 * `**` does not descend into dot-folders or follow links to folders (no loops, no surprises from
 * `.git`). A pattern without glob characters is a path, kept even when missing (the run then
 * reports it as a failed config). Results are absolute, sorted, without duplicates.
 */
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

export interface ExpandedConfigs {
  /** absolute paths, sorted, each once */
  paths: string[];
  /** patterns that matched no file */
  unmatched: string[];
}

/** `*`, `?`, or a `[…]` class that is closed (a lone `[` is an ordinary character, as in a shell). */
const GLOB = /[*?]|\[[^\]/\\]+\]/;

export const isPattern = (p: string): boolean => GLOB.test(p);

/** One path segment's pattern as a regular expression. */
export function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function entries(dir: string): Promise<{ name: string; dir: boolean; file: boolean }[]> {
  try {
    const list = await readdir(dir, { withFileTypes: true });
    return list.map((d) => ({ name: d.name, dir: d.isDirectory(), file: d.isFile() || d.isSymbolicLink() }));
  } catch {
    return [];
  }
}

async function walk(base: string, segments: readonly string[], out: Set<string>): Promise<void> {
  if (segments.length === 0) return;
  const [seg, ...rest] = segments as [string, ...string[]];
  if (seg === '**') {
    // zero folders…
    await walk(base, rest, out);
    // …or one more, then ** again
    for (const e of await entries(base)) {
      if (e.dir && !e.name.startsWith('.')) await walk(join(base, e.name), segments, out);
    }
    return;
  }
  if (!isPattern(seg)) {
    const next = join(base, seg);
    if (rest.length === 0) {
      if ((await entries(base)).some((e) => e.name === seg && e.file)) out.add(next);
    } else await walk(next, rest, out);
    return;
  }
  const re = segmentRegExp(seg);
  const dotOk = seg.startsWith('.');
  for (const e of await entries(base)) {
    if (!re.test(e.name) || (e.name.startsWith('.') && !dotOk)) continue;
    if (rest.length === 0) {
      if (e.file) out.add(join(base, e.name));
    } else if (e.dir) await walk(join(base, e.name), rest, out);
  }
}

/** Expand `-c` values (paths or patterns) against `cwd`. */
export async function expandConfigPatterns(patterns: readonly string[], cwd: string): Promise<ExpandedConfigs> {
  const found = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    if (!isPattern(pattern)) {
      found.add(resolve(cwd, pattern));
      continue;
    }
    const absolute = isAbsolute(pattern) ? pattern : join(cwd, pattern);
    const parts = absolute.split(/[\\/]+/);
    // the fixed prefix (no glob characters) is where the walk starts
    let i = 0;
    while (i < parts.length - 1 && !isPattern(parts[i]!)) i++;
    const root = parts.slice(0, i).join(sep) || sep;
    const before = found.size;
    const matches = new Set<string>();
    await walk(root, parts.slice(i), matches);
    for (const m of matches) found.add(m);
    if (found.size === before && matches.size === 0) unmatched.push(pattern);
  }
  return { paths: [...found].sort(), unmatched };
}
