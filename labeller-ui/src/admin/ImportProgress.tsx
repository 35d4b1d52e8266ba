import type { ImportJob } from '@al/contract';
import { loadImport } from './adminApi';
import { useJobPolling } from './useJobPolling';

const POLL_MS = 500;

/** Follows an import until it is done or failed; calls onFinished once with the last state. */
export function useImportJob(
  token: string,
  importId: number | undefined,
  onFinished: (job: ImportJob) => void,
): { job: ImportJob | undefined; error: string | undefined } {
  const { state, error } = useJobPolling(
    importId,
    (id) => loadImport(token, id),
    (job) => job.status !== 'running',
    onFinished,
    POLL_MS,
  );
  return { job: state, error };
}

function summary(job: ImportJob): string {
  const counts = `${job.imported} new, ${job.alreadyImported} already there, ${job.failed} unreadable`;
  switch (job.status) {
    case 'running':
      return `Importing: ${job.processed} of ${job.total} files listed so far (${counts})…`;
    case 'done':
      return job.total === 0 ? 'No image files found there.' : `Import done: ${counts}.`;
    case 'failed':
      return `Import failed: ${job.error ?? 'no reason given'} (${counts}).`;
  }
}

/** A live progress bar and counts; the unreadable files are listed by name with the reason. */
export function ImportProgress({ job }: { job: ImportJob }) {
  return (
    <div className="import-progress" data-testid="import-progress" data-status={job.status}>
      <progress
        max={Math.max(1, job.total)}
        value={job.status === 'running' ? job.processed : Math.max(1, job.total)}
        aria-label="Import progress"
      />
      <p className={job.status === 'failed' ? 'error' : undefined}>{summary(job)}</p>
      {job.failures.length > 0 && (
        <ul className="muted">
          {job.failures.map((f) => (
            <li key={f.path}>
              {f.path}: {f.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
