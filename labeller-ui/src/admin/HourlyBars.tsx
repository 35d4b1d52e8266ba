import type { ProjectStats } from '@al/contract';
import { formatHour } from './format';

const W = 360;
const H = 140;
const PAD = { left: 32, right: 8, top: 8, bottom: 22 };
const HOURS = 24;
const HOUR_MS = 3_600_000;

/** The last 24 hours as slots (oldest first), quiet hours included as zeros. */
function slots(hours: ProjectStats['labelsPerHour'], now: number) {
  const byHour = new Map(hours.map((h) => [Math.floor(Date.parse(h.hour) / HOUR_MS), h.labels]));
  const current = Math.floor(now / HOUR_MS);
  return Array.from({ length: HOURS }, (_, i) => {
    const hour = current - (HOURS - 1) + i;
    return { start: new Date(hour * HOUR_MS).toISOString(), labels: byHour.get(hour) ?? 0 };
  });
}

/** Labels per hour as bars (inline SVG); the table beside it is for screen readers. */
export function HourlyBars({ hours }: { hours: ProjectStats['labelsPerHour'] }) {
  if (hours.length === 0) return <p className="muted">No labels in the last 24 hours.</p>;
  const data = slots(hours, Date.now());
  const max = Math.max(1, ...data.map((h) => h.labels));
  const slot = (W - PAD.left - PAD.right) / data.length;
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  return (
    <figure>
      <svg
        className="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Labels per hour over the last 24 hours, peak ${max}`}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} stroke="#8a93a5" />
        <text x={PAD.left - 4} y={y(max) + 4} textAnchor="end">
          {max}
        </text>
        {data.map((h, i) => (
          <rect
            key={h.start}
            x={PAD.left + i * slot + slot * 0.15}
            width={slot * 0.7}
            y={y(h.labels)}
            height={y(0) - y(h.labels)}
            fill="#1f4fd1"
          >
            <title>{`${formatHour(h.start)}: ${h.labels}`}</title>
          </rect>
        ))}
        <text x={PAD.left} y={H - 6}>
          24 h ago
        </text>
        <text x={W - PAD.right} y={H - 6} textAnchor="end">
          now
        </text>
      </svg>
      <table className="visually-hidden">
        <caption>Labels per hour</caption>
        <tbody>
          {hours.map((h) => (
            <tr key={h.hour}>
              <th scope="row">{formatHour(h.hour)}</th>
              <td>{h.labels}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
