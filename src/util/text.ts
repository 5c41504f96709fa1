/**
 * Text from outside — display names and redirect URIs from Entra, config values and comments,
 * certificate subjects, file names — is shown in human output only through `escapeControl`: a
 * control character in it would be obeyed by the terminal (ESC/CSI/OSC sequences can clear the
 * screen, set the window title, hide or rewrite earlier lines; a carriage return or newline can forge
 * a line; a bidirectional override can reorder what is shown). kubectl fixed the same class of bug in
 * `describe` (CVE-2021-25743).
 *
 * The characters are made visible instead — `\x1b`, `\n`, `\u202e` — so the value stays
 * recognisable and nothing is dropped silently. `--json` output keeps the exact values.
 */

// C0 controls (tab and newline included: one value, one line), DEL, C1 controls, the Unicode
// bidirectional embeddings, overrides and isolates, and lone surrogates (not text at all).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every unsafe character as a visible escape (`\x1b`, `\n`, `\u202e`). */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text made of lines (a diff of a file, a stack trace): each line escaped, the line breaks kept; a
 * CRLF file's `\r` at a line end is a line ending, not content.
 */
export function escapeControlLines(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeControl(line.endsWith('\r') ? line.slice(0, -1) : line))
    .join('\n');
}
