import { useEffect, useRef, useState } from 'react';
import type { HistoryDay } from '../../../api/telemetry-types';
import { countOf } from './wording';

// A hand-made SVG: one column per day, collections as dots on their own lane, uploads as bars
// (sent below, failed stacked on top), and the days the license warning showed as a red band.

const DEFAULT_WIDTH = 720;
const HEIGHT = 210;
const LEFT = 30;
const RIGHT = 6;
const LANE_Y = 16;
const PLOT_TOP = 34;
const PLOT_BOTTOM = HEIGHT - 24;

const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLabel = (date: string) => shortDay.format(new Date(`${date}T00:00:00Z`));

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

function niceMax(value: number): number {
  for (const step of [2, 4, 6, 10, 20, 40, 60, 100, 200, 500, 1000]) if (value <= step) return step;
  return Math.ceil(value / 1000) * 1000;
}

/**
 * The drawing is laid out at the width it is shown at (not scaled), so its text stays readable
 * from a phone to a wide screen while the 90 columns narrow.
 */
function useWidth<T extends Element>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.round(entry?.contentRect.width ?? 0);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

export function HistoryChart({ days }: { days: readonly HistoryDay[] }) {
  const { ref, width } = useWidth<HTMLDivElement>(DEFAULT_WIDTH);
  const summary = historySummary(days);
  const columnWidth = (width - LEFT - RIGHT) / Math.max(days.length, 1);
  const barWidth = Math.max(columnWidth * 0.64, 1.5);
  const top = niceMax(Math.max(1, ...days.map((day) => day.uploadsSucceeded + day.uploadsFailed)));
  const plotHeight = PLOT_BOTTOM - PLOT_TOP;
  const y = (value: number) => PLOT_BOTTOM - (value / top) * plotHeight;
  const x = (index: number) => LEFT + index * columnWidth;
  const ticks = [0, top / 2, top];
  const labels = axisLabels(days, columnWidth, (index) => width - RIGHT - x(index) >= 80);

  return (
    <figure className="history-chart">
      <div ref={ref} className="history-chart__frame">
        <svg
          className="history-chart__svg"
          width={width}
          height={HEIGHT}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          role="img"
          aria-label={summary}
        >
          <title>Telemetry activity over the last {days.length} days</title>
          {warningSpans(days).map(({ from, to }) => (
            <g key={from} className="history-chart__warning">
              <rect x={x(from)} y={0} width={(to - from + 1) * columnWidth} height={PLOT_BOTTOM} />
              <rect
                className="history-chart__warning-edge"
                x={x(from)}
                y={0}
                width={(to - from + 1) * columnWidth}
                height={3}
              />
            </g>
          ))}
          {ticks.map((tick) => (
            <g key={tick} className="history-chart__grid">
              <line x1={LEFT} x2={width - RIGHT} y1={y(tick)} y2={y(tick)} />
              <text x={LEFT - 6} y={y(tick) + 3.5} textAnchor="end">
                {tick}
              </text>
            </g>
          ))}
          <line className="history-chart__lane" x1={LEFT} x2={width - RIGHT} y1={LANE_Y} y2={LANE_Y} />
          {days.map((day, index) => {
            const center = x(index) + columnWidth / 2;
            return (
              <g key={day.date} className="history-chart__day">
                <title>{daySentence(day)}</title>
                <rect className="history-chart__hit" x={x(index)} y={0} width={columnWidth} height={PLOT_BOTTOM} />
                {day.uploadsSucceeded > 0 ? (
                  <rect
                    className="history-chart__sent"
                    x={center - barWidth / 2}
                    y={y(day.uploadsSucceeded)}
                    width={barWidth}
                    height={PLOT_BOTTOM - y(day.uploadsSucceeded)}
                    rx={1}
                  />
                ) : null}
                {day.uploadsFailed > 0 ? (
                  <rect
                    className="history-chart__failed"
                    x={center - barWidth / 2}
                    y={y(day.uploadsSucceeded + day.uploadsFailed)}
                    width={barWidth}
                    height={PLOT_BOTTOM - y(day.uploadsFailed)}
                    rx={1}
                  />
                ) : null}
                {day.collections > 0 ? (
                  <circle
                    className="history-chart__collection"
                    cx={center}
                    cy={LANE_Y}
                    r={Math.min(4.5, columnWidth * 0.55)}
                  />
                ) : null}
              </g>
            );
          })}
          <line className="history-chart__axis" x1={LEFT} x2={width - RIGHT} y1={PLOT_BOTTOM} y2={PLOT_BOTTOM} />
          {labels.map(({ day, index }) => (
            <text key={day.date} className="history-chart__label" x={x(index)} y={HEIGHT - 6}>
              {dayLabel(day.date)}
            </text>
          ))}
          {days.length > 0 ? (
            <text className="history-chart__label" x={width - RIGHT} y={HEIGHT - 6} textAnchor="end">
              Today
            </text>
          ) : null}
        </svg>
      </div>
      <figcaption>
        <ul className="chart-legend" aria-label="Legend">
          <li>
            <span className="chart-legend__swatch chart-legend__swatch--collection" aria-hidden="true" />
            Collections
          </li>
          <li>
            <span className="chart-legend__swatch chart-legend__swatch--sent" aria-hidden="true" />
            Successful uploads
          </li>
          <li>
            <span className="chart-legend__swatch chart-legend__swatch--failed" aria-hidden="true" />
            Failed uploads
          </li>
          <li>
            <span className="chart-legend__swatch chart-legend__swatch--warning" aria-hidden="true" />
            License warning shown
          </li>
        </ul>
        <p className="history-chart__summary">{summary}</p>
      </figcaption>
      <HistoryTable days={days} />
    </figure>
  );
}

/**
 * The days to name under the axis: the first of each month, the first day shown when no month
 * starts soon after it, and none so close to the previous one (or to "Today") that they collide.
 */
function axisLabels(days: readonly HistoryDay[], columnWidth: number, clearOfToday: (index: number) => boolean) {
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

function daySentence(day: HistoryDay): string {
  const parts = [
    countOf(day.collections, 'collection', 'collections'),
    countOf(day.uploadsSucceeded, 'successful upload', 'successful uploads'),
    countOf(day.uploadsFailed, 'failed upload', 'failed uploads'),
  ];
  return `${dayLabel(day.date)}: ${parts.join(', ')}${day.warning ? '; license warning shown' : ''}`;
}

/** The numbers behind the chart, for screen readers; quiet days are left out so the table stays short. */
function HistoryTable({ days }: { days: readonly HistoryDay[] }) {
  const active = days.filter((day) => day.collections || day.uploadsSucceeded || day.uploadsFailed || day.warning);
  return (
    // Hidden through a wrapper: a table sizes itself to its content whatever width it is given.
    <div className="visually-hidden">
      <table>
        <caption>
          Telemetry activity by day, last {days.length} days (days without activity or warning are left out)
        </caption>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <th scope="col">Collections</th>
            <th scope="col">Successful uploads</th>
            <th scope="col">Failed uploads</th>
            <th scope="col">License warning</th>
          </tr>
        </thead>
        <tbody>
          {active.map((day) => (
            <tr key={day.date}>
              <th scope="row">{dayLabel(day.date)}</th>
              <td>{day.collections}</td>
              <td>{day.uploadsSucceeded}</td>
              <td>{day.uploadsFailed}</td>
              <td>{day.warning ? 'shown' : 'not shown'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
