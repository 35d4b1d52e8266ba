import type { ModelSummary } from '@al/contract';
import { ConfusionMatrix } from './ConfusionMatrix';
import { formatAccuracy, formatInterval } from './format';
import { LearningCurve } from './LearningCurve';
import type { Polled } from './usePolling';
import { valueOf } from './usePolling';

export function ModelsCard({ models }: { models: Polled<ModelSummary[]> }) {
  const list = valueOf(models) ?? [];
  const latest = list[0];
  return (
    <section className="card" aria-labelledby="models-title" data-testid="models">
      <h2 id="models-title">Models</h2>
      {models.kind === 'error' && (
        <p className="error" role="alert">
          {models.message}
        </p>
      )}
      {list.length === 0 ? (
        <p className="muted">No model yet: the first one is trained once enough labels exist.</p>
      ) : (
        <div className="models-layout">
          <div>
            <h3>Learning curve</h3>
            <LearningCurve models={list} />
          </div>
          <div>
            <h3>Latest confusion matrix (v{latest?.version})</h3>
            {latest && <ConfusionMatrix model={latest} />}
          </div>
          <div className="full">
            <h3>History</h3>
            <table data-testid="model-history">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col" className="num">
                    Trained on
                  </th>
                  <th scope="col" className="num">
                    Accuracy
                  </th>
                  <th scope="col" className="num">
                    95% interval
                  </th>
                  <th scope="col" className="num">
                    Held-out labels
                  </th>
                  <th scope="col">Backend</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.version}>
                    <th scope="row">v{m.version}</th>
                    <td className="num">{m.trainedOn}</td>
                    <td className="num">{formatAccuracy(m.metrics.accuracy)}</td>
                    <td className="num">{formatInterval(m.metrics.accuracyInterval)}</td>
                    <td className="num">{m.metrics.evaluatedOn ?? '–'}</td>
                    <td>{m.backend}</td>
                    <td>{new Date(m.createdAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
