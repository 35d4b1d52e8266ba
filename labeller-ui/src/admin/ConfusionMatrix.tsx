import type { ModelSummary } from '@al/contract';

/** Rows: true class; columns: predicted. Cell shade grows with the share of its row. */
export function ConfusionMatrix({ model }: { model: ModelSummary }) {
  const matrix = model.metrics.confusion;
  if (!matrix || matrix.length === 0) {
    return <p className="muted">This model reports no confusion matrix.</p>;
  }
  const labels = model.metrics.perClass?.map((c) => c.label) ?? matrix.map((_, i) => String(i));
  return (
    <table className="confusion" data-testid="confusion-matrix">
      <caption className="muted">rows: true label · columns: predicted</caption>
      <thead>
        <tr>
          <th scope="col" aria-label="true label" />
          {labels.map((l) => (
            <th scope="col" key={l}>
              {l}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return (
            <tr key={labels[i] ?? i}>
              <th scope="row">{labels[i] ?? i}</th>
              {row.map((count, j) => {
                const share = count / total;
                // Dark text on light cells, white on dark ones, for contrast.
                const style = {
                  background: `rgba(31, 79, 209, ${share.toFixed(3)})`,
                  color: share > 0.5 ? '#fff' : '#16181d',
                };
                return (
                  <td key={j} style={style}>
                    {count}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
