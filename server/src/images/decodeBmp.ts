import bmp from 'bmp-js';

export function isBmp(bytes: Buffer): boolean {
  return bytes.length > 2 && bytes[0] === 0x42 && bytes[1] === 0x4d; // "BM"
}

/**
 * sharp (libvips) cannot read BMP. bmp-js decodes it to 4 bytes per pixel in A,B,G,R order
 * (alpha is 0 for 24-bit files, so it is dropped); we reorder to packed RGB for sharp's raw input.
 */
export function decodeBmpToRgb(bytes: Buffer): { width: number; height: number; rgb: Buffer } {
  const { width, height, data } = bmp.decode(bytes);
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let src = 0, dst = 0; src < data.length; src += 4, dst += 3) {
    rgb[dst] = data[src + 3] ?? 0;
    rgb[dst + 1] = data[src + 2] ?? 0;
    rgb[dst + 2] = data[src + 1] ?? 0;
  }
  return { width, height, rgb };
}
