import type { AgreementReport } from '@al/contract';
import { loadAgreement } from './adminApi';
import { formatAccuracy } from './format';
import { usePolling, valueOf } from './usePolling';

/** Most pairs shown: the ones with the most images in common. */
const SHOWN_PAIRS = 12;

function formatKappa(kappa: number | null): string {
  return kappa === null ? '–' : kappa.toFixed(2);
}

/** Landis & Koch's words for a kappa, so a number reads at a glance. */
function kappaWords(kappa: number | null): string {
  if (kappa === null) return 'not enough overlap yet';
  if (kappa < 0.2) return 'slight';
  if (kappa < 0.4) return 'fair';
  if (kappa < 0.6) return 'moderate';
  if (kappa < 0.8) return 'substantial';
  return 'almost perfect';
}

function Tables({ report }: { report: AgreementReport }) {
  const pairs = [...report.pairs].sort((a, b) => b.shared - a.shared).slice(0, SHOWN_PAIRS);
  return (
    <>
      <p data-testid="fleiss-kappa">
        Fleiss’ κ {formatKappa(report.fleissKappa)} ({kappaWords(report.fleissKappa)}) over{' '}
        {report.items} images with two or more answers.
      </p>
      <div className="models-layout">
        <table aria-label="Agreement per labeller">
          <thead>
            <tr>
              <th scope="col">Labeller</th>
              <th scope="col" className="num">
                Answers
              </th>
              <th scope="col" className="num">
                Shared
              </th>
              <th scope="col" className="num">
                Agrees
              </th>
              <th scope="col" className="num">
                κ
              </th>
            </tr>
          </thead>
          <tbody>
            {report.labellers.map((l) => (
              <tr key={l.name}>
                <th scope="row">{l.name}</th>
                <td className="num">{l.answers}</td>
                <td className="num">{l.sharedItems}</td>
                <td className="num">{formatAccuracy(l.agreement)}</td>
                <td className="num">{formatKappa(l.kappa)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table aria-label="Agreement per label">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col" className="num">
                Answers
              </th>
              <th scope="col" className="num">
                Specific agreement
              </th>
            </tr>
          </thead>
          <tbody>
            {report.perClass.map((c) => (
              <tr key={c.label}>
                <th scope="row">{c.label}</th>
                <td className="num">{c.answers}</td>
                <td className="num">{formatAccuracy(c.specificAgreement)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {pairs.length > 0 && (
          <table aria-label="Agreement per pair" className="full">
            <thead>
              <tr>
                <th scope="col">Pair</th>
                <th scope="col" className="num">
                  Shared
                </th>
                <th scope="col" className="num">
                  Agree
                </th>
                <th scope="col" className="num">
                  Cohen’s κ
                </th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((p) => (
                <tr key={`${p.a}\u0000${p.b}`}>
                  <th scope="row">
                    {p.a} · {p.b}
                  </th>
                  <td className="num">{p.shared}</td>
                  <td className="num">{formatAccuracy(p.agreement)}</td>
                  <td className="num">{formatKappa(p.kappa)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

/**
 * Who agrees with whom where several people labelled the same image (overlap K ≥ 2): κ corrects
 * raw agreement for chance, per labeller, per label and per pair. Refreshed every 30 s.
 */
export function AgreementCard({ project, token }: { project: string; token: string }) {
  const [state] = usePolling(() => loadAgreement(project, token), 30_000, project);
  const report = valueOf(state);
  return (
    <section className="card" aria-labelledby="agreement-title" data-testid="agreement">
      <h2 id="agreement-title">Agreement</h2>
      {state.kind === 'error' && <p className="error">{state.message}</p>}
      {report === undefined ? <p className="muted">Loading…</p> : <Tables report={report} />}
    </section>
  );
}
