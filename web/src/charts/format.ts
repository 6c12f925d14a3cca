/** Number and time formats shared by the charts (the results page's and the flow viewer's), DOM-free. */

/**
 * "12 %"; one decimal below 10 % and from 99.5 %; "0 %" and "100 %" only when exact, so 499 of
 * 500 is "99.8 %" and 1 of 5,000 "< 0.1 %", never "100 %" or "0.0 %" (fix 0229).
 */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct === 0 || pct === 100) return `${pct} %`;
  if (pct < 0.05) return '< 0.1 %';
  if (pct >= 99.95) return '> 99.9 %';
  return `${pct < 10 || pct >= 99.5 ? pct.toFixed(1) : pct.toFixed(0)} %`;
}

/** 1, 2, 5, 10, 20, 50 … steps giving about `ticks` gridlines up to `max`; at least 1. */
export function niceStep(max: number, ticks = 4): number {
  if (max <= 0) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  return Math.max(1, step);
}

/**
 * Tick steps of a count axis (uPlot's `incrs`): whole numbers only, so a quiet hour's axis reads 0, 1, 2
 * and not 0, 0.5, 1, 1.5; uPlot takes the smallest step that leaves room between the labels.
 */
export const COUNT_INCREMENTS: readonly number[] = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6].map((p) => m * p))
  .sort((a, b) => a - b);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time axis's label, UTC, 24-hour: the date at midnight ("3 Jun"), else the time ("06:00"). */
export function utcAxisLabel(seconds: number): string {
  const d = new Date(seconds * 1000);
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0) return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
