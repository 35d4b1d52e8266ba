import { useState } from 'react';
import { downloadLabels } from './adminApi';

export function ExportCard({ project, token }: { project: string; token: string }) {
  const [error, setError] = useState<string>();
  const download = (format: 'csv' | 'jsonl') => {
    setError(undefined);
    downloadLabels(project, token, format).catch((err: unknown) => {
      setError(err instanceof Error ? err.message : String(err));
    });
  };
  return (
    <section className="card" aria-labelledby="export-title">
      <h2 id="export-title">Export labels</h2>
      <p className="muted">Every label, skip and undo, in order.</p>
      <div className="button-row">
        <button
          type="button"
          onClick={() => {
            download('csv');
          }}
        >
          Download CSV
        </button>
        <button
          type="button"
          onClick={() => {
            download('jsonl');
          }}
        >
          Download JSONL
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
