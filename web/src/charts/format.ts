/** Number formats shared by the charts, DOM-free. */

/** "12 %" ; one decimal below 10 %; "0 %" for nothing. */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct === 0) return '0 %';
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)} %`;
}

/** 1, 2, 5, 10, 20, 50 … steps giving about `ticks` gridlines up to `max`; at least 1. */
export function niceStep(max: number, ticks = 4): number {
  if (max <= 0) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  return Math.max(1, step);
}
