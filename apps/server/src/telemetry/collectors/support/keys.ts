/**
 * A free-form name (a model, a provider, a trigger) as the tail of a metric key: lower case,
 * every run of other characters one underscore. `anthropic/claude-sonnet-4` becomes
 * `anthropic_claude_sonnet_4`.
 */
export function keyPart(name: string): string {
  const part = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return part || 'unknown';
}

export interface NamedCount {
  name: string;
  count: number;
}

/**
 * Counts by key part, merged when two names share one (`GPT-4` and `gpt 4`), largest first and
 * then by key, so that a tie always ranks the same way.
 */
export function countsByKeyPart(counts: readonly NamedCount[]): NamedCount[] {
  const merged = new Map<string, number>();
  for (const { name, count } of counts) {
    const part = keyPart(name);
    merged.set(part, (merged.get(part) ?? 0) + count);
  }
  return [...merged.entries()]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
}
