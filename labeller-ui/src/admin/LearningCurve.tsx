import type { ModelSummary } from '@al/contract';
import { formatAccuracy } from './format';

const W = 360;
const H = 200;
const PAD = { left: 40, right: 12, top: 10, bottom: 34 };

/** Accuracy (0–100%) against the number of labels each model was trained on; inline SVG. */
export function LearningCurve({ models }: { models: ModelSummary[] }) {
  const points = models
    .flatMap((m) => {
      const y = m.metrics.accuracy;
      return typeof y === 'number' ? [{ x: m.trainedOn, y, version: m.version }] : [];
    })
    .sort((a, b) => a.x - b.x);
  if (points.length === 0) return <p className="muted">No model reports an accuracy yet.</p>;
  const maxX = Math.max(1, ...points.map((p) => p.x));
  const px = (x: number) => PAD.left + ((W - PAD.left - PAD.right) * x) / maxX;
  const py = (y: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - y);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x)},${py(p.y)}`).join(' ');
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Learning curve: accuracy from ${formatAccuracy(points[0]?.y)} to ${formatAccuracy(points.at(-1)?.y)}`}
      data-testid="learning-curve"
    >
      {[0, 0.5, 1].map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={py(t)} y2={py(t)} stroke="#dde1e8" />
          <text x={PAD.left - 6} y={py(t) + 4} textAnchor="end">
            {t * 100}%
          </text>
        </g>
      ))}
      <line x1={PAD.left} x2={W - PAD.right} y1={py(0)} y2={py(0)} stroke="#8a93a5" />
      <text x={PAD.left} y={H - 16}>
        0
      </text>
      <text x={W - PAD.right} y={H - 16} textAnchor="end">
        {maxX}
      </text>
      <text x={(W + PAD.left) / 2} y={H - 2} textAnchor="middle">
        labels trained on
      </text>
      <path d={path} fill="none" stroke="#1f4fd1" strokeWidth={2} />
      {points.map((p) => (
        <circle key={p.version} cx={px(p.x)} cy={py(p.y)} r={4} fill="#1f4fd1">
          <title>{`v${p.version}: ${formatAccuracy(p.y)} on ${p.x} labels`}</title>
        </circle>
      ))}
    </svg>
  );
}
