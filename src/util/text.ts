/**
 * Text from outside (names and URIs from Entra, config values, file names) shown in human output:
 * control characters are escaped so they cannot drive the operator's terminal — clear it, retitle
 * it, hide text (ESC/CSI/OSC sequences; kubectl's CVE-2021-25743 is this class of bug) — and
 * bidirectional overrides cannot reorder what is shown. `--json` keeps exact values.
 */

// C0 controls (tab and newline included: one value, one line), DEL, C1 controls, and the Unicode
// bidirectional embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character as a visible escape (`\x1b`, `\u202e`). */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
