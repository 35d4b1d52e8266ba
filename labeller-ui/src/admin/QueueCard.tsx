import type { ProjectStats } from '@al/contract';
import { formatAccuracy } from './format';
import { HourlyBars } from './HourlyBars';
import type { Polled } from './usePolling';
import { valueOf } from './usePolling';

function Stat({ label, value }: { label: string; value: number | string }) {
  return (
    <div className="stat">
      <span className="muted">{label}</span>
      <strong>{value}</strong>
    </div>
  );
}

export function QueueCard({ stats }: { stats: Polled<ProjectStats> }) {
  const s = valueOf(stats);
  return (
    <>
      <section className="card" aria-labelledby="queue-title" data-testid="queue-stats">
        <h2 id="queue-title">Queue</h2>
        {stats.kind === 'error' && (
          <p className="error" role="alert">
            {stats.message}
          </p>
        )}
        {s ? (
          <div className="stat-row">
            <Stat label="Samples" value={s.total} />
            <Stat label="Done" value={s.labelled} />
            <Stat label="Open" value={s.total - s.labelled} />
            <Stat label="Labels" value={`${s.labels} / ${s.wanted}`} />
            <Stat label="Leased now" value={s.inLease} />
          </div>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
      {s && (
        <div className="admin-grid">
          <section className="card" aria-labelledby="labellers-title">
            <h2 id="labellers-title">Labels per labeller</h2>
            {s.labellers.length === 0 ? (
              <p className="muted">Nobody has labelled yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Labeller</th>
                    <th scope="col" className="num">
                      Labels
                    </th>
                    <th scope="col" className="num">
                      Skips
                    </th>
                    <th scope="col" className="num">
                      Conflicts
                    </th>
                    <th scope="col" className="num">
                      Skip rate
                    </th>
                    <th scope="col" className="num">
                      Median s / label
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.labellers.map((l) => (
                    <tr key={l.name}>
                      <th scope="row">{l.name}</th>
                      <td className="num">{l.labels}</td>
                      <td className="num">{l.skips}</td>
                      <td className="num">{l.conflicts}</td>
                      <td className="num">
                        {formatAccuracy(l.skips / Math.max(1, l.labels + l.skips))}
                      </td>
                      <td className="num">
                        {l.medianMs === null ? '–' : (l.medianMs / 1000).toFixed(1)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card" aria-labelledby="hourly-title">
            <h2 id="hourly-title">Labels per hour (last 24 h)</h2>
            <HourlyBars hours={s.labelsPerHour} />
          </section>
        </div>
      )}
    </>
  );
}
