import { useState } from 'react';
import type { ModelSummary, RetrainJob } from '@al/contract';
import { loadRetrainJob, requestRetrain } from './adminApi';
import { formatAccuracy } from './format';
import { useJobPolling } from './useJobPolling';

const POLL_MS = 1_500;

function describeJob(job: RetrainJob, model: ModelSummary | undefined): string {
  switch (job.status) {
    case 'queued':
      return `Job #${job.jobId} queued; waiting for an orchestrator…`;
    case 'running':
      return `Job #${job.jobId} running: training and scoring…`;
    case 'failed':
      return `Job #${job.jobId} failed: ${job.error ?? 'no reason given'}`;
    case 'done':
      if (job.modelVersion === null) {
        return `Job #${job.jobId} finished without a new model${job.error ? ` (${job.error})` : ''}.`;
      }
      return model
        ? `Job #${job.jobId} done: model v${model.version}, accuracy ${formatAccuracy(model.metrics.accuracy)} on ${model.trainedOn} labels.`
        : `Job #${job.jobId} done: model v${job.modelVersion}.`;
  }
}

/** Starts a retrain and follows its job until it is done or failed. */
export function RetrainCard(props: {
  project: string;
  token: string;
  models: ModelSummary[];
  onJobFinished: () => void;
}) {
  const { project, token, onJobFinished } = props;
  const [jobId, setJobId] = useState<number>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { state: job, error: pollError } = useJobPolling(
    jobId,
    (id) => loadRetrainJob(project, token, id),
    (state) => state.status === 'done' || state.status === 'failed',
    onJobFinished,
    POLL_MS,
  );

  const retrain = () => {
    setBusy(true);
    setError(undefined);
    requestRetrain(project, token)
      .then((res) => {
        setJobId(res.jobId);
      })
      .catch((err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
      })
      .finally(() => {
        setBusy(false);
      });
  };
  const running =
    job === undefined ? jobId !== undefined : job.status === 'queued' || job.status === 'running';
  const model = props.models.find((m) => m.version === job?.modelVersion);
  return (
    <section className="card" aria-labelledby="retrain-title">
      <h2 id="retrain-title">Retrain</h2>
      <p className="muted">Queues a retrain job now instead of waiting for the label count.</p>
      <div className="button-row">
        <button type="button" className="primary" disabled={busy || running} onClick={retrain}>
          Retrain now
        </button>
      </div>
      <div role="status" aria-live="polite" data-testid="retrain-status">
        {jobId !== undefined && !job && <p>Job #{jobId} requested…</p>}
        {job && (
          <p className={job.status === 'failed' ? 'error' : undefined}>{describeJob(job, model)}</p>
        )}
        {(error ?? pollError) && <p className="error">{error ?? pollError}</p>}
      </div>
    </section>
  );
}
