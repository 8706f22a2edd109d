// Hand-drawn SVG charts for the organizer dashboard (no chart library): a line chart
// (viewers over time), a column chart (comments / questions per minute) and grouped
// horizontal bars (figures per compound). Each chart has a title and a description
// for screen readers (role="img" + aria-label), plus a visible data table fallback
// offered by the caller. Text is set with textContent only.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function root(w: number, hgt: number, label: string, testid: string): SVGSVGElement {
  const s = svg('svg', { viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': label, class: 'org-chart', 'data-testid': testid, preserveAspectRatio: 'xMidYMid meet' }) as SVGSVGElement;
  s.appendChild(svg('title', {}, label));
  return s;
}

/** The axis maximum: four gridline steps of 1, 2 or 5 × 10^k, so tick labels are whole. */
function niceMax(v: number): number {
  const raw = Math.max(1, v / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return 4 * m * p;
  return 40 * p;
}

/**
 * The drawing width in px: the container's width when it is on screen (else about
 * the window's), so that the chart's text keeps its size on a phone and in a column.
 */
function chartWidth(container?: HTMLElement): number {
  const w = container?.clientWidth || window.innerWidth - 72;
  return Math.round(Math.min(1100, Math.max(280, w)));
}

function axes(s: SVGElement, x0: number, y0: number, x1: number, y1: number, max: number): void {
  for (let i = 0; i <= 4; i++) {
    const y = y1 - ((y1 - y0) * i) / 4;
    s.appendChild(svg('line', { x1: x0, x2: x1, y1: y, y2: y, class: i === 0 ? 'org-axis' : 'org-grid' }));
    s.appendChild(svg('text', { x: x0 - 6, y: y + 4, 'text-anchor': 'end', class: 'org-tick' }, String(Math.round((max * i) / 4))));
  }
}

export interface Point {
  t: number; // ms
  v: number;
}

/** Viewers over time: a line with dots; x labels are local clock times. */
export function lineChart(points: Point[], label: string, fmtTime: (ms: number) => string, container?: HTMLElement): SVGSVGElement {
  const W = chartWidth(container);
  const H = 240;
  const x0 = 44;
  const x1 = W - 12;
  const y0 = 14;
  const y1 = H - 30;
  const s = root(W, H, label, 'chart-viewers');
  const max = niceMax(Math.max(1, ...points.map((p) => p.v)));
  axes(s, x0, y0, x1, y1, max);
  if (points.length === 0) return s;
  const tMin = points[0]!.t;
  const tMax = Math.max(tMin + 60000, points[points.length - 1]!.t);
  const X = (t: number) => x0 + ((x1 - x0) * (t - tMin)) / (tMax - tMin);
  const Y = (v: number) => y1 - ((y1 - y0) * v) / max;
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${X(p.t).toFixed(1)} ${Y(p.v).toFixed(1)}`).join('');
  s.appendChild(svg('path', { d, class: 'org-line' }));
  const last = points[points.length - 1]!;
  s.appendChild(svg('circle', { cx: X(last.t), cy: Y(last.v), r: 4, class: 'org-dot' }));
  s.appendChild(svg('text', { x: x0, y: H - 8, class: 'org-tick' }, fmtTime(tMin)));
  s.appendChild(svg('text', { x: x1, y: H - 8, 'text-anchor': 'end', class: 'org-tick' }, fmtTime(tMax)));
  return s;
}

export interface Series {
  name: string;
  cls: string; // CSS class giving the colour
  values: number[];
}

/** Columns per bucket (one per minute), one colour per series side by side. */
export function columnChart(labels: string[], series: Series[], label: string, testid: string, container?: HTMLElement): SVGSVGElement {
  const W = chartWidth(container);
  const H = 240;
  const x0 = 44;
  const x1 = W - 12;
  const y0 = 14;
  const y1 = H - 30;
  const s = root(W, H, label, testid);
  const max = niceMax(Math.max(1, ...series.flatMap((se) => se.values)));
  axes(s, x0, y0, x1, y1, max);
  const n = labels.length;
  if (n === 0) return s;
  const slot = (x1 - x0) / n;
  const bw = Math.max(1, (slot * 0.8) / series.length);
  series.forEach((se, k) => {
    se.values.forEach((v, i) => {
      if (!v) return;
      const hgt = ((y1 - y0) * v) / max;
      const r = svg('rect', { x: x0 + slot * i + slot * 0.1 + bw * k, y: y1 - hgt, width: bw, height: hgt, class: se.cls });
      r.appendChild(svg('title', {}, `${labels[i]} ${se.name}: ${v}`));
      s.appendChild(r);
    });
  });
  const every = Math.max(1, Math.ceil(n / 6));
  for (let i = 0; i < n; i += every) {
    s.appendChild(svg('text', { x: x0 + slot * i + slot / 2, y: H - 8, 'text-anchor': 'middle', class: 'org-tick' }, labels[i]!));
  }
  return s;
}

/** Grouped horizontal bars: one group per row (compound), one bar per series. */
export function barGroups(rows: string[], series: Series[], label: string, testid: string, container?: HTMLElement): SVGSVGElement {
  const W = chartWidth(container);
  const rowH = 14 * series.length + 18;
  const H = Math.max(60, rows.length * rowH + 20);
  const x0 = Math.round(Math.min(150, W * 0.34));
  const x1 = W - 40;
  const maxChars = Math.max(3, Math.floor((x0 - 10) / 13)); // ~13 px per CJK character
  const s = root(W, H, label, testid);
  const max = niceMax(Math.max(1, ...series.flatMap((se) => se.values)));
  rows.forEach((name, i) => {
    const top = 10 + i * rowH;
    s.appendChild(svg('text', { x: x0 - 8, y: top + (14 * series.length) / 2 + 5, 'text-anchor': 'end', class: 'org-tick org-row-label' }, name.length > maxChars ? `${name.slice(0, maxChars - 1)}…` : name));
    series.forEach((se, k) => {
      const v = se.values[i] ?? 0;
      const w = ((x1 - x0) * v) / max;
      const y = top + 14 * k;
      const r = svg('rect', { x: x0, y, width: Math.max(v ? 2 : 0, w), height: 11, class: se.cls });
      r.appendChild(svg('title', {}, `${name} ${se.name}: ${v}`));
      s.appendChild(r);
      s.appendChild(svg('text', { x: x0 + w + 4, y: y + 10, class: 'org-tick' }, String(v)));
    });
  });
  return s;
}
