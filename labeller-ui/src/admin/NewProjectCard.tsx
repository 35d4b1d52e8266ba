import { useCallback, useState, type SyntheticEvent } from 'react';
import type { ImportJob } from '@al/contract';
import { createProject } from './adminApi';
import { ImportProgress, useImportJob } from './ImportProgress';

/** Comma-separated labels as typed, trimmed, empty ones dropped. */
function parseLabels(text: string): string[] {
  return text
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * A project from a folder on the server's machine or an S3 prefix: the server checks the
 * request at once (bad path, name taken) and imports in the background; the progress shows
 * here live, and once images are in, the dashboard can open the project.
 */
export function NewProjectCard(props: {
  token: string;
  onOpen: (project: string) => void;
  onClose: () => void;
}) {
  const { token, onOpen } = props;
  const [name, setName] = useState('');
  const [labels, setLabels] = useState('');
  const [source, setSource] = useState('');
  const [multiLabel, setMultiLabel] = useState(false);
  const [perSample, setPerSample] = useState(1);
  const [importId, setImportId] = useState<number>();
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<string>();
  const onFinished = useCallback((job: ImportJob) => {
    if (job.status === 'done' && job.imported + job.alreadyImported > 0) setCreated(job.project);
  }, []);
  const { job, error: pollError } = useImportJob(token, importId, onFinished);

  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(undefined);
    createProject(token, {
      name: name.trim(),
      labels: parseLabels(labels),
      multiLabel,
      labelsPerSample: perSample,
      source: source.trim(),
    }).then(
      (res) => {
        setImportId(res.importId);
      },
      (err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
      },
    );
  };
  const running = importId !== undefined && job?.status !== 'done' && job?.status !== 'failed';
  return (
    <section className="card" aria-labelledby="new-project-title">
      <h2 id="new-project-title">New project</h2>
      <form className="new-project" onSubmit={submit}>
        <label>
          Name{' '}
          <input
            value={name}
            required
            onChange={(e) => {
              setName(e.target.value);
            }}
          />
        </label>
        <label>
          Labels (comma-separated, in button order){' '}
          <input
            value={labels}
            required
            placeholder="cat, dog, bird"
            onChange={(e) => {
              setLabels(e.target.value);
            }}
          />
        </label>
        <label>
          Images: a folder on the server, or s3://bucket/prefix{' '}
          <input
            value={source}
            required
            placeholder="/data/images"
            onChange={(e) => {
              setSource(e.target.value);
            }}
          />
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={multiLabel}
            onChange={(e) => {
              setMultiLabel(e.target.checked);
            }}
          />{' '}
          Several labels per image
        </label>
        <label>
          Labellers per image{' '}
          <input
            type="number"
            min={1}
            max={100}
            value={perSample}
            onChange={(e) => {
              setPerSample(Number(e.target.value) || 1);
            }}
          />
        </label>
        <div className="button-row">
          <button type="submit" className="primary" disabled={running}>
            Create and import
          </button>
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {error && <p className="error">{error}</p>}
        {pollError && <p className="error">{pollError}</p>}
        {job && <ImportProgress job={job} />}
        {created !== undefined && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              onOpen(created);
            }}
          >
            Open {created}
          </button>
        )}
      </div>
    </section>
  );
}
