/**
 * Zoom and pan as plain numbers, so the geometry is unit-tested without a browser. A view is a
 * CSS transform `translate(x, y) scale(scale)` with origin 0 0 applied to an image element that
 * fills its box (object-fit: contain), so the picture itself is the fitted rect inside that box.
 */
export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const IDENTITY: View = { scale: 1, x: 0, y: 0 };
/** Below 1 the picture would float smaller than the box, which helps nobody judge an image. */
export const MIN_SCALE = 1;
/** 64× shows single pixels of a 2048 px image filling a laptop box, which is as far as is useful. */
export const MAX_SCALE = 64;
/** One +/− key press or double-click. */
export const STEP_FACTOR = 1.5;

/** Where object-fit: contain draws a picture of natural size `image` inside `box`. */
export function fitRect(box: Size, image: Size): { x: number; y: number } & Size {
  if (image.width <= 0 || image.height <= 0) return { x: 0, y: 0, ...box };
  const k = Math.min(box.width / image.width, box.height / image.height);
  const width = image.width * k;
  const height = image.height * k;
  return { x: (box.width - width) / 2, y: (box.height - height) / 2, width, height };
}

/**
 * One axis of clampView: a picture wider than the box may not leave a gap at either edge; a
 * narrower one stays centred (so zooming out never strands it in a corner).
 */
function clampAxis(t: number, scale: number, boxLen: number, start: number, len: number): number {
  const shown = scale * len;
  if (shown <= boxLen) return (boxLen - shown) / 2 - scale * start;
  return Math.min(0 - scale * start, Math.max(boxLen - scale * (start + len), t));
}

/** The view with its scale bounded and the picture kept covering the box where it can. */
export function clampView(view: View, box: Size, image: Size): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale));
  const fit = fitRect(box, image);
  return {
    scale,
    x: clampAxis(view.x, scale, box.width, fit.x, fit.width),
    y: clampAxis(view.y, scale, box.height, fit.y, fit.height),
  };
}

/**
 * Scales by `factor` keeping the box point `at` (px from the box's top left) over the same spot
 * of the picture: the point under the cursor stays under the cursor.
 */
export function zoomAt(
  view: View,
  factor: number,
  at: { x: number; y: number },
  box: Size,
  image: Size,
): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const k = scale / view.scale;
  return clampView(
    { scale, x: at.x - k * (at.x - view.x), y: at.y - k * (at.y - view.y) },
    box,
    image,
  );
}

export function panBy(view: View, dx: number, dy: number, box: Size, image: Size): View {
  return clampView({ ...view, x: view.x + dx, y: view.y + dy }, box, image);
}

/** A wheel notch (deltaY ≈ 100) zooms by about 1.2×; trackpads send many small deltas. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0018);
}

/**
 * The `?size=` worth fetching for a picture drawn at this view, or undefined when the one on
 * screen is enough: when the server already sent all it has (the picture came back smaller than
 * asked, so the original is that small), or when screen pixels per image pixel stay ≤ 1.
 */
export function sizeWanted(opts: {
  shownSize: number;
  natural: Size;
  box: Size;
  scale: number;
  dpr: number;
  steps: readonly number[];
}): number | undefined {
  const longest = Math.max(opts.natural.width, opts.natural.height);
  if (longest <= 0 || longest < opts.shownSize) return undefined;
  const fit = fitRect(opts.box, opts.natural);
  const devicePx = Math.max(fit.width, fit.height) * opts.scale * opts.dpr;
  if (devicePx <= longest) return undefined;
  const bigger = opts.steps.filter((s) => s > opts.shownSize);
  const size = bigger.find((s) => s >= devicePx) ?? bigger.at(-1);
  return size;
}
