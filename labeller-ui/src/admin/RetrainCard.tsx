import { useState } from 'react';
import type { Model } from '../api/http';
import { requestRetrain } from './adminApi';
import { formatAccuracy } from './format';

export function RetrainCard(props: {
  project: string;
  token: string;
  disabled: boolean;
  awaiting: { jobId: number } | undefined;
  finishedModel: Model | undefined;
  onRequested: (jobId: number) => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const retrain = () => {
    setBusy(true);
    setError(undefined);
    requestRetrain(props.project, props.token)
      .then((res) => {
        props.onRequested(res.jobId);
      })
      .catch((err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
      })
      .finally(() => {
        setBusy(false);
      });
  };
  const { awaiting, finishedModel } = props;
  return (
    <section className="card" aria-labelledby="retrain-title">
      <h2 id="retrain-title">Retrain</h2>
      <p className="muted">Queues a retrain job now instead of waiting for the label count.</p>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={busy || props.disabled}
          onClick={retrain}
        >
          Retrain now
        </button>
      </div>
      <div role="status" aria-live="polite" data-testid="retrain-status">
        {awaiting && !finishedModel && (
          <p>Job #{awaiting.jobId} queued; waiting for a new model…</p>
        )}
        {awaiting && finishedModel && (
          <p>
            Job #{awaiting.jobId} done: model <strong>v{finishedModel.version}</strong>, accuracy{' '}
            <strong>{formatAccuracy(finishedModel.metrics.accuracy)}</strong> on{' '}
            {finishedModel.trainedOn} labels.
          </p>
        )}
        {error && <p className="error">{error}</p>}
      </div>
    </section>
  );
}
