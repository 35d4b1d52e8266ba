import type { SessionSnapshot } from './labellingSession';
import { shortcutsForOptions } from './shortcuts';

function formatSuggestion(value: string | string[]): string {
  return Array.isArray(value) ? value.join(', ') : value;
}

export function OptionPanel(props: {
  snap: SessionSnapshot;
  options: string[];
  multiLabel: boolean;
  selected: string[];
  onChoose: (option: string) => void;
  onSubmit: () => void;
  onSkip: () => void;
  onUndo: () => void;
}) {
  const { snap } = props;
  const ready = snap.ready;
  const suggestion = snap.current?.sample.suggestion;
  const shortcuts = shortcutsForOptions(props.options);
  return (
    <section className="controls" aria-label="Labels">
      {suggestion && (
        <p className="suggestion" data-testid="suggestion">
          Model suggests <strong>{formatSuggestion(suggestion.value)}</strong>
          {suggestion.confidence !== null && ` (${Math.round(suggestion.confidence * 100)}% sure)`}
        </p>
      )}
      <h2 className="controls-title">
        {props.multiLabel ? 'Pick every label that applies, then Enter' : 'Pick a label'}
      </h2>
      <div className="options" role="group" aria-label="Label options">
        {props.options.map((option, i) => {
          const key = shortcuts[i];
          const pressed = props.multiLabel ? props.selected.includes(option) : undefined;
          return (
            <button
              key={option}
              type="button"
              className="option"
              disabled={!ready}
              aria-pressed={pressed}
              aria-keyshortcuts={key}
              onClick={() => {
                props.onChoose(option);
              }}
            >
              {key !== undefined && <kbd aria-hidden="true">{key.toUpperCase()}</kbd>}
              <span className="option-text">{option}</span>
            </button>
          );
        })}
      </div>
      {props.multiLabel && (
        <button
          type="button"
          className="primary"
          disabled={!ready || props.selected.length === 0}
          aria-keyshortcuts="Enter"
          onClick={props.onSubmit}
        >
          <kbd aria-hidden="true">Enter</kbd> Submit{' '}
          {props.selected.length > 0 && `(${props.selected.length})`}
        </button>
      )}
      <div className="actions">
        <button type="button" disabled={!ready} aria-keyshortcuts="S" onClick={props.onSkip}>
          <kbd aria-hidden="true">S</kbd> Skip
        </button>
        <button type="button" aria-keyshortcuts="Backspace Z" onClick={props.onUndo}>
          <kbd aria-hidden="true">Z</kbd> Undo
        </button>
      </div>
      {snap.notice && snap.connection === 'connected' && (
        <p className="notice" data-testid="notice">
          {snap.notice}
        </p>
      )}
    </section>
  );
}
