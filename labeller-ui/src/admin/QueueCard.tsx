import type { ProjectStats } from '@al/contract';
import { useState } from 'react';
import { setLabellerExcluded } from './adminApi';
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

/**
 * Leaves a labeller's answers out of training and final labels, or brings them back; the
 * server keeps the answers and the history of changes and asks for a retrain.
 */
function ExcludeButton(props: {
  project: string;
  token: string;
  labeller: string;
  excluded: boolean;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const toggle = () => {
    setBusy(true);
    setError(undefined);
    setLabellerExcluded(props.project, props.token, props.labeller, !props.excluded)
      .then(props.onChanged, (err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <>
      <button type="button" disabled={busy} onClick={toggle}>
        {props.excluded ? 'Include' : 'Exclude'}
      </button>
      {error && <span className="error"> {error}</span>}
    </>
  );
}

export function QueueCard(props: {
  stats: Polled<ProjectStats>;
  project: string;
  token: string;
  onChanged: () => void;
}) {
  const { stats } = props;
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
        <>
          {/* Full width: eight columns do not fit half a laptop screen. */}
          <section className="card table-card" aria-labelledby="labellers-title">
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
                    <th scope="col" className="num">
                      Gold right
                    </th>
                    <th scope="col">Training</th>
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
                      <td className="num" data-testid={`gold-${l.name}`}>
                        {l.goldAnswered === 0
                          ? '–'
                          : `${formatAccuracy(l.goldCorrect / l.goldAnswered)} of ${String(l.goldAnswered)}`}
                      </td>
                      <td>
                        {l.excluded ? 'excluded ' : ''}
                        <ExcludeButton
                          project={props.project}
                          token={props.token}
                          labeller={l.name}
                          excluded={l.excluded}
                          onChanged={props.onChanged}
                        />
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
        </>
      )}
    </>
  );
}
