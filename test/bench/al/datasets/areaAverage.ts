/** Area-average of a side×side image down to out×out (out divides side), values 0..1. */
export function areaAverage(
  pixels: Uint8Array,
  side: number,
  channels: number,
  out: number,
  into: Float32Array,
  offset: number,
): void {
  const f = side / out;
  const scale = 1 / (255 * f * f);
  for (let y = 0; y < out; y++) {
    for (let x = 0; x < out; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let dy = 0; dy < f; dy++) {
          for (let dx = 0; dx < f; dx++) {
            sum += pixels[((y * f + dy) * side + x * f + dx) * channels + c] ?? 0;
          }
        }
        into[offset + (y * out + x) * channels + c] = sum * scale;
      }
    }
  }
}
