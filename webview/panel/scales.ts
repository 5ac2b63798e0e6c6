// Scales, ticks and colours for the SVG charts. Pure (no DOM), unit-tested.

export interface Scale {
  (v: number): number;
  ticks(count: number): number[];
  domain: [number, number];
}

/** Linear map of [d0, d1] onto [r0, r1]; a zero-width domain maps to the range's middle. */
export function linearScale([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  const span = d1 - d0;
  const f = ((v: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0))) as Scale;
  f.ticks = (count) => niceTicks(d0, d1, count);
  f.domain = [d0, d1];
  return f;
}

/** Log10 map of a positive domain; values <= 0 clamp to the domain's low end. */
export function logScale([d0, d1]: [number, number], range: [number, number]): Scale {
  const lo = Math.log10(Math.max(d0, Number.MIN_VALUE));
  const hi = Math.log10(Math.max(d1, d0, Number.MIN_VALUE));
  const lin = linearScale([lo, hi], range);
  const f = ((v: number) => lin(v > 0 ? Math.log10(v) : lo)) as Scale;
  f.ticks = () => logTicks(d0, d1);
  f.domain = [d0, d1];
  return f;
}

/** Round tick values (1, 2 or 5 times a power of ten apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || count < 1) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten in a positive domain; 1-2-5 within one decade when it spans less than one. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= min && v <= max) out.push(v);
    }
  }
  return out.length >= 2 ? out : niceTicks(min, max, 4);
}

/** Min and max of the finite numbers; [0, 1] when there are none. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

// Viridis at nine stops (matplotlib's, perceptually uniform and colour-blind safe).
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [170, 220, 50],
  [253, 231, 37],
];

/** Viridis colour of t in [0, 1] (clamped) as `rgb(r, g, b)`. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Text on a viridis cell: dark on the bright (yellow-green) end, light on the dark end. */
export function viridisText(t: number): string {
  return t > 0.6 ? '#000' : '#fff';
}

// Okabe-Ito, the colour-blind-safe qualitative palette (black left out: the loss line
// uses the theme's foreground colour).
const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];

/** Colour of the i-th language series; cycles past eight. */
export function seriesColour(i: number): string {
  return OKABE_ITO[((i % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length];
}

/** A number for a tick or read-out: 3 significant digits, no exponent for usual sizes. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}
