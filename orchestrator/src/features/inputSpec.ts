/**
 * What the model sees: every image decoded and resized to width × height with `channels`
 * (1 grey, 3 RGB) uint8 values in HWC order. The spec's key names the cached features, so a
 * project that changes its input size simply decodes again under a new key.
 */
export interface InputSpec {
  width: number;
  height: number;
  channels: 1 | 3;
}

/** MNIST-sized grey: small enough for a dense network to train on wasm in seconds. */
export const DEFAULT_INPUT_SPEC: InputSpec = { width: 28, height: 28, channels: 1 };

export function inputSpecKey(spec: InputSpec): string {
  return `${spec.width}x${spec.height}x${spec.channels}`;
}

export function featureLength(spec: InputSpec): number {
  return spec.width * spec.height * spec.channels;
}
