import type { HistoryDay } from '../../../api/telemetry-types';
import { useWidth } from '../../../components/use-width';
import { axisLabels, dayLabel, daySentence, historySummary, warningSpans } from './history-summary';
import { HistoryTable } from './history-table';

// A hand-made SVG: one column per day, collections as dots on their own lane, uploads as bars
// (sent below, failed stacked on top), and the days the license warning showed as a red band.

const DEFAULT_WIDTH = 720;
const HEIGHT = 210;
const LEFT = 30;
const RIGHT = 6;
const LANE_Y = 16;
const PLOT_TOP = 34;
const PLOT_BOTTOM = HEIGHT - 24;

function niceMax(value: number): number {
  for (const step of [2, 4, 6, 10, 20, 40, 60, 100, 200, 500, 1000]) if (value <= step) return step;
  return Math.ceil(value / 1000) * 1000;
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
                    r={Math.max(2.5, Math.min(4.5, columnWidth * 0.55))}
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
