import { useEffect, useState } from 'react';
import { loadImageUrl } from './reviewApi';

/** Asked of the server: big enough for the review stage on a laptop at 2× density. */
const IMAGE_SIZE = 768;
/** Below this natural width the browser's smoothing would blur the image: scale it pixelated. */
const PIXELATED_BELOW_PX = 200;

/**
 * The candidate's image, large. The stage carries the sample id only once its own image is
 * decoded, so a key press (and a test) always acts on the image on screen.
 */
export function ReviewImage({
  sampleId,
  imageUrl,
  token,
}: {
  sampleId: number;
  imageUrl: string;
  token: string;
}) {
  const [src, setSrc] = useState<{ sampleId: number; url: string }>();
  const [error, setError] = useState<string>();
  const [natural, setNatural] = useState<{ sampleId: number; width: number }>();

  useEffect(() => {
    const abort = new AbortController();
    setError(undefined);
    loadImageUrl(`${imageUrl}?size=${IMAGE_SIZE}`, token, abort.signal).then(
      (loaded) => {
        if (!abort.signal.aborted) setSrc({ sampleId, url: loaded });
      },
      (err: unknown) => {
        if (!abort.signal.aborted) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      abort.abort();
    };
  }, [sampleId, imageUrl, token]);

  const shown = src?.sampleId === sampleId ? src : undefined;
  const ready = natural?.sampleId === sampleId && shown !== undefined;
  const pixelated = ready && natural.width < PIXELATED_BELOW_PX;
  return (
    <section
      className="image-area review-image"
      aria-label="Image under review"
      data-sample-id={ready ? sampleId : undefined}
    >
      {error !== undefined && (
        <p className="stage-message error" role="alert">
          Could not load the image: {error}
        </p>
      )}
      {shown && (
        <img
          className={pixelated ? 'sample-image pixelated' : 'sample-image'}
          src={shown.url}
          alt={`Sample ${String(sampleId)}`}
          data-sample-id={sampleId}
          onLoad={(e) => {
            setNatural({ sampleId, width: e.currentTarget.naturalWidth });
          }}
        />
      )}
      {!shown && error === undefined && <p className="stage-message muted">Loading…</p>}
    </section>
  );
}
