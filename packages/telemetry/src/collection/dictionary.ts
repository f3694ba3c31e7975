import type { CollectorDescription } from './registry.js';

/**
 * The metrics dictionary (`docs/metrics.md`): every key the product sends, by collector, from
 * the collectors' own `metrics` declarations. Deterministic, so that CI can tell when the
 * committed file is stale.
 */
export function renderMetricsDictionary(collectors: readonly CollectorDescription[]): string {
  const lines = [
    '# Metrics dictionary',
    '',
    '<!-- Generated from the collectors by `npm run docs:metrics`. Do not edit by hand: CI fails when this file is stale. -->',
    '',
    'Every metric OpenHands Enterprise collects about an installation for the vendor is listed here, by the',
    'collector that gathers it. Each collection stores one batch of these metrics; the administrator can see',
    'every batch, and the exact payload, before it is sent.',
    '',
    '- **Windows.** "The last 7 (30) days" are the 7 (30) × 24 hours up to the collection, both ends included.',
    '- **Families of keys.** A key with `<…>` stands for one key per name found: the name in lower case, every',
    '  other run of characters an underscore (`anthropic/claude-sonnet-4` becomes `anthropic_claude_sonnet_4`).',
    '- **Values** are numbers, booleans, or strings of at most 1,000 characters. A collector that fails or times',
    '  out sends nothing in that collection; its error is stored with the batch instead.',
    '',
  ];
  for (const { name, metrics } of collectors) {
    const rows: Array<[string, string]> = metrics.map(({ key, description }) => [
      `\`${key}\``,
      escapeCell(description),
    ]);
    if (rows.length === 0) rows.push(['', '*This collector declares no metrics.*']);
    lines.push(`## \`${name}\``, '', ...table(['Key', 'Description'], rows), '');
  }
  return lines.join('\n');
}

/** A Markdown table with its columns padded, as the formatter (biome) would leave it. */
function table(header: [string, string], rows: ReadonlyArray<[string, string]>): string[] {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

function escapeCell(text: string): string {
  return text.replace(/\s+/g, ' ').replaceAll('|', '\\|').trim();
}
