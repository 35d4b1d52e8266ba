import { useCallback, useState } from 'react';
import { archiveProject, rescanProject } from './adminApi';
import { ImportProgress, useImportJob } from './ImportProgress';

/**
 * The project's images: re-scan its folders or prefixes for images added since (only new ones
 * are read), and archive the project (it leaves the labelling page; nothing is deleted).
 */
export function SourcesCard(props: {
  project: string;
  token: string;
  onImported: () => void;
  onArchived: () => void;
}) {
  const { project, token, onImported, onArchived } = props;
  const [importId, setImportId] = useState<number>();
  const [error, setError] = useState<string>();
  const onFinished = useCallback(() => {
    onImported();
  }, [onImported]);
  const { job } = useImportJob(token, importId, onFinished);
  const fail = (err: unknown) => {
    setError(err instanceof Error ? err.message : String(err));
  };
  const rescan = () => {
    setError(undefined);
    rescanProject(project, token).then((res) => {
      setImportId(res.importId);
    }, fail);
  };
  const archive = () => {
    if (
      !window.confirm(`Archive ${project}? Labellers can no longer open it; nothing is deleted.`)
    ) {
      return;
    }
    archiveProject(project, token, true).then(onArchived, fail);
  };
  const running = importId !== undefined && (job === undefined || job.status === 'running');
  return (
    <section className="card" aria-labelledby="sources-title">
      <h2 id="sources-title">Images</h2>
      <p className="muted">Re-scanning reads only images added since the last import.</p>
      <div className="button-row">
        <button type="button" disabled={running} onClick={rescan}>
          Re-scan for new images
        </button>
        <button type="button" onClick={archive}>
          Archive project
        </button>
      </div>
      <div role="status" aria-live="polite">
        {job && <ImportProgress job={job} />}
        {error && <p className="error">{error}</p>}
      </div>
    </section>
  );
}
