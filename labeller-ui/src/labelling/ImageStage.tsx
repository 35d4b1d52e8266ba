import type { SessionSnapshot } from './labellingSession';

/** Below this natural width the browser's smoothing would blur the image: scale it pixelated. */
const PIXELATED_BELOW_PX = 200;

export function ImageStage({ snap, onRetry }: { snap: SessionSnapshot; onRetry: () => void }) {
  const shown = snap.current;
  let body;
  if (snap.connection === 'disconnected' && snap.refusal) {
    body = (
      <p className="stage-message error" role="alert">
        The server refused the connection: {snap.refusal}
      </p>
    );
  } else if (shown) {
    const pixelated = shown.naturalWidth > 0 && shown.naturalWidth < PIXELATED_BELOW_PX;
    body = (
      <img
        key={shown.sample.id}
        className={pixelated ? 'sample-image pixelated' : 'sample-image'}
        src={shown.src}
        data-sample-id={shown.sample.id}
        alt={`Sample ${shown.sample.id} to label`}
        draggable={false}
      />
    );
  } else if (snap.status === 'empty') {
    body = (
      <div className="stage-message" data-testid="nothing-left">
        <p>Nothing left to label right now. Thank you!</p>
        <button type="button" onClick={onRetry}>
          Check again
        </button>
      </div>
    );
  } else {
    body = (
      <p className="stage-message muted">
        {snap.connection === 'connected' ? 'Loading…' : 'Waiting for the connection…'}
      </p>
    );
  }
  return (
    <section
      className="image-area"
      aria-label="Image to label"
      data-sample-id={shown?.sample.id}
      data-ahead={snap.ahead}
      data-ready={snap.ready}
    >
      {body}
      {snap.connection === 'reconnecting' && (
        <p className="overlay-banner" role="alert">
          Connection lost. Reconnecting…{' '}
          {snap.pending > 0 && `${snap.pending} label(s) queued, none lost.`}
        </p>
      )}
    </section>
  );
}
