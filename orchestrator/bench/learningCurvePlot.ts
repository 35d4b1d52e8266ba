/** A learning-curve chart as SVG (rendered to PNG with sharp by the caller). */

export interface Curve {
  name: string;
  colour: string;
  points: { x: number; y: number }[];
}

const W = 760;
const H = 480;
const PAD = { left: 70, right: 190, top: 40, bottom: 60 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function learningCurveSvg(title: string, curves: Curve[], yMin: number, yMax: number) {
  const xs = curves.flatMap((c) => c.points.map((p) => p.x));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const px = (x: number) =>
    PAD.left + ((x - xMin) / (xMax - xMin || 1)) * (W - PAD.left - PAD.right);
  const py = (y: number) =>
    H - PAD.bottom - ((y - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - 80}" y="24" font-size="16">${esc(title)}</text>`,
  ];
  for (let y = Math.ceil(yMin * 20) / 20; y <= yMax + 1e-9; y += 0.05) {
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 8}" y="${py(y) + 4}" text-anchor="end">${(y * 100).toFixed(0)}%</text>`,
    );
  }
  const xTicks = [...new Set(xs)].filter((x, i, a) => a.length < 12 || i % 2 === 1);
  for (const x of xTicks) {
    parts.push(`<text x="${px(x)}" y="${H - PAD.bottom + 18}" text-anchor="middle">${x}</text>`);
  }
  parts.push(
    `<text x="${(W - PAD.right + PAD.left) / 2}" y="${H - 15}" text-anchor="middle">labels</text>`,
    `<text x="18" y="${H / 2}" transform="rotate(-90 18 ${H / 2})" text-anchor="middle">test accuracy</text>`,
  );
  curves.forEach((c, i) => {
    const d = c.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${px(p.x)},${py(p.y)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${c.colour}" stroke-width="2.5"/>`);
    const ly = PAD.top + 20 + i * 22;
    parts.push(
      `<line x1="${W - PAD.right + 15}" x2="${W - PAD.right + 40}" y1="${ly}" y2="${ly}" stroke="${c.colour}" stroke-width="3"/>`,
      `<text x="${W - PAD.right + 46}" y="${ly + 4}">${esc(c.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
