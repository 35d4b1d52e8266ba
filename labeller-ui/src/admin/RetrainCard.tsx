import { useEffect, useState } from 'react';
import type { ModelSummary, RetrainJob } from '@al/contract';
import { loadRetrainJob, requestRetrain } from './adminApi';
import { formatAccuracy } from './format';

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
  const [job, setJob] = useState<RetrainJob>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (jobId === undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      loadRetrainJob(project, token, jobId).then(
        (state) => {
          if (stopped) return;
          setJob(state);
          if (state.status === 'done' || state.status === 'failed') onJobFinished();
          else timer = setTimeout(poll, POLL_MS);
        },
        (err: unknown) => {
          if (stopped) return;
          setError(err instanceof Error ? err.message : String(err));
          timer = setTimeout(poll, POLL_MS * 4);
        },
      );
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [project, token, jobId, onJobFinished]);

  const retrain = () => {
    setBusy(true);
    setError(undefined);
    setJob(undefined);
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
        {error && <p className="error">{error}</p>}
      </div>
    </section>
  );
}
