import { cssFilter } from './displayAdjustments';
import type { SessionSnapshot } from './labellingSession';
import { useAdjustments } from './useAdjustments';
import { ViewTools } from './ViewTools';
import { ZoomableImage } from './ZoomableImage';

/** The SVG filter holding the gamma curve (CSS has no gamma() of its own). */
const GAMMA_FILTER_ID = 'display-gamma';

/** Below this natural width the browser's smoothing would blur the image: scale it pixelated. */
const PIXELATED_BELOW_PX = 200;

export function ImageStage({
  snap,
  onRetry,
  labeller,
  options,
}: {
  snap: SessionSnapshot;
  onRetry: () => void;
  labeller: string;
  options: readonly string[];
}) {
  const shown = snap.current;
  const [adjustments, setAdjustments] = useAdjustments(labeller, options);
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
      <>
        <ZoomableImage
          key={shown.sample.id}
          shown={shown}
          pixelated={pixelated}
          filter={cssFilter(adjustments, GAMMA_FILTER_ID)}
          options={options}
        />
        <svg className="filter-defs" aria-hidden="true">
          <filter id={GAMMA_FILTER_ID} colorInterpolationFilters="sRGB">
            <feComponentTransfer>
              <feFuncR type="gamma" exponent={adjustments.gamma} />
              <feFuncG type="gamma" exponent={adjustments.gamma} />
              <feFuncB type="gamma" exponent={adjustments.gamma} />
            </feComponentTransfer>
          </filter>
        </svg>
        <ViewTools adjustments={adjustments} onChange={setAdjustments} />
      </>
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
