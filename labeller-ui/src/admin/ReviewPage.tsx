import { useState } from 'react';
import type { ProjectSummary, ReviewCandidate } from '@al/contract';
import { ReviewImage } from './ReviewImage';
import { loadReviewer, saveReviewer } from './storedReviewer';
import { formatLabel, LastDecision, ReviewFacts, ReviewOptions } from './ReviewPanel';
import { useReviewKeys } from './useReviewKeys';
import { useReviewQueue, type ReviewState } from './useReviewQueue';
import './review.css';

const asSet = (label: string | string[]) => (Array.isArray(label) ? label : [label]);

/** The label the image has now: a revisited image's is the decision just made on it. */
function labelInForce(state: ReviewState, candidate: ReviewCandidate): string | string[] {
  return state.revisiting && state.last ? state.last.record.label : candidate.label;
}

/** One candidate: its image, its facts, and the keys to confirm, correct or skip it. */
function CandidateView(props: {
  project: ProjectSummary;
  token: string;
  candidate: ReviewCandidate;
  state: ReviewState;
  queue: ReturnType<typeof useReviewQueue>;
}) {
  const { project, candidate, state, queue } = props;
  const label = labelInForce(state, candidate);
  const [selected, setSelected] = useState<string[]>(() => asSet(label));
  const active = !state.posting;
  const decide = (value: string | string[]) => {
    if (active) void queue.decide(candidate, value);
  };
  const onOption = (option: string) => {
    if (!project.multiLabel) {
      decide(option);
      return;
    }
    setSelected((s) => (s.includes(option) ? s.filter((o) => o !== option) : [...s, option]));
  };
  const submit = () => {
    decide(project.multiLabel ? [...selected].sort() : label);
  };
  useReviewKeys({
    options: project.options,
    active,
    option: onOption,
    submit,
    confirm: () => {
      decide(label);
    },
    skip: () => {
      queue.skip(candidate);
    },
    revisit: () => {
      if (active) queue.revisit();
    },
  });
  return (
    <div className="review-stage">
      <ReviewImage
        sampleId={candidate.sampleId}
        imageUrl={candidate.imageUrl}
        token={props.token}
      />
      <aside className="review-panel" aria-label="Decision" data-ready={active}>
        {state.revisiting && (
          <p className="review-revisit" role="status">
            You decided this image a moment ago. Another decision is added to its history; the
            earlier one is kept.
          </p>
        )}
        <ReviewFacts
          candidate={candidate}
          decided={state.revisiting ? state.last?.record : undefined}
        />
        <h3 className="controls-title">
          {project.multiLabel
            ? 'Toggle the labels that apply, then Enter'
            : 'Confirm, or press an option’s key to correct'}
        </h3>
        <ReviewOptions
          options={project.options}
          multiLabel={project.multiLabel}
          current={asSet(label)}
          selected={selected}
          disabled={!active}
          onOption={onOption}
        />
        <div className="actions">
          <button type="button" className="primary" disabled={!active} onClick={submit}>
            <kbd aria-hidden="true">Enter</kbd>{' '}
            {project.multiLabel
              ? `Submit ${formatLabel(selected)}`
              : `Confirm ${formatLabel(label)}`}
          </button>
          <button
            type="button"
            disabled={!active}
            onClick={() => {
              queue.skip(candidate);
            }}
          >
            <kbd aria-hidden="true">→</kbd> Skip
          </button>
        </div>
        {state.error !== undefined && (
          <p className="error" role="alert">
            {state.error}
          </p>
        )}
        <LastDecision last={state.last} project={project.name} token={props.token} />
      </aside>
    </div>
  );
}

/**
 * The review queue: images whose final label is most likely wrong, one at a time. Enter or Y
 * confirms the label shown, an option's key corrects it (multi-label: toggle, then Enter),
 * → or N skips, Z shows the last decided image again. Every decision is a new row.
 */
export function ReviewPage({ project, token }: { project: ProjectSummary; token: string }) {
  const [reviewer, setReviewer] = useState(loadReviewer);
  const queue = useReviewQueue(project.name, token, reviewer.trim() || undefined);
  const { state } = queue;
  let body;
  if (state.current) {
    body = (
      <CandidateView
        key={`${String(state.current.sampleId)}:${String(state.revisiting)}`}
        project={project}
        token={token}
        candidate={state.current}
        state={state}
        queue={queue}
      />
    );
  } else if (state.status === 'done') {
    body = (
      <div className="review-done" data-testid="review-done">
        <p>No more images to review.</p>
        <button type="button" onClick={queue.checkAgain}>
          Check again
        </button>
        <LastDecision last={state.last} project={project.name} token={token} />
      </div>
    );
  } else if (state.status === 'error') {
    body = (
      <p className="error" role="alert">
        Could not load the review list: {state.error}{' '}
        <button type="button" onClick={queue.checkAgain}>
          Retry
        </button>
      </p>
    );
  } else {
    body = <p className="muted">Loading…</p>;
  }
  return (
    <section className="card review" aria-labelledby="review-title" data-testid="review">
      <div className="review-head">
        <h2 id="review-title">Review · {project.name}</h2>
        <p className="muted">
          Most likely wrong first · {state.decided} decided this visit · <kbd>Enter</kbd>/
          <kbd>Y</kbd> confirm · option key corrects · <kbd>→</kbd>/<kbd>N</kbd> skip · <kbd>Z</kbd>{' '}
          last decision
        </p>
        <label className="reviewer-name">
          Reviewer{' '}
          <input
            value={reviewer}
            placeholder="admin"
            maxLength={100}
            onChange={(e) => {
              setReviewer(e.currentTarget.value);
              saveReviewer(e.currentTarget.value);
            }}
          />
        </label>
      </div>
      {body}
    </section>
  );
}
