import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { ShownSample } from './preloadImage';
import { decodeOnce, ZOOM_SIZE_STEPS } from './preloadImage';
import { isShortcutEvent } from './shortcuts';
import { viewerActionForKey } from './viewerKeys';
import {
  clampView,
  IDENTITY,
  panBy,
  sizeWanted,
  STEP_FACTOR,
  wheelFactor,
  zoomAt,
  type Size,
  type View,
} from './viewMath';

/** After the last zoom step, how long before a sharper image is fetched for the new scale. */
const SHARPEN_AFTER_MS = 150;

function boxOf(el: HTMLElement | null): Size {
  return { width: el?.clientWidth ?? 0, height: el?.clientHeight ?? 0 };
}

/**
 * The sample's image with zoom (wheel, double-click, + and −) and pan (drag), reset by 0 or Esc.
 * Zoomed past what the preview holds, the same image is fetched at the size the screen can show
 * (up to the original) and swapped in once decoded. A new sample starts unzoomed (the parent
 * keys this component by sample).
 */
export function ZoomableImage(props: {
  shown: ShownSample;
  pixelated: boolean;
  filter: string | undefined;
  options: readonly string[];
}) {
  const { shown } = props;
  const boxRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>(IDENTITY);
  const [sharper, setSharper] = useState<{ src: string; size: number; natural: Size }>();
  const [dragging, setDragging] = useState(false);
  const drag = useRef<{ id: number; x: number; y: number }>(undefined);
  // The preview's size: only its aspect ratio enters the geometry, which a sharper copy keeps.
  const natural = useRef<Size>({ width: shown.naturalWidth, height: shown.naturalHeight });
  const options = useRef(props.options);
  options.current = props.options;

  // Wheel listeners must be non-passive to keep the page from scrolling, which React's are not.
  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const r = el.getBoundingClientRect();
      const at = { x: event.clientX - r.left, y: event.clientY - r.top };
      setView((v) => zoomAt(v, wheelFactor(event.deltaY), at, boxOf(el), natural.current));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      el.removeEventListener('wheel', onWheel);
    };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcutEvent(event)) return;
      const action = viewerActionForKey(options.current, event.key);
      if (action?.kind !== 'zoom' && action?.kind !== 'reset-view') return;
      event.preventDefault();
      const box = boxOf(boxRef.current);
      if (action.kind === 'reset-view') setView(IDENTITY);
      else {
        const factor = action.dir > 0 ? STEP_FACTOR : 1 / STEP_FACTOR;
        const centre = { x: box.width / 2, y: box.height / 2 };
        setView((v) => zoomAt(v, factor, centre, box, natural.current));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  // A resized window keeps the picture inside the box.
  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      setView((v) => clampView(v, boxOf(el), natural.current));
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
    };
  }, []);

  useEffect(() => {
    const size = sizeWanted({
      shownSize: sharper?.size ?? shown.size,
      natural: sharper?.natural ?? natural.current,
      box: boxOf(boxRef.current),
      scale: view.scale,
      dpr: window.devicePixelRatio,
      steps: ZOOM_SIZE_STEPS,
    });
    if (size === undefined) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      const src = shown.src.replace(/([?&]size=)\d+/, `$1${size}`);
      void decodeOnce(src).then((img) => {
        if (cancelled || !img) return;
        setSharper({ src, size, natural: { width: img.naturalWidth, height: img.naturalHeight } });
      });
    }, SHARPEN_AFTER_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [view.scale, shown, sharper]);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { id: event.pointerId, x: event.clientX, y: event.clientY };
    setDragging(true);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const last = drag.current;
    if (last?.id !== event.pointerId) return;
    const dx = event.clientX - last.x;
    const dy = event.clientY - last.y;
    drag.current = { ...last, x: event.clientX, y: event.clientY };
    setView((v) => panBy(v, dx, dy, boxOf(boxRef.current), natural.current));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id !== event.pointerId) return;
    drag.current = undefined;
    setDragging(false);
  };

  return (
    <div
      ref={boxRef}
      className={dragging ? 'zoom-box dragging' : 'zoom-box'}
      data-zoom={view.scale.toFixed(3)}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={(event) => {
        const r = event.currentTarget.getBoundingClientRect();
        const at = { x: event.clientX - r.left, y: event.clientY - r.top };
        const box = boxOf(boxRef.current);
        setView((v) => zoomAt(v, STEP_FACTOR, at, box, natural.current));
      }}
    >
      <img
        className={props.pixelated ? 'sample-image pixelated' : 'sample-image'}
        src={sharper?.src ?? shown.src}
        data-sample-id={shown.sample.id}
        data-size={sharper?.size ?? shown.size}
        alt={`Sample ${shown.sample.id} to label`}
        draggable={false}
        style={{
          transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
          filter: props.filter,
        }}
      />
    </div>
  );
}
