// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Both themes of styles.css (light by default, dark under prefers-color-scheme: dark) keep every text
// and background pair the UI uses readable: WCAG 2.x contrast of at least 4.5:1 for text, 3:1 for
// large text and the banner's focus ring. The ratio is computed from the stylesheet's own tokens.

const css = readFileSync(new URL('../src/styles.css', import.meta.url), 'utf8');

function tokens(block: string): Map<string, string> {
  return new Map([...block.matchAll(/(--color-[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1]!, m[2]!]));
}

const light = tokens(css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {'))));
const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
const dark = new Map([...light, ...tokens(css.slice(darkStart, css.indexOf('}\n}', darkStart)))]);

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// [text, background, minimum]: the pairs the stylesheet puts together.
const PAIRS: Array<[string, string, number]> = [
  ['--color-text', '--color-bg', 4.5],
  ['--color-text', '--color-surface', 4.5],
  ['--color-text', '--color-surface-muted', 4.5],
  ['--color-text-muted', '--color-bg', 4.5],
  ['--color-text-muted', '--color-surface', 4.5],
  ['--color-text-muted', '--color-surface-muted', 4.5],
  ['--color-accent', '--color-surface', 4.5],
  ['--color-accent', '--color-accent-soft', 4.5],
  ['--color-on-accent', '--color-accent', 4.5],
  ['--color-on-accent', '--color-accent-hover', 4.5],
  ['--color-danger', '--color-surface', 4.5],
  ['--color-danger', '--color-danger-soft', 4.5],
  ['--color-success', '--color-surface', 4.5],
  ['--color-success', '--color-success-soft', 4.5],
  ['--color-caution', '--color-surface', 4.5],
  ['--color-caution', '--color-caution-soft', 4.5],
  ['--color-banner-text', '--color-banner-bg', 4.5],
  ['--color-badge-text', '--color-badge-bg', 4.5],
  ['--color-placeholder', '--color-surface', 4.5],
  ['--color-focus', '--color-surface', 3],
  ['--color-focus', '--color-bg', 3],
];

describe.each([
  ['light', light],
  ['dark', dark],
])('the %s theme', (_name, theme) => {
  it('defines every token the pairs use', () => {
    const used = [...PAIRS.map(([text]) => text), ...PAIRS.map(([, background]) => background)];
    const missing = used.filter((token) => !theme.has(token));
    expect(missing).toEqual([]);
  });

  it.each(PAIRS)('%s on %s has a contrast of at least %d:1', (text, background, minimum) => {
    const ratio = contrast(theme.get(text)!, theme.get(background)!);
    expect(ratio, `${theme.get(text)} on ${theme.get(background)}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(
      minimum,
    );
  });
});

describe('the dark theme', () => {
  it('follows the system setting and replaces the light surfaces', () => {
    expect(darkStart).toBeGreaterThan(0);
    for (const token of ['--color-bg', '--color-surface', '--color-text', '--color-text-muted']) {
      expect(dark.get(token)).not.toBe(light.get(token));
    }
  });
});

describe('the contrast formula', () => {
  it('gives the known extremes and a known pair', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
    // WebAIM's checker: #767676 on white is 4.54:1, the lightest grey that passes AA.
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});
