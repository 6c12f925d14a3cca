/**
 * Stacked columns (e.g. casualties per day by triage) in SVG. The figure is an image with a short
 * label; the figures themselves are in a visually-hidden table next to it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import './charts.css';
import { niceStep } from './format';

export interface ColumnSeries {
  readonly key: string;
  readonly label: string;
  /** A CSS class giving the fill colour. */
  readonly tone: string;
}

export interface Column {
  readonly label: string;
  /** Short axis label (default: label). */
  readonly tick?: string;
  readonly values: Readonly<Record<string, number>>;
}

interface Props {
  readonly title: string;
  readonly series: readonly ColumnSeries[];
  readonly columns: readonly Column[];
  /** Header of the label column of the hidden table ("Day"). */
  readonly labelHeader: string;
  readonly height?: number;
}

const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

/** The element's width in CSS pixels, followed as it resizes (text in the SVG keeps its size). */
export function useWidth<T extends HTMLElement = HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setWidth(Math.max(200, Math.floor(el.clientWidth)));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

export function ColumnChart({ title, series, columns, labelHeader, height = 180 }: Props) {
  const [ref, W] = useWidth(640);
  const totals = columns.map((c) => series.reduce((a, s) => a + (c.values[s.key] ?? 0), 0));
  const peak = Math.max(0, ...totals);
  const step = niceStep(peak);
  const top = Math.max(step, Math.ceil(peak / step) * step);
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, columns.length);
  const barW = Math.max(1, slot * 0.75);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const labelEvery = Math.max(1, Math.ceil(columns.length / Math.max(2, Math.floor(plotW / 34))));
  const grid = Array.from({ length: Math.floor(top / step) + 1 }, (_, i) => i * step);
  const busiest = totals.indexOf(peak);
  const summary = columns.length
    ? `${title}: ${columns.length} columns, highest ${peak.toLocaleString('en-GB')} (${columns[busiest]?.label}); figures in the table that follows.`
    : `${title}: no data.`;

  return (
    <figure class="chart column-chart" ref={ref}>
      <figcaption>{title}</figcaption>
      <svg width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img" aria-label={summary}>
        {grid.map((g) => (
          <g key={g}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(g)} y2={y(g)} />
            <text class="tick" x={PAD.left - 4} y={y(g) + 4} text-anchor="end">
              {g.toLocaleString('en-GB')}
            </text>
          </g>
        ))}
        {columns.map((c, i) => {
          let acc = 0;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={c.label}>
              {series.map((s) => {
                const v = c.values[s.key] ?? 0;
                if (!v) return null;
                const y1 = y(acc + v);
                const h = y(acc) - y1;
                acc += v;
                return <rect key={s.key} class={s.tone} x={x} y={y1} width={barW} height={h} />;
              })}
              {i % labelEvery === 0 && (
                <text class="tick" x={x + barW / 2} y={height - 6} text-anchor="middle">
                  {c.tick ?? c.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {series.length > 1 && (
        <ul class="legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.key}>
              <span class={`swatch ${s.tone}`} />
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <table class="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c, i) => (
            <tr key={c.label}>
              <th scope="row">{c.label}</th>
              {series.map((s) => (
                <td key={s.key}>{c.values[s.key] ?? 0}</td>
              ))}
              <td>{totals[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
