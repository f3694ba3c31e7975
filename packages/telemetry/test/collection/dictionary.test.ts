import { describe, expect, it } from 'vitest';
import { renderMetricsDictionary } from '../../src/collection/index.js';

describe('renderMetricsDictionary', () => {
  it('renders a padded table per collector, in the order given', () => {
    const text = renderMetricsDictionary([
      { name: 'alpha', metrics: [{ key: 'a_count', description: 'How many a.' }] },
      { name: 'beta', metrics: [] },
    ]);
    expect(text).toContain(
      [
        '## `alpha`',
        '',
        '| Key       | Description |',
        '| --------- | ----------- |',
        '| `a_count` | How many a. |',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '## `beta`',
        '',
        '| Key | Description                           |',
        '| --- | ------------------------------------- |',
        '|     | *This collector declares no metrics.* |',
      ].join('\n'),
    );
    expect(text.indexOf('`alpha`')).toBeLessThan(text.indexOf('`beta`'));
  });

  it('keeps a description on one table row', () => {
    const text = renderMetricsDictionary([
      { name: 'x', metrics: [{ key: 'k', description: 'Pipes | and\nnew   lines.' }] },
    ]);
    expect(text).toContain('| `k` | Pipes \\| and new lines. |');
  });

  it('is stable: the same collectors give the same text', () => {
    const collectors = [{ name: 'x', metrics: [{ key: 'k', description: 'D.' }] }];
    expect(renderMetricsDictionary(collectors)).toBe(renderMetricsDictionary(collectors));
  });
});
