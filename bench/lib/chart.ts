// A small SVG chart with no dependency: two panels side by side, both against corpus size
// on a log axis — answer latency (p50/p95/p99, ms) and index build time (s).

export interface ChartPoint {
  passages: number;
  p50: number;
  p95: number;
  p99: number;
  buildSeconds: number;
}

interface Series {
  name: string;
  color: string;
  values: number[];
}

const WIDTH = 900;
const HEIGHT = 360;
const PANEL = { width: 380, height: 250, top: 50 };
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

function panel(left: number, title: string, unit: string, xs: number[], series: Series[], target?: { value: number; label: string }): string {
  const { width, height, top } = PANEL;
  const logMin = Math.log10(Math.min(...xs));
  const logMax = Math.log10(Math.max(...xs));
  const x = (v: number) => left + (logMax === logMin ? width / 2 : ((Math.log10(v) - logMin) / (logMax - logMin)) * width);
  const yMax = niceMax(Math.max(...series.flatMap((s) => s.values), target?.value ?? 0));
  const y = (v: number) => top + height - (v / yMax) * height;
  const parts: string[] = [];
  parts.push(`<text x="${left + width / 2}" y="${top - 22}" text-anchor="middle" font-weight="bold">${escape(title)}</text>`);
  parts.push(`<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    parts.push(`<line x1="${left}" x2="${left + width}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${+v.toPrecision(3)}</text>`);
  }
  for (const v of xs) {
    parts.push(`<text x="${x(v)}" y="${top + height + 16}" text-anchor="middle" font-size="11">${v.toLocaleString("en-US")}</text>`);
  }
  parts.push(`<text x="${left + width / 2}" y="${top + height + 34}" text-anchor="middle" font-size="12">passages (log scale)</text>`);
  parts.push(`<text x="${left - 42}" y="${top + height / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 ${left - 42} ${top + height / 2})">${escape(unit)}</text>`);
  if (target) {
    parts.push(`<line x1="${left}" x2="${left + width}" y1="${y(target.value)}" y2="${y(target.value)}" stroke="#c00" stroke-dasharray="5 4"/>`);
    parts.push(`<text x="${left + width - 4}" y="${y(target.value) - 5}" text-anchor="end" font-size="11" fill="#c00">${escape(target.label)}</text>`);
  }
  series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${x(xs[j]).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    parts.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const [j, v] of s.values.entries()) parts.push(`<circle cx="${x(xs[j]).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"/>`);
    parts.push(`<rect x="${left + 10}" y="${top + 10 + i * 16}" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${left + 26}" y="${top + 19 + i * 16}" font-size="11">${escape(s.name)}</text>`);
  });
  return parts.join("\n");
}

export function renderChart(points: ChartPoint[], caption: string): string {
  const sorted = [...points].sort((a, b) => a.passages - b.passages);
  const xs = sorted.map((p) => p.passages);
  const latency = panel(70, "Answer latency, in process (built-in embedder)", "milliseconds", xs, [
    { name: "p50", color: "#1f77b4", values: sorted.map((p) => p.p50) },
    { name: "p95", color: "#ff7f0e", values: sorted.map((p) => p.p95) },
    { name: "p99", color: "#2ca02c", values: sorted.map((p) => p.p99) },
  ], { value: 20, label: "p95 target 20 ms" });
  const build = panel(500, "Index build time (embed + HNSW + BM25)", "seconds", xs, [
    { name: "build", color: "#9467bd", values: sorted.map((p) => p.buildSeconds) },
  ], { value: 120, label: "target 120 s at 100k" });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    latency,
    build,
    `<text x="${WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#555">${escape(caption)}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
