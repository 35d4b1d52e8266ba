import { useEffect, useState } from 'react';
import type { ReviewCandidate, ReviewRecorded } from '@al/contract';
import { shortcutsForOptions } from '../labelling/shortcuts';
import { formatAccuracy } from './format';
import { promoteToGold } from './goldApi';
import type { Decision } from './useReviewQueue';

export function formatLabel(label: string | string[] | null): string {
  if (label === null) return '–';
  if (!Array.isArray(label)) return label;
  return label.length === 0 ? '(none)' : label.join(', ');
}

/**
 * What the reviewer sees beside the image: the label, how sure, who said what, the model. For an
 * image decided a moment ago (`decided`), the decision in force and the label it replaced.
 */
export function ReviewFacts(props: { candidate: ReviewCandidate; decided?: ReviewRecorded }) {
  const { candidate, decided } = props;
  return (
    <>
      <dl className="review-facts">
        {decided ? (
          <>
            <dt>Decided label</dt>
            <dd>
              <strong data-testid="review-label">{formatLabel(decided.label)}</strong>{' '}
              <span className="muted">by {decided.reviewer}</span>
            </dd>
            <dt>Before it</dt>
            <dd>{formatLabel(decided.previous)}</dd>
          </>
        ) : (
          <>
            <dt>Final label</dt>
            <dd>
              <strong data-testid="review-label">{formatLabel(candidate.label)}</strong>{' '}
              <span className="muted">{formatAccuracy(candidate.confidence)} sure</span>
            </dd>
            <dt>Chance it is wrong</dt>
            <dd data-testid="review-score">{formatAccuracy(candidate.score)}</dd>
          </>
        )}
        <dt>Model</dt>
        <dd data-testid="review-model">
          {candidate.model
            ? `${formatLabel(candidate.model.label)} (${formatAccuracy(candidate.model.confidence)} sure)`
            : 'not scored yet'}
        </dd>
      </dl>
      <table aria-label="Answers" className="review-votes">
        <thead>
          <tr>
            <th scope="col">Labeller</th>
            <th scope="col">Answer</th>
          </tr>
        </thead>
        <tbody>
          {candidate.votes.map((v, i) => (
            <tr key={`${v.labeller}\u0000${String(i)}`}>
              <th scope="row">{v.labeller}</th>
              <td>{formatLabel(v.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The project's options with the labelling page's keys; the label in force is marked. */
export function ReviewOptions(props: {
  options: string[];
  multiLabel: boolean;
  current: string[];
  selected: string[];
  disabled: boolean;
  onOption: (option: string) => void;
}) {
  const shortcuts = shortcutsForOptions(props.options);
  return (
    <div className="options" role="group" aria-label="Label options">
      {props.options.map((option, i) => {
        const key = shortcuts[i];
        const inForce = props.current.includes(option);
        return (
          <button
            key={option}
            type="button"
            className={inForce ? 'option in-force' : 'option'}
            disabled={props.disabled}
            aria-pressed={props.multiLabel ? props.selected.includes(option) : undefined}
            aria-keyshortcuts={key}
            title={inForce ? 'The label in force' : undefined}
            onClick={() => {
              props.onOption(option);
            }}
          >
            {key !== undefined && <kbd aria-hidden="true">{key.toUpperCase()}</kbd>}
            <span className="option-text">{option}</span>
          </button>
        );
      })}
    </div>
  );
}

/** Promotes the decided image to gold (its review becomes the known answer labellers are checked on). */
function MakeGold(props: { project: string; token: string; sampleId: number }) {
  const [state, setState] = useState<{ busy?: boolean; done?: boolean; error?: string }>({});
  useEffect(() => {
    setState({});
  }, [props.sampleId]);
  if (state.done) return <span data-testid="made-gold">Gold now.</span>;
  return (
    <>
      <button
        type="button"
        disabled={state.busy}
        onClick={() => {
          setState({ busy: true });
          promoteToGold(props.project, props.token, [props.sampleId]).then(
            () => {
              setState({ done: true });
            },
            (err: unknown) => {
              setState({ error: err instanceof Error ? err.message : String(err) });
            },
          );
        }}
      >
        Make gold
      </button>
      {state.error !== undefined && <span className="error"> {state.error}</span>}
    </>
  );
}

/** The decision just made: it stands (append-only); Z shows that image again to decide anew. */
export function LastDecision({
  last,
  project,
  token,
}: {
  last: Decision | undefined;
  project: string;
  token: string;
}) {
  if (!last) return null;
  const { record } = last;
  const changed = JSON.stringify(record.label) !== JSON.stringify(record.previous);
  return (
    <p className="review-last" data-testid="review-last">
      Last: image {record.sampleId} {changed ? 'corrected to' : 'confirmed as'}{' '}
      <strong>{formatLabel(record.label)}</strong>
      {changed && ` (was ${formatLabel(record.previous)})`}.{' '}
      <span className="muted">
        <kbd>Z</kbd> shows it again
      </span>{' '}
      <MakeGold project={project} token={token} sampleId={record.sampleId} />
    </p>
  );
}
