import type { HistoryDay } from '../../../api/telemetry-types';
import { countOf } from './wording';

// The 90-day history in words and numbers: the chart's accessible name, its tooltips, its axis.

const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
export const dayLabel = (date: string) => shortDay.format(new Date(`${date}T00:00:00Z`));

/** Runs of consecutive days with the warning on, as first and last index. */
export function warningSpans(days: readonly HistoryDay[]): Array<{ from: number; to: number }> {
  const spans: Array<{ from: number; to: number }> = [];
  days.forEach((day, index) => {
    if (!day.warning) return;
    const last = spans.at(-1);
    if (last && last.to === index - 1) last.to = index;
    else spans.push({ from: index, to: index });
  });
  return spans;
}

/** The chart in one paragraph, for its accessible name and for anyone who prefers words. */
export function historySummary(days: readonly HistoryDay[]): string {
  const sum = (pick: (day: HistoryDay) => number) => days.reduce((total, day) => total + pick(day), 0);
  const counts =
    `Last ${days.length} days: ${countOf(
      sum((d) => d.collections),
      'collection',
      'collections',
    )}, ` +
    `${countOf(
      sum((d) => d.uploadsSucceeded),
      'successful upload',
      'successful uploads',
    )}, ` +
    `${countOf(
      sum((d) => d.uploadsFailed),
      'failed upload',
      'failed uploads',
    )}.`;
  const spans = warningSpans(days);
  if (spans.length === 0) return `${counts} The license warning did not show.`;
  const warningDays = days.filter((day) => day.warning).length;
  const ranges = spans.map(({ from, to }) => {
    const first = dayLabel(days[from]!.date);
    return from === to ? first : `${first} to ${dayLabel(days[to]!.date)}`;
  });
  const still = days.at(-1)?.warning ? ', and still shows' : '';
  return `${counts} The license warning showed on ${countOf(warningDays, 'day', 'days')}: ${ranges.join(', ')}${still}.`;
}

/** One day, for its tooltip. */
export function daySentence(day: HistoryDay): string {
  const parts = [
    countOf(day.collections, 'collection', 'collections'),
    countOf(day.uploadsSucceeded, 'successful upload', 'successful uploads'),
    countOf(day.uploadsFailed, 'failed upload', 'failed uploads'),
  ];
  return `${dayLabel(day.date)}: ${parts.join(', ')}${day.warning ? '; license warning shown' : ''}`;
}

/**
 * The days to name under the axis: the first of each month, the first day shown when no month
 * starts soon after it, and none so close to the previous one (or to "Today") that they collide.
 */
export function axisLabels(days: readonly HistoryDay[], columnWidth: number, clearOfToday: (index: number) => boolean) {
  const minGapDays = Math.ceil(48 / columnWidth);
  const labels: Array<{ day: HistoryDay; index: number }> = [];
  days.forEach((day, index) => {
    if (!day.date.endsWith('-01') || !clearOfToday(index)) return;
    const previous = labels.at(-1);
    if (!previous || index - previous.index >= minGapDays) labels.push({ day, index });
  });
  const first = days[0];
  if (first && !first.date.endsWith('-01') && (labels[0]?.index ?? Infinity) >= minGapDays) {
    labels.unshift({ day: first, index: 0 });
  }
  return labels;
}
