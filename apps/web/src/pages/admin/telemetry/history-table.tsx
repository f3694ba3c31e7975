import type { HistoryDay } from '../../../api/telemetry-types';
import { dayLabel } from './history-summary';

/** The numbers behind the chart, for screen readers; quiet days are left out so the table stays short. */
export function HistoryTable({ days }: { days: readonly HistoryDay[] }) {
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
