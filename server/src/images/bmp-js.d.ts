declare module 'bmp-js' {
  /** Pixels come back 4 bytes each in A, B, G, R order. */
  export function decode(data: Buffer): { width: number; height: number; data: Buffer };
  const bmp: { decode: typeof decode };
  export default bmp;
}
