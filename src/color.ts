/**
 * Terminal colours: the six styles entra-portal uses, as SGR escape codes, chainable
 * (`color.green.bold('done')`). Replaces chalk, whose import alone cost ~16 ms of every run's
 * ~40 ms budget over bare node; the decision whether to colour (TTY, NO_COLOR, --no-color,
 * FORCE_COLOR, TERM=dumb) was already ours (context.ts `colorLevel`), so all that is left is this.
 */
const STYLES = {
  red: ['\x1b[31m', '\x1b[39m'],
  green: ['\x1b[32m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  cyan: ['\x1b[36m', '\x1b[39m'],
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
} as const;

export type StyleName = keyof typeof STYLES;

/** A style: call it to paint text; its properties add another style. */
export type Paint = ((text: string) => string) & { readonly [K in StyleName]: Paint };

export type Colors = { readonly [K in StyleName]: Paint } & { readonly level: 0 | 1 };

function paint(styles: readonly StyleName[], enabled: boolean): Paint {
  const fn = (text: string): string => {
    if (!enabled || text === '') return text;
    let out = String(text);
    for (const s of [...styles].reverse()) {
      const [open, close] = STYLES[s];
      // a close code inside the text (a nested style) would end ours early: reopen after it
      out = open + out.split(close).join(close + open) + close;
    }
    return out;
  };
  for (const name of Object.keys(STYLES) as StyleName[]) {
    Object.defineProperty(fn, name, { get: () => paint([...styles, name], enabled) });
  }
  return fn as Paint;
}

/** Colours at this level: 0 = none (plain text), anything else = the 16 basic colours. */
export function createColors(level: number): Colors {
  const enabled = level > 0;
  const colors = { level: enabled ? 1 : 0 } as { level: 0 | 1 } & Record<StyleName, Paint>;
  for (const name of Object.keys(STYLES) as StyleName[]) {
    Object.defineProperty(colors, name, { get: () => paint([name], enabled), enumerable: true });
  }
  return colors as Colors;
}
